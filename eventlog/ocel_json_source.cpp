// OCEL 2.0 JSON (objectTypes, eventTypes, objects, events) as a RowSource. The document is read
// whole and parsed once (simdjson DOM); rows are then emitted in batches: objects, their
// attributes and relations first, then events in document order. Memory peaks at the text and
// the parse tape together (the text is freed once parsed), not bounded like JSON Lines
// (README.md, "OCEL 2.0").
#include "eventlog/json_text.hpp"
#include "eventlog/ocel_rows.hpp"
#include "eventlog/source_reader.hpp"

#include <simdjson.h>

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
    OcelJsonSource(SourceReader reader, const RowSourceOptions& options)
        : reader_(std::move(reader)), mapper_(options.source_zone), cancel_(options.cancel) {}

    Result<void> load(const std::string& path) {
        std::string text;
        text.reserve(reader_.raw_size() + simdjson::SIMDJSON_PADDING); // exact unless gzipped
        std::vector<char> chunk(1 << 20);
        for (;;) {
            auto got = reader_.read(chunk.data(), chunk.size());
            if (!got) return tl::unexpected(got.error());
            if (*got == 0) break;
            text.append(chunk.data(), *got);
        }
        // simdjson reads up to SIMDJSON_PADDING bytes past the end: reserve them rather than
        // copy the document into a padded string (the text is freed once parsed: the parsed
        // tape holds its own copies of the strings).
        text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
        element root;
        auto parsed = parser_.parse(text.data(), text.size(), false).get(root);
        text.clear();
        text.shrink_to_fit();
        if (auto error = parsed; error)
            return fail(std::string("not OCEL 2.0 JSON: the file is not one JSON document (") +
                            simdjson::error_message(error) + ")",
                        path);
        if (root.type() == element_type::OBJECT && !root["ocel:events"].error())
            return fail("not OCEL 2.0 JSON: the file is OCEL 1.0 (it has \"ocel:events\"); "
                        "convert it to OCEL 2.0 first",
                        path);
        if (root.type() != element_type::OBJECT ||
            (root["events"].error() && root["objects"].error()))
            return fail("not OCEL 2.0 JSON: the document has neither \"events\" nor \"objects\"",
                        path);
        for (const char* kind : {"objectTypes", "eventTypes"}) {
            simdjson::dom::array types;
            if (root[kind].get(types)) continue;
            for (element type : types) {
                auto name = member_text(type, "name");
                simdjson::dom::array attributes;
                if (!name || type["attributes"].get(attributes)) continue;
                for (element attribute : attributes) {
                    auto attribute_name = member_text(attribute, "name");
                    auto declared = member_text(attribute, "type");
                    if (attribute_name && declared)
                        mapper_.declare_attribute(kind[0] == 'o', *name, *attribute_name,
                                                  *declared);
                }
            }
        }
        simdjson::dom::array list;
        if (!root["objects"].get(list)) {
            object_at_ = list.begin();
            object_end_ = list.end();
        }
        if (!root["events"].get(list)) {
            event_at_ = list.begin();
            event_end_ = list.end();
        }
        return {};
    }

    Result<bool> next(RowBatch& out) override {
        if (cancel_ && cancel_->load()) return fail("cancelled");
        std::size_t units = 0;
        for (; object_at_ != object_end_ && units < batch_units; ++object_at_, ++object_index_)
            add_object(*object_at_, out), ++units;
        if (object_at_ != object_end_) return finish_batch(out, units);
        if (!relations_done_) {
            mapper_.finish_objects(out);
            relations_done_ = true;
        }
        for (; event_at_ != event_end_ && units < batch_units; ++event_at_, ++event_index_)
            add_event(*event_at_, out), ++units;
        finish_batch(out, units);
        return event_at_ != event_end_;
    }

    std::string format() const override { return "ocel-json"; }
    std::uint64_t raw_size() const override { return reader_.raw_size(); }
    std::uint64_t raw_consumed() const override { return reader_.raw_consumed(); }
    Digest raw_digest() const override { return reader_.raw_digest(); }
    std::int64_t naive_times() const override { return mapper_.naive_times(); }
    std::int64_t zoned_times() const override { return mapper_.zoned_times(); }
    std::string mapping_json() const override { return R"({"model":"ocel2"})"; }

private:
    bool finish_batch(RowBatch& out, std::size_t units) {
        out.units += static_cast<std::int64_t>(units);
        return true;
    }

    void add_object(element object, RowBatch& out) {
        std::string place = "objects[" + std::to_string(object_index_) + "]";
        auto id = member_text(object, "id");
        auto type = member_text(object, "type");
        if (object.type() != element_type::OBJECT || !id || !type) {
            out.rejects.push_back({0, 0, place, "an object needs \"id\" and \"type\"",
                                   printable_excerpt(simdjson::minify(object))});
            return;
        }
        mapper_.add_object(*id, *type, place, out);
        simdjson::dom::array list;
        if (!object["attributes"].get(list)) {
            std::size_t i = 0;
            for (element attribute : list) {
                std::string at = place + ".attributes[" + std::to_string(i++) + "]";
                auto name = member_text(attribute, "name");
                element value;
                if (!name || attribute["value"].get(value)) {
                    out.rejects.push_back({0, 0, at, "an attribute needs \"name\" and \"value\"",
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

    void add_event(element event, RowBatch& out) {
        OcelEvent row;
        row.line = static_cast<std::int64_t>(event_index_) + 1;
        row.place = "events[" + std::to_string(event_index_) + "]";
        auto id = member_text(event, "id");
        auto type = member_text(event, "type");
        auto time = member_text(event, "time");
        if (event.type() != element_type::OBJECT || !id || !type || !time) {
            out.rejects.push_back({row.line, 0, row.place,
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

    SourceReader reader_;
    OcelMapper mapper_;
    const std::atomic<bool>* cancel_;
    simdjson::dom::parser parser_;
    simdjson::dom::array::iterator object_at_{}, object_end_{}, event_at_{}, event_end_{};
    std::size_t object_index_ = 0, event_index_ = 0;
    bool relations_done_ = false;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_json_source(const std::string& path,
                                                         const RowSourceOptions& options) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    auto source = std::make_unique<OcelJsonSource>(std::move(*reader), options);
    if (auto ok = source->load(path); !ok) return tl::unexpected(ok.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
