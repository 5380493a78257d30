// The OCEL 2.0 model -> rows mapping (see ocel_rows.hpp).
#include "eventlog/ocel_rows.hpp"

#include "eventlog/json_text.hpp"

#include <charconv>
#include <cmath>

namespace asof {
namespace {

// A time within a day of the epoch: OCEL's mark of an initial value (the specification writes
// 1970-01-01T00:00:00Z; exports that wrote it in local time land a few hours off).
bool is_epoch_mark(Timestamp t) {
    return std::chrono::abs(t.time_since_epoch()) < std::chrono::hours(24);
}

// Appends the JSON number `text` reads as (integers stay integers); false, appending nothing,
// when it reads as none.
bool append_number_text(std::string& out, std::string_view text) {
    if (text.empty()) return false;
    const char* first = text.data();
    const char* last = first + text.size();
    char buffer[32];
    std::int64_t whole = 0;
    auto [end, ec] = std::from_chars(first, last, whole);
    if (ec == std::errc() && end == last) {
        auto [wend, wec] = std::to_chars(buffer, buffer + sizeof buffer, whole);
        out.append(buffer, wend);
        return true;
    }
    double number = 0;
    auto [dend, dec] = std::from_chars(first, last, number);
    if (dec != std::errc() || dend != last || !std::isfinite(number)) return false;
    auto [bend, bec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    if (bec != std::errc()) return false;
    out.append(buffer, bend);
    return true;
}

} // namespace

void OcelMapper::declare_attribute(bool of_object, const std::string& type, const std::string& name,
                                   const std::string& declared) {
    Declared reading = Declared::text;
    if (declared == "integer" || declared == "int" || declared == "float")
        reading = Declared::number;
    else if (declared == "boolean")
        reading = Declared::boolean;
    else if (declared == "time" || declared == "date")
        reading = Declared::time;
    declared_[of_object][type][name] = reading;
    last_readings_ = nullptr; // the maps may have moved
}

OcelMapper::Declared OcelMapper::declared(bool of_object, const std::string& type,
                                          const std::string& name) const {
    if (!last_readings_ || last_of_object_ != of_object || last_type_ != type) {
        const auto& types = declared_[of_object];
        auto found = types.find(type);
        static const Readings none;
        last_readings_ = found == types.end() ? &none : &found->second;
        last_of_object_ = of_object;
        last_type_ = type;
    }
    auto reading = last_readings_->find(name);
    return reading == last_readings_->end() ? Declared::text : reading->second;
}

DeclaredStream OcelMapper::object_stream(const std::string& type, const std::string& id) {
    std::string compact, kind;
    for (char c : type)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += c;
    for (char c : compact)
        kind += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return {compact + "-" + id, kind, id};
}

std::string OcelMapper::typed_value(bool of_object, const std::string& type,
                                    const std::string& name, const OcelValue& value) const {
    std::string out;
    append_typed_value(out, of_object, type, name, value);
    return out;
}

void OcelMapper::append_typed_value(std::string& out, bool of_object, const std::string& type,
                                    const std::string& name, const OcelValue& value) const {
    const Declared declared = this->declared(of_object, type, name);
    if (!value.is_text) {
        // SQLite has no boolean: a BOOLEAN column holds the integers 0 and 1.
        if (declared == Declared::boolean && (value.text == "0" || value.text == "1"))
            out += value.text == "1" ? "true" : "false";
        else
            out += value.text;
        return;
    }
    switch (declared) {
    case Declared::number:
        if (append_number_text(out, value.text)) return;
        break;
    case Declared::boolean:
        if (value.text == "true" || value.text == "1") {
            out += "true";
            return;
        }
        if (value.text == "false" || value.text == "0") {
            out += "false";
            return;
        }
        break;
    case Declared::time:
        if (auto parsed = parse_iso8601(value.text, zone_)) {
            append_json_string(out, format_utc(parsed->at));
            return;
        }
        break;
    case Declared::text:
        break;
    }
    append_json_string(out, value.text);
}

void OcelMapper::add_object(const std::string& id, const std::string& type, const OcelPlace& place,
                            RowBatch& out) {
    DeclaredStream stream = object_stream(type, id);
    if (!objects_.emplace(id, Object{stream.name, type}).second) {
        out.rejects.push_back(
            {0, 0, place(), "object id " + id + " is declared twice", printable_excerpt(id)});
        return;
    }
    out.streams.push_back(std::move(stream));
}

void OcelMapper::add_object_attribute(const std::string& id, const std::string& name,
                                      std::string_view time, const OcelValue& value,
                                      const OcelPlace& place, RowBatch& out) {
    auto object = objects_.find(id);
    if (object == objects_.end()) {
        out.rejects.push_back({0, 0, place(), "attribute " + name + " of undeclared object " + id,
                               printable_excerpt(id)});
        return;
    }
    StreamAttribute attribute;
    attribute.stream = object->second.stream;
    attribute.name = name;
    append_typed_value(attribute.value, true, object->second.type, name, value);
    if (!time.empty()) {
        auto parsed = parse_iso8601(time, zone_);
        if (!parsed) {
            out.rejects.push_back(
                {0, 0, place(),
                 "attribute " + name + " of " + id + ": bad time: " + parsed.error().message,
                 printable_excerpt(time)});
            return;
        }
        if (!is_epoch_mark(parsed->at)) {
            attribute.ts = parsed->at;
            attribute.naive_time = parsed->naive;
            ++(parsed->naive ? naive_ : zoned_);
        }
    }
    out.attributes.push_back(std::move(attribute));
}

void OcelMapper::add_relation(const std::string& from, const std::string& to,
                              std::optional<std::string> qualifier) {
    relations_.push_back({from, to, std::move(qualifier)});
}

void OcelMapper::finish_objects(RowBatch& out) {
    for (auto& relation : relations_) {
        auto from = objects_.find(relation.from), to = objects_.find(relation.to);
        if (from == objects_.end() || to == objects_.end()) {
            const std::string& missing = from == objects_.end() ? relation.from : relation.to;
            out.findings.push_back(
                {"dangling_relation", from == objects_.end() ? std::string() : from->second.stream,
                 std::nullopt,
                 "relation " + relation.from + " -> " + relation.to + " names object " + missing +
                     ", which the log does not declare"});
            continue;
        }
        out.relations.push_back(
            {from->second.stream, to->second.stream, std::move(relation.qualifier)});
    }
    relations_.clear();
    relations_.shrink_to_fit();
}

void OcelMapper::add_event(OcelEvent& event, RowBatch& out) {
    auto parsed = parse_iso8601(event.time, zone_);
    if (!parsed) {
        out.rejects.push_back({event.line, event.byte_offset, event.place(),
                               "event " + event.id + ": bad time: " + parsed.error().message,
                               printable_excerpt(event.time)});
        return;
    }
    ++(parsed->naive ? naive_ : zoned_);
    EventRow row;
    row.line = event.line;
    row.byte_offset = event.byte_offset;
    row.type = event.type;
    row.ts = parsed->at;
    row.naive_time = parsed->naive;
    std::string& data = row.data.emplace("{");
    for (const auto& [name, value] : event.attributes) {
        if (data.size() > 1) data += ',';
        append_json_string(data, name);
        data += ':';
        append_typed_value(data, false, event.type, name, value);
    }
    data += '}';
    std::vector<std::string> dangling;
    std::optional<std::string> primary_qualifier;
    bool has_primary = false;
    for (auto& [object, qualifier] : event.links) {
        auto found = objects_.find(object);
        if (found == objects_.end()) {
            dangling.push_back(object);
            continue;
        }
        if (!has_primary) {
            row.stream = found->second.stream;
            primary_qualifier = std::move(qualifier);
            has_primary = true;
        } else {
            row.links.push_back({found->second.stream, std::move(qualifier)});
        }
    }
    if (!has_primary) row.stream = std::string(ocel_unlinked_stream);
    if (primary_qualifier) {
        std::string& meta = row.meta.emplace("{\"ocel:qualifier\":");
        append_json_string(meta, *primary_qualifier);
        meta += '}';
    }
    for (const auto& object : dangling)
        out.findings.push_back({"dangling_link", row.stream, out.events.size(),
                                "event " + event.id + " links object " + object +
                                    ", which the log does not declare (link dropped)"});
    row.event_id = std::move(event.id);
    out.events.push_back(std::move(row));
}

} // namespace asof
