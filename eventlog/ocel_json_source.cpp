// OCEL 2.0 JSON (objectTypes, eventTypes, objects, events) as a RowSource, streamed: three walks
// over the file (json_sections), each element parsed alone with simdjson. The first reads the
// type declarations (stopping at "objects" when they came first), the second the objects
// (stopping at "events" when the objects came first), the third the events, checking the
// document's structure to its end. Memory grows with the objects (their ids and
// stream names, as for OCEL XML), not with the file or the events.
#include "eventlog/json_sections.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/ocel_rows.hpp"
#include "eventlog/source_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <optional>

namespace asof {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::size_t batch_units = 4096;

std::string text_of(element value) {
    if (value.type() == element_type::STRING) return std::string(value.get_string().value_unsafe());
    return simdjson::minify(value);
}

// An attribute value: strings are text (typed by the declared type), other JSON stays literal.
OcelValue value_of(element value) {
    if (value.type() == element_type::STRING)
        return {true, std::string(value.get_string().value_unsafe())};
    return {false, simdjson::minify(value)};
}

std::optional<std::string> member_text(element object, const char* name) {
    element value;
    if (object[name].get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
    return text_of(value);
}

class OcelJsonSource final : public RowSource {
public:
    OcelJsonSource(const std::string& path, const RowSourceOptions& options)
        : path_(path), mapper_(options.source_zone), cancel_(options.cancel) {}

    // The first pass: checks the document's structure and kind and reads the type declarations
    // (which type the attribute values of objects and events); opens the two further passes.
    Result<void> open() {
        auto reader = SourceReader::open(path_, SourceReader::Hashing::off);
        if (!reader) return tl::unexpected(reader.error());
        JsonSections types(std::move(*reader));
        // It stops at "objects" once both declarations were read (their order in the
        // specification): the events pass checks the rest of the document.
        auto walked = types.run({"objectTypes", "eventTypes"}, "objects",
                                [&](const JsonSections::Element& item) {
                                    element type;
                                    if (!parse(item.text, type)) declare_type(item, type);
                                    return true;
                                });
        if (!walked)
            return fail("not OCEL 2.0 JSON: the file is not one JSON document (" +
                            walked.error().message + ")",
                        path_ + (walked.error().where.empty() ? "" : ":" + walked.error().where));
        const auto& members = types.members();
        auto has = [&](const char* name) {
            return std::find(members.begin(), members.end(), name) != members.end();
        };
        if (has("ocel:events"))
            return fail("not OCEL 2.0 JSON: the file is OCEL 1.0 (it has \"ocel:events\"); "
                        "convert it to OCEL 2.0 first",
                        path_);
        if (!has("events") && !has("objects"))
            return fail("not OCEL 2.0 JSON: the document has neither \"events\" nor \"objects\"",
                        path_);
        // The events pass reads the whole file and gives its digest; the others need none.
        for (auto* pass : {&objects_, &events_}) {
            auto opened = SourceReader::open(path_, pass == &events_ ? SourceReader::Hashing::on
                                                                     : SourceReader::Hashing::off);
            if (!opened) return tl::unexpected(opened.error());
            pass->emplace(std::move(*opened));
        }
        return {};
    }

    // Objects first (the objects pass stops at "events" when the objects came before them),
    // then the relations, then the events.
    Result<bool> next(RowBatch& out) override {
        if (cancel_ && cancel_->load()) return fail("cancelled");
        std::int64_t units = 0;
        // A batch holds about batch_units elements or attribute values (an object brings a
        // dozen), so that the queued batches bound memory.
        auto full = [&] {
            return ++units < static_cast<std::int64_t>(batch_units) &&
                   out.attributes.size() < batch_units;
        };
        if (!objects_done_) {
            auto more =
                objects_->run({"objects"}, "events", [&](const JsonSections::Element& item) {
                    element object;
                    if (auto error = parse(item.text, object))
                        reject(item, "objects", error, out);
                    else
                        add_object(item, object, out);
                    return full();
                });
            if (!more) return tl::unexpected(located(more.error()));
            out.units += units;
            if (*more) return true;
            objects_done_ = true;
            mapper_.finish_objects(out);
            return true;
        }
        auto more = events_->run({"events"}, "", [&](const JsonSections::Element& item) {
            element event;
            if (auto error = parse(item.text, event))
                reject(item, "events", error, out);
            else
                add_event(item, event, out);
            return full();
        });
        if (!more) return tl::unexpected(located(more.error()));
        out.units += units;
        return *more;
    }

    std::string format() const override { return "ocel-json"; }
    std::uint64_t raw_size() const override { return events_->reader().raw_size(); }
    std::uint64_t raw_consumed() const override {
        // The objects pass is the first half of the progress, the events pass the second.
        if (!objects_done_) return objects_->reader().raw_consumed() / 2;
        return raw_size() / 2 + events_->reader().raw_consumed() / 2;
    }
    Digest raw_digest() const override { return events_->reader().raw_digest(); }
    std::int64_t naive_times() const override { return mapper_.naive_times(); }
    std::int64_t zoned_times() const override { return mapper_.zoned_times(); }
    std::string mapping_json() const override { return R"({"model":"ocel2"})"; }

private:
    // One element parsed on its own (its text copied with the padding simdjson reads past the
    // end); the element stays valid until the next parse.
    simdjson::error_code parse(std::string_view text, element& out) {
        scratch_.assign(text);
        scratch_.reserve(text.size() + simdjson::SIMDJSON_PADDING);
        return parser_.parse(scratch_.data(), scratch_.size(), false).get(out);
    }

    Error located(Error error) const {
        error.where = path_ + (error.where.empty() ? "" : ":" + error.where);
        return error;
    }

    void reject(const JsonSections::Element& item, const char* member, simdjson::error_code error,
                RowBatch& out) const {
        out.rejects.push_back({item.line, item.byte_offset,
                               std::string(member) + "[" + std::to_string(item.index) + "]",
                               std::string("malformed JSON: ") + simdjson::error_message(error),
                               printable_excerpt(item.text)});
    }

    void declare_type(const JsonSections::Element& item, element type) {
        auto name = member_text(type, "name");
        simdjson::dom::array attributes;
        if (!name || type["attributes"].get(attributes)) return;
        for (element attribute : attributes) {
            auto attribute_name = member_text(attribute, "name");
            auto declared = member_text(attribute, "type");
            if (attribute_name && declared)
                mapper_.declare_attribute(item.member == "objectTypes", *name, *attribute_name,
                                          *declared);
        }
    }

    void add_object(const JsonSections::Element& item, element object, RowBatch& out) {
        const std::size_t index = item.index;
        OcelPlace place = [index] { return "objects[" + std::to_string(index) + "]"; };
        auto id = member_text(object, "id");
        auto type = member_text(object, "type");
        if (object.type() != element_type::OBJECT || !id || !type) {
            out.rejects.push_back({item.line, item.byte_offset, place(),
                                   "an object needs \"id\" and \"type\"",
                                   printable_excerpt(simdjson::minify(object))});
            return;
        }
        mapper_.add_object(*id, *type, place, out);
        simdjson::dom::array list;
        if (!object["attributes"].get(list)) {
            std::size_t i = 0;
            for (element attribute : list) {
                OcelPlace at = [index, i] {
                    return "objects[" + std::to_string(index) + "].attributes[" +
                           std::to_string(i) + "]";
                };
                ++i;
                auto name = member_text(attribute, "name");
                element value;
                if (!name || attribute["value"].get(value)) {
                    out.rejects.push_back({item.line, item.byte_offset, at(),
                                           "an attribute needs \"name\" and \"value\"",
                                           printable_excerpt(simdjson::minify(attribute))});
                    continue;
                }
                mapper_.add_object_attribute(*id, *name,
                                             member_text(attribute, "time").value_or(""),
                                             value_of(value), at, out);
            }
        }
        if (!object["relationships"].get(list))
            for (element relation : list)
                if (auto target = member_text(relation, "objectId"))
                    mapper_.add_relation(*id, *target, member_text(relation, "qualifier"));
    }

    void add_event(const JsonSections::Element& item, element event, RowBatch& out) {
        OcelEvent row;
        row.line = item.line;
        row.byte_offset = item.byte_offset;
        row.place = [index = item.index] { return "events[" + std::to_string(index) + "]"; };
        auto id = member_text(event, "id");
        auto type = member_text(event, "type");
        auto time = member_text(event, "time");
        if (event.type() != element_type::OBJECT || !id || !type || !time) {
            out.rejects.push_back({row.line, 0, row.place(),
                                   "an event needs \"id\", \"type\" and \"time\"",
                                   printable_excerpt(simdjson::minify(event))});
            return;
        }
        row.id = *id;
        row.type = *type;
        row.time = *time;
        simdjson::dom::array list;
        if (!event["attributes"].get(list))
            for (element attribute : list) {
                auto name = member_text(attribute, "name");
                element value;
                if (name && !attribute["value"].get(value))
                    row.attributes.emplace_back(*name, value_of(value));
            }
        if (!event["relationships"].get(list))
            for (element relation : list)
                if (auto target = member_text(relation, "objectId"))
                    row.links.emplace_back(*target, member_text(relation, "qualifier"));
        mapper_.add_event(row, out);
    }

    std::string path_;
    OcelMapper mapper_;
    const std::atomic<bool>* cancel_;
    std::optional<JsonSections> objects_, events_;
    bool objects_done_ = false;
    simdjson::dom::parser parser_;
    std::string scratch_;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_json_source(const std::string& path,
                                                         const RowSourceOptions& options) {
    auto source = std::make_unique<OcelJsonSource>(path, options);
    if (auto ok = source->open(); !ok) return tl::unexpected(ok.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
