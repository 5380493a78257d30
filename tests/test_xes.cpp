// The XES RowSource on hand-written fixtures: traces become streams, events rows, trace
// attributes initial state; bad elements become rejects with their element path; malformed XML,
// entity declarations and files that are not XES fail with a clear message.
#include "eventlog/row_source.hpp"
#include "test_support.hpp"

#include <date/tz.h>

namespace asof::test {
namespace {

const std::string xes_dir = std::string(ASOF_TEST_DIR) + "/fixtures/xes/";

// Everything a source hands out, drained to the end.
struct Drained {
    RowBatch all;
    int batches = 0;
    std::int64_t naive = 0, zoned = 0;
    std::string mapping;
};

Result<Drained> drain(const std::string& path, const date::time_zone* zone = nullptr) {
    RowSourceOptions options;
    options.source_zone = zone;
    auto source = open_xes_source(path, options);
    if (!source) return tl::unexpected(source.error());
    Drained out;
    for (;;) {
        RowBatch batch;
        auto more = (*source)->next(batch);
        if (!more) return tl::unexpected(more.error());
        ++out.batches;
        CHECK(batch.units == static_cast<std::int64_t>(batch.events.size() + batch.rejects.size()));
        auto move_into = [](auto& to, auto& from) {
            to.insert(to.end(), std::make_move_iterator(from.begin()),
                      std::make_move_iterator(from.end()));
        };
        move_into(out.all.events, batch.events);
        move_into(out.all.rejects, batch.rejects);
        move_into(out.all.streams, batch.streams);
        move_into(out.all.attributes, batch.attributes);
        out.all.units += batch.units;
        if (!*more) break;
    }
    CHECK((*source)->format() == "xes");
    out.naive = (*source)->naive_times();
    out.zoned = (*source)->zoned_times();
    out.mapping = (*source)->mapping_json();
    return out;
}

Drained drain_ok(const std::string& path, const date::time_zone* zone = nullptr) {
    auto drained = drain(path, zone);
    if (!drained) FAIL(drained.error().describe());
    return std::move(*drained);
}

std::string drain_error(const std::string& path) {
    auto drained = drain(path);
    REQUIRE_FALSE(drained);
    return drained.error().describe();
}

void check_two_traces(const Drained& d) {
    const RowBatch& b = d.all;
    REQUIRE(b.streams.size() == 3);
    CHECK(b.streams[0].name == "case-173688");
    CHECK(b.streams[0].kind == "case");
    CHECK(b.streams[0].key == "173688");
    CHECK(b.streams[1].name == "case-cr1");
    CHECK(b.streams[1].key == "cr1");
    CHECK(b.streams[2].name == "log");
    CHECK_FALSE(b.streams[2].kind);

    REQUIRE(b.attributes.size() == 4);
    for (const auto& attribute : b.attributes) {
        CHECK(attribute.stream == "case-173688");
        CHECK_FALSE(attribute.ts);
    }
    CHECK(b.attributes[0].name == "customer");
    CHECK(b.attributes[0].value == R"("ACME & Sons")");
    CHECK(b.attributes[1].name == "priority");
    CHECK(b.attributes[1].value == "2");
    CHECK(b.attributes[2].name == "opened");
    CHECK(b.attributes[2].value == R"("2024-03-01T07:00:00Z")");
    CHECK(b.attributes[3].name == "tags");
    CHECK(b.attributes[3].value == R"(["urgent","export"])");

    REQUIRE(b.events.size() == 6);
    const EventRow& e0 = b.events[0];
    CHECK(e0.stream == "case-173688");
    CHECK(e0.type == "register request");
    CHECK(e0.actor == "Pete");
    CHECK(e0.ts == utc(2024, 3, 1, 8));
    CHECK_FALSE(e0.naive_time);
    CHECK(e0.line == 22);
    CHECK(e0.data == R"({"lifecycle:transition":"complete","cost":50,"weight":12.5,)"
                     R"("express":true,"identity:id":"9b2f6c1e-0d1b-4a5e-8c1a-2f3d4e5f6a7b",)"
                     R"("due":"2024-03-05T12:00:00Z"})");
    // Tied in time with the first: file order is kept.
    const EventRow& e1 = b.events[1];
    CHECK(e1.type == "check ticket");
    CHECK(e1.ts == e0.ts);
    CHECK(e1.line == 33);
    CHECK(e1.byte_offset > e0.byte_offset);
    CHECK(e1.data == R"({"lifecycle:transition":"start",)"
                     R"("amount":{"value":"400","children":{"currency":"EUR","rate":1.08}}})");
    const EventRow& e2 = b.events[2];
    CHECK(e2.type == "decide");
    CHECK(e2.naive_time);
    CHECK(e2.data == R"({"checks":[1,false],"address":{"city":"Ghent","zip":9000}})");
    CHECK(b.events[3].stream == "case-cr1");
    CHECK(b.events[3].type == "load");
    CHECK_FALSE(b.events[3].actor);
    CHECK_FALSE(b.events[3].data);
    CHECK(b.events[4].type == "unload");
    CHECK(b.events[4].line == 77);
    CHECK(b.events[5].stream == "log");
    CHECK(b.events[5].type == "audit started");
    CHECK(b.events[5].ts == utc(2024, 3, 3));

    REQUIRE(b.rejects.size() == 3);
    CHECK(b.rejects[0].place == "/log/trace[2]/event[2]");
    CHECK(b.rejects[0].line == 63);
    CHECK(b.rejects[0].reason == "no time:timestamp");
    CHECK(b.rejects[0].excerpt == "<event> concept:name=lost");
    CHECK(b.rejects[1].place == "/log/trace[2]/event[3]");
    CHECK(b.rejects[1].line == 67);
    CHECK(b.rejects[1].reason == R"(attribute "kg": not an integer: heavy)");
    CHECK(b.rejects[2].place == "/log/trace[2]/event[4]");
    CHECK(b.rejects[2].reason == "unknown attribute type <blob>");
    CHECK(b.units == 9);

    CHECK(d.naive == 1);
    CHECK(d.zoned == 5);
    CHECK(d.mapping.find(R"("log_attributes":{"source":"fixture"})") != std::string::npos);
}

TEST_CASE("xes: traces, events, trace attributes, every attribute type, rejects", "[xes][import]") {
    check_two_traces(drain_ok(xes_dir + "two-traces.xes"));
}

TEST_CASE("xes: naive times are read in the source zone", "[xes][import]") {
    auto berlin = find_zone("Europe/Berlin");
    REQUIRE(berlin);
    auto d = drain_ok(xes_dir + "two-traces.xes", *berlin);
    REQUIRE(d.all.events.size() == 6);
    CHECK(d.all.events[2].ts == utc(2024, 3, 1, 9, 30));
    CHECK(d.all.events[0].ts == utc(2024, 3, 1, 8)); // zoned: unchanged
}

TEST_CASE("xes: a gzipped log reads the same", "[xes][import]") {
    TempDir dir;
    std::string gz = dir.file("two-traces.xes.gz");
    write_file(gz, gzip(read_file(xes_dir + "two-traces.xes")));
    check_two_traces(drain_ok(gz));
}

TEST_CASE("xes: a large trace streams in several batches, in file order", "[xes][import]") {
    TempDir dir;
    std::string xes = "<log><trace>\n";
    constexpr int count = 20000;
    for (int i = 0; i < count; ++i) {
        xes += "<event><string key=\"concept:name\" value=\"e" + std::to_string(i) +
               "\"/><date key=\"time:timestamp\" value=\"2024-01-01T00:00:" +
               std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "Z\"/></event>\n";
    }
    // The trace's name comes after its events: they wait for it.
    xes += "<string key=\"concept:name\" value=\"late\"/></trace></log>\n";
    write_file(dir.file("big.xes"), xes);
    auto d = drain_ok(dir.file("big.xes"));
    REQUIRE(d.all.events.size() == count);
    CHECK(d.all.events.front().type == "e0");
    CHECK(d.all.events.back().type == "e" + std::to_string(count - 1));
    CHECK(d.all.events[12345].line == 12347);
    for (const auto& event : d.all.events)
        CHECK(event.stream == "case-late");
    REQUIRE(d.all.streams.size() == 1);
    CHECK(d.all.streams[0].key == "late");
}

TEST_CASE("xes: a trace without concept:name is named by its position", "[xes][import]") {
    TempDir dir;
    write_file(dir.file("anon.xes"),
               "<log><trace><int key=\"n\" value=\"+7\"/><event><date key=\"time:timestamp\" "
               "value=\"2024-01-01T00:00:00Z\"/></event></trace></log>");
    auto d = drain_ok(dir.file("anon.xes"));
    REQUIRE(d.all.streams.size() == 1);
    CHECK(d.all.streams[0].name == "trace-1");
    CHECK(d.all.streams[0].kind == "trace");
    REQUIRE(d.all.attributes.size() == 1);
    CHECK(d.all.attributes[0].stream == "trace-1");
    CHECK(d.all.attributes[0].value == "7");
    REQUIRE(d.all.events.size() == 1);
    CHECK(d.all.events[0].stream == "trace-1");
    CHECK_FALSE(d.all.events[0].type);
}

TEST_CASE("xes: a bad trace attribute is a reject with its element path", "[xes][import]") {
    TempDir dir;
    write_file(dir.file("bad-attr.xes"), "<log>\n<trace>\n<string key=\"concept:name\" "
                                         "value=\"1\"/>\n<boolean key=\"vip\" value=\"maybe\"/>\n"
                                         "</trace>\n</log>\n");
    auto d = drain_ok(dir.file("bad-attr.xes"));
    REQUIRE(d.all.rejects.size() == 1);
    CHECK(d.all.rejects[0].place == "/log/trace[1]/boolean[@key='vip']");
    CHECK(d.all.rejects[0].line == 4);
    CHECK(d.all.rejects[0].reason == R"(trace attribute "vip": not a boolean: maybe)");
    CHECK(d.all.attributes.empty());
}

TEST_CASE("xes: a byte-order mark and a DOCTYPE without entities are fine", "[xes][import]") {
    TempDir dir;
    write_file(dir.file("bom.xes"),
               "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!DOCTYPE log>\n<log><trace><string "
               "key=\"concept:name\" value=\"x\"/><event><date key=\"time:timestamp\" "
               "value=\"2024-01-01T00:00:00+05:30\"/></event></trace></log>\n");
    auto d = drain_ok(dir.file("bom.xes"));
    REQUIRE(d.all.events.size() == 1);
    CHECK(d.all.events[0].ts == utc(2023, 12, 31, 18, 30));
    CHECK(d.all.events[0].line == 3);
}

TEST_CASE("xes: malformed XML fails with its line and column", "[xes][import]") {
    std::string error = drain_error(xes_dir + "malformed.xes");
    CHECK(error.find("malformed.xes:8:") != std::string::npos);
    CHECK(error.find("malformed XML: mismatched tag") != std::string::npos);
}

TEST_CASE("xes: entity declarations are refused (XML bomb)", "[xes][import]") {
    std::string error = drain_error(xes_dir + "bomb.xes");
    CHECK(error.find("XML entity declarations are refused (possible XML bomb)") !=
          std::string::npos);
    CHECK(error.find("bomb.xes:3:") != std::string::npos);
}

TEST_CASE("xes: a file that is not XES says what it is", "[xes][import]") {
    CHECK(drain_error(xes_dir + "not-log.xes")
              .find("not XES: the root element is <rss>, expected <log>") != std::string::npos);
    TempDir dir;
    write_file(dir.file("json.xes"), "  {\"id\": 1}\n");
    CHECK(drain_error(dir.file("json.xes")).find("not XES: the file is JSON") != std::string::npos);
    write_file(dir.file("db.xes"), std::string("SQLite format 3\0\x10\0", 19));
    CHECK(drain_error(dir.file("db.xes")).find("not XES: the file is a SQLite database") !=
          std::string::npos);
    write_file(dir.file("empty.xes"), "");
    CHECK(drain_error(dir.file("empty.xes")).find("not XES: the file is empty") !=
          std::string::npos);
    write_file(dir.file("ocel.xes"), "<?xml version=\"1.0\"?>\n<log><object-types/></log>\n");
    CHECK(drain_error(dir.file("ocel.xes")).find("OCEL 2.0 XML") != std::string::npos);
    CHECK(drain_error(dir.file("missing.xes")).find("missing.xes") != std::string::npos);
}

} // namespace
} // namespace asof::test
