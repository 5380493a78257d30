// write_ocel (two passes over the generated JSON Lines) and the OCEL 2.0 JSON and XML writers.
// JSON: {"objectTypes", "eventTypes", "objects", "events"}, one object or event per line. XML:
// <log> with <object-types>, <event-types>, <objects>, <events>, in the schema's order. Both put
// the objects before the events, as a reader that checks links wants them.
#include "gen_ocel.hpp"

#include "gen_ocel_model.hpp"

#include <cstdio>

namespace asof_gen {
namespace {

using Links = std::vector<std::pair<std::uint32_t, std::string_view>>;

// A value of declared kind `kind` as JSON: strings and times quoted, numbers and booleans bare.
void put_json_value(std::string& out, Kind kind, std::string_view text) {
    if (kind == Kind::string || kind == Kind::time)
        put_json_string(out, text);
    else
        out += text;
}

// Calls fn(declaration, value) for the event's attributes in the order its type declares them.
template <class Fn> void each_attribute(const OcelModel& model, const MappedEvent& event, Fn&& fn) {
    const TypeDecl* type = model.event_type(event.type);
    if (!type) return;
    for (const auto& decl : type->attributes)
        for (const auto& [name, value] : event.attributes)
            if (name == decl.name) {
                fn(decl, value);
                break;
            }
}

// A writer of a text form: the document grows in out_ and goes to the sink a MiB at a time.
class TextOcelWriter : public OcelWriter {
protected:
    explicit TextOcelWriter(Sink& sink) : sink_(sink) {}

    void flush_some() {
        if (out_.size() < (1u << 20)) return;
        sink_.write(out_);
        out_.clear();
    }

    // Closes the document with `closer` and writes what is left.
    bool finish(const char* closer) {
        out_ += closer;
        sink_.write(out_);
        out_.clear();
        return true;
    }

    Sink& sink_;
    std::string out_;
};

class JsonWriter final : public TextOcelWriter {
public:
    explicit JsonWriter(Sink& sink) : TextOcelWriter(sink) {}

    bool begin(const OcelModel& model) override {
        out_ = "{\"objectTypes\":[";
        types(model.object_types());
        out_ += "],\n\"eventTypes\":[";
        types(model.event_types());
        out_ += "],\n\"objects\":[";
        bool first = true;
        for (std::uint32_t index : model.order()) {
            const auto& object = model.object(index);
            out_ += first ? "\n" : ",\n";
            first = false;
            out_ += "{\"id\":";
            put_json_string(out_, object.id);
            out_ += ",\"type\":";
            const TypeDecl& type = model.object_types()[object.type];
            put_json_string(out_, type.name);
            auto values = model.values_of(index);
            if (!values.empty()) {
                out_ += ",\"attributes\":[";
                for (std::size_t i = 0; i < values.size(); ++i) {
                    const auto& value = values[i];
                    const AttributeDecl& decl = type.attributes[value.attribute];
                    out_ += i ? ",{\"name\":" : "{\"name\":";
                    put_json_string(out_, decl.name);
                    out_ += ",\"time\":";
                    put_json_string(out_, value.initial
                                              ? kInitialTime
                                              : model.text(value.time_at, value.time_size));
                    out_ += ",\"value\":";
                    put_json_value(out_, decl.kind, model.text(value.text_at, value.text_size));
                    out_ += '}';
                }
                out_ += ']';
            }
            relationships(model, model.relations_of(index));
            out_ += '}';
            flush_some();
        }
        out_ += "],\n\"events\":[";
        first_event_ = true;
        return true;
    }

    bool event(const OcelModel& model, const MappedEvent& event, const Links& links) override {
        out_ += first_event_ ? "\n{\"id\":" : ",\n{\"id\":";
        first_event_ = false;
        put_json_string(out_, event.id);
        out_ += ",\"type\":";
        put_json_string(out_, event.type);
        out_ += ",\"time\":";
        put_json_string(out_, event.time);
        out_ += ",\"attributes\":[";
        bool first = true;
        each_attribute(model, event, [&](const AttributeDecl& decl, const Value& value) {
            out_ += first ? "{\"name\":" : ",{\"name\":";
            first = false;
            put_json_string(out_, decl.name);
            out_ += ",\"value\":";
            put_json_value(out_, decl.kind, value.text);
            out_ += '}';
        });
        out_ += "],\"relationships\":[";
        for (std::size_t i = 0; i < links.size(); ++i) {
            out_ += i ? ",{\"objectId\":" : "{\"objectId\":";
            put_json_string(out_, model.object(links[i].first).id);
            out_ += ",\"qualifier\":";
            put_json_string(out_, links[i].second);
            out_ += '}';
        }
        out_ += "]}";
        flush_some();
        return true;
    }

    bool end() override { return finish("\n]}\n"); }

private:
    void types(const std::vector<TypeDecl>& types) {
        for (std::size_t t = 0; t < types.size(); ++t) {
            out_ += t ? ",\n{\"name\":" : "\n{\"name\":";
            put_json_string(out_, types[t].name);
            out_ += ",\"attributes\":[";
            for (std::size_t a = 0; a < types[t].attributes.size(); ++a) {
                out_ += a ? ",{\"name\":" : "{\"name\":";
                put_json_string(out_, types[t].attributes[a].name);
                out_ += ",\"type\":";
                put_json_string(out_, kind_name(types[t].attributes[a].kind));
                out_ += '}';
            }
            out_ += "]}";
        }
    }

    void relationships(const OcelModel& model, std::span<const OcelModel::StoredRelation> list) {
        if (list.empty()) return;
        out_ += ",\"relationships\":[";
        for (std::size_t i = 0; i < list.size(); ++i) {
            out_ += i ? ",{\"objectId\":" : "{\"objectId\":";
            put_json_string(out_, model.object(list[i].to).id);
            out_ += ",\"qualifier\":";
            put_json_string(out_, list[i].qualifier);
            out_ += '}';
        }
        out_ += ']';
    }

    bool first_event_ = true;
};

class XmlWriter final : public TextOcelWriter {
public:
    explicit XmlWriter(Sink& sink) : TextOcelWriter(sink) {}

    bool begin(const OcelModel& model) override {
        out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!-- asof-gen: freight-audit events as an OCEL 2.0 log -->\n"
               "<log>\n";
        types("object", model.object_types());
        types("event", model.event_types());
        out_ += "  <objects>\n";
        for (std::uint32_t index : model.order()) {
            const auto& object = model.object(index);
            const TypeDecl& type = model.object_types()[object.type];
            auto values = model.values_of(index);
            auto relations = model.relations_of(index);
            out_ += "    <object id=\"";
            put_xml_escaped(out_, object.id);
            out_ += "\" type=\"";
            put_xml_escaped(out_, type.name);
            if (values.empty() && relations.empty()) {
                out_ += "\"/>\n";
                continue;
            }
            out_ += "\">\n";
            if (!values.empty()) {
                out_ += "      <attributes>\n";
                for (const auto& value : values) {
                    out_ += "        <attribute name=\"";
                    put_xml_escaped(out_, type.attributes[value.attribute].name);
                    out_ += "\" time=\"";
                    put_xml_escaped(out_, value.initial
                                              ? kInitialTime
                                              : model.text(value.time_at, value.time_size));
                    out_ += "\">";
                    put_xml_escaped(out_, model.text(value.text_at, value.text_size));
                    out_ += "</attribute>\n";
                }
                out_ += "      </attributes>\n";
            }
            if (!relations.empty()) {
                out_ += "      <objects>\n";
                for (const auto& relation : relations)
                    relationship("        ", model.object(relation.to).id, relation.qualifier);
                out_ += "      </objects>\n";
            }
            out_ += "    </object>\n";
            flush_some();
        }
        out_ += "  </objects>\n  <events>\n";
        return true;
    }

    bool event(const OcelModel& model, const MappedEvent& event, const Links& links) override {
        out_ += "    <event id=\"";
        put_xml_escaped(out_, event.id);
        out_ += "\" type=\"";
        put_xml_escaped(out_, event.type);
        out_ += "\" time=\"";
        put_xml_escaped(out_, event.time);
        out_ += "\">\n";
        bool first = true;
        each_attribute(model, event, [&](const AttributeDecl& decl, const Value& value) {
            if (first) out_ += "      <attributes>\n";
            first = false;
            out_ += "        <attribute name=\"";
            put_xml_escaped(out_, decl.name);
            out_ += "\">";
            put_xml_escaped(out_, value.text);
            out_ += "</attribute>\n";
        });
        if (!first) out_ += "      </attributes>\n";
        if (!links.empty()) {
            out_ += "      <objects>\n";
            for (const auto& [object, qualifier] : links)
                relationship("        ", model.object(object).id, qualifier);
            out_ += "      </objects>\n";
        }
        out_ += "    </event>\n";
        flush_some();
        return true;
    }

    bool end() override { return finish("  </events>\n</log>\n"); }

private:
    void types(const char* what, const std::vector<TypeDecl>& types) {
        out_ += std::string("  <") + what + "-types>\n";
        for (const auto& type : types) {
            out_ += std::string("    <") + what + "-type name=\"";
            put_xml_escaped(out_, type.name);
            out_ += "\">\n      <attributes>\n";
            for (const auto& attribute : type.attributes) {
                out_ += "        <attribute name=\"";
                put_xml_escaped(out_, attribute.name);
                out_ += "\" type=\"";
                out_ += kind_name(attribute.kind);
                out_ += "\"/>\n";
            }
            out_ += std::string("      </attributes>\n    </") + what + "-type>\n";
        }
        out_ += std::string("  </") + what + "-types>\n";
    }

    void relationship(const char* indent, std::string_view id, std::string_view qualifier) {
        out_ += indent;
        out_ += "<relationship object-id=\"";
        put_xml_escaped(out_, id);
        out_ += "\" qualifier=\"";
        put_xml_escaped(out_, qualifier);
        out_ += "\"/>\n";
    }
};

} // namespace

std::unique_ptr<OcelWriter> make_ocel_json_writer(Sink& sink) {
    return std::make_unique<JsonWriter>(sink);
}

std::unique_ptr<OcelWriter> make_ocel_xml_writer(Sink& sink) {
    return std::make_unique<XmlWriter>(sink);
}

bool write_ocel(FILE* lines, OcelForm form, Sink& sink, const std::string& sqlite_path) {
    OcelModel model;
    MappedEvent event;
    u64 line_number = 0;
    const bool read = for_each_line(lines, [&](std::string_view line, u64, std::size_t) {
        ++line_number;
        if (map_line(line, event))
            model.collect(event);
        else
            std::fprintf(stderr, "asof-gen: line %llu is not an event; left out of the OCEL log\n",
                         static_cast<unsigned long long>(line_number));
    });
    if (!read) {
        std::fprintf(stderr, "asof-gen: cannot read the intermediate JSON Lines back\n");
        return false;
    }
    model.finish();

    std::unique_ptr<OcelWriter> writer;
    switch (form) {
    case OcelForm::json:
        writer = make_ocel_json_writer(sink);
        break;
    case OcelForm::xml:
        writer = make_ocel_xml_writer(sink);
        break;
    case OcelForm::sqlite:
        writer = make_ocel_sqlite_writer(sqlite_path);
        break;
    }
    if (!writer || !writer->begin(model)) return false;
    bool ok = true;
    Links links;
    const bool reread = for_each_line(lines, [&](std::string_view line, u64, std::size_t) {
        if (!ok || !map_line(line, event)) return;
        model.resolve(event, links);
        ok = writer->event(model, event, links);
    });
    if (!reread || !ok || !writer->end()) return false;
    std::fprintf(stderr,
                 "asof-gen: OCEL 2.0: %zu objects of %zu types, %zu event types, %zu object "
                 "attribute values, %zu object-to-object relations\n",
                 model.order().size(), model.object_types().size(), model.event_types().size(),
                 model.value_count(), model.relation_count());
    return true;
}

} // namespace asof_gen
