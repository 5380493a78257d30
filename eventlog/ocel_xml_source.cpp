// OCEL 2.0 XML as a RowSource. In a UTF-8 file whose type declarations and objects come before
// the events, as the schema orders them, expat reads the types and stops at <objects>, and the
// chunked pass (ocel_xml_chunked.hpp: chunks of whole elements parsed with pugixml) reads the
// objects and then the events in one forward pass. Otherwise two expat passes: the first reads
// the types and objects (objects may follow events, and dangling links can only be told once
// every object is known; it stops at <events> after the objects, where the chunked pass takes
// the events over, in a UTF-8 file), the second the events. The bytes a pass skips are read for
// the digest, not parsed again. Memory grows with the objects (ids and stream names), not with
// the events. Entity declarations (XML bombs) are refused.
#include "eventlog/json_text.hpp"
#include "eventlog/ocel_rows.hpp"
#include "eventlog/ocel_xml_chunked.hpp"
#include "eventlog/source_reader.hpp"
#include "eventlog/xml_chunks.hpp"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace asof {
namespace {

constexpr std::int64_t batch_units = 4096;
constexpr std::size_t chunk_bytes = 64 * 1024;

// The value of attribute `name` of an element, or nullptr.
const char* attribute_of(const XML_Char** attributes, const char* name) {
    for (std::size_t i = 0; attributes[i]; i += 2)
        if (std::strcmp(attributes[i], name) == 0) return attributes[i + 1];
    return nullptr;
}

std::optional<std::string> optional_text(const char* text) {
    return text ? std::optional<std::string>(text) : std::nullopt;
}

// One pass over the file: expat fed in chunks, with the element path kept for locations.
class XmlPass {
public:
    enum class Part { objects, events };
    // Where the chunked pass may begin: the byte offset and line of <objects> (when the types
    // were read before it) or of <events> (after the objects) in the (decompressed) file.
    struct Resume {
        std::int64_t offset = 0, line = 1;
        bool at_objects = false;
    };

    XmlPass(Part part, OcelMapper& mapper, std::string path)
        : part_(part), mapper_(mapper), path_(std::move(path)) {}
    ~XmlPass() {
        if (parser_) XML_ParserFree(parser_);
    }
    XmlPass(const XmlPass&) = delete;
    XmlPass& operator=(const XmlPass&) = delete;

    Result<void> open() {
        // The events pass reads the whole file and gives its digest; the objects pass needs none.
        auto reader = SourceReader::open(path_, part_ == Part::events ? SourceReader::Hashing::on
                                                                      : SourceReader::Hashing::off);
        if (!reader) return tl::unexpected(reader.error());
        reader_.emplace(std::move(*reader));
        parser_ = XML_ParserCreate("UTF-8");
        if (!parser_) return fail("out of memory creating the XML parser", path_);
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &XmlPass::on_start, &XmlPass::on_end);
        XML_SetCharacterDataHandler(parser_, &XmlPass::on_text);
        XML_SetEntityDeclHandler(parser_, &XmlPass::on_entity);
        XML_SetXmlDeclHandler(parser_, &XmlPass::on_declaration);
        return {};
    }

    // After the objects pass stopped early (at <objects> after both type sections, or at
    // <events> after the objects; no events before the objects): where the chunked pass may
    // start instead of parsing what this pass read again. Only for UTF-8 files.
    std::optional<Resume> resume_point() const {
        if (!stopped_early_ || !utf8_ || events_first_) return std::nullopt;
        return resume_;
    }

    // Reads until `out` holds about a batch or the file ends; false at the end.
    Result<bool> fill(RowBatch& out) {
        out_ = &out;
        std::int64_t start = out.units;
        std::vector<char> chunk(chunk_bytes);
        while (!done_ && out.units - start < batch_units) {
            auto got = reader_->read(chunk.data(), chunk.size());
            if (!got) return tl::unexpected(got.error());
            done_ = *got == 0;
            if (XML_Parse(parser_, chunk.data(), static_cast<int>(*got), done_) ==
                XML_STATUS_ERROR) {
                if (!refusal_.empty()) return fail(refusal_, where());
                if (stopped_early_) {
                    done_ = true;
                    break;
                }
                return fail(std::string("malformed XML: ") +
                                XML_ErrorString(XML_GetErrorCode(parser_)),
                            where());
            }
            if (!refusal_.empty()) return fail(refusal_, where());
        }
        out_ = nullptr;
        return !done_;
    }

    bool opened() const { return reader_.has_value(); }
    const SourceReader& reader() const { return *reader_; }

private:
    std::string where() const { return path_ + ":" + std::to_string(line()); }

    std::int64_t line() const {
        return static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
    }

    std::int64_t byte_index() const {
        return static_cast<std::int64_t>(XML_GetCurrentByteIndex(parser_));
    }

    // The element path of the current element ("/log/events/event[3]"), for rejects.
    std::string place() const {
        std::string out;
        for (std::size_t i = 0; i < depth_; ++i) {
            out += '/';
            out += stack_[i].name;
            if (stack_[i].index) out += "[" + std::to_string(stack_[i].index) + "]";
        }
        return out;
    }

    // The same, made only when a reject asks for it.
    OcelPlace lazy_place() const {
        return [this] { return place(); };
    }

    void refuse(std::string message) {
        if (refusal_.empty()) refusal_ = std::move(message);
        XML_StopParser(parser_, XML_FALSE);
    }

    static void XMLCALL on_declaration(void* self, const XML_Char*, const XML_Char* encoding, int) {
        if (!encoding) return;
        std::string name(encoding);
        for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        static_cast<XmlPass*>(self)->utf8_ = name == "utf-8" || name == "utf8";
    }

    static void XMLCALL on_entity(void* self, const XML_Char* name, int, const XML_Char*, int,
                                  const XML_Char*, const XML_Char*, const XML_Char*,
                                  const XML_Char*) {
        static_cast<XmlPass*>(self)->refuse(
            std::string("refused: the document declares entity '") + name +
            "' (entity declarations can expand without bound, an 'XML bomb'; OCEL files need "
            "none)");
    }

    static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
        static_cast<XmlPass*>(self)->start(name, attributes);
    }
    static void XMLCALL on_end(void* self, const XML_Char*) { static_cast<XmlPass*>(self)->end(); }
    static void XMLCALL on_text(void* self, const XML_Char* text, int length) {
        auto* pass = static_cast<XmlPass*>(self);
        if (pass->in_value_) pass->value_.text.append(text, static_cast<std::size_t>(length));
    }

    bool under(std::size_t depth, const char* name) const {
        return depth_ > depth && stack_[depth].name == name;
    }

    // Enters element `name`: counts it among its parent's children of that name (the index in
    // its path) and reuses the frame's storage.
    void push(const char* name) {
        const std::int64_t index = depth_ > 0 ? stack_[depth_ - 1].children.add(name) : 0;
        if (stack_.size() == depth_) stack_.emplace_back();
        Frame& frame = stack_[depth_++];
        frame.name.assign(name);
        frame.index = index;
        frame.children.clear();
    }

    void start(const char* name, const XML_Char** attributes) {
        push(name);
        const std::size_t depth = depth_;
        if (depth == 1 && stack_[0].name != "log")
            return refuse("not OCEL 2.0 XML: the root element is <" + stack_[0].name + ">");
        if (depth == 2 && stack_[1].name == "trace")
            return refuse("not OCEL 2.0 XML: the file is XES (it has <trace> elements)");
        const std::string& element = stack_[depth - 1].name;
        if (part_ == Part::objects && depth == 2 && element == "events" && !objects_read_)
            events_first_ = true;
        const bool types_read = object_types_read_ && event_types_read_;
        if (part_ == Part::objects && depth == 2 &&
            ((element == "events" && objects_read_ && utf8_) ||
             (element == "objects" && types_read && !events_first_ && utf8_))) {
            // The schema puts the types, then the objects, then the events: this pass is done
            // (the chunked pass reads the rest, and checks it is well-formed).
            stopped_early_ = true;
            resume_ = Resume{byte_index(), line(), element == "objects"};
            XML_StopParser(parser_, XML_FALSE);
            return;
        }
        if (part_ == Part::objects) {
            // Types: /log/(object|event)-types/(object|event)-type/attributes/attribute
            if (depth == 3 && (under(1, "object-types") || under(1, "event-types"))) {
                const char* type = attribute_of(attributes, "name");
                type_.assign(type ? type : "");
            }
            if (depth == 5 && element == "attribute" &&
                (under(1, "object-types") || under(1, "event-types"))) {
                const char* attribute = attribute_of(attributes, "name");
                const char* declared = attribute_of(attributes, "type");
                if (attribute && declared)
                    mapper_.declare_attribute(under(1, "object-types"), type_, attribute, declared);
            }
            if (depth == 3 && under(1, "objects") && element == "object") {
                ++out_->units;
                const char* id = attribute_of(attributes, "id");
                const char* type = attribute_of(attributes, "type");
                in_object_ = false;
                if (!id || !type) {
                    out_->rejects.push_back(
                        {line(), byte_index(), place(), "an object needs id and type", ""});
                    return;
                }
                in_object_ = true;
                object_.assign(id);
                mapper_.add_object(object_, type, lazy_place(), *out_);
            }
            if (depth == 5 && in_object_ && under(1, "objects") && element == "attribute") {
                const char* value_name = attribute_of(attributes, "name");
                const char* time = attribute_of(attributes, "time");
                value_name_.assign(value_name ? value_name : "");
                value_time_.assign(time ? time : "");
                in_value_ = true;
                value_.text.clear();
            }
            if (depth == 5 && in_object_ && under(1, "objects") && element == "relationship")
                if (const char* target = attribute_of(attributes, "object-id"))
                    mapper_.add_relation(object_, target,
                                         optional_text(attribute_of(attributes, "qualifier")));
        } else {
            if (depth == 3 && under(1, "events") && element == "event") {
                ++out_->units;
                in_event_ = true;
                event_.line = line();
                event_.byte_offset = byte_index();
                event_.place = lazy_place();
                event_.attributes.clear();
                event_.links.clear();
                const char* id = attribute_of(attributes, "id");
                const char* type = attribute_of(attributes, "type");
                const char* time = attribute_of(attributes, "time");
                if (!id || !type || !time) {
                    out_->rejects.push_back({event_.line, event_.byte_offset, place(),
                                             "an event needs id, type and time", ""});
                    in_event_ = false;
                    return;
                }
                event_.id.assign(id);
                event_.type.assign(type);
                event_.time.assign(time);
            }
            if (depth == 5 && in_event_ && element == "attribute") {
                const char* value_name = attribute_of(attributes, "name");
                value_name_.assign(value_name ? value_name : "");
                in_value_ = true;
                value_.text.clear();
            }
            if (depth == 5 && in_event_ && element == "relationship")
                if (const char* target = attribute_of(attributes, "object-id"))
                    event_.links.emplace_back(target,
                                              optional_text(attribute_of(attributes, "qualifier")));
        }
    }

    void end() {
        const std::size_t depth = depth_;
        if (in_value_ && depth == 5) {
            in_value_ = false;
            if (part_ == Part::objects && in_object_)
                mapper_.add_object_attribute(object_, value_name_, value_time_, value_,
                                             lazy_place(), *out_);
            else if (in_event_)
                event_.attributes.emplace_back(value_name_, value_);
        }
        if (depth == 3 && part_ == Part::events && in_event_) {
            mapper_.add_event(event_, *out_);
            in_event_ = false;
        }
        if (depth == 3) in_object_ = false;
        if (depth == 2 && stack_[1].name == "objects") objects_read_ = true;
        if (depth == 2 && stack_[1].name == "object-types") object_types_read_ = true;
        if (depth == 2 && stack_[1].name == "event-types") event_types_read_ = true;
        --depth_;
    }

    struct Frame {
        std::string name;
        std::int64_t index = 0; // among its parent's children of the same name, from 1
        NameCounts children;    // of its children seen so far
    };

    Part part_;
    OcelMapper& mapper_;
    std::string path_;
    std::optional<SourceReader> reader_;
    XML_Parser parser_ = nullptr;
    RowBatch* out_ = nullptr;
    bool done_ = false;
    bool objects_read_ = false;  // </objects> has been read
    bool stopped_early_ = false; // the objects pass stopped at <events>, after </objects>
    bool object_types_read_ = false, event_types_read_ = false; // their </...-types> read
    bool events_first_ = false; // an <events> came before </objects>: the events pass reads all
    Resume resume_;             // where it stopped
    bool utf8_ = true;          // no encoding declared, or UTF-8
    std::string refusal_;
    std::vector<Frame> stack_; // frames [0, depth_) are the open elements; the rest are spare
    std::size_t depth_ = 0;
    std::string type_;
    bool in_object_ = false; // inside an <object> with id and type, whose id is object_
    std::string object_;
    bool in_event_ = false; // inside an <event> with id, type and time, read into event_
    OcelEvent event_;
    bool in_value_ = false;
    std::string value_name_, value_time_;
    OcelValue value_; // the text of the <attribute> being read
};

class OcelXmlSource final : public RowSource {
public:
    OcelXmlSource(const std::string& path, const RowSourceOptions& options)
        : path_(path), mapper_(options.source_zone), cancel_(options.cancel),
          objects_(XmlPass::Part::objects, mapper_, path),
          events_(XmlPass::Part::events, mapper_, path) {}

    Result<void> open() { return objects_.open(); }

    Result<bool> next(RowBatch& out) override {
        if (cancel_ && cancel_->load()) return fail("cancelled");
        if (!objects_done_) {
            auto more = objects_.fill(out);
            if (!more) return tl::unexpected(more.error());
            if (*more) return true;
            objects_done_ = true;
            if (auto resume = objects_.resume_point()) {
                auto fast = OcelXmlChunked::open(mapper_, path_, resume->offset, resume->line,
                                                 !resume->at_objects);
                if (!fast) return tl::unexpected(fast.error());
                chunked_ = std::move(*fast);
                // From <objects> on, the chunked pass reads the objects and tells the relations.
                if (resume->at_objects) {
                    one_pass_ = true;
                    return true;
                }
            } else if (auto ok = events_.open(); !ok) {
                return tl::unexpected(ok.error()); // the second expat pass, over the whole file
            }
            mapper_.finish_objects(out);
            return true;
        }
        if (chunked_) return chunked_->fill(out);
        return events_.fill(out);
    }

    std::string format() const override { return "ocel-xml"; }
    std::uint64_t raw_size() const override { return objects_.reader().raw_size(); }
    std::uint64_t raw_consumed() const override {
        // The objects pass is the first half of the progress, the events pass the second; one
        // chunked pass from <objects> on (the types before it are little) is all of it.
        if (one_pass_) return chunked_->reader().raw_consumed();
        if (!objects_done_) return objects_.reader().raw_consumed() / 2;
        return raw_size() / 2 + events_reader().raw_consumed() / 2;
    }
    Digest raw_digest() const override { return events_reader().raw_digest(); }
    std::int64_t naive_times() const override { return mapper_.naive_times(); }
    std::int64_t zoned_times() const override { return mapper_.zoned_times(); }
    std::string mapping_json() const override { return R"({"model":"ocel2"})"; }

private:
    // The reader of the pass that reads to the end of the file (and gives its digest).
    const SourceReader& events_reader() const {
        if (chunked_) return chunked_->reader();
        return events_.opened() ? events_.reader() : objects_.reader();
    }

    std::string path_;
    OcelMapper mapper_;
    const std::atomic<bool>* cancel_;
    XmlPass objects_, events_;
    std::unique_ptr<OcelXmlChunked> chunked_; // the rest of the file, from <objects> or <events>
    bool objects_done_ = false;
    bool one_pass_ = false; // the chunked pass reads the objects and the events
};

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_xml_source(const std::string& path,
                                                        const RowSourceOptions& options) {
    auto source = std::make_unique<OcelXmlSource>(path, options);
    if (auto ok = source->open(); !ok) return tl::unexpected(ok.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
