// Tests for importing JSON Lines into a case file: rejects, times, field names, gzip, atomicity,
// re-imports, the hash chain and verify, integrity findings, stream names and event listing.
#include "test_support.hpp"

#include "eventlog/field_map.hpp"
#include "eventlog/jsonl_parser.hpp"
#include "eventlog/sha256.hpp"
#include "eventlog/sqlite.hpp"
#include "eventlog/stream_name.hpp"
#include "eventlog/verify.hpp"

#include <atomic>
#include <map>

using namespace asof;
using namespace asof::test;

namespace {

struct Imported {
    SourceOutcome source;
    std::vector<StoredEvent> events; // in seq order
    std::vector<RejectInfo> rejects;
};

// Writes `content` to log.jsonl in `dir` and imports it into case.asof.
Imported import_text(const TempDir& dir, std::string_view content,
                     const ImportOptions& options = {}) {
    write_file(dir.file("log.jsonl"), content);
    auto outcome = import_ok({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE(outcome.sources.size() == 1);
    return {outcome.sources.front(), events_by_seq(dir.file("case.asof")),
            case_rejects(dir.file("case.asof"))};
}

// The source line and byte offset of each stored event, in seq order.
std::vector<std::pair<std::int64_t, std::int64_t>> event_lines(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto stmt = db.prepare("SELECT line, byte_offset FROM events ORDER BY seq");
    REQUIRE(stmt.has_value());
    std::vector<std::pair<std::int64_t, std::int64_t>> lines;
    for (;;) {
        auto row = stmt->step();
        REQUIRE(row.has_value());
        if (!*row) break;
        lines.emplace_back(stmt->column_int(0), stmt->column_int(1));
    }
    return lines;
}

// The byte offset at which each line of `content` starts (index 0 is line 1).
std::vector<std::int64_t> line_starts(std::string_view content) {
    std::vector<std::int64_t> starts{0};
    for (std::size_t i = 0; i < content.size(); ++i)
        if (content[i] == '\n') starts.push_back(static_cast<std::int64_t>(i + 1));
    return starts;
}

sql::Db open_writable(const std::string& case_path) {
    auto db = sql::Db::open(case_path, sql::Db::Mode::read_write);
    REQUIRE(db.has_value());
    return std::move(*db);
}

void exec_ok(const std::string& case_path, const std::string& statement) {
    auto db = open_writable(case_path);
    auto ok = db.exec(statement);
    INFO(statement << (ok ? "" : ": " + ok.error().describe()));
    REQUIRE(ok.has_value());
}

VerifyReport verify(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto report = verify_case(db, true);
    REQUIRE(report.has_value());
    return *report;
}

std::string sha256_hex(const std::string& path) {
    auto digest = sha256_file(path);
    REQUIRE(digest.has_value());
    return to_hex(*digest);
}

std::string event_line(std::string_view stream, std::string_view ts, std::string extra = {}) {
    return "{\"stream\":\"" + std::string(stream) + "\",\"ts\":\"" + std::string(ts) + "\"" +
           extra + "}\n";
}

std::string versioned(std::string_view stream, std::int64_t version, std::string_view ts,
                      std::string_view id = {}) {
    std::string extra = ",\"version\":" + std::to_string(version);
    if (!id.empty()) extra += ",\"id\":\"" + std::string(id) + "\"";
    return event_line(stream, ts, extra);
}

std::string finding_text(const FindingInfo& f) {
    return f.kind + " " + f.stream + " seq " + (f.seq ? std::to_string(*f.seq) : "-") + ": " +
           f.detail;
}

std::vector<std::string> findings_of(const std::string& case_path) {
    std::vector<std::string> out;
    for (const auto& f : case_info(case_path).findings)
        out.push_back(finding_text(f));
    return out;
}

bool any_contains(const std::vector<std::string>& texts, std::string_view part) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Rejects and line handling

TEST_CASE("import records each reject reason with its line, offset and excerpt", "[import]") {
    TempDir dir;
    const std::string content =
        "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\",\n"
        "{\"stream\":\"s\xff\",\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        "[1,2,3]\n"
        "{\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        "{\"stream\":\"\",\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        "{\"stream\":\"s\"}\n"
        "{\"stream\":\"s\",\"ts\":\"yesterday\"}\n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\",\"version\":\"v2\"}\n"
        "\n"
        "  \t \n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\",\"version\":1.5}\n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-02T00:00:00Z\"}\n";
    auto result = import_text(dir, content);
    auto starts = line_starts(content);
    auto yesterday = parse_iso8601("yesterday");
    REQUIRE_FALSE(yesterday.has_value());

    struct Expected {
        std::int64_t line;
        std::string reason;
    };
    const std::vector<Expected> expected = {
        {2, "malformed JSON: "},
        {3, "invalid UTF-8"},
        {4, "not a JSON object (found an array)"},
        {5, "missing stream (looked for stream, stream_id, streamId, aggregate_id, aggregateId, "
            "eventStreamId, subject)"},
        {6, "empty stream"},
        {7, "missing time (looked for ts, timestamp, time, occurred_at, occurredAt, created, "
            "created_at)"},
        {8, "unparseable time: " + yesterday.error().message},
        {9, "version is not an integer: \"v2\""},
        {12, "version is not an integer: 1.5"},
    };
    REQUIRE(result.rejects.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& r = result.rejects[i];
        INFO("reject " << i << ": line " << r.line << ": " << r.reason);
        CHECK(r.source == "log.jsonl");
        CHECK(r.line == expected[i].line);
        CHECK(r.byte_offset == starts[static_cast<std::size_t>(expected[i].line - 1)]);
        if (expected[i].line == 2) {
            CHECK(r.reason.starts_with(expected[i].reason));
            CHECK(r.reason.size() > expected[i].reason.size());
        } else {
            CHECK(r.reason == expected[i].reason);
        }
    }
    CHECK(result.rejects[1].excerpt == "{\"stream\":\"s\\xff\",\"ts\":\"2026-01-01T00:00:00Z\"}");
    CHECK(result.rejects[2].excerpt == "[1,2,3]");

    CHECK(result.source.events == 2);
    CHECK(result.source.rejected == 9);
    CHECK(result.source.lines == 11);
    CHECK(result.source.events + result.source.rejected == result.source.lines);
    REQUIRE(result.events.size() == 2);
    CHECK(result.events[0].ts == utc(2026, 1, 1));
    CHECK(result.events[1].ts == utc(2026, 1, 2));
    CHECK(event_lines(dir.file("case.asof")) ==
          std::vector<std::pair<std::int64_t, std::int64_t>>{{1, starts[0]}, {13, starts[12]}});

    auto info = case_info(dir.file("case.asof"));
    CHECK(info.events == 2);
    CHECK(info.rejected == 9);
    REQUIRE(info.sources.size() == 1);
    CHECK(info.sources[0].lines == 11);
    CHECK(info.sources[0].events == 2);
    CHECK(info.sources[0].rejected == 9);
}

TEST_CASE("import names the JSON type of a line that is not an object", "[import]") {
    TempDir dir;
    auto result = import_text(dir, "42\n\"text\"\nnull\ntrue\n{}\n");
    std::vector<std::string> reasons;
    for (const auto& r : result.rejects)
        reasons.push_back(std::to_string(r.line) + " " + r.reason);
    CHECK(reasons == std::vector<std::string>{
                         "1 not a JSON object (found a number)",
                         "2 not a JSON object (found a string)",
                         "3 not a JSON object (found null)",
                         "4 not a JSON object (found a boolean)",
                         "5 missing stream (looked for stream, stream_id, streamId, "
                         "aggregate_id, aggregateId, eventStreamId, subject)",
                     });
    CHECK(result.source.events == 0);
    CHECK(result.source.lines == 5);
}

TEST_CASE("import reads versions as integers and rejects other version values", "[import]") {
    TempDir dir;
    const std::string ts = "\"ts\":\"2026-01-01T00:00:00Z\"";
    auto line = [&](const std::string& stream, const std::string& version) {
        return "{\"stream\":\"" + stream + "\"," + ts + ",\"version\":" + version + "}\n";
    };
    auto result = import_text(dir, line("a", "3") + line("b", "3.0") + line("c", "\"4\"") +
                                       line("d", "null") + line("e", "-2") + line("f", "true") +
                                       line("g", "\"\"") + line("h", "18446744073709551615") +
                                       line("i", "{\"n\":1}") + line("j", "\" 5\""));
    std::map<std::string, std::optional<std::int64_t>> versions;
    for (const auto& e : result.events)
        versions[e.stream] = e.version;
    CHECK(versions == std::map<std::string, std::optional<std::int64_t>>{
                          {"a", 3}, {"b", 3}, {"c", 4}, {"d", std::nullopt}, {"e", -2}});
    std::vector<std::string> reasons;
    for (const auto& r : result.rejects)
        reasons.push_back(std::to_string(r.line) + " " + r.reason);
    CHECK(reasons == std::vector<std::string>{
                         "6 version is not an integer: true",
                         "7 version is not an integer: \"\"",
                         "8 version is not an integer: 18446744073709551615",
                         "9 version is not an integer: {\"n\":1}",
                         "10 version is not an integer: \" 5\"",
                     });
}

TEST_CASE("import treats a null time as missing and names a time of the wrong type", "[import]") {
    TempDir dir;
    auto result = import_text(dir, "{\"stream\":\"s\",\"ts\":null}\n"
                                   "{\"stream\":\"s\",\"ts\":true}\n"
                                   "{\"stream\":\"s\",\"ts\":[1]}\n"
                                   "{\"stream\":null,\"ts\":\"2026-01-01T00:00:00Z\"}\n");
    REQUIRE(result.rejects.size() == 4);
    CHECK(result.rejects[0].reason.starts_with("missing time (looked for ts, "));
    CHECK(result.rejects[1].reason ==
          "unparseable time: expected a string or a number, found a boolean");
    CHECK(result.rejects[2].reason ==
          "unparseable time: expected a string or a number, found an array");
    CHECK(result.rejects[3].reason.starts_with("missing stream (looked for stream, "));
}

TEST_CASE("import skips blank lines and handles CRLF, a BOM and a last line without newline",
          "[import]") {
    TempDir dir;
    const std::string content =
        "\xEF\xBB\xBF{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\","
        "\"data\":{\"n\":1}}\r\n"
        "\r\n"
        "{bad\r\n"
        "   \r\n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-02T00:00:00Z\",\"data\":\"x\"}\r\n"
        "\t\n"
        "{\"stream\":\"s\",\"ts\":\"2026-01-03T00:00:00Z\",\"data\":\"y\"}";
    auto result = import_text(dir, content);
    auto starts = line_starts(content);

    CHECK(result.source.lines == 4);
    CHECK(result.source.events == 3);
    CHECK(result.source.rejected == 1);
    REQUIRE(result.events.size() == 3);
    CHECK(result.events[0].data.value_or("-") == "{\"n\":1}");
    CHECK(result.events[1].data.value_or("-") == "\"x\"");
    CHECK(result.events[2].data.value_or("-") == "\"y\"");
    CHECK(result.events[2].ts == utc(2026, 1, 3));
    CHECK(event_lines(dir.file("case.asof")) == std::vector<std::pair<std::int64_t, std::int64_t>>{
                                                    {1, 3}, {5, starts[4]}, {7, starts[6]}});

    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].line == 3);
    CHECK(result.rejects[0].byte_offset == starts[2]);
    CHECK(result.rejects[0].excerpt == "{bad");
    CHECK(result.rejects[0].reason.starts_with("malformed JSON: "));
}

TEST_CASE("import of a file of blank lines gives an empty, verifiable case", "[import]") {
    TempDir dir;
    auto result = import_text(dir, "\n  \n\t\r\n\n");
    CHECK(result.source.lines == 0);
    CHECK(result.source.events == 0);
    CHECK(result.source.rejected == 0);
    CHECK(result.events.empty());
    CHECK(result.rejects.empty());
    auto report = verify(dir.file("case.asof"));
    CHECK(report.ok());
    CHECK(report.events_checked == 0);
}

TEST_CASE("import rejects a line over 16 MiB and goes on with the next line", "[import][big]") {
    TempDir dir;
    const std::string first = "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\"}";
    std::string big = "{\"stream\":\"big\",\"ts\":\"2026-01-01T00:00:00Z\",\"data\":\"";
    big.append((std::size_t{17} << 20) - big.size() - 2, 'x');
    big += "\"}";
    REQUIRE(big.size() == (std::size_t{17} << 20));
    const std::string last = "{\"stream\":\"s\",\"ts\":\"2026-01-02T00:00:00Z\"}";
    auto result = import_text(dir, first + "\n" + big + "\n" + last + "\n");

    CHECK(result.source.lines == 3);
    CHECK(result.source.events == 2);
    CHECK(result.source.rejected == 1);
    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].line == 2);
    CHECK(result.rejects[0].reason == "line longer than 16 MiB");
    CHECK(result.rejects[0].byte_offset == static_cast<std::int64_t>(first.size() + 1));
    CHECK(result.rejects[0].excerpt.starts_with(big.substr(0, 100)));
    CHECK(result.rejects[0].excerpt.size() < 200);
    REQUIRE(result.events.size() == 2);
    CHECK(result.events[1].ts == utc(2026, 1, 2));
    CHECK(event_lines(dir.file("case.asof")) ==
          std::vector<std::pair<std::int64_t, std::int64_t>>{
              {1, 0}, {3, static_cast<std::int64_t>(first.size() + big.size() + 2)}});
}

TEST_CASE("import rejects a line just over 16 MiB", "[import][big]") {
    TempDir dir;
    std::string big = "{\"stream\":\"big\",\"ts\":\"2026-01-01T00:00:00Z\",\"data\":\"";
    big.append(JsonlParser::max_line_bytes + 100 - big.size() - 2, 'x');
    big += "\"}";
    REQUIRE(big.size() == JsonlParser::max_line_bytes + 100);
    auto result = import_text(dir, big + "\n" + event_line("s", "2026-01-02T00:00:00Z"));
    CHECK(result.source.lines == 2);
    CHECK(result.source.events == 1);
    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].line == 1);
    CHECK(result.rejects[0].reason == "line longer than 16 MiB");
}

TEST_CASE("the excerpt of an over-long line ends with an ellipsis", "[import][big]") {
    TempDir dir;
    std::string big = "{\"stream\":\"big\",\"data\":\"";
    big.append(std::size_t{17} << 20, 'x');
    big += "\"}";
    auto result = import_text(dir, big + "\n");
    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].reason == "line longer than 16 MiB");
    CHECK(result.rejects[0].excerpt.ends_with("\u2026"));
}

// ---------------------------------------------------------------------------------------------
// Time forms

TEST_CASE("import reads every timestamp form", "[import][time]") {
    TempDir dir;
    struct Case {
        std::string value; // JSON text of the time field
        Timestamp at;
    };
    const Timestamp base = utc(2026, 4, 14, 9, 12, 33);
    const std::vector<Case> cases = {
        {"\"2026-04-14T09:12:33Z\"", base},
        {"\"2026-04-14T11:12:33+02:00\"", base},
        {"\"2026-04-14T03:42:33-05:30\"", base},
        {"\"2026-04-14T11:12:33+0200\"", base},
        {"\"2026-04-14T11:12:33+02\"", base},
        {"\"2026-04-14T09:12:33.027Z\"", base + Micros{27000}},
        {"\"2026-04-14T09:12:33.027061Z\"", base + Micros{27061}},
        {"\"2026-04-14T09:12:33.027061999Z\"", base + Micros{27061}},
        {"\"2026-04-14T11:12:33.5+02:00\"", base + Micros{500000}},
        {"\"2026-07-01T12:00:00\"", utc(2026, 7, 1, 10)},
        {"\"2026-01-15 12:00:00.250\"", utc(2026, 1, 15, 11, 0, 0, 250000)},
        {"\"2026-04-14\"", utc(2026, 4, 13, 22)},
        {"1776157953", base},
        {"1776157953027", base + Micros{27000}},
        {"1776157953027061", base + Micros{27061}},
        {"1776157953027061999", base + Micros{27061}},
        {"\"1776157953\"", base},
        {"\"1776157953027\"", base + Micros{27000}},
        {"\"1776157953027061\"", base + Micros{27061}},
        {"1776157953.5", base + Micros{500000}},
        {"\"1776157953.25\"", base + Micros{250000}},
        {"-86400", utc(1969, 12, 31)},
    };
    std::string content;
    for (std::size_t i = 0; i < cases.size(); ++i)
        content += "{\"stream\":\"t" + std::to_string(i) + "\",\"ts\":" + cases[i].value + "}\n";
    ImportOptions options;
    options.source_tz = "Europe/Berlin";
    auto result = import_text(dir, content, options);
    CHECK(result.rejects.empty());
    REQUIRE(result.events.size() == cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO(cases[i].value << " -> " << format_utc(result.events[i].ts));
        CHECK(result.events[i].stream == "t" + std::to_string(i));
        CHECK(format_utc(result.events[i].ts) == format_utc(cases[i].at));
    }
    CHECK(result.source.naive_times == 3);
    auto info = case_info(dir.file("case.asof"));
    REQUIRE(info.sources.size() == 1);
    CHECK(info.sources[0].naive_times == 3);
    CHECK(info.sources[0].source_tz == "Europe/Berlin");
}

TEST_CASE("import reads naive times in UTC by default", "[import][time]") {
    TempDir dir;
    auto result = import_text(dir, event_line("s", "2026-07-01T12:00:00"));
    REQUIRE(result.events.size() == 1);
    CHECK(result.events[0].ts == utc(2026, 7, 1, 12));
    CHECK(result.source.naive_times == 1);
}

TEST_CASE("import fails on an unknown source zone and creates nothing", "[import][time]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), event_line("s", "2026-07-01T12:00:00"));
    ImportOptions options;
    options.source_tz = "Europe/Atlantis";
    auto outcome = import_sources({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().where == "--source-tz");
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("an epoch in nanoseconds reads the same as a string and as a number", "[import][time]") {
    TempDir dir;
    auto result = import_text(dir, "{\"stream\":\"n\",\"ts\":1776157953123456789}\n"
                                   "{\"stream\":\"s\",\"ts\":\"1776157953123456789\"}\n");
    REQUIRE(result.events.size() == 2);
    CHECK(format_utc(result.events[0].ts) == "2026-04-14T09:12:33.123456Z");
    CHECK(format_utc(result.events[1].ts) == format_utc(result.events[0].ts));
}

// ---------------------------------------------------------------------------------------------
// Field names

TEST_CASE("import recognises every alias of every field", "[import][fields]") {
    TempDir dir;
    struct Case {
        std::string alias;
        std::string role;
    };
    const std::vector<Case> cases = {
        {"id", "id"},
        {"event_id", "id"},
        {"eventId", "id"},
        {"stream", "stream"},
        {"stream_id", "stream"},
        {"streamId", "stream"},
        {"aggregate_id", "stream"},
        {"aggregateId", "stream"},
        {"eventStreamId", "stream"},
        {"subject", "stream"},
        {"type", "type"},
        {"event_type", "type"},
        {"eventType", "type"},
        {"ts", "ts"},
        {"timestamp", "ts"},
        {"time", "ts"},
        {"occurred_at", "ts"},
        {"occurredAt", "ts"},
        {"created", "ts"},
        {"created_at", "ts"},
        {"version", "version"},
        {"event_number", "version"},
        {"eventNumber", "version"},
        {"sequence", "version"},
        {"actor", "actor"},
        {"user", "actor"},
        {"user_id", "actor"},
        {"principal", "actor"},
        {"data", "data"},
        {"payload", "data"},
        {"body", "data"},
        {"meta", "meta"},
        {"metadata", "meta"},
        {"headers", "meta"},
    };
    std::string content;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        std::string stream = "line-" + std::to_string(i + 1);
        std::string fields;
        auto add = [&](const std::string& key, const std::string& json) {
            fields += (fields.empty() ? "" : ",") + ("\"" + key + "\":" + json);
        };
        add(c.role == "stream" ? c.alias : "stream", "\"" + stream + "\"");
        add(c.role == "ts" ? c.alias : "ts",
            "\"2026-03-0" + std::to_string(i % 9 + 1) + "T00:00:00Z\"");
        if (c.role == "id") add(c.alias, "\"evt-" + std::to_string(i) + "\"");
        if (c.role == "type") add(c.alias, "\"Typed\"");
        if (c.role == "version") add(c.alias, "7");
        if (c.role == "actor") add(c.alias, "\"alice\"");
        if (c.role == "data") add(c.alias, "{\"k\":[1,2]}");
        if (c.role == "meta") add(c.alias, "{\"m\":\"x\"}");
        content += "{" + fields + "}\n";
    }
    auto result = import_text(dir, content);
    CHECK(result.rejects.empty());
    REQUIRE(result.events.size() == cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const auto& e = result.events[i];
        INFO("alias " << c.alias << " for " << c.role);
        CHECK(e.stream == "line-" + std::to_string(i + 1));
        CHECK(e.ts == utc(2026, 3, static_cast<unsigned>(i % 9 + 1)));
        CHECK(e.event_id ==
              (c.role == "id" ? std::optional("evt-" + std::to_string(i)) : std::nullopt));
        CHECK(e.type == (c.role == "type" ? std::optional<std::string>("Typed") : std::nullopt));
        CHECK(e.version == (c.role == "version" ? std::optional<std::int64_t>(7) : std::nullopt));
        CHECK(e.actor == (c.role == "actor" ? std::optional<std::string>("alice") : std::nullopt));
        CHECK(e.data ==
              (c.role == "data" ? std::optional<std::string>("{\"k\":[1,2]}") : std::nullopt));
        CHECK(e.meta ==
              (c.role == "meta" ? std::optional<std::string>("{\"m\":\"x\"}") : std::nullopt));
    }
}

TEST_CASE("the alias table lists each role's names in priority order", "[import][fields]") {
    using V = std::vector<std::string_view>;
    CHECK(role_aliases(Role::id) == V{"id", "event_id", "eventId"});
    CHECK(role_aliases(Role::stream) == V{"stream", "stream_id", "streamId", "aggregate_id",
                                          "aggregateId", "eventStreamId", "subject"});
    CHECK(role_aliases(Role::type) == V{"type", "event_type", "eventType"});
    CHECK(role_aliases(Role::ts) ==
          V{"ts", "timestamp", "time", "occurred_at", "occurredAt", "created", "created_at"});
    CHECK(role_aliases(Role::recorded) == V{"recorded_at", "recordedAt", "recorded"});
    CHECK(role_aliases(Role::version) == V{"version", "event_number", "eventNumber", "sequence"});
    CHECK(role_aliases(Role::actor) == V{"actor", "user", "user_id", "principal"});
    CHECK(role_aliases(Role::data) == V{"data", "payload", "body"});
    CHECK(role_aliases(Role::meta) == V{"meta", "metadata", "headers"});
}

TEST_CASE("import stores the recorded time under each of its aliases", "[import][fields]") {
    TempDir dir;
    auto result = import_text(
        dir, event_line("a", "2026-01-01T00:00:00Z", ",\"recorded_at\":\"2026-01-01T00:00:01Z\"") +
                 event_line("b", "2026-01-01T00:00:00Z", ",\"recordedAt\":1767225602") +
                 event_line("c", "2026-01-01T00:00:00Z", ",\"recorded\":\"2026-01-01T00:00:03Z\"") +
                 event_line("d", "2026-01-01T00:00:00Z", ",\"recorded\":\"soon\""));
    auto db = open_ok(dir.file("case.asof"));
    auto stmt = db.prepare("SELECT recorded_ts FROM events ORDER BY seq");
    REQUIRE(stmt.has_value());
    for (int second = 1; second <= 3; ++second) {
        REQUIRE(*stmt->step());
        CHECK(stmt->column_int(0) == utc(2026, 1, 1, 0, 0, second).time_since_epoch().count());
    }
    CHECK_FALSE(*stmt->step());
    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].line == 4);
    CHECK(result.rejects[0].reason.starts_with("unparseable recorded time: "));
    for (const auto& e : result.events)
        CHECK_FALSE(e.meta.has_value());
}

namespace {

const std::string two_alias_log =
    "{\"stream_id\":\"low\",\"stream\":\"high\",\"ts\":\"2026-01-01T00:00:00Z\"}\n"
    "{\"stream\":\"high\",\"subject\":\"low\",\"ts\":\"2026-01-02T00:00:00Z\"}\n"
    "{\"stream\":\"s\",\"timestamp\":\"2026-05-05T00:00:00Z\",\"ts\":\"2026-01-03T00:00:00Z\"}\n"
    "{\"stream\":\"s\",\"ts\":\"2026-01-04T00:00:00Z\",\"payload\":1,\"data\":2,\"body\":3}\n"
    "{\"stream\":\"s\",\"ts\":\"2026-01-05T00:00:00Z\",\"metadata\":{\"b\":2},\"meta\":{\"a\":1}}"
    "\n";

} // namespace

TEST_CASE("of two aliases for one field the preferred one wins", "[import][fields]") {
    TempDir dir;
    auto result = import_text(dir, two_alias_log);
    REQUIRE(result.events.size() == 5);
    CHECK(result.events[0].stream == "high");
    CHECK(result.events[1].stream == "high");
    CHECK(result.events[1].meta.value_or("-") == "{\"subject\":\"low\"}");
    CHECK(result.events[2].ts == utc(2026, 1, 3));
    CHECK(result.events[3].data.value_or("-") == "2");
    for (const auto& e : result.events)
        CHECK(e.meta.has_value());
    CHECK(result.events[0].meta.value_or("-").find("\"low\"") != std::string::npos);
    CHECK(result.events[2].meta.value_or("-").find("\"2026-05-05T00:00:00Z\"") !=
          std::string::npos);
}

TEST_CASE("a lower-ranked alias read before the preferred one is kept in meta under its name",
          "[import][fields]") {
    TempDir dir;
    auto result = import_text(dir, two_alias_log);
    REQUIRE(result.events.size() == 5);
    CHECK(result.events[0].meta.value_or("-") == "{\"stream_id\":\"low\"}");
    CHECK(result.events[2].meta.value_or("-") == "{\"timestamp\":\"2026-05-05T00:00:00Z\"}");
    CHECK(result.events[3].meta.value_or("-") == "{\"payload\":1,\"body\":3}");
    CHECK(result.events[4].meta.value_or("-") == "{\"a\":1,\"metadata\":{\"b\":2}}");
}

TEST_CASE("unknown top-level fields are kept in meta, merged with the meta object",
          "[import][fields]") {
    TempDir dir;
    auto result = import_text(
        dir, "{\"stream\":\"s\",\"ts\":\"2026-01-01T00:00:00Z\",\"trace\":\"t-1\",\"n\":[1,{\"x\":"
             "null}]}\n"
             "{\"stream\":\"s\",\"ts\":\"2026-01-02T00:00:00Z\",\"meta\":{\"a\":1,\"z\":\"é\"},"
             "\"extra\":true,\"a\":2}\n"
             "{\"stream\":\"s\",\"ts\":\"2026-01-03T00:00:00Z\",\"meta\":\"plain\",\"extra\":1}\n"
             "{\"stream\":\"s\",\"ts\":\"2026-01-04T00:00:00Z\",\"meta\":[1, 2]}\n"
             "{\"stream\":\"s\",\"ts\":\"2026-01-05T00:00:00Z\",\"headers\":{\"h\":1},\"x\":0}\n");
    REQUIRE(result.events.size() == 5);
    CHECK(result.events[0].meta.value_or("-") == "{\"trace\":\"t-1\",\"n\":[1,{\"x\":null}]}");
    CHECK(result.events[1].meta.value_or("-") ==
          "{\"a\":1,\"z\":\"é\",\"extra\":true,\"top:a\":2}");
    CHECK(result.events[2].meta.value_or("-") == "{\"meta\":\"plain\",\"extra\":1}");
    CHECK(result.events[3].meta.value_or("-") == "[1,2]");
    CHECK(result.events[4].meta.value_or("-") == "{\"h\":1,\"x\":0}");
}

TEST_CASE("identifiers that are not strings are kept as their JSON text", "[import][fields]") {
    TempDir dir;
    auto result = import_text(
        dir, "{\"stream\":4721,\"ts\":\"2026-01-01T00:00:00Z\",\"id\":17,\"actor\":{\"n\":\"a\"}}\n"
             "{\"stream\":true,\"ts\":\"2026-01-02T00:00:00Z\",\"type\":[\"A\",\"B\"]}\n");
    REQUIRE(result.events.size() == 2);
    CHECK(result.events[0].stream == "4721");
    CHECK(result.events[0].event_id.value_or("-") == "17");
    CHECK(result.events[0].actor.value_or("-") == "{\"n\":\"a\"}");
    CHECK(result.events[1].stream == "true");
    CHECK(result.events[1].type.value_or("-") == "[\"A\",\"B\"]");
}

TEST_CASE("import --map takes a field from a dotted path and keeps what it does not use",
          "[import][fields]") {
    TempDir dir;
    ImportOptions options;
    options.map = {"stream=headers.aggregate", "ts=when", "actor=by.name"};
    auto result = import_text(
        dir,
        "{\"when\":\"2026-02-01T10:00:00Z\",\"ts\":\"1999-01-01T00:00:00Z\",\"stream\":\"ignored\","
        "\"headers\":{\"aggregate\":\"order-7\",\"user\":\"x\"},\"by\":{\"name\":\"bob\"}}\n"
        "{\"when\":\"2026-02-02T10:00:00Z\",\"stream\":\"s\",\"headers\":{}}\n"
        "{\"ts\":\"2026-02-03T10:00:00Z\",\"headers\":{\"aggregate\":\"order-8\"}}\n",
        options);
    REQUIRE(result.events.size() == 1);
    const auto& e = result.events[0];
    CHECK(e.stream == "order-7");
    CHECK(e.ts == utc(2026, 2, 1, 10));
    CHECK(e.actor.value_or("-") == "bob");
    CHECK(e.meta.value_or("-") ==
          "{\"aggregate\":\"order-7\",\"user\":\"x\",\"ts\":\"1999-01-01T00:00:00Z\","
          "\"stream\":\"ignored\",\"by\":{\"name\":\"bob\"}}");
    REQUIRE(result.rejects.size() == 2);
    CHECK(result.rejects[0].line == 2);
    CHECK(result.rejects[0].reason == "missing stream (looked for headers.aggregate)");
    CHECK(result.rejects[1].line == 3);
    CHECK(result.rejects[1].reason == "missing time (looked for when)");

    auto info = case_info(dir.file("case.asof"));
    REQUIRE(info.sources.size() == 1);
    CHECK(info.sources[0].mapping ==
          "{\"id\":\"auto\",\"stream\":\"headers.aggregate\",\"type\":\"auto\",\"ts\":\"when\","
          "\"recorded\":\"auto\",\"version\":\"auto\",\"actor\":\"by.name\",\"data\":\"auto\","
          "\"meta\":\"auto\"}");
}

TEST_CASE("import --map errors name the bad entry and the import creates nothing",
          "[import][fields]") {
    auto unknown = FieldMap::from_overrides({"stream=s", "colour=c"});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().where == "--map");
    CHECK(unknown.error().message ==
          "unknown key \"colour\" (known: id, stream, type, ts, recorded, version, actor, data, "
          "meta)");

    auto no_equals = FieldMap::from_overrides({"stream"});
    REQUIRE_FALSE(no_equals.has_value());
    CHECK(no_equals.error().where == "--map");
    CHECK(no_equals.error().message == "expected KEY=FIELD, got \"stream\"");

    auto empty_part = FieldMap::from_overrides({"stream=a..b"});
    REQUIRE_FALSE(empty_part.has_value());
    CHECK(empty_part.error().message == "empty field name in \"stream=a..b\"");

    auto empty_field = FieldMap::from_overrides({"stream="});
    REQUIRE_FALSE(empty_field.has_value());
    CHECK(empty_field.error().message == "empty field name in \"stream=\"");

    TempDir dir;
    write_file(dir.file("log.jsonl"), event_line("s", "2026-01-01T00:00:00Z"));
    ImportOptions options;
    options.map = {"colour=c"};
    auto outcome = import_sources({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().where == "--map");
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

// ---------------------------------------------------------------------------------------------
// gzip

namespace {

const std::string mixed_log =
    "{\"id\":\"a\",\"stream\":\"order-1\",\"ts\":\"2026-01-01T00:00:00Z\",\"version\":1,"
    "\"data\":{\"note\":\"Zoë\"}}\n"
    "{\"id\":\"b\",\"stream\":\"order-1\",\"ts\":\"2026-01-02T00:00:00Z\",\"version\":2}\n"
    "not json\n"
    "\n"
    "{\"id\":\"c\",\"stream\":\"order-2\",\"ts\":\"2026-01-03T00:00:00Z\",\"version\":1}\n"
    "{\"id\":\"d\",\"stream\":\"order-2\",\"ts\":\"2026-01-04T00:00:00Z\",\"version\":2,"
    "\"meta\":{\"m\":1}}\n";

std::string describe_events(const std::vector<StoredEvent>& events) {
    std::string out;
    for (const auto& e : events)
        out += std::to_string(e.seq) + " " + e.event_id.value_or("-") + " " + e.stream + " " +
               format_utc(e.ts) + " " + e.data.value_or("-") + " " + e.meta.value_or("-") + "\n";
    return out;
}

} // namespace

TEST_CASE("a gzipped log imports the same events as the plain log", "[import][gzip]") {
    TempDir dir;
    write_file(dir.file("plain.jsonl"), mixed_log);
    std::size_t cut = mixed_log.find("order-2") + 3;
    write_file(dir.file("one.jsonl.gz"), gzip(mixed_log));
    write_file(dir.file("two.jsonl.gz"),
               gzip(mixed_log.substr(0, cut)) + gzip(mixed_log.substr(cut)));

    auto plain = import_ok({dir.file("plain.jsonl")}, dir.file("plain.asof"));
    auto expected = describe_events(events_by_seq(dir.file("plain.asof")));
    auto expected_lines = event_lines(dir.file("plain.asof"));
    REQUIRE(plain.sources[0].events == 4);
    REQUIRE(plain.sources[0].rejected == 1);

    for (const char* name : {"one", "two"}) {
        INFO(name);
        std::string source = dir.file(std::string(name) + ".jsonl.gz");
        std::string case_path = dir.file(std::string(name) + ".asof");
        auto outcome = import_ok({source}, case_path);
        const auto& s = outcome.sources[0];
        CHECK(s.events == plain.sources[0].events);
        CHECK(s.rejected == plain.sources[0].rejected);
        CHECK(s.lines == plain.sources[0].lines);
        CHECK(s.sha256 == sha256_hex(source));
        CHECK(s.sha256 != plain.sources[0].sha256);
        CHECK(describe_events(events_by_seq(case_path)) == expected);
        CHECK(event_lines(case_path) == expected_lines);
        auto rejects = case_rejects(case_path);
        REQUIRE(rejects.size() == 1);
        CHECK(rejects[0].line == 3);
        CHECK(rejects[0].excerpt == "not json");
        CHECK(verify(case_path).ok());
    }
}

TEST_CASE("a corrupt or truncated gzip log fails the import and leaves no case", "[import][gzip]") {
    TempDir dir;
    std::string log;
    for (int i = 0; i < 400; ++i)
        log += "{\"stream\":\"s-" + std::to_string(i % 7) +
               "\",\"ts\":" + std::to_string(1767225600 + i * 37) +
               ",\"data\":{\"i\":" + std::to_string(i) + "}}\n";
    std::string packed = gzip(log);
    REQUIRE(packed.size() > 100);

    std::string truncated = packed.substr(0, packed.size() / 2);
    write_file(dir.file("truncated.jsonl.gz"), truncated);
    auto cut = import_sources({dir.file("truncated.jsonl.gz")}, dir.file("t.asof"), {});
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().message == "gzip data ends early (truncated file?)");
    CHECK(cut.error().where == dir.file("truncated.jsonl.gz"));

    std::string corrupt = packed;
    for (std::size_t i = 20; i < 40; ++i)
        corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    write_file(dir.file("corrupt.jsonl.gz"), corrupt);
    auto bad = import_sources({dir.file("corrupt.jsonl.gz")}, dir.file("c.asof"), {});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.starts_with("corrupt gzip data: "));
    CHECK(bad.error().where == dir.file("corrupt.jsonl.gz"));

    std::string bad_crc = packed;
    bad_crc[bad_crc.size() - 6] = static_cast<char>(bad_crc[bad_crc.size() - 6] ^ 0x01);
    write_file(dir.file("crc.jsonl.gz"), bad_crc);
    auto crc = import_sources({dir.file("crc.jsonl.gz")}, dir.file("k.asof"), {});
    REQUIRE_FALSE(crc.has_value());
    CHECK(crc.error().message == "corrupt gzip data: incorrect data check");

    CHECK(dir.entries() ==
          std::vector<std::string>{"corrupt.jsonl.gz", "crc.jsonl.gz", "truncated.jsonl.gz"});
}

TEST_CASE("import names formats that are not JSON Lines", "[import]") {
    TempDir dir;
    write_file(dir.file("x.jsonl"), "\xEF\xBB\xBF  <?xml version=\"1.0\"?><log/>\n");
    auto xml = import_sources({dir.file("x.jsonl")}, dir.file("x.asof"), {});
    REQUIRE_FALSE(xml.has_value());
    CHECK(xml.error().message == "not JSON Lines: the file is XES");
    write_file(dir.file("z.jsonl"), std::string("PK\x03\x04rest", 8));
    auto zip = import_sources({dir.file("z.jsonl")}, dir.file("z.asof"), {});
    REQUIRE_FALSE(zip.has_value());
    CHECK(zip.error().message == "not JSON Lines: the file is a ZIP archive");
    write_file(dir.file("e.jsonl"), std::string("\x7f"
                                                "ELF\x02\x01\x01",
                                                7));
    auto elf = import_sources({dir.file("e.jsonl")}, dir.file("e.asof"), {});
    REQUIRE_FALSE(elf.has_value());
    CHECK(elf.error().message == "not JSON Lines: the file is an executable (ELF)");
    write_file(dir.file("p.jsonl"), "%PDF-1.7\n");
    auto pdf = import_sources({dir.file("p.jsonl")}, dir.file("p.asof"), {});
    REQUIRE_FALSE(pdf.has_value());
    CHECK(pdf.error().message == "not JSON Lines: the file is a PDF document");
    CHECK(dir.entries() == std::vector<std::string>{"e.jsonl", "p.jsonl", "x.jsonl", "z.jsonl"});
}

// ---------------------------------------------------------------------------------------------
// Atomicity and the source

TEST_CASE("an import cancelled before it starts leaves no case and no temporary file",
          "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    std::atomic<bool> cancel{true};
    ImportOptions options;
    options.cancel = &cancel;
    auto outcome = import_sources({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().message == "import interrupted");
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("an import cancelled from its progress callback leaves no case and no temporary file",
          "[import][atomic]") {
    TempDir dir;
    std::string log;
    for (int i = 0; i < 10000; ++i)
        log += versioned("s-" + std::to_string(i % 10), i / 10 + 1, "2026-01-01T00:00:00Z");
    write_file(dir.file("log.jsonl"), log);
    std::atomic<bool> cancel{false};
    int calls = 0;
    ImportOptions options;
    options.cancel = &cancel;
    options.on_progress = [&](const ImportProgress& progress) {
        ++calls;
        CHECK(progress.phase == ImportPhase::reading); // cancelled before any later step
        CHECK(progress.source == dir.file("log.jsonl"));
        CHECK(progress.raw_total == log.size());
        cancel = true;
    };
    auto outcome = import_sources({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().message == "import interrupted");
    CHECK(calls >= 1);
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("the progress callback ends reading with the final counts, then names the steps",
          "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    std::vector<ImportProgress> seen;
    ImportOptions options;
    options.on_progress = [&](const ImportProgress& p) { seen.push_back(p); };
    import_ok({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE(seen.size() >= 4);
    const ImportProgress& read = seen[seen.size() - 4];
    CHECK(read.phase == ImportPhase::reading);
    CHECK(read.events == 4);
    CHECK(read.rejected == 1);
    CHECK(read.raw_bytes == mixed_log.size());
    CHECK(read.raw_total == mixed_log.size());
    CHECK(seen[seen.size() - 3].phase == ImportPhase::indexing);
    CHECK(seen[seen.size() - 2].phase == ImportPhase::checking);
    CHECK(seen.back().phase == ImportPhase::done);
    for (std::size_t i = 0; i + 3 < seen.size(); ++i)
        CHECK(seen[i].phase == ImportPhase::reading);
}

TEST_CASE("a strict import fails at the first bad line and leaves no case", "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), event_line("s", "2026-01-01T00:00:00Z") + "\n" +
                                          event_line("s", "2026-01-02T00:00:00Z") +
                                          "{\"stream\":\"s\"}\n" +
                                          event_line("s", "2026-01-03T00:00:00Z") + "[]\n");
    ImportOptions options;
    options.strict = true;
    auto outcome = import_sources({dir.file("log.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().where == dir.file("log.jsonl") + ":4");
    CHECK(outcome.error().message ==
          "rejected (--strict): missing time (looked for ts, timestamp, time, occurred_at, "
          "occurredAt, created, created_at)");
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("a strict import of a clean log succeeds", "[import][atomic]") {
    TempDir dir;
    ImportOptions options;
    options.strict = true;
    auto result = import_text(dir,
                              event_line("s", "2026-01-01T00:00:00Z") + "\n" +
                                  event_line("s", "2026-01-02T00:00:00Z"),
                              options);
    CHECK(result.source.events == 2);
    CHECK(result.source.rejected == 0);
}

TEST_CASE("a failed strict import into an existing case leaves the case unchanged",
          "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("first.jsonl"), mixed_log);
    import_ok({dir.file("first.jsonl")}, dir.file("case.asof"));
    std::string before = sha256_hex(dir.file("case.asof"));
    auto info_before = case_info(dir.file("case.asof"));

    write_file(dir.file("second.jsonl"), versioned("order-1", 3, "2026-02-01T00:00:00Z") +
                                             versioned("order-9", 1, "2026-02-02T00:00:00Z") +
                                             "{\"stream\":\"order-9\",\"ts\":\"soon\"}\n");
    ImportOptions options;
    options.strict = true;
    auto outcome = import_sources({dir.file("second.jsonl")}, dir.file("case.asof"), options);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().where == dir.file("second.jsonl") + ":3");

    CHECK(sha256_hex(dir.file("case.asof")) == before);
    auto info_after = case_info(dir.file("case.asof"));
    CHECK(info_after.events == info_before.events);
    CHECK(info_after.streams == info_before.streams);
    CHECK(info_after.rejected == info_before.rejected);
    CHECK(info_after.sources.size() == 1);
    CHECK(dir.entries() == std::vector<std::string>{"case.asof", "first.jsonl", "second.jsonl"});
    CHECK(verify(dir.file("case.asof")).ok());
}

TEST_CASE("import never writes the source file", "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    write_file(dir.file("log.jsonl.gz"), gzip(mixed_log));
    fs::last_write_time(dir.file("log.jsonl"),
                        fs::file_time_type::clock::now() - std::chrono::hours(5));
    fs::last_write_time(dir.file("log.jsonl.gz"),
                        fs::file_time_type::clock::now() - std::chrono::hours(5));
    auto hash_plain = sha256_hex(dir.file("log.jsonl"));
    auto hash_gz = sha256_hex(dir.file("log.jsonl.gz"));
    auto time_plain = fs::last_write_time(dir.file("log.jsonl"));
    auto time_gz = fs::last_write_time(dir.file("log.jsonl.gz"));

    auto outcome = import_ok({dir.file("log.jsonl"), dir.file("log.jsonl.gz")}, dir.file("c.asof"));
    CHECK(outcome.sources[0].sha256 == hash_plain);
    CHECK(outcome.sources[1].sha256 == hash_gz);
    CHECK(sha256_hex(dir.file("log.jsonl")) == hash_plain);
    CHECK(sha256_hex(dir.file("log.jsonl.gz")) == hash_gz);
    CHECK(fs::last_write_time(dir.file("log.jsonl")) == time_plain);
    CHECK(fs::last_write_time(dir.file("log.jsonl.gz")) == time_gz);
}

TEST_CASE("import refuses to write the case over a source", "[import][atomic]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    write_file(dir.file("other.jsonl"), event_line("s", "2026-01-01T00:00:00Z"));
    auto hash = sha256_hex(dir.file("log.jsonl"));

    auto same = import_sources({dir.file("log.jsonl")}, dir.file("log.jsonl"), {});
    REQUIRE_FALSE(same.has_value());
    CHECK(same.error().message == "refusing to write the case file over a source log");
    CHECK(same.error().where == dir.file("log.jsonl"));

    auto second = import_sources({dir.file("other.jsonl"), dir.file("log.jsonl")},
                                 dir.path() + "/./log.jsonl", {});
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().message == "refusing to write the case file over a source log");

    CHECK(sha256_hex(dir.file("log.jsonl")) == hash);
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl", "other.jsonl"});
}

// ---------------------------------------------------------------------------------------------
// Re-imports and several sources

TEST_CASE("importing the same source again adds nothing", "[import][sources]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    write_file(dir.file("copy.jsonl"), mixed_log);
    auto first = import_ok({dir.file("log.jsonl")}, dir.file("case.asof"));
    auto before = case_info(dir.file("case.asof"));
    auto events_before = describe_events(events_by_seq(dir.file("case.asof")));

    for (const char* name : {"log.jsonl", "copy.jsonl"}) {
        INFO(name);
        auto again = import_ok({dir.file(name)}, dir.file("case.asof"));
        REQUIRE(again.sources.size() == 1);
        const auto& s = again.sources[0];
        CHECK(s.already_imported);
        CHECK(s.sha256 == first.sources[0].sha256);
        CHECK(s.events == 0);
        CHECK(s.rejected == 0);
        CHECK(s.lines == 0);
        auto after = case_info(dir.file("case.asof"));
        CHECK(after.events == before.events);
        CHECK(after.rejected == before.rejected);
        CHECK(after.sources.size() == 1);
        CHECK(after.findings.size() == before.findings.size());
        CHECK(describe_events(events_by_seq(dir.file("case.asof"))) == events_before);
    }
    CHECK(verify(dir.file("case.asof")).ok());
}

TEST_CASE("the same source twice in one import is imported once", "[import][sources]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), mixed_log);
    write_file(dir.file("copy.jsonl"), mixed_log);
    auto outcome = import_ok({dir.file("log.jsonl"), dir.file("copy.jsonl")}, dir.file("c.asof"));
    REQUIRE(outcome.sources.size() == 2);
    CHECK_FALSE(outcome.sources[0].already_imported);
    CHECK(outcome.sources[0].events == 4);
    CHECK(outcome.sources[1].already_imported);
    auto info = case_info(dir.file("c.asof"));
    CHECK(info.events == 4);
    CHECK(info.rejected == 1);
    CHECK(info.sources.size() == 1);
    CHECK(info.findings.empty());
    CHECK(verify(dir.file("c.asof")).ok());
}

TEST_CASE("the streams of a source rolled back as a duplicate do not outlive it",
          "[import][sources]") {
    // Read with another mapping, the duplicate names streams the case does not hold; they are
    // rolled back with it, so a later source that uses one of those names must create it anew
    // (it used to get the rolled-back id: its events pointed at no stream, or at another one).
    TempDir dir;
    write_file(dir.file("a.jsonl"),
               "{\"stream\":\"order-1\",\"lane\":\"lane-1\",\"ts\":\"2026-01-01T00:00:00Z\","
               "\"version\":1}\n");
    write_file(dir.file("b.jsonl"),
               "{\"stream\":\"x\",\"lane\":\"lane-7\",\"ts\":\"2026-01-02T00:00:00Z\","
               "\"version\":1}\n"
               "{\"stream\":\"x\",\"lane\":\"lane-1\",\"ts\":\"2026-01-03T00:00:00Z\","
               "\"version\":2}\n");
    import_ok({dir.file("a.jsonl")}, dir.file("case.asof"));
    ImportOptions by_lane;
    by_lane.map = {"stream=lane"};
    auto outcome =
        import_ok({dir.file("a.jsonl"), dir.file("b.jsonl")}, dir.file("case.asof"), by_lane);
    REQUIRE(outcome.sources.size() == 2);
    CHECK(outcome.sources[0].already_imported);
    CHECK(outcome.sources[1].events == 2);

    auto db = open_ok(dir.file("case.asof"));
    CHECK(db.scalar_int("SELECT count(*) FROM events WHERE stream_id NOT IN "
                        "(SELECT id FROM streams)") == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM streams") == 3);
    CHECK(db.scalar_int("SELECT events FROM streams WHERE name = 'lane-1'") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM events e JOIN streams s ON s.id = e.stream_id "
                        "WHERE s.name = 'lane-7'") == 1);
    // The duplicate's version 1 of lane-1 is gone with it, so b's version 2 starts the stream
    // with a gap instead of following a version the case does not hold.
    CHECK(db.scalar_int("SELECT count(*) FROM findings f JOIN streams s ON s.id = f.stream_id "
                        "WHERE s.name = 'lane-1' AND f.kind = 'version_gap'") == 1);
    CHECK(verify(dir.file("case.asof")).ok());
}

TEST_CASE("a second source continues the seq, the imports and the chain", "[import][sources]") {
    TempDir dir;
    write_file(dir.file("a.jsonl"), mixed_log);
    write_file(dir.file("b.jsonl"), versioned("order-1", 3, "2026-02-01T00:00:00Z", "e") +
                                        versioned("order-3", 1, "2026-02-02T00:00:00Z", "f") +
                                        "oops\n");
    import_ok({dir.file("a.jsonl")}, dir.file("case.asof"));
    auto head_a = case_info(dir.file("case.asof")).sources[0].chain_head;
    CHECK(verify(dir.file("case.asof")).head == head_a);

    auto outcome = import_ok({dir.file("b.jsonl")}, dir.file("case.asof"));
    CHECK(outcome.sources[0].events == 2);
    CHECK(outcome.sources[0].findings == 0);

    auto events = events_by_seq(dir.file("case.asof"));
    REQUIRE(events.size() == 6);
    for (std::size_t i = 0; i < events.size(); ++i)
        CHECK(events[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(events[4].event_id.value_or("-") == "e");
    CHECK(events[5].event_id.value_or("-") == "f");

    auto info = case_info(dir.file("case.asof"));
    REQUIRE(info.sources.size() == 2);
    CHECK(info.sources[0].name == "a.jsonl");
    CHECK(info.sources[1].name == "b.jsonl");
    CHECK(info.sources[1].path == dir.file("b.jsonl"));
    CHECK(info.sources[0].chain_head == head_a);
    CHECK(info.sources[1].chain_head != head_a);
    CHECK(info.events == 6);
    CHECK(info.streams == 3);
    CHECK(info.rejected == 2);
    auto rejects = case_rejects(dir.file("case.asof"));
    REQUIRE(rejects.size() == 2);
    CHECK(rejects[0].source == "a.jsonl");
    CHECK(rejects[1].source == "b.jsonl");
    CHECK(rejects[1].line == 3);

    auto report = verify(dir.file("case.asof"));
    CHECK(report.ok());
    CHECK(report.events_checked == 6);
    CHECK(report.head == info.sources[1].chain_head);
    REQUIRE(report.sources.size() == 2);
    CHECK(report.sources[0].status == "unchanged");
    CHECK(report.sources[1].status == "unchanged");
}

TEST_CASE("two sources in one import give the same case as two imports", "[import][sources]") {
    TempDir dir;
    write_file(dir.file("a.jsonl"), mixed_log);
    write_file(dir.file("b.jsonl"), versioned("order-1", 3, "2026-02-01T00:00:00Z", "e") +
                                        versioned("order-3", 1, "2025-12-02T00:00:00Z", "a"));
    import_ok({dir.file("a.jsonl"), dir.file("b.jsonl")}, dir.file("one.asof"));
    import_ok({dir.file("a.jsonl")}, dir.file("two.asof"));
    import_ok({dir.file("b.jsonl")}, dir.file("two.asof"));
    CHECK(describe_events(events_by_seq(dir.file("one.asof"))) ==
          describe_events(events_by_seq(dir.file("two.asof"))));
    CHECK(findings_of(dir.file("one.asof")) == findings_of(dir.file("two.asof")));
    CHECK(findings_of(dir.file("one.asof")) ==
          std::vector<std::string>{"duplicate_event_id order-3 seq 6: event id \"a\" was already "
                                   "used by the event with seq 1"});
    CHECK(verify(dir.file("one.asof")).head == verify(dir.file("two.asof")).head);
}

// ---------------------------------------------------------------------------------------------
// Hash chain and verify

namespace {

// A case of five events in one stream, imported from log.jsonl in `dir`.
std::string five_event_case(const TempDir& dir) {
    std::string log;
    for (int i = 1; i <= 5; ++i)
        log += versioned("s", i, "2026-01-0" + std::to_string(i) + "T00:00:00Z",
                         "e" + std::to_string(i));
    write_file(dir.file("log.jsonl"), log);
    import_ok({dir.file("log.jsonl")}, dir.file("case.asof"));
    return dir.file("case.asof");
}

} // namespace

TEST_CASE("verify finds a fresh case intact and its head equals the recorded head", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    auto report = verify(case_path);
    CHECK(report.ok());
    CHECK(report.problems.empty());
    CHECK(report.events_checked == 5);
    auto info = case_info(case_path);
    REQUIRE(info.sources.size() == 1);
    CHECK(report.head == info.sources[0].chain_head);
    CHECK(report.head.size() == 64);
    CHECK(report.head != std::string(64, '0'));
    REQUIRE(report.sources.size() == 1);
    CHECK(report.sources[0].path == dir.file("log.jsonl"));
    CHECK(report.sources[0].status == "unchanged");
}

TEST_CASE("verify names the event whose data was changed", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path, "UPDATE event_payloads SET data = '{\"forged\":true}' WHERE seq = 3");
    auto report = verify(case_path);
    CHECK_FALSE(report.ok());
    CHECK(report.problems ==
          std::vector<std::string>{"event seq 3 (log.jsonl:3) does not match its hash: "
                                   "its content was changed after import"});
    CHECK(report.events_checked == 5);
}

TEST_CASE("verify notices a change to any stored field", "[verify]") {
    const std::vector<std::string> edits = {
        "UPDATE events SET ts = ts + 1 WHERE seq = 2",
        "UPDATE events SET event_id = 'x' WHERE seq = 2",
        "UPDATE events SET version = 9 WHERE seq = 2",
        "UPDATE events SET type = 'T' WHERE seq = 2",
        "UPDATE events SET actor = 'mallory' WHERE seq = 2",
        "UPDATE events SET recorded_ts = 1 WHERE seq = 2",
        "UPDATE event_payloads SET meta = '{}' WHERE seq = 2",
        "UPDATE streams SET name = 'renamed'",
    };
    for (const auto& edit : edits) {
        INFO(edit);
        TempDir dir;
        auto case_path = five_event_case(dir);
        exec_ok(case_path, edit);
        auto report = verify(case_path);
        CHECK_FALSE(report.ok());
        CHECK(any_contains(report.problems, "event seq 2 (log.jsonl:2) does not match"));
    }
}

TEST_CASE("verify reports a deleted event", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path,
            "DELETE FROM events WHERE seq = 3; DELETE FROM event_payloads WHERE seq = 3");
    auto report = verify(case_path);
    CHECK_FALSE(report.ok());
    CHECK(report.events_checked == 4);
    CHECK(any_contains(report.problems,
                       "log.jsonl recorded 5 events but the case holds 4: events were added or "
                       "deleted after import"));
    CHECK(any_contains(report.problems, "event seq 4 (log.jsonl:4) does not match"));
}

TEST_CASE("verify reports a deleted last event", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path,
            "DELETE FROM events WHERE seq = 5; DELETE FROM event_payloads WHERE seq = 5");
    auto report = verify(case_path);
    CHECK_FALSE(report.ok());
    CHECK(report.problems ==
          std::vector<std::string>{"log.jsonl recorded 5 events but the case holds 4: events were "
                                   "added or deleted after import",
                                   "1 stream links point to no event or carry another time "
                                   "(event_streams)"});
}

TEST_CASE("verify reports a changed stored hash once", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path, "UPDATE event_payloads SET hash = zeroblob(32) WHERE seq = 2");
    auto report = verify(case_path);
    CHECK(report.problems ==
          std::vector<std::string>{"event seq 2 (log.jsonl:2) does not match its hash: "
                                   "its stored hash was changed after import"});
}

TEST_CASE("verify reports a changed recorded chain head", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path, "UPDATE imports SET chain_head = zeroblob(32)");
    auto report = verify(case_path);
    CHECK(report.problems ==
          std::vector<std::string>{"the chain head recorded for log.jsonl does not match its "
                                   "events"});
}

TEST_CASE("verify notices an event removed from its stream's index", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    exec_ok(case_path, "DELETE FROM event_streams WHERE seq = 3");
    EventFilter filter;
    filter.stream = "s";
    REQUIRE(listed_events(case_path, filter).size() == 4);
    CHECK_FALSE(verify(case_path).ok());
}

TEST_CASE("verify reports a changed or missing source", "[verify]") {
    TempDir dir;
    auto case_path = five_event_case(dir);
    write_file(dir.file("log.jsonl"), "changed\n");
    auto changed = verify(case_path);
    CHECK(changed.ok());
    REQUIRE(changed.sources.size() == 1);
    CHECK(changed.sources[0].status == "changed");
    fs::remove(dir.file("log.jsonl"));
    auto missing = verify(case_path);
    REQUIRE(missing.sources.size() == 1);
    CHECK(missing.sources[0].status == "missing");
    CHECK(missing.sources[0].path == dir.file("log.jsonl"));
}

// ---------------------------------------------------------------------------------------------
// Integrity findings

namespace {

// Imports `log` with the import time pinned to 2026-06-01 and returns the findings.
std::vector<std::string> findings_for(const TempDir& dir, const std::string& log) {
    ImportOptions options;
    options.now = utc(2026, 6, 1);
    import_text(dir, log, options);
    return findings_of(dir.file("case.asof"));
}

} // namespace

TEST_CASE("a duplicate event id within one import is a finding", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-01T00:00:00Z", "x") +
                                          versioned("b", 1, "2026-01-02T00:00:00Z", "y") +
                                          versioned("b", 2, "2026-01-03T00:00:00Z", "x") +
                                          versioned("c", 1, "2026-01-04T00:00:00Z", "x"));
    CHECK(findings == std::vector<std::string>{
                          "duplicate_event_id b seq 3: event id \"x\" was already used by the "
                          "event with seq 1",
                          "duplicate_event_id c seq 4: event id \"x\" was already used by the "
                          "event with seq 1"});
    CHECK(case_info(dir.file("case.asof")).sources[0].events == 4);
}

TEST_CASE("a duplicate event id across two imports is a finding of the second", "[integrity]") {
    TempDir dir;
    write_file(dir.file("a.jsonl"), versioned("a", 1, "2026-01-01T00:00:00Z", "x") +
                                        versioned("a", 2, "2026-01-02T00:00:00Z", "y"));
    write_file(dir.file("b.jsonl"), versioned("b", 1, "2026-01-03T00:00:00Z", "y"));
    import_ok({dir.file("a.jsonl")}, dir.file("case.asof"));
    auto outcome = import_ok({dir.file("b.jsonl")}, dir.file("case.asof"));
    CHECK(outcome.sources[0].findings == 1);
    auto info = case_info(dir.file("case.asof"));
    REQUIRE(info.findings.size() == 1);
    CHECK(finding_text(info.findings[0]) ==
          "duplicate_event_id b seq 3: event id \"y\" was already used by the event with seq 2");
    CHECK(verify(dir.file("case.asof")).ok());
}

TEST_CASE("version gaps are findings, including a stream that starts late", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(
        dir,
        versioned("a", 1, "2026-01-01T00:00:00Z") + versioned("a", 2, "2026-01-02T00:00:00Z") +
            versioned("b", 3, "2026-01-02T00:00:00Z") + versioned("a", 5, "2026-01-03T00:00:00Z") +
            versioned("b", 4, "2026-01-04T00:00:00Z") + versioned("a", 6, "2026-01-05T00:00:00Z"));
    CHECK(findings ==
          std::vector<std::string>{
              "version_gap b seq 3: stream starts at version 3; earlier versions are missing",
              "version_gap a seq 4: version 5 follows version 2 (seq 2); 2 missing"});
}

TEST_CASE("a duplicate version is a finding", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-01T00:00:00Z") +
                                          versioned("a", 2, "2026-01-02T00:00:00Z") +
                                          versioned("a", 2, "2026-01-03T00:00:00Z") +
                                          versioned("a", 3, "2026-01-04T00:00:00Z"));
    CHECK(findings ==
          std::vector<std::string>{
              "version_duplicate a seq 3: version 2 also used by the event with seq 2"});
}

TEST_CASE("a version lower than one before it in the file is a regression", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-01T00:00:00Z") +
                                          versioned("a", 3, "2026-01-03T00:00:00Z") +
                                          versioned("b", 1, "2026-01-03T00:00:00Z") +
                                          versioned("a", 2, "2026-01-02T00:00:00Z") +
                                          versioned("a", 4, "2026-01-04T00:00:00Z"));
    CHECK(findings == std::vector<std::string>{
                          "version_regression a seq 4: version 2 at line 4 comes after version 3 "
                          "(seq 2) in file order"});
}

TEST_CASE("out-of-order streams are rechecked: a gap and time along versions are still found",
          "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-01T00:00:00Z") +
                                          versioned("a", 4, "2026-01-04T00:00:00Z") +
                                          versioned("a", 2, "2026-01-05T00:00:00Z") +
                                          versioned("a", 6, "2026-01-06T00:00:00Z"));
    CHECK(findings ==
          std::vector<std::string>{
              "version_gap a seq 2: version 4 follows version 2 (seq 3); 1 missing",
              "time_backwards a seq 2: version 4 at 2026-01-04T00:00:00Z is earlier than version "
              "2 at 2026-01-05T00:00:00Z",
              "version_regression a seq 3: version 2 at line 3 comes after version 4 (seq 2) in "
              "file order",
              "version_gap a seq 4: version 6 follows version 4 (seq 2); 1 missing"});
}

TEST_CASE("time running backwards along versions is a finding", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-02T00:00:00Z") +
                                          versioned("a", 2, "2026-01-01T12:00:00.5Z") +
                                          versioned("a", 3, "2026-01-03T00:00:00Z") +
                                          versioned("b", 1, "2026-01-01T00:00:00Z"));
    CHECK(findings == std::vector<std::string>{
                          "time_backwards a seq 2: version 2 at 2026-01-01T12:00:00.500Z is "
                          "earlier than version 1 at 2026-01-02T00:00:00Z"});
}

TEST_CASE("an event dated after the import is a finding", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, event_line("a", "2026-05-31T23:59:59Z") +
                                          event_line("b", "2026-06-01T00:00:00Z") +
                                          event_line("c", "2026-06-01T00:00:00.000001Z") +
                                          event_line("d", "2030-01-01T00:00:00Z"));
    CHECK(findings ==
          std::vector<std::string>{"future_event c seq 3: dated 2026-06-01T00:00:00.000001Z, "
                                   "after the import at 2026-06-01T00:00:00Z",
                                   "future_event d seq 4: dated 2030-01-01T00:00:00Z, after the "
                                   "import at 2026-06-01T00:00:00Z"});
}

TEST_CASE("versions arriving as 1,3,2,4 give one regression and no gap", "[integrity]") {
    TempDir dir;
    auto findings = findings_for(dir, versioned("a", 1, "2026-01-01T00:00:00Z") +
                                          versioned("a", 3, "2026-01-03T00:00:00Z") +
                                          versioned("a", 2, "2026-01-02T00:00:00Z") +
                                          versioned("a", 4, "2026-01-04T00:00:00Z"));
    CHECK(findings == std::vector<std::string>{
                          "version_regression a seq 3: version 2 at line 3 comes after version 3 "
                          "(seq 2) in file order"});
    auto outcome = case_info(dir.file("case.asof"));
    CHECK(outcome.findings.size() == 1);
}

TEST_CASE("a stream continued by a later import is checked against its stored versions",
          "[integrity]") {
    TempDir dir;
    write_file(dir.file("a.jsonl"), versioned("s", 1, "2026-01-01T00:00:00Z") +
                                        versioned("s", 2, "2026-01-02T00:00:00Z") +
                                        versioned("t", 1, "2026-01-02T00:00:00Z"));
    write_file(dir.file("b.jsonl"), versioned("s", 3, "2026-01-03T00:00:00Z") +
                                        versioned("t", 3, "2026-01-04T00:00:00Z"));
    write_file(dir.file("c.jsonl"), versioned("s", 3, "2026-01-05T00:00:00Z"));
    import_ok({dir.file("a.jsonl")}, dir.file("case.asof"));
    import_ok({dir.file("b.jsonl")}, dir.file("case.asof"));
    CHECK(findings_of(dir.file("case.asof")) ==
          std::vector<std::string>{
              "version_gap t seq 5: version 3 follows version 1 (seq 3); 1 missing"});
    import_ok({dir.file("c.jsonl")}, dir.file("case.asof"));
    CHECK(findings_of(dir.file("case.asof")) ==
          std::vector<std::string>{
              "version_gap t seq 5: version 3 follows version 1 (seq 3); 1 missing",
              "version_duplicate s seq 6: version 3 also used by the event with seq 4"});
}

// ---------------------------------------------------------------------------------------------
// Stream names

TEST_CASE("derive_kind_key splits a stream name into kind and key", "[streams]") {
    struct Case {
        const char* name;
        std::optional<StreamKindKey> expected;
    };
    const Case cases[] = {
        {"discrepancy-4721", StreamKindKey{"discrepancy", "4721"}},
        {"order:990001", StreamKindKey{"order", "990001"}},
        {"Invoice/INV-12", StreamKindKey{"invoice", "INV-12"}},
        {"user_account-42", StreamKindKey{"user", "account-42"}},
        {"Shipment.88", StreamKindKey{"shipment", "88"}},
        {"a-b", StreamKindKey{"a", "b"}},
        {"4721", std::nullopt},
        {"-x", std::nullopt},
        {"abc-", std::nullopt},
        {"abc", std::nullopt},
        {"abc 12", std::nullopt},
        {"", std::nullopt},
        {"Zoë-1", std::nullopt},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto got = derive_kind_key(c.name);
        REQUIRE(got.has_value() == c.expected.has_value());
        if (got) {
            CHECK(got->kind == c.expected->kind);
            CHECK(got->key == c.expected->key);
        }
    }
}

TEST_CASE("import stores each stream's kind and key", "[streams]") {
    TempDir dir;
    import_text(dir, event_line("discrepancy-4721", "2026-01-01T00:00:00Z") +
                         event_line("Invoice/INV-12", "2026-01-01T00:00:00Z") +
                         event_line("4721", "2026-01-01T00:00:00Z"));
    auto db = open_ok(dir.file("case.asof"));
    auto stmt = db.prepare("SELECT name, coalesce(kind, '-'), coalesce(key, '-') FROM streams "
                           "ORDER BY name");
    REQUIRE(stmt.has_value());
    std::vector<std::string> rows;
    while (*stmt->step())
        rows.push_back(std::string(stmt->column_text(0)) + " " + std::string(stmt->column_text(1)) +
                       " " + std::string(stmt->column_text(2)));
    CHECK(rows == std::vector<std::string>{"4721 - -", "Invoice/INV-12 invoice INV-12",
                                           "discrepancy-4721 discrepancy 4721"});
}

// ---------------------------------------------------------------------------------------------
// Listing events

namespace {

std::string listing_case(const TempDir& dir) {
    write_file(dir.file("log.jsonl"), versioned("order-1", 1, "2026-03-01T10:00:00Z", "a") +
                                          versioned("order-2", 1, "2026-03-01T09:00:00Z", "b") +
                                          versioned("order-1", 2, "2026-03-01T10:00:00Z", "c") +
                                          versioned("order-2", 2, "2026-03-01T10:00:00Z", "d") +
                                          versioned("order-1", 3, "2026-03-02T00:00:00Z", "e") +
                                          versioned("order-3", 1, "2026-03-01T11:00:00Z", "f") +
                                          versioned("order-1", 4, "2026-03-03T00:00:00Z", "g"));
    import_ok({dir.file("log.jsonl")}, dir.file("case.asof"));
    return dir.file("case.asof");
}

std::string ids(const std::vector<StoredEvent>& events) {
    std::string out;
    for (const auto& e : events)
        out += e.event_id.value_or("?");
    return out;
}

} // namespace

TEST_CASE("for_each_event lists in time order with ties in file order", "[events]") {
    TempDir dir;
    auto case_path = listing_case(dir);
    auto events = listed_events(case_path);
    CHECK(ids(events) == "bacdfeg");
    REQUIRE(events.size() == 7);
    CHECK(events[0].seq == 2);
    CHECK(events[0].stream == "order-2");
    CHECK(events[0].version == 1);
    CHECK(events[0].ts == utc(2026, 3, 1, 9));
}

TEST_CASE("for_each_event filters by stream", "[events]") {
    TempDir dir;
    auto case_path = listing_case(dir);
    EventFilter filter;
    filter.stream = "order-1";
    CHECK(ids(listed_events(case_path, filter)) == "aceg");
    filter.stream = "order-2";
    CHECK(ids(listed_events(case_path, filter)) == "bd");
}

TEST_CASE("for_each_event takes a half-open interval and a limit", "[events]") {
    TempDir dir;
    auto case_path = listing_case(dir);
    EventFilter filter;
    filter.from = utc(2026, 3, 1, 10);
    filter.to = utc(2026, 3, 2);
    CHECK(ids(listed_events(case_path, filter)) == "acdf");
    filter.to = utc(2026, 3, 2) + Micros{1};
    CHECK(ids(listed_events(case_path, filter)) == "acdfe");
    filter.from = utc(2026, 3, 1, 10) + Micros{1};
    CHECK(ids(listed_events(case_path, filter)) == "fe");

    filter.stream = "order-1";
    filter.from = utc(2026, 3, 1, 10);
    filter.to = utc(2026, 3, 3);
    CHECK(ids(listed_events(case_path, filter)) == "ace");

    filter = {};
    filter.limit = 3;
    CHECK(ids(listed_events(case_path, filter)) == "bac");
    filter.limit = 0;
    CHECK(ids(listed_events(case_path, filter)).empty());
    filter.limit = 2;
    filter.stream = "order-1";
    filter.from = utc(2026, 3, 1, 11);
    CHECK(ids(listed_events(case_path, filter)) == "eg");
    filter = {};
    filter.from = utc(2026, 3, 4);
    CHECK(ids(listed_events(case_path, filter)).empty());
}

TEST_CASE("for_each_event rejects an unknown stream and suggests the nearest names", "[events]") {
    TempDir dir;
    write_file(dir.file("log.jsonl"), event_line("discrepancy-4721", "2026-01-01T00:00:00Z") +
                                          event_line("discrepancy-4712", "2026-01-01T00:00:00Z") +
                                          event_line("invoice-12", "2026-01-01T00:00:00Z") +
                                          event_line("shipment-88", "2026-01-01T00:00:00Z") +
                                          event_line("Discrepancy-47", "2026-01-01T00:00:00Z"));
    import_ok({dir.file("log.jsonl")}, dir.file("case.asof"));
    auto db = open_ok(dir.file("case.asof"));
    EventFilter filter;
    filter.stream = "discrepancy-472";
    int visited = 0;
    auto result = for_each_event(db, filter, [&](const StoredEvent&) { ++visited; });
    REQUIRE_FALSE(result.has_value());
    CHECK(visited == 0);
    CHECK(result.error().where == "--stream");
    CHECK(result.error().message ==
          "unknown stream \"discrepancy-472\"; did you mean \"Discrepancy-47\", "
          "\"discrepancy-4712\", \"discrepancy-4721\"?");

    auto nearest = nearest_stream_names(db, "INVOICE-13", 1);
    REQUIRE(nearest.has_value());
    CHECK(*nearest == std::vector<std::string>{"invoice-12"});
}
