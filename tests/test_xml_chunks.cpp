// The XML chunker and the OCEL 2.0 XML events pass built on it: chunks hold whole elements at
// every chunk and read size (comments, CDATA sections, processing instructions and quoted '>'
// do not confuse the cut), carry the file's offsets and lines, and malformed structure is
// named; the fast events pass gives exactly what the expat pass gives on the same log.
#include "test_support.hpp"

#include "eventlog/xml_chunks.hpp"

using namespace asof;
using namespace asof::test;

namespace {

// A root's content with the traps: markup-like text inside a comment, a processing
// instruction and a CDATA section, '>' in an attribute value, self-closing and empty events,
// and a section after the events.
const std::string tricky_log =
    "<log>\n"
    "  <!-- a comment with <event> and </events> inside -->\n"
    "  <events>\n"
    "    <event id=\"e1\" note=\"a > b\"><attributes><attribute name=\"x\">1 &lt; 2</attribute>"
    "</attributes></event>\n"
    "    <?pi <event id=\"fake\"/> ?>\n"
    "    <event id='e2'/>\n"
    "    <event id=\"e3\"><v><![CDATA[</event><event>]]></v></event><event id=\"e4\"></event>\n"
    "  </events>\n"
    "  <extra><nested/></extra>\n"
    "</log>\n"
    "<!-- trailing -->\n";

struct Cut {
    std::string section;
    std::string text;
    std::int64_t offset = 0, line = 0;
};

// Every chunk of `text` (the file starts with "<log>", which the chunker is past).
Result<std::vector<Cut>> chunks_of(const TempDir& dir, const std::string& text,
                                   std::size_t chunk_bytes, std::size_t read_bytes) {
    std::string path = dir.file("log.xml");
    write_file(path, text);
    auto reader = SourceReader::open(path);
    REQUIRE(reader);
    std::vector<char> root(5);
    REQUIRE(*reader->read(root.data(), 5) == 5);
    XmlChunker chunker(*reader, path, "log", 5, 1, chunk_bytes, read_bytes);
    std::vector<Cut> cuts;
    for (;;) {
        auto chunk = chunker.next();
        if (!chunk) return tl::unexpected(chunk.error());
        if (!*chunk) return cuts;
        cuts.push_back({std::string((*chunk)->section), std::string((*chunk)->text),
                        (*chunk)->offset, (*chunk)->line});
    }
}

std::int64_t line_of(const std::string& text, std::int64_t offset) {
    return 1 + std::count(text.begin(), text.begin() + offset, '\n');
}

} // namespace

TEST_CASE("XML chunks: whole elements at every chunk and read size, located in the file",
          "[ocel][xml]") {
    TempDir dir;
    for (std::size_t read_bytes : {1u, 2u, 3u, 7u, 64u, 4096u})
        for (std::size_t chunk_bytes = 1; chunk_bytes <= 200; chunk_bytes += 7) {
            INFO("read " << read_bytes << " chunk " << chunk_bytes);
            auto cuts = chunks_of(dir, tricky_log, chunk_bytes, read_bytes);
            REQUIRE(cuts);
            std::string events, extra;
            for (const Cut& cut : *cuts) {
                CHECK(tricky_log.substr(static_cast<std::size_t>(cut.offset), cut.text.size()) ==
                      cut.text);
                CHECK(cut.line == line_of(tricky_log, cut.offset));
                (cut.section == "events" ? events : extra) += cut.text;
                // A cut never falls inside an element: each chunk starts outside a tag.
                std::string_view trimmed(cut.text);
                trimmed.remove_prefix(std::min(trimmed.find_first_not_of(" \n"), trimmed.size()));
                CHECK((trimmed.empty() || trimmed.starts_with("<event") ||
                       trimmed.starts_with("<?pi") || trimmed.starts_with("<nested")));
            }
            // Together the chunks are the sections' content, in order.
            const auto begin = tricky_log.find("<events>") + 8, end = tricky_log.rfind("</events>");
            CHECK(events == tricky_log.substr(begin, end - begin));
            CHECK(extra == "<nested/>");
        }
}

TEST_CASE("XML chunks: a section is cut only between its children", "[ocel][xml]") {
    TempDir dir;
    auto cuts = chunks_of(dir, tricky_log, 1, 4096);
    REQUIRE(cuts);
    std::vector<std::string> texts;
    for (const Cut& cut : *cuts)
        texts.push_back(cut.text);
    REQUIRE(texts.size() == 6);
    CHECK(texts[0].ends_with("</attributes></event>"));
    CHECK(texts[1] == "\n    <?pi <event id=\"fake\"/> ?>\n    <event id='e2'/>");
    CHECK(texts[2] == "\n    <event id=\"e3\"><v><![CDATA[</event><event>]]></v></event>");
    CHECK(texts[3] == "<event id=\"e4\"></event>");
    CHECK(texts[4] == "\n  "); // the text before </events>
    CHECK(texts[5] == "<nested/>");
}

TEST_CASE("XML chunks: broken structure between chunks is named with its line", "[ocel][xml]") {
    TempDir dir;
    auto failure = [&](const std::string& text) {
        auto cuts = chunks_of(dir, text, 16, 8);
        REQUIRE_FALSE(cuts);
        return cuts.error();
    };
    Error cut = failure("<log>\n<events>\n<event id=\"1\"/>\n<event id=\"2\"");
    CHECK_THAT(cut.message, Catch::Contains("ends inside a tag"));
    CHECK_THAT(cut.where, Catch::EndsWith(":4"));
    Error open = failure("<log>\n<events>\n<event id=\"1\"/>\n");
    CHECK_THAT(open.message, Catch::Contains("the file ends inside <events>"));
    Error wrong = failure("<log>\n<events>\n<event/>\n</evnts>\n</log>\n");
    CHECK_THAT(wrong.message, Catch::Contains("</evnts> where </events> was expected"));
    CHECK_THAT(wrong.where, Catch::EndsWith(":4"));
    Error root = failure("<log>\n<events/>\n</lg>\n");
    CHECK_THAT(root.message, Catch::Contains("</lg> where </log> was expected"));
    Error after = failure("<log>\n<events/>\n</log>\n<log/>\n");
    CHECK_THAT(after.message, Catch::Contains("after the root element"));
    CHECK_THAT(after.where, Catch::EndsWith(":4"));
    Error text = failure("<log>\n</log>\nstray\n");
    CHECK_THAT(text.message, Catch::Contains("text after the root element"));
    Error comment = failure("<log>\n<events>\n<!-- never closed\n");
    CHECK_THAT(comment.message, Catch::Contains("ends inside a comment"));
    Error doctype = failure("<log>\n<!DOCTYPE x>\n</log>\n");
    CHECK_THAT(doctype.message, Catch::Contains("markup declaration"));
}
