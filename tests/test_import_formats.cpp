// Tests for the import framework beyond JSON Lines: format detection, CSV, tables of SQLite
// snapshots, and what RowSources bring besides events (links, attributes, relations, findings)
// with their integrity.
#include "test_support.hpp"

#include "eventlog/case_schema.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/sqlite.hpp"
#include "eventlog/verify.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <tuple>

using namespace asof;
using namespace asof::test;

namespace {

// Writes `content` to `name` in `dir`, imports it into case.asof and returns the outcome.
SourceOutcome import_named(const TempDir& dir, const std::string& name, std::string_view content,
                           const ImportOptions& options = {}) {
    write_file(dir.file(name), content);
    auto outcome = import_ok({dir.file(name)}, dir.file("case.asof"), options);
    REQUIRE(outcome.sources.size() == 1);
    return outcome.sources.front();
}

std::string import_error(const TempDir& dir, const std::string& name, std::string_view content,
                         const ImportOptions& options = {}) {
    write_file(dir.file(name), content);
    auto outcome = import_sources({dir.file(name)}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    return outcome.error().message;
}

std::int64_t count_of(const std::string& case_path, const std::string& sql_text) {
    auto db = open_ok(case_path);
    auto count = db.scalar_int(sql_text);
    REQUIRE(count.has_value());
    return *count;
}

sql::Db writable(const std::string& path) {
    auto db = sql::Db::open(path, sql::Db::Mode::read_write);
    REQUIRE(db.has_value());
    return std::move(*db);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// CSV

TEST_CASE("CSV quoting: delimiters, doubled quotes and line breaks inside quotes", "[csv]") {
    TempDir dir;
    std::string csv = "stream,ts,type,note\r\n"
                      "a-1,2026-04-14T09:00:00Z,created,\"x, y\"\r\n"
                      "a-1,2026-04-14T09:01:00Z,noted,\"she said \"\"hi\"\"\"\r\n"
                      "a-1,2026-04-14T09:02:00Z,noted,\"two\nlines\"\r\n"
                      "a-1,2026-04-14T09:03:00Z,closed,plain\r\n";
    auto outcome = import_named(dir, "log.csv", csv);
    CHECK(outcome.format == "csv");
    CHECK(outcome.events == 4);
    CHECK(outcome.rejected == 0);
    auto events = events_by_seq(dir.file("case.asof"));
    REQUIRE(events.size() == 4);
    CHECK(events[0].data == R"({"note":"x, y"})");
    CHECK(events[1].data == R"({"note":"she said \"hi\""})");
    CHECK(events[2].data == R"({"note":"two\nlines"})");
    CHECK(events[3].data == R"({"note":"plain"})");
    // The record after the quoted line break starts on line 6.
    auto db = open_ok(dir.file("case.asof"));
    auto lines = db.prepare("SELECT line FROM events ORDER BY seq");
    REQUIRE(lines.has_value());
    std::vector<std::int64_t> got;
    REQUIRE(lines->each([&](const sql::Stmt& row) { got.push_back(row.column_int(0)); }));
    CHECK(got == std::vector<std::int64_t>{2, 3, 4, 6});
}

TEST_CASE("CSV delimiter is sniffed from the header, given by --delimiter, tab for .tsv", "[csv]") {
    TempDir dir;
    SECTION("semicolon") {
        auto outcome =
            import_named(dir, "log.csv", "stream;ts;amount\nx-1;2026-01-01T00:00:00Z;1,5\n");
        CHECK(outcome.events == 1);
        CHECK(events_by_seq(dir.file("case.asof"))[0].data == R"({"amount":"1,5"})");
    }
    SECTION("pipe") {
        auto outcome = import_named(dir, "log.csv", "stream|ts\nx-1|2026-01-01T00:00:00Z\n");
        CHECK(outcome.events == 1);
    }
    SECTION("tsv") {
        auto outcome = import_named(dir, "log.tsv", "stream\tts\tn\nx-1\t2026-01-01\ta,b\n");
        CHECK(outcome.events == 1);
        CHECK(events_by_seq(dir.file("case.asof"))[0].data == R"({"n":"a,b"})");
    }
    SECTION("--delimiter overrides the sniffed one") {
        ImportOptions options;
        options.delimiter = ';';
        auto outcome =
            import_named(dir, "log.csv", "stream;ts;a,b,c\nx-1;2026-01-01;1,2,3\n", options);
        CHECK(outcome.events == 1);
        CHECK(events_by_seq(dir.file("case.asof"))[0].data == R"({"a,b,c":"1,2,3"})");
    }
}

TEST_CASE("CSV process-mining names: case, activity, timestamp and resource", "[csv]") {
    TempDir dir;
    auto outcome = import_named(dir, "receipt.csv",
                                "case:concept:name,concept:name,time:timestamp,org:resource,"
                                "cost\n"
                                "173688,Confirmation,2011-10-11 13:45:40.276000+02:00,Resource01,"
                                "0012\n");
    REQUIRE(outcome.events == 1);
    auto events = events_by_seq(dir.file("case.asof"));
    CHECK(events[0].stream == "case-173688");
    CHECK(events[0].type == "Confirmation");
    CHECK(events[0].actor == "Resource01");
    CHECK(events[0].ts == utc(2011, 10, 11, 11, 45, 40, 276000));
    CHECK(events[0].data == R"({"cost":"0012"})"); // text exactly as written
    auto db = open_ok(dir.file("case.asof"));
    auto stream = db.prepare("SELECT kind, key FROM streams WHERE name = 'case-173688'");
    REQUIRE(stream.has_value());
    REQUIRE(stream->step().value());
    CHECK(stream->column_text(0) == "case");
    CHECK(stream->column_text(1) == "173688");
}

TEST_CASE("CSV --map names the column of a role; a missing column is refused", "[csv]") {
    TempDir dir;
    ImportOptions options;
    options.map = {"stream=order", "ts=when"};
    auto outcome = import_named(dir, "log.csv", "order,when\no-1,2026-01-01T10:00:00Z\n", options);
    CHECK(outcome.events == 1);
    CHECK(events_by_seq(dir.file("case.asof"))[0].stream == "o-1");
    options.map = {"stream=nope"};
    auto message = import_error(dir, "other.csv", "order,when\no-1,2026-01-01\n", options);
    CHECK(message == "no column \"nope\" for stream (columns: order, when)");
}

TEST_CASE("CSV with naive and zoned times is imported and the mix is a finding", "[csv][time]") {
    TempDir dir;
    ImportOptions options;
    options.source_tz = "Europe/Berlin";
    auto outcome = import_named(dir, "log.csv",
                                "stream,ts\n"
                                "a-1,2026-04-14 10:00:00\n"
                                "a-1,2026-04-14T08:30:00Z\n"
                                "a-1,2026-04-14 11:00:00\n",
                                options);
    CHECK(outcome.naive_times == 2);
    CHECK(outcome.zoned_times == 1);
    auto events = events_by_seq(dir.file("case.asof"));
    CHECK(events[0].ts == utc(2026, 4, 14, 8));
    auto info = case_info(dir.file("case.asof"));
    REQUIRE(info.findings.size() == 1);
    CHECK(info.findings[0].kind == "mixed_time_zones");
    CHECK(info.findings[0].detail == "2 naive times read in Europe/Berlin, 1 zoned");
    CHECK(info.sources[0].zoned_times == 1);
    CHECK(info.sources[0].naive_times == 2);
}

TEST_CASE("CSV rows with tied times keep file order", "[csv][time]") {
    TempDir dir;
    import_named(dir, "log.csv",
                 "stream,ts,type\n"
                 "a-1,2026-01-01T00:00:00Z,third-by-name\n"
                 "a-1,2026-01-01T00:00:00Z,first-by-name\n"
                 "a-1,2026-01-01T00:00:00Z,second-by-name\n");
    auto listed = listed_events(dir.file("case.asof"));
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].type == "third-by-name");
    CHECK(listed[1].type == "first-by-name");
    CHECK(listed[2].type == "second-by-name");
}

TEST_CASE("CSV bad rows are rejects located by row and line", "[csv]") {
    TempDir dir;
    auto outcome = import_named(dir, "log.csv",
                                "stream,ts,type\n"
                                "a-1,2026-01-01T00:00:00Z,ok\n"
                                "a-1,2026-01-01T00:00:00Z\n"
                                "a-1,yesterday,x\n"
                                "\n"
                                "a-1,\"2026-01-01\"x,y\n"
                                ",2026-01-01,z\n"
                                "a-1,2026-01-01,\"never closed\n");
    CHECK(outcome.events == 1);
    CHECK(outcome.rejected == 5);
    CHECK(outcome.lines == 6);
    auto rejects = case_rejects(dir.file("case.asof"));
    REQUIRE(rejects.size() == 5);
    CHECK(rejects[0].place == "row 2");
    CHECK(rejects[0].line == 3);
    CHECK(rejects[0].reason == "expected 3 fields, found 2");
    CHECK(rejects[1].place == "row 3");
    CHECK(rejects[1].reason.starts_with("unparseable time: "));
    CHECK(rejects[2].place == "row 4");
    CHECK(rejects[2].line == 6);
    CHECK(rejects[2].reason == "text after a closing quote");
    CHECK(rejects[3].reason == "empty stream (column stream)");
    CHECK(rejects[4].place == "row 6");
    CHECK(rejects[4].line == 8);
    CHECK(rejects[4].reason == "unterminated quoted field");
}

TEST_CASE("importing the same CSV twice adds nothing", "[csv][sources]") {
    TempDir dir;
    std::string csv = "stream,ts\na-1,2026-01-01\n";
    import_named(dir, "log.csv", csv);
    auto again = import_named(dir, "log.csv", csv);
    CHECK(again.already_imported);
    CHECK(count_of(dir.file("case.asof"), "SELECT count(*) FROM events") == 1);
    CHECK(count_of(dir.file("case.asof"), "SELECT count(*) FROM imports") == 1);
}

// ---------------------------------------------------------------------------------------------
// SQLite snapshots

namespace {

// A Marten-like mt_events table in a new SQLite file.
void write_marten_snapshot(const std::string& path) {
    auto db = sql::Db::open(path, sql::Db::Mode::create);
    REQUIRE(db.has_value());
    REQUIRE(db->exec(
        "CREATE TABLE mt_events (seq_id INTEGER PRIMARY KEY, id TEXT, stream_id TEXT, version "
        "INTEGER, data TEXT, type TEXT, timestamp TEXT, tenant_id TEXT, mt_dotnet_type TEXT, "
        "headers BLOB);"
        "CREATE TABLE mt_streams (id TEXT PRIMARY KEY, type TEXT);"
        "INSERT INTO mt_events VALUES (1, 'e1', 'order-7', 1, '{\"total\": 12}', "
        "'order_placed', '2026-03-01T10:00:00Z', '*DEFAULT*', 'Shop.OrderPlaced', "
        "CAST('{\"user\":\"ann\"}' AS BLOB));"
        "INSERT INTO mt_events VALUES (2, 'e2', 'order-7', 2, '{\"paid\": true}', 'order_paid', "
        "'2026-03-01 10:05:00.250000+00:00', '*DEFAULT*', 'Shop.OrderPaid', NULL);"
        "INSERT INTO mt_events VALUES (5, 'e3', NULL, 3, '{}', 'orphan', "
        "'2026-03-01T10:06:00Z', '*DEFAULT*', NULL, NULL);"
        "INSERT INTO mt_events VALUES (6, 'e4', 'order-8', 1, 'not json', 'order_placed', "
        "1772359800000, '*DEFAULT*', NULL, NULL);"));
}

struct FileStamp {
    std::string bytes;
    std::int64_t mtime_ns = 0;
};

FileStamp stamp(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return {read_file(path),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

} // namespace

TEST_CASE("a Marten mt_events table imports by its column names, read-only", "[sqlite]") {
    TempDir dir;
    std::string snapshot = dir.file("snapshot.db");
    write_marten_snapshot(snapshot);
    FileStamp before = stamp(snapshot);
    ImportOptions options;
    options.table = "mt_events";
    auto outcome = import_ok({snapshot}, dir.file("case.asof"), options);
    REQUIRE(outcome.sources.size() == 1);
    const SourceOutcome& source = outcome.sources.front();
    CHECK(source.format == "sqlite");
    CHECK(source.events == 3);
    CHECK(source.rejected == 1);
    CHECK(source.sha256.ends_with("#table=mt_events"));
    FileStamp after = stamp(snapshot);
    CHECK(after.bytes == before.bytes);
    CHECK(after.mtime_ns == before.mtime_ns);
    CHECK(dir.entries() == std::vector<std::string>{"case.asof", "snapshot.db"});

    auto events = events_by_seq(dir.file("case.asof"));
    REQUIRE(events.size() == 3);
    CHECK(events[0].event_id == "e1");
    CHECK(events[0].stream == "order-7");
    CHECK(events[0].version == 1);
    CHECK(events[0].type == "order_placed");
    CHECK(events[0].data == R"({"total":12})");
    CHECK(
        events[0].meta ==
        R"({"user":"ann","seq_id":1,"tenant_id":"*DEFAULT*","mt_dotnet_type":"Shop.OrderPlaced"})");
    CHECK(events[1].ts == utc(2026, 3, 1, 10, 5, 0, 250000));
    CHECK(events[2].ts == utc(2026, 3, 1, 10, 10)); // epoch milliseconds
    CHECK(events[2].data == R"("not json")");
    auto rejects = case_rejects(dir.file("case.asof"));
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].place == "row 5");
    CHECK(rejects[0].reason == "missing stream (no value in a stream column)");

    auto verified = [&] {
        auto db = open_ok(dir.file("case.asof"));
        return verify_case(db, true);
    }();
    REQUIRE(verified.has_value());
    CHECK(verified->problems.empty());
    REQUIRE(verified->sources.size() == 1);
    CHECK(verified->sources[0].status == "unchanged");

    auto again = import_ok({snapshot}, dir.file("case.asof"), options);
    CHECK(again.sources.front().already_imported);
}

TEST_CASE("a SQLite snapshot without --table, or with an unknown one, lists its tables",
          "[sqlite]") {
    TempDir dir;
    std::string snapshot = dir.file("snapshot.db");
    write_marten_snapshot(snapshot);
    auto missing = import_sources({snapshot}, dir.file("case.asof"), {});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message ==
          "a SQLite snapshot: choose its event table with --table (tables: mt_events, "
          "mt_streams)");
    ImportOptions options;
    options.table = "mt_events\"; DROP TABLE mt_events; --";
    auto bad = import_sources({snapshot}, dir.file("case.asof"), options);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.starts_with("no table \"mt_events\"; DROP"));
    options.table = "mt_events";
    options.map = {"stream=\"x\" FROM mt_events; --"};
    auto column = import_sources({snapshot}, dir.file("case.asof"), options);
    REQUIRE_FALSE(column.has_value());
    CHECK(column.error().message.starts_with("no column "));
    {
        auto db = sql::Db::open(sql::immutable_uri(snapshot), sql::Db::Mode::read_only);
        REQUIRE(db.has_value());
        CHECK(db->scalar_int("SELECT count(*) FROM mt_events").value() == 4);
    }
    CHECK(dir.entries() == std::vector<std::string>{"snapshot.db"});
}

// ---------------------------------------------------------------------------------------------
// Format detection

TEST_CASE("the format comes from the extension, else from the content", "[formats]") {
    TempDir dir;
    SECTION("JSON Lines without an extension") {
        auto outcome =
            import_named(dir, "events", "{\"stream\":\"a-1\",\"ts\":\"2026-01-01T00:00:00Z\"}\n");
        CHECK(outcome.format == "jsonl");
    }
    SECTION("CSV without an extension") {
        auto outcome = import_named(dir, "events", "stream,ts\na-1,2026-01-01\n");
        CHECK(outcome.format == "csv");
    }
    SECTION("gzipped CSV") {
        auto outcome = import_named(dir, "events.csv.gz", gzip("stream,ts\na-1,2026-01-01\n"));
        CHECK(outcome.format == "csv");
        CHECK(outcome.events == 1);
    }
    SECTION("OCEL JSON in a .json file goes to the OCEL reader") {
        auto outcome = import_named(dir, "log.json",
                                    "{\"objectTypes\": [], \"eventTypes\": [], \"objects\": [], "
                                    "\"events\": []}");
        CHECK(outcome.format == "ocel-json");
    }
    SECTION("XES by its root element") {
        auto outcome = import_named(
            dir, "log",
            "<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\"><trace>"
            "<string key=\"concept:name\" value=\"1\"/><event>"
            "<date key=\"time:timestamp\" value=\"2026-01-01T00:00:00Z\"/></event></trace></log>");
        CHECK(outcome.format == "xes");
        CHECK(outcome.events == 1);
    }
    SECTION("unrecognisable content") {
        auto message = import_error(dir, "log", "just some words\n");
        CHECK(message.starts_with("unrecognised format: the file is text"));
    }
}

TEST_CASE("a file that is not what its extension or --format says is refused by name",
          "[formats]") {
    TempDir dir;
    write_marten_snapshot(dir.file("snap.db"));
    std::string sqlite_bytes = read_file(dir.file("snap.db"));
    CHECK(import_error(dir, "log.csv", sqlite_bytes) == "not CSV: the file is a SQLite database");
    CHECK(import_error(dir, "log.xes", "{\"stream\":\"a\",\"ts\":1}\n") ==
          "not XES: the file is JSON Lines");
    CHECK(import_error(dir, "log.csv", "{\"stream\":\"a\",\"ts\":1}\n") ==
          "not CSV: the file is JSON Lines");
    CHECK(import_error(dir, "log.db", "stream,ts\n") == "not a SQLite snapshot: the file is CSV");
    CHECK(
        import_error(dir, "log.xes", "<log><object-types></object-types><events></events></log>") ==
        "not XES: the file is OCEL XML");
    ImportOptions options;
    options.format = "csv";
    CHECK(import_error(dir, "log.jsonl", "<html><body/></html>", options) ==
          "not CSV: the file is XML (root <html>)");
}

// ---------------------------------------------------------------------------------------------
// Links, declared streams, attributes, relations and source findings

namespace {

// A RowSource of fixed batches, standing in for the object-centric formats.
class FixedSource final : public RowSource {
public:
    explicit FixedSource(std::vector<RowBatch> batches) : batches_(std::move(batches)) {}
    Result<bool> next(RowBatch& out) override {
        if (at_ < batches_.size()) out = batches_[at_++];
        return at_ < batches_.size();
    }
    std::string format() const override { return "test"; }
    std::uint64_t raw_size() const override { return 1; }
    std::uint64_t raw_consumed() const override { return 1; }
    Digest raw_digest() const override { return Digest{static_cast<unsigned char>(tag_)}; }
    std::int64_t naive_times() const override { return 0; }
    std::int64_t zoned_times() const override { return 3; }
    std::string mapping_json() const override { return "{}"; }
    int tag_ = 1;

private:
    std::vector<RowBatch> batches_;
    std::size_t at_ = 0;
};

std::vector<RowBatch> object_centric_batches() {
    RowBatch first;
    first.streams.push_back({"container cr1", std::string("container"), std::string("cr1")});
    first.streams.push_back({"order-990001", std::nullopt, std::nullopt});
    EventRow load;
    load.line = 1;
    load.stream = "order-990001";
    load.type = "load";
    load.ts = utc(2026, 1, 1, 8);
    load.links = {{"container cr1", std::string("carried in")},
                  {"truck t9", std::nullopt},
                  {"order-990001", std::string("self")},    // the primary stream: dropped
                  {"container cr1", std::string("twice")}}; // a second link: dropped
    first.events.push_back(load);
    first.attributes.push_back({"container cr1", std::nullopt, "weight", "12", false});
    first.attributes.push_back({"container cr1", utc(2026, 1, 1, 9), "weight", "14", false});
    first.units = 1;
    RowBatch second;
    EventRow unload = load;
    unload.line = 2;
    unload.type = "unload";
    unload.ts = utc(2026, 1, 1, 10);
    unload.links = {{"container cr1", std::string("carried in")}};
    second.events.push_back(unload);
    second.relations.push_back({"container cr1", "truck t9", std::string("on")});
    second.relations.push_back({"order-990001", "customer c1", std::nullopt});
    second.findings.push_back({"dangling_link", "truck t9", std::size_t{0}, "no such object"});
    second.rejects.push_back({0, 0, "/log/event[3]", "no time", "<event/>"});
    second.units = 2;
    return {first, second};
}

ImportOptions fixed_source_options() {
    ImportOptions options;
    options.open_source = [](const std::string&) -> Result<std::unique_ptr<RowSource>> {
        return std::make_unique<FixedSource>(object_centric_batches());
    };
    return options;
}

} // namespace

TEST_CASE("links, declared streams, attributes, relations and findings are stored",
          "[import][objects]") {
    TempDir dir;
    write_file(dir.file("log.ocel"), "x");
    auto outcome = import_ok({dir.file("log.ocel")}, dir.file("case.asof"), fixed_source_options());
    const SourceOutcome& source = outcome.sources.front();
    CHECK(source.events == 2);
    CHECK(source.rejected == 1);
    CHECK(source.attributes == 2);
    CHECK(source.relations == 2);
    CHECK(source.lines == 3);
    std::string case_path = dir.file("case.asof");

    auto db = open_ok(case_path);
    auto detail = read_event_detail(db, 1);
    REQUIRE(detail.has_value());
    REQUIRE(detail->has_value());
    using Link = std::pair<std::string, std::optional<std::string>>;
    CHECK((*detail)->streams == std::vector<Link>{{"container cr1", "carried in"},
                                                  {"order-990001", std::nullopt},
                                                  {"truck t9", std::nullopt}});
    // The relations of the event's streams, each once though met from both of its ends.
    REQUIRE((*detail)->relations.size() == 2);
    CHECK((*detail)->relations[0].from == "container cr1");
    CHECK((*detail)->relations[0].to == "truck t9");
    CHECK((*detail)->relations[0].qualifier == "on");
    CHECK((*detail)->relations[1].from == "order-990001");
    CHECK((*detail)->relations[1].to == "customer c1");
    CHECK_FALSE((*detail)->relations[1].qualifier);
    CHECK_FALSE((*detail)->more_relations);
    auto kind = db.prepare("SELECT kind, key FROM streams WHERE name = 'container cr1'");
    REQUIRE(kind.has_value());
    REQUIRE(kind->step().value());
    CHECK(kind->column_text(0) == "container");
    CHECK(kind->column_text(1) == "cr1");
    CHECK(count_of(case_path, "SELECT count(*) FROM streams WHERE name = 'customer c1'") == 1);
    CHECK(count_of(case_path, "SELECT count(*) FROM stream_attributes WHERE ts IS NULL") == 1);
    CHECK(count_of(case_path, "SELECT count(*) FROM stream_relations") == 2);
    CHECK(count_of(case_path, "SELECT count(*) FROM event_streams") == 5);

    auto info = case_info(case_path);
    CHECK(info.relations == 2);
    CHECK(info.sources[0].attributes == 2);
    CHECK(info.sources[0].zoned_times == 3);
    REQUIRE(info.findings.size() == 1);
    CHECK(info.findings[0].kind == "dangling_link");
    CHECK(info.findings[0].seq == 2);
    auto rejects = case_rejects(case_path);
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].place == "/log/event[3]");

    auto report = verify_case(db, false);
    REQUIRE(report.has_value());
    CHECK(report->problems.empty());
}

TEST_CASE("verify detects a changed attribute, relation or link", "[verify][objects]") {
    TempDir dir;
    write_file(dir.file("log.ocel"), "x");
    import_ok({dir.file("log.ocel")}, dir.file("case.asof"), fixed_source_options());
    std::string change;
    SECTION("attribute value") {
        change = "UPDATE stream_attributes SET value = '13' WHERE value = '14'";
    }
    SECTION("attribute deleted") {
        change = "DELETE FROM stream_attributes WHERE value = '12'";
    }
    SECTION("relation qualifier") {
        change = "UPDATE stream_relations SET qualifier = 'off' WHERE qualifier = 'on'";
    }
    SECTION("link qualifier") {
        change = "UPDATE event_streams SET qualifier = 'x' WHERE qualifier = 'carried in' AND "
                 "seq = 2";
    }
    {
        auto db = writable(dir.file("case.asof"));
        REQUIRE(db.exec(change));
    }
    auto db = open_ok(dir.file("case.asof"));
    auto report = verify_case(db, false);
    REQUIRE(report.has_value());
    REQUIRE(report->problems.size() == 1);
    CHECK(report->problems[0] ==
          "the stream links, attributes or relations of log.ocel were changed after import");
}

namespace {

// Each stream with events as (name, count, first, last), from the stored counts and from
// the links themselves.
using StreamCount = std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t>;

std::vector<StreamCount> stored_stream_counts(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto summaries = read_stream_summaries(db);
    REQUIRE(summaries.has_value());
    std::vector<StreamCount> out;
    for (const StreamSummary& s : *summaries)
        out.emplace_back(s.name, s.events, s.first.time_since_epoch().count(),
                         s.last.time_since_epoch().count());
    return out;
}

std::vector<StreamCount> linked_stream_counts(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto stmt = db.prepare("SELECT s.name, count(*), min(l.ts), max(l.ts) FROM event_streams l "
                           "JOIN streams s ON s.id = l.stream_id GROUP BY s.name ORDER BY s.name");
    REQUIRE(stmt.has_value());
    std::vector<StreamCount> out;
    REQUIRE(stmt->each([&](const sql::Stmt& row) {
        out.emplace_back(std::string(row.column_text(0)), row.column_int(1), row.column_int(2),
                         row.column_int(3));
    }));
    return out;
}

} // namespace

TEST_CASE("each stream's stored count and span are its events, links included, over imports",
          "[import][objects][verify]") {
    TempDir dir;
    std::string case_path = dir.file("case.asof");
    write_file(dir.file("log.ocel"), "x");
    import_ok({dir.file("log.ocel")}, case_path, fixed_source_options());
    // A second import into the same case: one stream it shares, one new.
    write_file(dir.file("more.jsonl"),
               "{\"stream\":\"container cr1\",\"ts\":\"2025-12-31T23:00:00Z\",\"type\":\"x\"}\n"
               "{\"stream\":\"container cr1\",\"ts\":\"2026-01-02T00:00:00Z\",\"type\":\"x\"}\n"
               "{\"stream\":\"crane c7\",\"ts\":\"2026-01-01T00:00:00Z\",\"type\":\"y\"}\n");
    import_ok({dir.file("more.jsonl")}, case_path);

    auto stored = stored_stream_counts(case_path);
    CHECK(stored == linked_stream_counts(case_path));
    auto cr1 = std::find_if(stored.begin(), stored.end(),
                            [](const StreamCount& c) { return std::get<0>(c) == "container cr1"; });
    REQUIRE(cr1 != stored.end());
    CHECK(std::get<1>(*cr1) == 4); // two linked OCEL events and two JSON Lines events
    CHECK(std::get<2>(*cr1) == utc(2025, 12, 31, 23).time_since_epoch().count());
    CHECK(std::get<3>(*cr1) == utc(2026, 1, 2).time_since_epoch().count());
    // Streams without events (declared objects, related ones) are not listed.
    CHECK(std::none_of(stored.begin(), stored.end(),
                       [](const StreamCount& c) { return std::get<0>(c) == "customer c1"; }));
    {
        auto db = open_ok(case_path);
        auto report = verify_case(db, false);
        REQUIRE(report.has_value());
        CHECK(report->problems.empty());
    }
    {
        auto db = writable(case_path);
        REQUIRE(db.exec("UPDATE streams SET events = events + 1 WHERE name = 'crane c7'"));
    }
    auto db = open_ok(case_path);
    auto report = verify_case(db, false);
    REQUIRE(report.has_value());
    REQUIRE(report->problems.size() == 1);
    CHECK(report->problems[0] == "1 streams carry another event count or time span than their "
                                 "events (streams.events)");
}

// ---------------------------------------------------------------------------------------------
// Older case files

TEST_CASE("a schema-1 case is refused read-only with how to upgrade, and upgrades in place",
          "[schema]") {
    TempDir dir;
    std::string case_path = dir.file("case.asof");
    write_file(dir.file("log.jsonl"), "{\"stream\":\"a-1\",\"ts\":\"2026-01-01T00:00:00Z\"}\n");
    import_ok({dir.file("log.jsonl")}, case_path);
    {
        // Undo migrations 3 and 2 by hand: what an asof of schema 1 left.
        auto db = writable(case_path);
        REQUIRE(db.exec("ALTER TABLE streams DROP COLUMN events; "
                        "ALTER TABLE streams DROP COLUMN first_ts; "
                        "ALTER TABLE streams DROP COLUMN last_ts; "
                        "DROP TABLE stream_attributes; DROP TABLE stream_relations; "
                        "ALTER TABLE rejects DROP COLUMN place; "
                        "ALTER TABLE imports DROP COLUMN zoned_times; "
                        "ALTER TABLE imports DROP COLUMN attributes; "
                        "ALTER TABLE imports DROP COLUMN relations; "
                        "ALTER TABLE imports DROP COLUMN side_chain_head; "
                        "PRAGMA user_version = 1;"));
    }
    auto refused = open_case(case_path);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message.find("asof upgrade") != std::string::npos);
    {
        auto db = writable(case_path);
        REQUIRE(migrate_case(db));
    }
    auto db = open_ok(case_path);
    auto report = verify_case(db, false);
    REQUIRE(report.has_value());
    CHECK(report->problems.empty());
    CHECK(case_info(case_path).events == 1);
    CHECK(stored_stream_counts(case_path) == linked_stream_counts(case_path));
}
