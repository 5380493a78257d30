// The OCEL 2.0 XML pass on its fast path (see ocel_xml_chunked.hpp). Each chunk is checked
// for what pugixml lets through and expat does not (invalid UTF-8, undefined entity references)
// before it is parsed, so that both passes refuse the same files.
#include "eventlog/ocel_xml_chunked.hpp"

#include "eventlog/json_text.hpp"

#include <pugixml.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace asof {
namespace {

constexpr std::int64_t batch_units = 4096;
constexpr unsigned parse_options =
    pugi::parse_default | pugi::parse_fragment | pugi::parse_ws_pcdata;

// Appends the text of `node`'s descendants in document order (expat's character data inside
// an element: text, CDATA sections and the text of nested elements).
void append_text(pugi::xml_node node, std::string& out) {
    for (pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            out += child.value();
        else if (child.type() == pugi::node_element)
            append_text(child, out);
    }
}

std::optional<std::string> optional_attribute(pugi::xml_node node, const char* name) {
    pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute) return std::nullopt;
    return std::string(attribute.value());
}

// Whether text[at] starts an entity reference XML defines without a DTD: &lt; &gt; &amp; &apos;
// &quot; or a character reference.
bool known_reference(std::string_view text, std::size_t at) {
    std::string_view rest = text.substr(at + 1, 12);
    for (std::string_view name : {"lt;", "gt;", "amp;", "apos;", "quot;"})
        if (rest.starts_with(name)) return true;
    if (!rest.starts_with('#')) return false;
    std::size_t i = 1;
    const bool hex = rest.size() > 1 && rest[1] == 'x';
    if (hex) ++i;
    const std::size_t digits = i;
    while (i < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[i])) ||
                               (hex && std::isxdigit(static_cast<unsigned char>(rest[i])))))
        ++i;
    return i > digits && i < rest.size() && rest[i] == ';';
}

// The first '&' of `text` outside comments, CDATA sections and processing instructions that
// starts no known reference, or npos.
std::size_t first_unknown_reference(std::string_view text) {
    auto next_markup = [&](std::size_t from) {
        return std::min(text.find("<!", from), text.find("<?", from));
    };
    std::size_t markup = next_markup(0);
    for (std::size_t at = text.find('&'); at != std::string_view::npos;
         at = text.find('&', at + 1)) {
        while (markup != std::string_view::npos && markup < at) {
            // Markup whose text may hold a bare '&' starts before this one: skip past its end.
            std::string_view closer = text[markup + 1] == '?'            ? "?>"
                                      : text.substr(markup, 4) == "<!--" ? "-->"
                                                                         : "]]>";
            std::size_t end = text.find(closer, markup + 2);
            if (end == std::string_view::npos) return std::string_view::npos; // the parser says
            if (end > at) at = end;
            markup = next_markup(end);
        }
        if (text[at] == '&' && !known_reference(text, at)) return at;
    }
    return std::string_view::npos;
}

// The position of the first byte of `text` that is not valid UTF-8 (an estimate within the
// character it starts), or npos.
std::size_t first_invalid_utf8(std::string_view text) {
    if (simdjson::validate_utf8(text.data(), text.size())) return std::string_view::npos;
    std::size_t low = 0, high = text.size(); // text[0, low) valid, text[0, high) not
    while (high - low > 4) {
        std::size_t middle = low + (high - low) / 2;
        if (simdjson::validate_utf8(text.data(), middle))
            low = middle;
        else
            high = middle;
    }
    return low;
}

} // namespace

struct OcelXmlChunked::Parsed {
    pugi::xml_document document;
    pugi::xml_node next; // the next child of the chunk to read
    std::string section; // the section the chunk lies in and its index among the root's children
    std::int64_t section_index = 0;
    std::int64_t offset = 0; // the chunk's first byte in the file
    std::optional<LineCounter> lines;
    // Children of the section read so far, by name (their index in element paths).
    NameCounts children;
    std::int64_t child_index = 0; // of the object being read (its place)
    OcelEvent event;              // reused: its lists keep their capacity
    OcelValue value;
    std::string object_id, name, time;
};

OcelXmlChunked::OcelXmlChunked(OcelMapper& mapper, SourceReader reader, std::string path,
                               bool objects_done)
    : mapper_(mapper), reader_(std::move(reader)), path_(std::move(path)),
      parsed_(std::make_unique<Parsed>()), objects_done_(objects_done) {
}

OcelXmlChunked::~OcelXmlChunked() = default;

Result<std::unique_ptr<OcelXmlChunked>>
OcelXmlChunked::open(OcelMapper& mapper, const std::string& path, std::int64_t offset,
                     std::int64_t line, bool objects_done, std::size_t chunk_bytes) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    std::vector<char> skipped(64 * 1024);
    for (std::int64_t left = offset; left > 0;) {
        auto want = static_cast<std::size_t>(
            std::min<std::int64_t>(left, static_cast<std::int64_t>(skipped.size())));
        auto got = reader->read(skipped.data(), want);
        if (!got) return tl::unexpected(got.error());
        if (*got == 0) return fail("the file ended before the section it was to start at", path);
        left -= static_cast<std::int64_t>(*got);
    }
    std::unique_ptr<OcelXmlChunked> pass(
        new OcelXmlChunked(mapper, std::move(*reader), path, objects_done));
    pass->chunker_ =
        std::make_unique<XmlChunker>(pass->reader_, path, "log", offset, line, chunk_bytes);
    return pass;
}

// Reads and parses the next chunk; false at the end of the file.
Result<bool> OcelXmlChunked::load_chunk() {
    auto chunk = chunker_->next();
    if (!chunk) return tl::unexpected(chunk.error());
    if (!*chunk) return false;
    const XmlChunker::Chunk& text = **chunk;
    Parsed& parsed = *parsed_;
    if (parsed.section != text.section || parsed.section_index != text.section_index) {
        parsed.section.assign(text.section);
        parsed.section_index = text.section_index;
        parsed.children.clear();
    }
    parsed.offset = text.offset;
    parsed.lines.emplace(text.text, text.line);
    auto located = [&](std::size_t at) {
        return path_ + ":" + std::to_string(LineCounter(text.text, text.line).line_at(at));
    };
    if (std::size_t bad = first_invalid_utf8(text.text); bad != std::string_view::npos)
        return fail("malformed XML: not valid UTF-8", located(bad));
    if (std::size_t bad = first_unknown_reference(text.text); bad != std::string_view::npos)
        return fail("malformed XML: undefined entity", located(bad));
    pugi::xml_parse_result result = parsed.document.load_buffer(text.text.data(), text.text.size(),
                                                                parse_options, pugi::encoding_utf8);
    if (!result)
        return fail(std::string("malformed XML: ") + result.description(),
                    located(static_cast<std::size_t>(std::max<std::ptrdiff_t>(result.offset, 0))));
    parsed.next = parsed.document.first_child();
    return true;
}

Result<bool> OcelXmlChunked::fill(RowBatch& out) {
    Parsed& parsed = *parsed_;
    const std::int64_t start = out.units;
    // A batch holds about batch_units events or attribute values (an object brings a dozen),
    // so that the queued batches bound memory.
    while (out.units - start < batch_units &&
           out.attributes.size() < static_cast<std::size_t>(batch_units)) {
        if (!parsed.next) {
            auto loaded = load_chunk();
            if (!loaded) return tl::unexpected(loaded.error());
            if (*loaded) continue;
            if (!objects_done_) mapper_.finish_objects(out);
            objects_done_ = true;
            return false;
        }
        pugi::xml_node element = parsed.next;
        parsed.next = element.next_sibling();
        if (element.type() != pugi::node_element) continue;
        const char* name = element.name();
        const std::int64_t index = parsed.children.add(name);
        if (parsed.section == "objects" && std::strcmp(name, "object") == 0) {
            read_object(element, index, out);
        } else if (parsed.section == "events" && std::strcmp(name, "event") == 0) {
            if (!objects_done_) {
                // Every object is known: the relations can be told dangling or not.
                mapper_.finish_objects(out);
                objects_done_ = true;
            }
            read_event(element, index, out);
        }
    }
    return true;
}

// The element path of `node` ("/log/objects[1]/object[3]/attributes[1]/attribute[2]"); the
// section child's index is counted over the chunks (parsed_->child_index), the rest here.
std::string OcelXmlChunked::place_of(pugi::xml_node node) const {
    std::vector<std::string> steps;
    for (; node.parent() && node.parent().type() == pugi::node_element; node = node.parent()) {
        std::int64_t index = 1;
        for (pugi::xml_node before = node.previous_sibling(node.name()); before;
             before = before.previous_sibling(node.name()))
            ++index;
        steps.push_back(std::string(node.name()) + "[" + std::to_string(index) + "]");
    }
    std::string out = "/log/" + parsed_->section + "[" + std::to_string(parsed_->section_index) +
                      "]/" + node.name() + "[" + std::to_string(parsed_->child_index) + "]";
    for (auto step = steps.rbegin(); step != steps.rend(); ++step)
        out += "/" + *step;
    return out;
}

// An <object>: declared with its type, then its attribute values and relations, which sit two
// levels down (<attributes><attribute>, <objects><relationship>; any parent name, as in the
// expat pass).
void OcelXmlChunked::read_object(pugi::xml_node element, std::int64_t index, RowBatch& out) {
    Parsed& parsed = *parsed_;
    ++out.units;
    parsed.child_index = index;
    const auto at = static_cast<std::size_t>(element.offset_debug() - 1);
    const std::int64_t line = parsed.lines->line_at(at);
    const std::int64_t offset = parsed.offset + static_cast<std::int64_t>(at);
    pugi::xml_attribute id = element.attribute("id"), type = element.attribute("type");
    if (objects_done_) {
        out.rejects.push_back({line, offset, place_of(element),
                               "object " + std::string(id.value()) +
                                   " comes after the events and is not read (OCEL 2.0 puts the "
                                   "objects before the events)",
                               printable_excerpt(id.value())});
        return;
    }
    if (!id || !type) {
        out.rejects.push_back({line, offset, place_of(element), "an object needs id and type", ""});
        return;
    }
    parsed.object_id.assign(id.value());
    auto place = [this, element] { return place_of(element); };
    mapper_.add_object(parsed.object_id, type.value(), place, out);
    for (pugi::xml_node list = element.first_child(); list; list = list.next_sibling()) {
        if (list.type() != pugi::node_element) continue;
        for (pugi::xml_node item = list.first_child(); item; item = item.next_sibling()) {
            if (item.type() != pugi::node_element) continue;
            if (std::strcmp(item.name(), "attribute") == 0) {
                parsed.name.assign(item.attribute("name").value());
                parsed.time.assign(item.attribute("time").value());
                parsed.value.text.clear();
                append_text(item, parsed.value.text);
                mapper_.add_object_attribute(
                    parsed.object_id, parsed.name, parsed.time, parsed.value,
                    [this, item] { return place_of(item); }, out);
            } else if (std::strcmp(item.name(), "relationship") == 0) {
                if (pugi::xml_attribute target = item.attribute("object-id"))
                    mapper_.add_relation(parsed.object_id, target.value(),
                                         optional_attribute(item, "qualifier"));
            }
        }
    }
}

// An <event>: its values and links sit two levels down, as an object's.
void OcelXmlChunked::read_event(pugi::xml_node element, std::int64_t index, RowBatch& out) {
    Parsed& parsed = *parsed_;
    ++out.units;
    OcelEvent& event = parsed.event;
    // offset_debug() is where the element's name is; its '<' is the byte before.
    const auto at = static_cast<std::size_t>(element.offset_debug() - 1);
    event.line = parsed.lines->line_at(at);
    event.byte_offset = parsed.offset + static_cast<std::int64_t>(at);
    event.place = [section_index = parsed.section_index, index] {
        return "/log/events[" + std::to_string(section_index) + "]/event[" + std::to_string(index) +
               "]";
    };
    event.attributes.clear();
    event.links.clear();
    pugi::xml_attribute id = element.attribute("id"), type = element.attribute("type"),
                        time = element.attribute("time");
    if (!id || !type || !time) {
        out.rejects.push_back(
            {event.line, event.byte_offset, event.place(), "an event needs id, type and time", ""});
        return;
    }
    event.id.assign(id.value());
    event.type.assign(type.value());
    event.time.assign(time.value());
    for (pugi::xml_node list = element.first_child(); list; list = list.next_sibling()) {
        if (list.type() != pugi::node_element) continue;
        for (pugi::xml_node item = list.first_child(); item; item = item.next_sibling()) {
            if (item.type() != pugi::node_element) continue;
            if (std::strcmp(item.name(), "attribute") == 0) {
                auto& value = event.attributes
                                  .emplace_back(item.attribute("name").value(), OcelValue{true, {}})
                                  .second;
                append_text(item, value.text);
            } else if (std::strcmp(item.name(), "relationship") == 0) {
                if (pugi::xml_attribute target = item.attribute("object-id"))
                    event.links.emplace_back(target.value(), optional_attribute(item, "qualifier"));
            }
        }
    }
    mapper_.add_event(event, out);
}

} // namespace asof
