// Golden-output tests of the asof command line, run in-process on tests/fixtures/golden.jsonl.
#include "test_support.hpp"

#include "app/cli.hpp"
#include "eventlog/sqlite.hpp"

#include <cctype>
#include <sstream>
#include <unistd.h>

using namespace asof;
using namespace asof::test;

namespace {

struct CliRun {
    std::vector<std::string> args;
    int code = 0;
    std::string out, err;
};

CliRun cli(std::vector<std::string> args) {
    std::ostringstream out, err;
    CliContext context{out, err};
    CliRun run;
    run.code = run_cli(args, context);
    run.args = std::move(args);
    run.out = out.str();
    run.err = err.str();
    return run;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// Replaces the rest of each line after `marker` (up to `stop`, or the line's end) with `value`.
void mask_after(std::string& text, std::string_view marker, std::string_view value,
                char stop = '\n') {
    for (std::size_t at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + 1)) {
        std::size_t begin = at + marker.size();
        std::size_t end = text.find_first_of(std::string{stop, '\n'}, begin);
        if (end == std::string::npos) end = text.size();
        text.replace(begin, end - begin, value);
    }
}

// Replaces each cache file name (32 hex digits + ".asof") with <CACHE>.
void mask_cache_names(std::string& text) {
    const std::string_view suffix = ".asof";
    for (std::size_t at = text.find(suffix); at != std::string::npos;
         at = text.find(suffix, at + 1)) {
        if (at < 32) continue;
        std::size_t begin = at - 32;
        bool hex = true;
        for (std::size_t i = begin; i < at; ++i)
            hex = hex && std::isxdigit(static_cast<unsigned char>(text[i])) &&
                  !std::isupper(static_cast<unsigned char>(text[i]));
        if (!hex || (begin > 0 && text[begin - 1] != '/')) continue;
        text.replace(begin, 32 + suffix.size(), "<CACHE>");
        at = begin;
    }
}

// What legitimately varies from run to run: the folder, the import time, the cache file name.
std::string normalise(std::string text, const TempDir& dir) {
    replace_all(text, dir.path(), "<DIR>");
    mask_after(text, "\n  imported ", "<TIME>");
    mask_after(text, "\"imported_at\": \"", "<TIME>", '"');
    mask_cache_names(text);
    return text;
}

std::string section(const std::string& text) {
    if (text.empty() || text.ends_with('\n')) return text;
    return text + "\n\\ no newline at end\n";
}

std::string transcript(const std::vector<CliRun>& runs, const TempDir& dir) {
    std::string out;
    for (const auto& run : runs) {
        out += "$ asof";
        for (const auto& arg : run.args)
            out += " " + arg;
        out += "\n--- exit " + std::to_string(run.code) + "\n--- stdout\n" + section(run.out) +
               "--- stderr\n" + section(run.err);
    }
    return normalise(out, dir);
}

// Compares `actual` with tests/golden/NAME.out; with ASOF_UPDATE_GOLDEN=1 writes it instead.
void check_golden(const std::string& name, const std::string& actual) {
    check_golden_file(name + ".out", actual);
}

// A temporary folder holding a copy of the fixture log, optionally imported into golden.asof.
struct GoldenCase {
    TempDir dir;
    std::string log = dir.file("golden.jsonl");
    std::string case_path = dir.file("golden.asof");

    GoldenCase() {
        write_file(log, read_file(std::string(ASOF_TEST_DIR) + "/fixtures/golden.jsonl"));
    }

    CliRun import() {
        auto run = cli({"import", log, "-o", case_path});
        INFO(run.err);
        REQUIRE(run.code == exit_ok);
        return run;
    }
};

// Runs asof with the clock and zone of the replay goldens pinned (Friday 2026-04-17, Berlin).
CliRun with_pinned(std::vector<std::string> args) {
    for (const char* arg : {"--now", "2026-04-17T10:00:00+02:00", "--tz", "Europe/Berlin"})
        args.emplace_back(arg);
    return cli(args);
}

} // namespace

TEST_CASE("cli import prints a summary per source", "[cli][golden]") {
    GoldenCase g;
    auto first = g.import();
    auto again = cli({"import", g.log, "-o", g.case_path});
    CHECK(first.code == exit_ok);
    CHECK(again.code == exit_ok);
    check_golden("import", transcript({first, again}, g.dir));
}

TEST_CASE("cli import --strict stops at the first rejected line", "[cli][golden]") {
    GoldenCase g;
    auto run = cli({"import", g.log, "-o", g.dir.file("strict.asof"), "--strict"});
    CHECK(run.code == exit_bad_input);
    CHECK_FALSE(fs::exists(g.dir.file("strict.asof")));
    check_golden("import-strict", transcript({run}, g.dir));
}

TEST_CASE("cli info summarises the case", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"info", g.case_path});
    CHECK(run.code == exit_ok);
    check_golden("info", transcript({run}, g.dir));
}

TEST_CASE("cli info --json summarises the case", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"info", g.case_path, "--json"});
    CHECK(run.code == exit_ok);
    check_golden("info-json", transcript({run}, g.dir));
}

TEST_CASE("cli rejects lists the rejected lines", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"rejects", g.case_path});
    CHECK(run.code == exit_ok);
    check_golden("rejects", transcript({run}, g.dir));
}

TEST_CASE("cli rejects --json lists the rejected lines", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"rejects", g.case_path, "--json"});
    CHECK(run.code == exit_ok);
    check_golden("rejects-json", transcript({run}, g.dir));
}

TEST_CASE("cli events lists a table in Europe/Berlin time", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--tz", "Europe/Berlin"});
    CHECK(run.code == exit_ok);
    check_golden("events-table", transcript({run}, g.dir));
}

TEST_CASE("cli events writes CSV", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--tz", "Europe/Berlin", "--format", "csv"});
    CHECK(run.code == exit_ok);
    check_golden("events-csv", transcript({run}, g.dir));
}

TEST_CASE("cli events writes JSON", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--tz", "Europe/Berlin", "--format", "json"});
    CHECK(run.code == exit_ok);
    check_golden("events-json", transcript({run}, g.dir));
}

TEST_CASE("cli events writes JSON Lines", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--tz", "Europe/Berlin", "--format", "jsonl"});
    CHECK(run.code == exit_ok);
    check_golden("events-jsonl", transcript({run}, g.dir));
}

TEST_CASE("cli events lists one stream over local days as a table", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--stream", "discrepancy-4721", "--from", "2026-04-14",
                    "--to", "2026-04-17", "--tz", "Europe/Berlin"});
    CHECK(run.code == exit_ok);
    check_golden("events-interval-table", transcript({run}, g.dir));
}

TEST_CASE("cli events lists one stream over local days as JSON Lines", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--stream", "discrepancy-4721", "--from", "2026-04-14",
                    "--to", "2026-04-17", "--tz", "Europe/Berlin", "--format", "jsonl"});
    CHECK(run.code == exit_ok);
    check_golden("events-interval-jsonl", transcript({run}, g.dir));
}

TEST_CASE("cli events with an unknown stream suggests names and exits 3", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto run = cli({"events", g.case_path, "--stream", "discrepancy-472"});
    CHECK(run.code == exit_bad_input);
    CHECK(run.out.empty());
    check_golden("events-unknown-stream", transcript({run}, g.dir));
}

TEST_CASE("cli verify passes on a fresh case", "[cli][golden]") {
    GoldenCase g;
    g.import();
    auto text = cli({"verify", g.case_path});
    auto json = cli({"verify", g.case_path, "--json"});
    CHECK(text.code == exit_ok);
    CHECK(json.code == exit_ok);
    check_golden("verify-ok", transcript({text, json}, g.dir));
}

TEST_CASE("cli verify fails with exit 4 after tampering", "[cli][golden]") {
    GoldenCase g;
    g.import();
    {
        auto db = sql::Db::open(g.case_path, sql::Db::Mode::read_write);
        REQUIRE(db.has_value());
        REQUIRE(db->exec("UPDATE event_payloads SET data = '{\"amount\":1}' WHERE seq = 17"));
    }
    auto text = cli({"verify", g.case_path});
    auto json = cli({"verify", g.case_path, "--json"});
    CHECK(text.code == exit_verify_failed);
    CHECK(json.code == exit_verify_failed);
    check_golden("verify-tampered", transcript({text, json}, g.dir));
}

TEST_CASE("cli usage errors exit 2", "[cli][golden]") {
    GoldenCase g;
    auto missing = cli({"info"});
    auto events = cli({"events", "--tz", "Europe/Berlin"});
    auto format = cli({"events", g.log, "--format", "xml"});
    auto none = cli({});
    CHECK(missing.code == exit_usage);
    CHECK(events.code == exit_usage);
    CHECK(format.code == exit_usage);
    CHECK(none.code == exit_usage);
    check_golden("usage", transcript({missing, events, format, none}, g.dir));
}

TEST_CASE("cli an unknown subcommand is a usage error", "[cli]") {
    auto run = cli({"frobnicate", "x.asof"});
    CHECK(run.code == exit_usage);
    CHECK(run.out.empty());
    CHECK_FALSE(run.err.empty());
}

TEST_CASE("cli the error for an unknown subcommand names it", "[cli]") {
    auto run = cli({"frobnicate", "x.asof"});
    CHECK(run.code == exit_usage);
    CHECK(run.err.find("frobnicate") != std::string::npos);
}

TEST_CASE("cli --version prints the version", "[cli][golden]") {
    TempDir dir;
    auto run = cli({"--version"});
    CHECK(run.code == exit_ok);
    CHECK(run.out == std::string("asof ") + ASOF_VERSION + "\n");
    check_golden("version", transcript({run}, dir));
}

TEST_CASE("cli a log given as CASE is imported once into the cache", "[cli][golden]") {
    GoldenCase g;
    EnvGuard cache("XDG_CACHE_HOME", g.dir.file("cache"));
    auto first = cli({"info", g.log});
    auto second = cli({"info", g.log});
    auto events = cli({"events", g.log, "--stream", "order:990001", "--format", "jsonl"});
    CHECK(first.code == exit_ok);
    CHECK(second.code == exit_ok);
    CHECK(events.code == exit_ok);
    CHECK_FALSE(first.err.empty());
    CHECK(second.err.empty());
    CHECK(events.err.empty());
    CHECK(second.out == first.out);

    std::vector<std::string> cached;
    for (const auto& entry : fs::directory_iterator(g.dir.file("cache/asof")))
        cached.push_back(entry.path().filename().string());
    REQUIRE(cached.size() == 1);
    CHECK(cached[0].size() == 32 + 5);
    CHECK(cached[0].ends_with(".asof"));
    CHECK(g.dir.entries() == std::vector<std::string>{"cache", "golden.jsonl"});
    check_golden("cache", transcript({first, second, events}, g.dir));
}

TEST_CASE("cli import warns when no line became an event", "[cli]") {
    TempDir dir;
    write_file(dir.file("odd.jsonl"),
               "{\"aggregate\":\"a-1\",\"when\":\"2026-01-01T00:00:00Z\"}\n");
    auto run = cli({"import", dir.file("odd.jsonl"), "-o", dir.file("odd.asof")});
    CHECK(run.code == 0);
    CHECK(run.out.find("0 imported, 1 rejected") != std::string::npos);
    CHECK(run.err.find("warning: no line of " + dir.file("odd.jsonl") + " became an event") !=
          std::string::npos);
    auto mapped = cli({"import", dir.file("odd.jsonl"), "-o", dir.file("mapped.asof"), "--map",
                       "stream=aggregate", "--map", "ts=when"});
    CHECK(mapped.code == 0);
    CHECK(mapped.out.find("1 imported, 0 rejected") != std::string::npos);
    CHECK(mapped.err.empty());
}

TEST_CASE("cli events refuses --from after --to", "[cli]") {
    TempDir dir;
    EnvGuard cache("XDG_CACHE_HOME", dir.file("cache"));
    write_file(dir.file("log.jsonl"), "{\"stream\":\"a-1\",\"ts\":\"2026-01-01T00:00:00Z\"}\n");
    auto run = cli({"events", dir.file("log.jsonl"), "--from", "2026-02-01", "--to", "2026-01-01",
                    "--tz", "UTC"});
    CHECK(run.code == 3);
    CHECK(run.err.find("--from: --from (2026-02-01 00:00:00 +00:00) is after --to "
                       "(2026-01-01 00:00:00 +00:00)") != std::string::npos);
}

namespace {

// `asof query` on the golden case with the clock pinned to Friday 2026-04-17 10:00 in Berlin.
CliRun query_run(const GoldenCase& g, std::vector<std::string> extra) {
    std::vector<std::string> args = {"query", g.case_path};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const char* pinned : {"--now", "2026-04-17T10:00:00+02:00", "--tz", "Europe/Berlin"})
        args.emplace_back(pinned);
    return cli(args);
}

} // namespace

TEST_CASE("cli query answers in a table with the interval it used", "[cli][golden][query]") {
    GoldenCase g;
    g.import();
    auto everything =
        query_run(g, {"everything on discrepancy #4721 between Tuesday and Thursday"});
    CHECK(everything.code == exit_ok);
    auto limited = query_run(g, {"discrepancy #4721 newest first", "--limit", "2"});
    CHECK(limited.code == exit_ok);
    auto none = query_run(g, {"shipment #88 yesterday"});
    CHECK(none.code == exit_ok);
    check_golden("query-table", transcript({everything, limited, none}, g.dir));
}

TEST_CASE("cli query writes JSON, JSON Lines and CSV", "[cli][golden][query]") {
    GoldenCase g;
    g.import();
    auto json = query_run(g, {"discrepancy #4721 tuesday to thursday", "--format", "json"});
    auto limited = query_run(g, {"type:NoteAdded limit 1", "--format", "json"});
    auto unbounded = query_run(g, {"order #990001", "--format", "json"});
    auto jsonl = query_run(g, {"discrepancy #4721 on 2026-03-29", "--format", "jsonl"});
    auto csv = query_run(g, {"where data.amount > 1000", "--format", "csv"});
    for (const auto* run : {&json, &limited, &unbounded, &jsonl, &csv})
        CHECK(run->code == exit_ok);
    check_golden("query-formats", transcript({json, limited, unbounded, jsonl, csv}, g.dir));
}

TEST_CASE("cli query counts by name and by local day and hour", "[cli][golden][query]") {
    GoldenCase g;
    g.import();
    auto by_type = query_run(g, {"discrepancy #4721 count by type"});
    auto by_day =
        query_run(g, {"discrepancy #4721 between 2026-10-24 and 2026-10-25 count by hour"});
    auto by_day_json = query_run(g, {"2026-04-01..2026-04-17 count by day", "--format", "json"});
    auto by_actor_csv = query_run(g, {"count by actor", "--format", "csv"});
    for (const auto* run : {&by_type, &by_day, &by_day_json, &by_actor_csv})
        CHECK(run->code == exit_ok);
    check_golden("query-count", transcript({by_type, by_day, by_day_json, by_actor_csv}, g.dir));
}

TEST_CASE("cli query --explain prints the SQL, parameters and plan", "[cli][golden][query]") {
    GoldenCase g;
    g.import();
    auto run = query_run(
        g, {"discrepancy #4721 tuesday to thursday where data.amount > 1000", "--explain"});
    CHECK(run.code == exit_ok);
    check_golden("query-explain", transcript({run}, g.dir));
}

TEST_CASE("cli query errors point at the column, with exit code 5", "[cli][golden][query]") {
    GoldenCase g;
    g.import();
    auto syntax = query_run(g, {"discrepancy #4721 between tuesday"});
    auto date = query_run(g, {"discrepancy #4721 on 2026-02-29"});
    auto stream = query_run(g, {"discrepancy #4712 yesterday"});
    auto type = query_run(g, {"shipment #88 type:ShipmentNotes"});
    auto changes = query_run(g, {"changes between tuesday and thursday"});
    auto hostile = query_run(g, {"stream:\"\x1b[2Jx\" \"unterminated"});
    for (const auto* run : {&syntax, &date, &stream, &type, &changes, &hostile})
        CHECK(run->code == exit_bad_query);
    check_golden("query-errors", transcript({syntax, date, stream, type, changes, hostile}, g.dir));
}

TEST_CASE("cli query searches payload text and leaves the case readable", "[cli][query]") {
    GoldenCase g;
    g.import();
    auto before = read_file(g.case_path);
    auto plain = query_run(g, {"discrepancy #4721", "--format", "jsonl"});
    CHECK(plain.code == exit_ok);
    CHECK(read_file(g.case_path) == before); // a query without text search writes nothing
    auto text = query_run(g, {"\"reweigh\"", "--format", "jsonl"});
    CHECK(text.code == exit_ok);
    CHECK(text.err.empty());
    CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 2);
    CHECK(text.out.find("\"evt-016\"") != std::string::npos);
    auto verify = cli({"verify", g.case_path});
    CHECK(verify.code == exit_ok); // the index does not disturb the chain

    // A case that cannot be written: substring search, with a note.
    GoldenCase other;
    other.import();
    fs::permissions(other.case_path, fs::perms::owner_read | fs::perms::group_read,
                    fs::perm_options::replace);
    auto fallback = query_run(other, {"\"REWEIGH\"", "--format", "jsonl"});
    fs::permissions(other.case_path, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    CHECK(fallback.code == exit_ok);
    CHECK(std::count(fallback.out.begin(), fallback.out.end(), '\n') == 2);
    if (::geteuid() != 0) // root writes read-only files anyway
        CHECK(fallback.err.find("substring") != std::string::npos);
}

TEST_CASE("cli replay shows the state as of an instant, with blame and warnings",
          "[cli][golden][replay]") {
    GoldenCase g;
    g.import();
    auto text = with_pinned(
        {"replay", g.case_path, "discrepancy #4721", "--at", "wednesday 14:00", "--blame"});
    auto json = with_pinned({"replay", g.case_path, "stream:discrepancy-4721", "--at", "2026-04-14",
                             "--json", "--blame"});
    auto as_of = query_run(g, {"discrepancy #4721 as of wednesday 14:00", "--format", "json"});
    auto unknown = with_pinned({"replay", g.case_path, "discrepancy #4712"});
    auto bad_at = with_pinned({"replay", g.case_path, "shipment #88", "--at", "wednesday 25:00"});
    CHECK(text.code == exit_ok);
    CHECK(json.code == exit_ok);
    CHECK(as_of.code == exit_ok);
    CHECK(unknown.code == exit_bad_query);
    CHECK(bad_at.code == exit_bad_query);
    check_golden("replay", transcript({text, json, as_of, unknown, bad_at}, g.dir));
}

TEST_CASE("cli changes and diff list what each event changed and what differs",
          "[cli][golden][replay]") {
    GoldenCase g;
    g.import();
    auto changes =
        with_pinned({"changes", g.case_path, "discrepancy #4721", "between tuesday and thursday"});
    auto as_query = query_run(g, {"discrepancy #4721 changes between tuesday and thursday"});
    auto changes_json = with_pinned(
        {"changes", g.case_path, "stream:discrepancy-4721", "since 2026-04-16", "--json"});
    auto diff =
        with_pinned({"diff", g.case_path, "discrepancy #4721", "tuesday", "thursday 23:00"});
    auto diff_json = with_pinned(
        {"diff", g.case_path, "discrepancy #4721", "2026-03-10", "2026-03-11 08:00", "--json"});
    auto reversed = with_pinned({"diff", g.case_path, "discrepancy #4721", "thursday", "tuesday"});
    auto bad_range = with_pinned({"changes", g.case_path, "discrepancy #4721", "type:NoteAdded"});
    CHECK(changes.code == exit_ok);
    CHECK(as_query.code == exit_ok);
    CHECK(as_query.out == changes.out); // the query language gives the same answer
    CHECK(changes_json.code == exit_ok);
    CHECK(diff.code == exit_ok);
    CHECK(diff_json.code == exit_ok);
    CHECK(reversed.code == exit_bad_query);
    CHECK(bad_range.code == exit_bad_query);
    check_golden("changes",
                 transcript({changes, changes_json, diff, diff_json, reversed, bad_range}, g.dir));
}

TEST_CASE("cli projections: a file per run, stored in the case, errors naming the rule",
          "[cli][golden][replay]") {
    GoldenCase g;
    g.import();
    std::string projection = g.dir.file("golden.projection.json");
    write_file(projection,
               read_file(std::string(ASOF_TEST_DIR) + "/fixtures/golden.projection.json"));
    std::string broken = g.dir.file("broken.projection.json");
    write_file(broken, R"({"types": {"NoteAdded": [{"append": "notes"}]}})");
    auto shown_default = cli({"projection", g.case_path});
    auto per_run = with_pinned({"replay", g.case_path, "discrepancy #4721", "--at", "thursday",
                                "--projection", projection, "--blame"});
    auto bad = with_pinned({"replay", g.case_path, "discrepancy #4721", "--projection", broken});
    auto stored = cli({"projection", g.case_path, projection});
    auto changes = with_pinned({"changes", g.case_path, "discrepancy #4721", "on 2026-03-11"});
    auto snapshot = cli({"snapshot", g.case_path, "discrepancy #4721", "--every", "4"});
    auto listed = cli({"snapshot", g.case_path, "--list"});
    auto cleared = cli({"projection", g.case_path, "--clear"});
    CHECK(shown_default.code == exit_ok);
    CHECK(per_run.code == exit_ok);
    CHECK(bad.code == exit_bad_input);
    CHECK(stored.code == exit_ok);
    CHECK(changes.code == exit_ok);
    CHECK(snapshot.code == exit_ok);
    CHECK(listed.code == exit_ok);
    CHECK(cleared.code == exit_ok);
    // The stored-at time varies: keep only the lines that do not carry it.
    auto drop_stored_at = [](CliRun run) {
        auto at = run.out.find("stored from ");
        if (at != std::string::npos) run.out.erase(at, run.out.find('\n', at) + 1 - at);
        return run;
    };
    check_golden("projection", transcript({shown_default, per_run, bad, drop_stored_at(stored),
                                           changes, snapshot, listed, cleared},
                                          g.dir));
}
