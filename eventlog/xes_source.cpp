// The XES RowSource (IEEE 1849): streams a .xes or .xes.gz file through expat, chunk by chunk,
// and turns traces into streams, events into EventRows and trace attributes into the stream's
// initial state. The mapping is documented in README.md ("XES logs") and ARCHITECTURE.md.
#include "eventlog/json_text.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/source_reader.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <expat.h>
#include <string_view>

namespace asof {
namespace {

// Decompressed bytes handed to expat per parse call, and the batch size next() aims at.
constexpr std::size_t chunk_bytes = std::size_t{256} << 10;
constexpr std::size_t batch_units = 4096;

enum class AttrType { string, date, integer, real, boolean, id, list, container, values };

// The XES attribute type an element name stands for (none: not an attribute element).
std::optional<AttrType> attr_type(std::string_view name) {
    if (name.empty()) return std::nullopt;
    switch (name[0]) { // by the first letter: this runs for every element of the file
    case 's':
        if (name == "string") return AttrType::string;
        break;
    case 'd':
        if (name == "date") return AttrType::date;
        break;
    case 'i':
        if (name == "int") return AttrType::integer;
        if (name == "id") return AttrType::id;
        break;
    case 'f':
        if (name == "float") return AttrType::real;
        break;
    case 'b':
        if (name == "boolean") return AttrType::boolean;
        break;
    case 'l':
        if (name == "list") return AttrType::list;
        break;
    case 'c':
        if (name == "container") return AttrType::container;
        break;
    case 'v':
        if (name == "values") return AttrType::values;
        break;
    default:
        break;
    }
    return std::nullopt;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

// An attribute element being read: its key, raw value, the JSON of its own value and of its
// children so far. Frames are reused across elements (no allocation per attribute once warm).
struct AttrFrame {
    AttrType type = AttrType::string;
    std::string key;
    std::string raw;      // the value="..." text as written
    std::string scalar;   // JSON of the element's own value ("null" for list/container)
    std::string children; // JSON members ("k":v,...) or, in a list, values (v,...)
    std::size_t child_count = 0;
    std::optional<ParsedTime> time;         // a date's parsed value
    std::string problem;                    // why the value is bad (empty when it is fine)
    std::int64_t line = 0, byte_offset = 0; // of the start tag
};

// Where the parser is, outside attribute elements.
enum class Scope { document, log, trace, event };

class XesSource final : public RowSource {
public:
    XesSource(std::string path, SourceReader reader, const RowSourceOptions& options)
        : path_(std::move(path)), reader_(std::move(reader)), zone_(options.source_zone),
          cancel_(options.cancel) {}

    ~XesSource() override {
        if (parser_) XML_ParserFree(parser_);
    }
    XesSource(const XesSource&) = delete;
    XesSource& operator=(const XesSource&) = delete;

    Result<void> init() {
        parser_ = XML_ParserCreate(nullptr);
        if (!parser_) return fail("cannot create the XML parser", path_);
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &XesSource::on_start, &XesSource::on_end);
        // Entity declarations are refused outright (billion laughs and external entities);
        // expat's own amplification limits stay on as well.
        XML_SetEntityDeclHandler(parser_, &XesSource::on_entity_decl);
        XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
        return {};
    }

    Result<bool> next(RowBatch& out) override {
        if (finished_) return false;
        out_ = &out;
        const std::size_t events_before = out.events.size();
        const std::size_t rejects_before = out.rejects.size();
        while (out.events.size() - events_before + out.rejects.size() - rejects_before <
               batch_units) {
            if (cancel_ && cancel_->load()) return fail("import interrupted", path_);
            void* buffer = XML_GetBuffer(parser_, static_cast<int>(chunk_bytes));
            if (!buffer) return fail("out of memory for the XML parser", path_);
            auto got = reader_.read(static_cast<char*>(buffer), chunk_bytes);
            if (!got) return tl::unexpected(got.error());
            if (!sniffed_) {
                if (auto sniff = sniff_start({static_cast<const char*>(buffer), *got}); !sniff)
                    return tl::unexpected(sniff.error());
            }
            const bool last = *got == 0;
            XML_Status status = XML_ParseBuffer(parser_, static_cast<int>(*got), last);
            if (fatal_) return tl::unexpected(*fatal_);
            if (status != XML_STATUS_OK) return xml_error();
            if (last) {
                finished_ = true;
                break;
            }
        }
        out.units += static_cast<std::int64_t>(out.events.size() - events_before +
                                               out.rejects.size() - rejects_before);
        out_ = nullptr;
        return !finished_;
    }

    std::string format() const override { return "xes"; }
    std::uint64_t raw_size() const override { return reader_.raw_size(); }
    std::uint64_t raw_consumed() const override { return reader_.raw_consumed(); }
    Digest raw_digest() const override { return reader_.raw_digest(); }
    std::int64_t naive_times() const override { return naive_; }
    std::int64_t zoned_times() const override { return zoned_; }

    std::string mapping_json() const override {
        std::string json = R"({"format":"xes","stream":"case-<trace concept:name>",)"
                           R"("kind":"case","key":"trace concept:name","type":"concept:name",)"
                           R"("ts":"time:timestamp","actor":"org:resource",)"
                           R"("events_outside_traces":"log","log_attributes":{)";
        json += log_attributes_;
        json += "}}";
        return json;
    }

private:
    // ---- expat callbacks -------------------------------------------------------------------
    static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** atts) {
        static_cast<XesSource*>(self)->start(name, atts);
    }
    static void XMLCALL on_end(void* self, const XML_Char* name) {
        static_cast<XesSource*>(self)->end(name);
    }
    static void XMLCALL on_entity_decl(void* self, const XML_Char*, int, const XML_Char*, int,
                                       const XML_Char*, const XML_Char*, const XML_Char*,
                                       const XML_Char*) {
        static_cast<XesSource*>(self)->stop(
            "XML entity declarations are refused (possible XML bomb)");
    }

    // Ends parsing with `message` located at the current line and column.
    void stop(std::string message) {
        if (fatal_) return;
        fatal_ = Error{std::move(message), here()};
        XML_StopParser(parser_, XML_FALSE);
    }

    std::string here() const {
        return path_ + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
               std::to_string(XML_GetCurrentColumnNumber(parser_) + 1);
    }

    tl::unexpected<Error> xml_error() const {
        return tl::unexpected(Error{
            std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser_)), here()});
    }

    // A file that does not start with markup is not XES; say what it looks like.
    Result<void> sniff_start(std::string_view bytes) {
        if (bytes.empty()) {
            if (!seen_any_) return fail("not XES: the file is empty", path_);
            return {};
        }
        seen_any_ = true;
        if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
        bytes = trim(bytes);
        if (bytes.empty()) return {};
        sniffed_ = true;
        if (bytes.front() == '<') return {};
        std::string what = bytes.starts_with("SQLite format 3")           ? "a SQLite database"
                           : bytes.front() == '{' || bytes.front() == '[' ? "JSON"
                                                                          : "not XML";
        return fail("not XES: the file is " + what + " (it starts with \"" +
                        printable_excerpt(bytes, 24) + "\")",
                    path_);
    }

    void start(const XML_Char* name, const XML_Char** atts) {
        if (skip_depth_) {
            ++skip_depth_;
            return;
        }
        std::string_view element(name);
        const auto type = attr_type(element);
        if (depth_ > 0) return start_attribute(type, element, atts);
        switch (scope_) {
        case Scope::document:
            if (element != "log")
                return stop("not XES: the root element is <" + printable_excerpt(element, 40) +
                            ">, expected <log>");
            scope_ = Scope::log;
            return;
        case Scope::log:
            if (element == "trace") return start_trace();
            if (element == "event") return start_event();
            if (element == "object-types" || element == "event-types" || element == "objects" ||
                element == "events")
                return stop("not XES: <log> holds <" + std::string(element) +
                            ">, which is OCEL 2.0 XML");
            if (type) return start_attribute(type, element, atts);
            skip_depth_ = 1; // <extension>, <global>, <classifier>, anything else
            return;
        case Scope::trace:
            if (element == "event") return start_event();
            if (type) return start_attribute(type, element, atts);
            reject_element(trace_path() + "/" + std::string(element),
                           "unknown XES element <" + std::string(element) + "> in a trace");
            skip_depth_ = 1;
            return;
        case Scope::event:
            if (type) return start_attribute(type, element, atts);
            if (problem_.empty())
                problem_ = "unknown attribute type <" + printable_excerpt(element, 40) + ">";
            skip_depth_ = 1;
            return;
        }
    }

    void end(const XML_Char*) {
        if (skip_depth_) {
            --skip_depth_;
            return;
        }
        if (depth_ > 0) return end_attribute();
        switch (scope_) {
        case Scope::event:
            return end_event();
        case Scope::trace:
            return end_trace();
        case Scope::log:
            scope_ = Scope::document;
            return;
        case Scope::document:
            return;
        }
    }

    // ---- traces ----------------------------------------------------------------------------
    std::string trace_path() const { return "/log/trace[" + std::to_string(trace_index_) + "]"; }

    void start_trace() {
        scope_ = Scope::trace;
        ++trace_index_;
        event_index_ = 0;
        stream_.clear();
        pending_events_.clear();
        pending_attributes_.clear();
    }

    // Names the current trace's stream and hands out what waited for the name.
    void name_trace(std::string stream, std::optional<std::string> kind,
                    std::optional<std::string> key) {
        stream_ = std::move(stream);
        out_->streams.push_back({stream_, std::move(kind), std::move(key)});
        for (EventRow& row : pending_events_) {
            row.stream = stream_;
            out_->events.push_back(std::move(row));
        }
        for (StreamAttribute& attribute : pending_attributes_) {
            attribute.stream = stream_;
            out_->attributes.push_back(std::move(attribute));
        }
        pending_events_.clear();
        pending_attributes_.clear();
    }

    void end_trace() {
        scope_ = Scope::log;
        if (stream_.empty()) {
            std::string index = std::to_string(trace_index_);
            name_trace("trace-" + index, "trace", index);
        }
        stream_.clear();
    }

    // A trace attribute: concept:name names the stream; the others are its initial state.
    void trace_attribute(AttrFrame& frame) {
        if (!frame.problem.empty()) {
            out_->rejects.push_back(
                {frame.line, frame.byte_offset,
                 trace_path() + "/" + element_name(frame.type) + "[@key='" + frame.key + "']",
                 "trace attribute \"" + frame.key + "\": " + frame.problem,
                 printable_excerpt("<" + element_name(frame.type) + " key=\"" + frame.key +
                                   "\" value=\"" + frame.raw + "\">")});
            return;
        }
        if (frame.key == "concept:name" && stream_.empty()) {
            name_trace("case-" + frame.raw, "case", frame.raw);
            return;
        }
        StreamAttribute attribute{stream_, std::nullopt, frame.key, {}, false};
        append_value(attribute.value, frame);
        if (stream_.empty())
            pending_attributes_.push_back(std::move(attribute));
        else
            out_->attributes.push_back(std::move(attribute));
    }

    void reject_element(std::string place, std::string reason) {
        RejectRow reject;
        reject.line = static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
        reject.byte_offset = static_cast<std::int64_t>(XML_GetCurrentByteIndex(parser_));
        reject.place = std::move(place);
        reject.reason = std::move(reason);
        out_->rejects.push_back(std::move(reject));
    }

    // ---- events ----------------------------------------------------------------------------
    void start_event() {
        parent_ = scope_;
        scope_ = Scope::event;
        ++(parent_ == Scope::trace ? event_index_ : log_event_index_);
        row_ = EventRow{};
        row_.line = static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
        row_.byte_offset = static_cast<std::int64_t>(XML_GetCurrentByteIndex(parser_));
        data_.assign(1, '{');
        problem_.clear();
        ts_text_.reset();
        have_ts_ = false;
    }

    void end_event() {
        scope_ = parent_;
        if (problem_.empty() && !have_ts_)
            problem_ =
                ts_text_ ? "time:timestamp is not a date: " + *ts_text_ : "no time:timestamp";
        if (!problem_.empty()) {
            RejectRow reject;
            reject.line = row_.line;
            reject.byte_offset = row_.byte_offset;
            reject.place = parent_ == Scope::trace
                               ? trace_path() + "/event[" + std::to_string(event_index_) + "]"
                               : "/log/event[" + std::to_string(log_event_index_) + "]";
            reject.reason = std::move(problem_);
            std::string excerpt = "<event>";
            if (row_.type) excerpt += " concept:name=" + *row_.type;
            if (ts_text_) excerpt += " time:timestamp=" + *ts_text_;
            reject.excerpt = printable_excerpt(excerpt);
            out_->rejects.push_back(std::move(reject));
            return;
        }
        row_.naive_time ? ++naive_ : ++zoned_;
        if (data_.size() > 1) {
            data_ += '}';
            row_.data = data_;
        }
        if (parent_ == Scope::log) {
            if (!declared_log_stream_) {
                out_->streams.push_back({"log", std::nullopt, std::nullopt});
                declared_log_stream_ = true;
            }
            row_.stream = "log";
            out_->events.push_back(std::move(row_));
        } else if (stream_.empty()) {
            pending_events_.push_back(std::move(row_));
        } else {
            row_.stream = stream_;
            out_->events.push_back(std::move(row_));
        }
    }

    // An event attribute: concept:name, time:timestamp and org:resource fill the row; all
    // others (and those three too when they have children) go into `data`.
    void event_attribute(AttrFrame& frame) {
        if (!frame.problem.empty()) {
            if (problem_.empty()) problem_ = "attribute \"" + frame.key + "\": " + frame.problem;
            return;
        }
        bool to_data = frame.child_count > 0;
        if (frame.key == "concept:name") {
            row_.type = frame.raw;
        } else if (frame.key == "org:resource") {
            row_.actor = frame.raw;
        } else if (frame.key == "time:timestamp") {
            ts_text_ = frame.raw;
            auto parsed = frame.time ? Result<ParsedTime>(*frame.time)
                                     : parse_iso8601(trim(frame.raw), zone_);
            if (parsed) {
                row_.ts = parsed->at;
                row_.naive_time = parsed->naive;
                have_ts_ = true;
            }
        } else {
            to_data = true;
        }
        if (!to_data) return;
        if (data_.size() > 1) data_ += ',';
        append_json_string(data_, frame.key);
        data_ += ':';
        append_value(data_, frame);
    }

    // ---- attributes ------------------------------------------------------------------------
    static std::string element_name(AttrType type) {
        switch (type) {
        case AttrType::string:
            return "string";
        case AttrType::date:
            return "date";
        case AttrType::integer:
            return "int";
        case AttrType::real:
            return "float";
        case AttrType::boolean:
            return "boolean";
        case AttrType::id:
            return "id";
        case AttrType::list:
            return "list";
        case AttrType::container:
            return "container";
        case AttrType::values:
            return "values";
        }
        return "?";
    }

    void start_attribute(std::optional<AttrType> type, std::string_view element,
                         const XML_Char** atts) {
        if (!type) {
            // Inside an attribute: an unknown child spoils the owner.
            AttrFrame& owner = frames_[depth_ - 1];
            if (owner.problem.empty())
                owner.problem = "unknown attribute type <" + printable_excerpt(element, 40) + ">";
            skip_depth_ = 1;
            return;
        }
        if (frames_.size() <= depth_) frames_.emplace_back();
        AttrFrame& frame = frames_[depth_++];
        frame.type = *type;
        frame.key.clear();
        frame.raw.clear();
        frame.scalar.clear();
        frame.children.clear();
        frame.child_count = 0;
        frame.time.reset();
        frame.problem.clear();
        if (scope_ == Scope::trace && depth_ == 1) { // trace attributes are rejected alone
            frame.line = static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_));
            frame.byte_offset = static_cast<std::int64_t>(XML_GetCurrentByteIndex(parser_));
        }
        bool has_value = false;
        for (const XML_Char** a = atts; *a; a += 2) {
            std::string_view attr(a[0]);
            if (attr == "key") {
                frame.key = a[1];
            } else if (attr == "value") {
                frame.raw = a[1];
                has_value = true;
            }
        }
        if (*type == AttrType::list || *type == AttrType::container || *type == AttrType::values) {
            frame.scalar = "null";
            return;
        }
        if (!has_value) {
            frame.problem = "<" + element_name(*type) + "> without a value";
            return;
        }
        scalar_json(frame);
    }

    // Fills frame.scalar (or frame.problem) from frame.raw by the element's type.
    void scalar_json(AttrFrame& frame) {
        std::string_view text = trim(frame.raw);
        switch (frame.type) {
        case AttrType::string:
        case AttrType::id:
            return; // written from frame.raw when needed (append_value)
        case AttrType::date: {
            auto parsed = parse_iso8601(text, zone_);
            if (!parsed) {
                frame.problem = "not a date: " + printable_excerpt(frame.raw, 60);
                return;
            }
            frame.time = *parsed;
            // An event's own time is not written to data: no need for its text.
            if (scope_ != Scope::event || depth_ != 1 || frame.key != "time:timestamp")
                append_json_string(frame.scalar, format_utc(parsed->at));
            return;
        }
        case AttrType::integer: {
            if (text.starts_with('+')) text.remove_prefix(1);
            std::int64_t value = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
                frame.problem = "not an integer: " + printable_excerpt(frame.raw, 60);
                return;
            }
            frame.scalar = std::to_string(value);
            return;
        }
        case AttrType::real: {
            if (text == "NaN" || text == "INF" || text == "-INF" || text == "+INF") {
                append_json_string(frame.scalar, text); // JSON has no such numbers
                return;
            }
            if (text.starts_with('+')) text.remove_prefix(1);
            double value = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc{} || end != text.data() + text.size() || text.empty() ||
                !std::isfinite(value)) {
                frame.problem = "not a number: " + printable_excerpt(frame.raw, 60);
                return;
            }
            std::array<char, 32> buffer{};
            auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
            frame.scalar.assign(buffer.data(), written.ptr);
            return;
        }
        case AttrType::boolean:
            if (text == "true" || text == "1") {
                frame.scalar = "true";
            } else if (text == "false" || text == "0") {
                frame.scalar = "false";
            } else {
                frame.problem = "not a boolean: " + printable_excerpt(frame.raw, 60);
            }
            return;
        case AttrType::list:
        case AttrType::container:
        case AttrType::values:
            return;
        }
    }

    // Appends the JSON of a finished attribute to `out`: a list is an array of its children's
    // values, a container an object of them, a scalar with children
    // {"value": v, "children": {...}}, a plain scalar its value.
    static void append_value(std::string& out, const AttrFrame& frame) {
        switch (frame.type) {
        case AttrType::list:
        case AttrType::values:
            out += '[';
            out += frame.children;
            out += ']';
            return;
        case AttrType::container:
            out += '{';
            out += frame.children;
            out += '}';
            return;
        default:
            break;
        }
        if (frame.child_count) out += R"({"value":)";
        if (frame.type == AttrType::string || frame.type == AttrType::id)
            append_json_string(out, frame.raw);
        else
            out += frame.scalar;
        if (frame.child_count) {
            out += R"(,"children":{)";
            out += frame.children;
            out += "}}";
        }
    }

    void end_attribute() {
        AttrFrame& frame = frames_[--depth_];
        if (depth_ > 0) {
            AttrFrame& parent = frames_[depth_ - 1];
            if (!frame.problem.empty() && parent.problem.empty())
                parent.problem = "\"" + frame.key + "\": " + frame.problem;
            const bool in_list = parent.type == AttrType::list || parent.type == AttrType::values;
            if (frame.type == AttrType::values && parent.type == AttrType::list) {
                // <list><values>...</values></list> (OpenXES): the values are the list's.
                if (!frame.children.empty()) {
                    if (parent.child_count) parent.children += ',';
                    parent.children += frame.children;
                    parent.child_count += frame.child_count;
                }
                return;
            }
            if (parent.child_count++) parent.children += ',';
            if (!in_list) {
                append_json_string(parent.children, frame.key);
                parent.children += ':';
            }
            append_value(parent.children, frame);
            return;
        }
        switch (scope_) {
        case Scope::event:
            return event_attribute(frame);
        case Scope::trace:
            return trace_attribute(frame);
        case Scope::log:
            if (!frame.problem.empty()) return; // log attributes are informational
            if (!log_attributes_.empty()) log_attributes_ += ',';
            append_json_string(log_attributes_, frame.key);
            log_attributes_ += ':';
            append_value(log_attributes_, frame);
            return;
        case Scope::document:
            return;
        }
    }

    std::string path_;
    SourceReader reader_;
    const date::time_zone* zone_;
    const std::atomic<bool>* cancel_;
    XML_Parser parser_ = nullptr;
    RowBatch* out_ = nullptr;
    std::optional<Error> fatal_;
    bool finished_ = false, sniffed_ = false, seen_any_ = false;

    Scope scope_ = Scope::document;
    Scope parent_ = Scope::log; // the scope an open event returns to
    int skip_depth_ = 0;        // > 0 inside an element (and its subtree) that is skipped
    std::size_t depth_ = 0;     // open attribute elements
    std::vector<AttrFrame> frames_;

    std::int64_t trace_index_ = 0, event_index_ = 0, log_event_index_ = 0;
    std::string stream_; // the open trace's stream; empty until its concept:name is read
    std::vector<EventRow> pending_events_;
    std::vector<StreamAttribute> pending_attributes_;
    bool declared_log_stream_ = false;
    std::string log_attributes_; // JSON members

    EventRow row_;
    std::string data_;
    std::string problem_;
    std::optional<std::string> ts_text_;
    bool have_ts_ = false;
    std::int64_t naive_ = 0, zoned_ = 0;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_xes_source(const std::string& path,
                                                   const RowSourceOptions& options) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    auto source = std::make_unique<XesSource>(path, std::move(*reader), options);
    if (auto ready = source->init(); !ready) return tl::unexpected(ready.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
