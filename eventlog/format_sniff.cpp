// Recognises a source's format from its first bytes (see format_sniff.hpp).
#include "eventlog/format_sniff.hpp"

#include "eventlog/json_text.hpp"
#include "eventlog/source_reader.hpp"
#include "eventlog/sqlite.hpp"

#include <array>
#include <vector>

namespace asof {
namespace {

constexpr std::size_t sniff_bytes = std::size_t{64} << 10;
constexpr std::string_view sqlite_magic{"SQLite format 3\0", 16};

std::string_view skip_space(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                             text.front() == '\n'))
        text.remove_prefix(1);
    return text;
}

// The name of the first element of an XML document, skipping the declaration, comments and a
// DOCTYPE; empty when none is found in `text`.
std::string xml_root(std::string_view text) {
    for (;;) {
        text = skip_space(text);
        if (!text.starts_with("<")) return {};
        std::string_view close;
        if (text.starts_with("<?"))
            close = "?>";
        else if (text.starts_with("<!--"))
            close = "-->";
        else if (text.starts_with("<!"))
            close = ">";
        if (close.empty()) break;
        auto end = text.find(close);
        if (end == std::string_view::npos) return {};
        text.remove_prefix(end + close.size());
    }
    text.remove_prefix(1);
    std::size_t n = 0;
    while (n < text.size() && text[n] != ' ' && text[n] != '>' && text[n] != '/' &&
           text[n] != '\t' && text[n] != '\r' && text[n] != '\n')
        ++n;
    return std::string(text.substr(0, n));
}

SniffedFormat certain(std::string format, std::string description) {
    return {std::move(format), std::move(description), true};
}

} // namespace

std::string_view format_title(std::string_view format) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> titles = {{
        {"jsonl", "JSON Lines"},
        {"csv", "CSV"},
        {"xes", "XES"},
        {"ocel-json", "OCEL JSON"},
        {"ocel-xml", "OCEL XML"},
        {"ocel-sqlite", "OCEL SQLite"},
        {"sqlite", "a SQLite snapshot"},
    }};
    for (auto [name, title] : titles)
        if (name == format) return title;
    return format;
}

// The kind of binary file whose magic number starts `head`, or empty.
static std::string binary_kind(std::string_view head) {
    if (head.starts_with(sqlite_magic)) return "a SQLite database";
    if (head.starts_with("PK\x03\x04")) return "a ZIP archive";
    if (head.starts_with("\x7f"
                         "ELF"))
        return "an executable (ELF)";
    if (head.starts_with("%PDF-")) return "a PDF document";
    if (head.starts_with(std::string_view("\x28\xb5\x2f\xfd", 4))) return "zstd-compressed data";
    if (head.starts_with("BZh")) return "bzip2-compressed data";
    return {};
}

std::string describe_foreign_content(std::string_view head) {
    std::string binary = binary_kind(head);
    if (!binary.empty()) return binary;
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    head = skip_space(head);
    if (head.starts_with("<")) {
        auto sniffed = sniff_head(head);
        return sniffed.format.empty() ? sniffed.description
                                      : std::string(format_title(sniffed.format));
    }
    return {};
}

SniffedFormat sniff_head(std::string_view head) {
    if (head.starts_with(sqlite_magic)) return certain("sqlite", "a SQLite database");
    if (head.empty()) return {"", "empty", false};
    std::string binary = binary_kind(head);
    if (!binary.empty()) return certain("", binary);
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    std::string_view text = skip_space(head);
    if (text.starts_with("<")) {
        std::string root = xml_root(text);
        if (root == "log") {
            if (text.find("<object-types") != std::string_view::npos ||
                text.find("<events>") != std::string_view::npos ||
                text.find("<objects>") != std::string_view::npos)
                return certain("ocel-xml", "OCEL XML");
            return certain("xes", "XES");
        }
        return certain("", root.empty() ? "XML" : "XML (root <" + printable(root) + ">)");
    }
    std::string_view first_line = text.substr(0, text.find('\n'));
    while (!first_line.empty() && (first_line.back() == '\r' || first_line.back() == ' '))
        first_line.remove_suffix(1);
    if (text.starts_with("{")) {
        if (text.find("\"objectTypes\"") != std::string_view::npos ||
            text.find("\"eventTypes\"") != std::string_view::npos)
            return certain("ocel-json", "OCEL JSON");
        if (first_line.ends_with("}")) return certain("jsonl", "JSON Lines");
        return {"", "a JSON document (not one object per line)", false};
    }
    if (text.starts_with("[")) return certain("", "a JSON array (not one object per line)");
    bool in_quotes = false;
    for (char c : first_line) {
        if (c == '"') in_quotes = !in_quotes;
        if (!in_quotes && (c == ',' || c == ';' || c == '\t' || c == '|'))
            return {"csv", "CSV", false};
    }
    for (char c : head.substr(0, 512))
        if (c == '\0') return certain("", "binary data");
    return {"", "text that is neither JSON Lines nor CSV with a header row", false};
}

Result<SniffedFormat> sniff_source(const std::string& path) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    std::vector<char> head(sniff_bytes);
    std::size_t filled = 0;
    while (filled < head.size()) {
        auto got = reader->read(head.data() + filled, head.size() - filled);
        if (!got) return tl::unexpected(got.error());
        if (*got == 0) break;
        filled += *got;
    }
    SniffedFormat sniffed = sniff_head(std::string_view(head.data(), filled));
    if (sniffed.format != "sqlite") return sniffed;
    auto db = sql::Db::open(sql::immutable_uri(path), sql::Db::Mode::read_only);
    if (!db) return tl::unexpected(db.error());
    auto tables = db->scalar_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                 "name IN ('event', 'object', 'event_object')");
    if (!tables) return certain("sqlite", "a SQLite database that SQLite cannot read");
    if (*tables == 3) return certain("ocel-sqlite", "OCEL SQLite");
    return sniffed;
}

} // namespace asof
