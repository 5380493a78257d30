// Tests for the text writers: CSV fields, JSON strings, printable excerpts and EventWriter formats.
#include "test_support.hpp"

#include "eventlog/json_text.hpp"
#include "report/csv_writer.hpp"
#include "report/event_writer.hpp"

#include <sstream>

using namespace asof;
using namespace asof::test;

namespace {

std::string csv(std::string_view field) {
    std::string out;
    append_csv_field(out, field);
    return out;
}

std::string json(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

const date::time_zone* berlin() {
    auto zone = find_zone("Europe/Berlin");
    REQUIRE(zone.has_value());
    return *zone;
}

StoredEvent full_event() {
    StoredEvent e;
    e.seq = 1;
    e.event_id = "e-1";
    e.stream = "discrepancy-4721";
    e.type = "NoteAdded";
    e.version = 1234567;
    e.ts = utc(2026, 4, 14, 9, 12, 33, 27000);
    e.actor = "alice";
    e.data = R"({"text":"a, \"b\""})";
    e.meta = R"({"k":1})";
    return e;
}

StoredEvent bare_event() {
    StoredEvent e;
    e.seq = 2;
    e.stream = "order:9";
    e.ts = utc(2026, 1, 5, 0, 0, 0, 1);
    return e;
}

std::string written(EventFormat format, const std::vector<StoredEvent>& events,
                    const std::vector<std::string>& members = {},
                    const std::vector<std::string>& heading = {}) {
    std::ostringstream out;
    EventWriter writer(out, format, berlin());
    writer.set_json_members(members);
    writer.set_table_heading(heading);
    for (const auto& e : events)
        writer.write(e);
    writer.finish();
    return out.str();
}

const std::string full_json =
    R"({"seq":1,"id":"e-1","stream":"discrepancy-4721","type":"NoteAdded","version":1234567,)"
    R"("ts":"2026-04-14T09:12:33.027Z","actor":"alice","data":{"text":"a, \"b\""},"meta":{"k":1}})";
const std::string bare_json =
    R"({"seq":2,"id":null,"stream":"order:9","type":null,"version":null,)"
    R"("ts":"2026-01-05T00:00:00.000001Z","actor":null,"data":null,"meta":null})";

} // namespace

// ---------------------------------------------------------------------------------------------
// CSV

TEST_CASE("append_csv_field quotes fields with separators and doubles quotes", "[writers][csv]") {
    CHECK(csv("plain") == "plain");
    CHECK(csv("") == "");
    CHECK(csv("with space") == "with space");
    CHECK(csv("a,b") == "\"a,b\"");
    CHECK(csv("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv("\"") == "\"\"\"\"");
    CHECK(csv("line\nbreak") == "\"line\nbreak\"");
    CHECK(csv("ends\r") == "\"ends\r\"");
    CHECK(csv("Zoë, Łódź") == "\"Zoë, Łódź\"");
    std::string out = "x,";
    append_csv_field(out, "y");
    CHECK(out == "x,y");
}

TEST_CASE("append_csv_field neutralises fields that start like a formula", "[writers][csv]") {
    CHECK(csv("=SUM(A1:A9)") == "\"'=SUM(A1:A9)\"");
    CHECK(csv("+cmd") == "\"'+cmd\"");
    CHECK(csv("-cmd") == "\"'-cmd\"");
    CHECK(csv("-2+3") == "\"'-2+3\"");
    CHECK(csv("-") == "\"'-\"");
    CHECK(csv("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csv("\tx") == "\"'\tx\"");
    CHECK(csv("\rx") == "\"'\rx\"");
    CHECK(csv("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK(csv("=1,2") == "\"'=1,2\"");
    CHECK(csv("a=b") == "a=b");
    CHECK(csv(" =x") == " =x");
}

TEST_CASE("append_csv_field leaves plain negative numbers alone", "[writers][csv]") {
    CHECK(csv("-12.5") == "-12.5");
    CHECK(csv("-3") == "-3");
    CHECK(csv("-0.001") == "-0.001");
    CHECK(csv("-1e5") == "-1e5");
    CHECK(csv("12.5") == "12.5");
    CHECK(csv("-12.5x") == "\"'-12.5x\"");
    CHECK(csv("-12,5") == "\"'-12,5\"");
}

// ---------------------------------------------------------------------------------------------
// JSON strings

TEST_CASE("append_json_string escapes quotes, backslashes and control characters",
          "[writers][json]") {
    CHECK(json("") == "\"\"");
    CHECK(json("plain / text") == "\"plain / text\"");
    CHECK(json("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
    CHECK(json(std::string_view("\x01\x1f\0x", 4)) == "\"\\u0001\\u001f\\u0000x\"");
    CHECK(json("\x7f") == "\"\x7f\"");
    std::string out = "[";
    append_json_string(out, "k");
    CHECK(out == "[\"k\"");
}

TEST_CASE("append_json_string passes UTF-8 through", "[writers][json]") {
    CHECK(json("Zoë Łódź € 🎉") == "\"Zoë Łódź € 🎉\"");
    CHECK(json("\u2028") == "\"\u2028\"");
}

// ---------------------------------------------------------------------------------------------
// Printable excerpts

TEST_CASE("printable_excerpt writes invalid UTF-8 and control bytes as \\xNN", "[writers]") {
    CHECK(printable_excerpt("plain text") == "plain text");
    CHECK(printable_excerpt("") == "");
    CHECK(printable_excerpt("a\x01"
                            "b\x7f") == "a\\x01b\\x7f");
    CHECK(printable_excerpt("a\tb\nc\r") == "a\\x09b\\x0ac\\x0d");
    CHECK(printable_excerpt("\xff\xfe ok") == "\\xff\\xfe ok");
    CHECK(printable_excerpt("ab\xc3") == "ab\\xc3");
    CHECK(printable_excerpt("\xc3(") == "\\xc3(");
    CHECK(printable_excerpt("\xe2\x82") == "\\xe2\\x82");
    CHECK(printable_excerpt("\xf0\x9f\x8e\x89!") == "\xf0\x9f\x8e\x89!");
    CHECK(printable_excerpt("Zoë € 🎉") == "Zoë € 🎉");
    CHECK(printable_excerpt(std::string_view("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("printable_excerpt cuts long text and appends an ellipsis", "[writers]") {
    CHECK(printable_excerpt("abcdef", 3) == "abc\u2026");
    CHECK(printable_excerpt("abc", 3) == "abc");
    CHECK(printable_excerpt(std::string(200, 'x')) == std::string(120, 'x') + "\u2026");
    CHECK(printable_excerpt(std::string(120, 'x')) == std::string(120, 'x'));
    CHECK(printable_excerpt("\x01\x02\x03\x04", 4) == "\\x01\u2026");
    CHECK(printable_excerpt("\x01\x02\x03\x04", 3) == "\u2026");
}

TEST_CASE("printable_excerpt never cuts inside a character", "[writers]") {
    const std::string text = "éééééééééé";
    for (std::size_t limit = 1; limit <= 12; ++limit) {
        INFO("limit " << limit);
        std::string excerpt = printable_excerpt(text, limit);
        std::string kept = excerpt;
        if (kept.ends_with("\u2026")) kept.resize(kept.size() - std::string_view("\u2026").size());
        CHECK(kept.size() % 2 == 0);
        CHECK(text.starts_with(kept));
        CHECK(excerpt.ends_with("\u2026") == (kept.size() < text.size()));
    }
}

TEST_CASE("printable_excerpt keeps at most limit bytes of the text", "[writers]") {
    CHECK(printable_excerpt("ab€cd", 3) == "ab\u2026");
    CHECK(printable_excerpt("éé", 1) == "\u2026");
    CHECK(printable_excerpt("ééééé", 5) == "éé\u2026");
}

// ---------------------------------------------------------------------------------------------
// EventWriter

TEST_CASE("EventWriter writes JSON Lines", "[writers][events]") {
    CHECK(written(EventFormat::jsonl, {full_event(), bare_event()}) ==
          full_json + "\n" + bare_json + "\n");
    CHECK(written(EventFormat::jsonl, {}) == "");
}

TEST_CASE("EventWriter writes one JSON document with a count", "[writers][events]") {
    CHECK(written(EventFormat::json, {full_event(), bare_event()}) ==
          "{\"events\":[\n" + full_json + ",\n" + bare_json + "\n],\"count\":2}\n");
    CHECK(written(EventFormat::json, {bare_event()}, {"\"case\":\"c.asof\"", "\"zone\":\"UTC\""}) ==
          "{\"case\":\"c.asof\",\"zone\":\"UTC\",\"events\":[\n" + bare_json +
              "\n],\"count\":1}\n");
    CHECK(written(EventFormat::json, {}) == "{\"events\":[],\"count\":0}\n");
    CHECK(written(EventFormat::json, {}, {"\"a\":1"}) == "{\"a\":1,\"events\":[],\"count\":0}\n");
}

TEST_CASE("EventWriter writes CSV with a header and CRLF lines", "[writers][events]") {
    CHECK(written(EventFormat::csv, {full_event(), bare_event()}) ==
          "seq,id,stream,type,version,ts,actor,data,meta\r\n"
          "1,e-1,discrepancy-4721,NoteAdded,1234567,2026-04-14T09:12:33.027Z,alice,"
          "\"{\"\"text\"\":\"\"a, \\\"\"b\\\"\"\"\"}\",\"{\"\"k\"\":1}\"\r\n"
          "2,,order:9,,,2026-01-05T00:00:00.000001Z,,,\r\n");
    CHECK(written(EventFormat::csv, {}) == "seq,id,stream,type,version,ts,actor,data,meta\r\n");
    StoredEvent formula = bare_event();
    formula.actor = "=cmd|' /C calc'!A0";
    formula.type = "-12.5";
    CHECK(written(EventFormat::csv, {formula}) ==
          "seq,id,stream,type,version,ts,actor,data,meta\r\n"
          "2,,order:9,-12.5,,2026-01-05T00:00:00.000001Z,\"'=cmd|' /C calc'!A0\",,\r\n");
}

TEST_CASE("EventWriter writes a table in the given zone", "[writers][events]") {
    CHECK(written(EventFormat::table, {full_event(), bare_event()}, {},
                  {"stream (all)  interval [start, end)  zone Europe/Berlin"}) ==
          "stream (all)  interval [start, end)  zone Europe/Berlin\n"
          "time                               stream            type       version  actor  data\n"
          "2026-04-14 11:12:33.027 +02:00     discrepancy-4721  NoteAdded  1234567  alice  "
          "{\"text\":\"a, \\\"b\\\"\"}\n"
          "2026-01-05 01:00:00.000001 +01:00  order:9\n"
          "2 events\n");
    CHECK(written(EventFormat::table, {bare_event()}) ==
          "time                               stream   type  version  actor  data\n"
          "2026-01-05 01:00:00.000001 +01:00  order:9\n"
          "1 event\n");
    CHECK(written(EventFormat::table, {}, {}, {"heading"}) == "heading\n0 events\n");
}

TEST_CASE("EventWriter shortens long data in the table to 80 characters", "[writers][events]") {
    auto last_cell = [](const std::string& text) {
        auto first_line_end = text.find('\n');
        auto row_end = text.find('\n', first_line_end + 1);
        std::string row = text.substr(first_line_end + 1, row_end - first_line_end - 1);
        return row.substr(row.rfind("  ") + 2);
    };
    StoredEvent e = full_event();
    std::string eighty;
    for (int i = 0; i < 80; ++i)
        eighty += "é";
    e.data = eighty;
    CHECK(last_cell(written(EventFormat::table, {e})) == eighty);
    e.data = eighty + "x";
    std::string cut;
    for (int i = 0; i < 79; ++i)
        cut += "é";
    CHECK(last_cell(written(EventFormat::table, {e})) == cut + "\u2026");
}

TEST_CASE("EventWriter keeps streaming the table after its sample rows", "[writers][events]") {
    std::vector<StoredEvent> events;
    for (int i = 0; i < 205; ++i) {
        StoredEvent e = bare_event();
        e.seq = i + 1;
        e.stream = i == 204 ? "a-much-longer-stream-name" : "s";
        e.version = i + 1;
        events.push_back(e);
    }
    std::string text = written(EventFormat::table, events);
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    REQUIRE(lines.size() == 207);
    // Columns are at least as wide as their labels ("stream", "type"); rows after the first 200
    // keep the widths measured on them and overflow instead of shifting earlier rows.
    CHECK(lines[1] == "2026-01-05 01:00:00.000001 +01:00  s             1");
    CHECK(lines[205] == "2026-01-05 01:00:00.000001 +01:00  a-much-longer-stream-name        205");
    CHECK(lines[206] == "205 events");
}

TEST_CASE("EventWriter aligns the table header with short columns", "[writers][events]") {
    StoredEvent e = full_event();
    e.version = 3;
    e.actor = "bo";
    e.data = "{}";
    CHECK(written(EventFormat::table, {e}) ==
          "time                            stream            type       version  actor  data\n"
          "2026-04-14 11:12:33.027 +02:00  discrepancy-4721  NoteAdded  3        bo     {}\n"
          "1 event\n");
}

TEST_CASE("EventWriter's table does not pass control characters from events to the terminal",
          "[writers][events]") {
    StoredEvent e = full_event();
    e.actor = "\x1b[2J\x1b[31mmallory";
    e.type = "Note\nAdded";
    e.stream = "s\rx";
    std::string text = written(EventFormat::table, {e});
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\r') == std::string::npos);
}

TEST_CASE("event_format_from_name knows the four formats", "[writers][events]") {
    CHECK(event_format_from_name("table") == EventFormat::table);
    CHECK(event_format_from_name("csv") == EventFormat::csv);
    CHECK(event_format_from_name("json") == EventFormat::json);
    CHECK(event_format_from_name("jsonl") == EventFormat::jsonl);
    CHECK_FALSE(event_format_from_name("xml").has_value());
    CHECK_FALSE(event_format_from_name("JSON").has_value());
}
