// OCEL 2.0 XML as a RowSource, streamed with expat in two passes over the file: the first reads
// the types and objects (objects may follow events in a file, and dangling links can only be
// told once every object is known) and stops at <events> when the objects came first, as the
// schema orders them; the second reads the events, starting at <events> then (the bytes before
// it are read for the digest, not parsed twice). Memory grows with the objects (ids
// and stream names), not with the events. Entity declarations (XML bombs) are refused.
#include "eventlog/json_text.hpp"
#include "eventlog/ocel_rows.hpp"
#include "eventlog/source_reader.hpp"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

namespace asof {
namespace {

constexpr std::int64_t batch_units = 4096;
constexpr std::size_t chunk_bytes = 64 * 1024;

std::optional<std::string> attribute_of(const XML_Char** attributes, const char* name) {
    for (std::size_t i = 0; attributes[i]; i += 2)
        if (std::strcmp(attributes[i], name) == 0) return std::string(attributes[i + 1]);
    return std::nullopt;
}

// One pass over the file: expat fed in chunks, with the element path kept for locations.
class XmlPass {
public:
    enum class Part { objects, events };
    // Where the events begin: the byte offset and line of <events> in the (decompressed) file.
    struct Resume {
        std::int64_t offset = 0, line = 1;
    };

    XmlPass(Part part, OcelMapper& mapper, std::string path)
        : part_(part), mapper_(mapper), path_(std::move(path)) {}
    ~XmlPass() {
        if (parser_) XML_ParserFree(parser_);
    }
    XmlPass(const XmlPass&) = delete;
    XmlPass& operator=(const XmlPass&) = delete;

    Result<void> open() {
        auto reader = SourceReader::open(path_);
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

    // After the objects pass stopped at <events> (objects first, as the schema orders them):
    // where the events pass may start instead of parsing the types and objects again. Only for
    // UTF-8 files (the events pass is then fed a "<log>" of its own before that point).
    std::optional<Resume> resume_point() const {
        if (!stopped_early_ || !utf8_) return std::nullopt;
        return resume_;
    }

    // Starts the events pass at `at`: the bytes before it are read (the file's digest covers
    // them) but not parsed again, and a "<log>" stands in for the root they opened. Lines and
    // byte offsets stay those of the file.
    Result<void> skip_to(Resume at) {
        std::vector<char> chunk(chunk_bytes);
        for (std::int64_t left = at.offset; left > 0;) {
            auto want = static_cast<std::size_t>(std::min<std::int64_t>(left, chunk_bytes));
            auto got = reader_->read(chunk.data(), want);
            if (!got) return tl::unexpected(got.error());
            if (*got == 0) return fail("the file ended before <events>", path_);
            left -= static_cast<std::int64_t>(*got);
        }
        static constexpr char root[] = "<log>";
        if (XML_Parse(parser_, root, static_cast<int>(sizeof root - 1), XML_FALSE) ==
            XML_STATUS_ERROR)
            return fail("cannot start the events pass", path_);
        base_line_ = at.line - 1;
        base_byte_ = at.offset - static_cast<std::int64_t>(sizeof root - 1);
        return {};
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

    const SourceReader& reader() const { return *reader_; }

private:
    std::string where() const { return path_ + ":" + std::to_string(line()); }

    std::int64_t line() const {
        return base_line_ + static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
    }

    std::int64_t byte_index() const {
        return base_byte_ + static_cast<std::int64_t>(XML_GetCurrentByteIndex(parser_));
    }

    std::string place() const {
        std::string out;
        for (const auto& frame : stack_)
            out += "/" + frame.name + (frame.index ? "[" + std::to_string(frame.index) + "]" : "");
        return out;
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
        if (pass->in_value_) pass->text_.append(text, static_cast<std::size_t>(length));
    }

    bool under(std::size_t depth, const char* name) const {
        return stack_.size() > depth && stack_[depth].name == name;
    }

    void start(const char* name, const XML_Char** attributes) {
        std::int64_t index = 0;
        if (!stack_.empty()) {
            index = ++stack_.back().children[name];
        }
        stack_.push_back({name, index, {}});
        const std::size_t depth = stack_.size();
        if (depth == 1 && stack_[0].name != "log")
            return refuse("not OCEL 2.0 XML: the root element is <" + stack_[0].name + ">");
        if (depth == 2 && stack_[1].name == "trace")
            return refuse("not OCEL 2.0 XML: the file is XES (it has <trace> elements)");
        const std::string& element = stack_.back().name;
        if (part_ == Part::objects && depth == 2 && element == "events" && objects_read_) {
            // The schema puts the types and the objects before the events: this pass is done
            // (the events pass reads the rest, and checks it is well-formed).
            stopped_early_ = true;
            resume_ = Resume{byte_index(), line()};
            XML_StopParser(parser_, XML_FALSE);
            return;
        }
        if (part_ == Part::objects) {
            // Types: /log/(object|event)-types/(object|event)-type/attributes/attribute
            if (depth == 3 && (under(1, "object-types") || under(1, "event-types")))
                type_ = attribute_of(attributes, "name").value_or("");
            if (depth == 5 && element == "attribute" &&
                (under(1, "object-types") || under(1, "event-types"))) {
                auto attribute = attribute_of(attributes, "name");
                auto declared = attribute_of(attributes, "type");
                if (attribute && declared)
                    mapper_.declare_attribute(under(1, "object-types"), type_, *attribute,
                                              *declared);
            }
            if (depth == 3 && under(1, "objects") && element == "object") {
                ++out_->units;
                auto id = attribute_of(attributes, "id");
                auto type = attribute_of(attributes, "type");
                object_.reset();
                if (!id || !type) {
                    out_->rejects.push_back(
                        {line(), byte_index(), place(), "an object needs id and type", ""});
                    return;
                }
                object_ = id;
                mapper_.add_object(*id, *type, place(), *out_);
            }
            if (depth == 5 && object_ && under(1, "objects") && element == "attribute") {
                value_name_ = attribute_of(attributes, "name").value_or("");
                value_time_ = attribute_of(attributes, "time").value_or("");
                in_value_ = true;
                text_.clear();
            }
            if (depth == 5 && object_ && under(1, "objects") && element == "relationship")
                if (auto target = attribute_of(attributes, "object-id"))
                    mapper_.add_relation(*object_, *target, attribute_of(attributes, "qualifier"));
        } else {
            if (depth == 3 && under(1, "events") && element == "event") {
                ++out_->units;
                event_.emplace();
                event_->line = line();
                event_->byte_offset = byte_index();
                event_->place = place();
                auto id = attribute_of(attributes, "id");
                auto type = attribute_of(attributes, "type");
                auto time = attribute_of(attributes, "time");
                if (!id || !type || !time) {
                    out_->rejects.push_back({event_->line, event_->byte_offset, event_->place,
                                             "an event needs id, type and time", ""});
                    event_.reset();
                    return;
                }
                event_->id = *id;
                event_->type = *type;
                event_->time = *time;
            }
            if (depth == 5 && event_ && element == "attribute") {
                value_name_ = attribute_of(attributes, "name").value_or("");
                in_value_ = true;
                text_.clear();
            }
            if (depth == 5 && event_ && element == "relationship")
                if (auto target = attribute_of(attributes, "object-id"))
                    event_->links.emplace_back(*target, attribute_of(attributes, "qualifier"));
        }
    }

    void end() {
        const std::size_t depth = stack_.size();
        if (in_value_ && depth == 5) {
            in_value_ = false;
            if (part_ == Part::objects && object_)
                mapper_.add_object_attribute(*object_, value_name_, value_time_, {true, text_},
                                             place(), *out_);
            else if (event_)
                event_->attributes.emplace_back(value_name_, OcelValue{true, text_});
        }
        if (depth == 3 && part_ == Part::events && event_) {
            mapper_.add_event(*event_, *out_);
            event_.reset();
        }
        if (depth == 3) object_.reset();
        if (depth == 2 && stack_.back().name == "objects") objects_read_ = true;
        stack_.pop_back();
    }

    struct Frame {
        std::string name;
        std::int64_t index = 0;
        std::map<std::string, std::int64_t> children;
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
    Resume resume_;              // where it stopped
    bool utf8_ = true;           // no encoding declared, or UTF-8
    std::int64_t base_line_ = 0, base_byte_ = 0; // the events pass's start in the file
    std::string refusal_;
    std::vector<Frame> stack_;
    std::string type_;
    std::optional<std::string> object_;
    std::optional<OcelEvent> event_;
    bool in_value_ = false;
    std::string value_name_, value_time_, text_;
};

class OcelXmlSource final : public RowSource {
public:
    OcelXmlSource(const std::string& path, const RowSourceOptions& options)
        : mapper_(options.source_zone), cancel_(options.cancel),
          objects_(XmlPass::Part::objects, mapper_, path),
          events_(XmlPass::Part::events, mapper_, path) {}

    Result<void> open() {
        if (auto ok = objects_.open(); !ok) return ok;
        return events_.open();
    }

    Result<bool> next(RowBatch& out) override {
        if (cancel_ && cancel_->load()) return fail("cancelled");
        if (!objects_done_) {
            auto more = objects_.fill(out);
            if (!more) return tl::unexpected(more.error());
            if (*more) return true;
            objects_done_ = true;
            if (auto resume = objects_.resume_point())
                if (auto ok = events_.skip_to(*resume); !ok) return tl::unexpected(ok.error());
            mapper_.finish_objects(out);
            return true;
        }
        return events_.fill(out);
    }

    std::string format() const override { return "ocel-xml"; }
    std::uint64_t raw_size() const override { return events_.reader().raw_size(); }
    std::uint64_t raw_consumed() const override {
        // The objects pass is the first half of the progress, the events pass the second.
        if (!objects_done_) return objects_.reader().raw_consumed() / 2;
        return raw_size() / 2 + events_.reader().raw_consumed() / 2;
    }
    Digest raw_digest() const override { return events_.reader().raw_digest(); }
    std::int64_t naive_times() const override { return mapper_.naive_times(); }
    std::int64_t zoned_times() const override { return mapper_.zoned_times(); }
    std::string mapping_json() const override { return R"({"model":"ocel2"})"; }

private:
    OcelMapper mapper_;
    const std::atomic<bool>* cancel_;
    XmlPass objects_, events_;
    bool objects_done_ = false;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_xml_source(const std::string& path,
                                                        const RowSourceOptions& options) {
    auto source = std::make_unique<OcelXmlSource>(path, options);
    if (auto ok = source->open(); !ok) return tl::unexpected(ok.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
