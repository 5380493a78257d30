// The timeline report core: golden JSON, CSV (+ companion manifest) and Markdown reports of the
// golden fixture, byte-identical re-runs, a hostile log rendered inert in each format, the
// refusal to overwrite the case or a source, and cuts said in the notes.
#include "test_support.hpp"

#include "app/cli.hpp"
#include "eventlog/json_text.hpp"
#include "report/csv_writer.hpp"
#include "report/report_builder.hpp"
#include "report/report_text.hpp"
#include "report/report_writers.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

using namespace asof;
using namespace asof::test;

namespace {

struct Run {
    int code = 0;
    std::string out, err;
};

Run cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliContext context{out, err};
    Run run;
    run.code = run_cli(args, context);
    run.out = out.str();
    run.err = err.str();
    return run;
}

// A folder with a copy of a fixture log imported into case.asof.
struct ReportCase {
    TempDir dir;
    std::string log, case_path = dir.file("case.asof");

    explicit ReportCase(const std::string& fixture) : log(dir.file(fixture)) {
        write_file(log, read_file(std::string(ASOF_TEST_DIR) + "/fixtures/" + fixture));
        auto run = cli({"import", log, "-o", case_path, "-q"});
        INFO(run.err);
        REQUIRE(run.code == exit_ok);
    }

    // `asof report` with the clock, zone and generation time pinned.
    Run report(const std::string& query, const std::string& output,
               std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"report",
                                      case_path,
                                      query,
                                      "-o",
                                      output,
                                      "--now",
                                      "2026-04-17T10:00:00+02:00",
                                      "--tz",
                                      "Europe/Berlin",
                                      "--generated-at",
                                      "2026-04-17T12:00:00Z"};
        args.insert(args.end(), extra.begin(), extra.end());
        return cli(args);
    }
};

const std::string golden_query = "between 2026-03-01 and 2026-03-31";

// The cells of one CSV record starting at `at` (RFC 4180); moves `at` past its line end.
std::vector<std::string> csv_record(const std::string& text, std::size_t& at) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    while (at < text.size()) {
        char c = text[at++];
        if (quoted) {
            if (c == '"' && at < text.size() && text[at] == '"') {
                cells.back() += '"';
                ++at;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c == '\r' && at < text.size() && text[at] == '\n') {
            ++at;
            break;
        } else {
            cells.back() += c;
        }
    }
    return cells;
}

} // namespace

TEST_CASE("report golden json, csv with its manifest, and markdown", "[report][golden]") {
    ReportCase c("golden.jsonl");
    for (const std::string name : {"report.json", "report.csv", "report.md", "report.html"}) {
        auto run = c.report(golden_query, c.dir.file(name), {"--at", "2026-03-15"});
        INFO(run.err);
        REQUIRE(run.code == exit_ok);
        check_golden_file(name, read_file(c.dir.file(name)));
    }
    check_golden_file("report.csv.manifest.json",
                      read_file(c.dir.file("report.csv.manifest.json")));
}

TEST_CASE("report json holds the manifest, the events with changes and the states", "[report]") {
    ReportCase c("golden.jsonl");
    auto run = c.report(golden_query, c.dir.file("r.json"), {"--at", "2026-03-15"});
    REQUIRE(run.code == exit_ok);
    auto doc = nlohmann::json::parse(read_file(c.dir.file("r.json")));
    const auto& m = doc["manifest"];
    CHECK(m["query"]["text"] == golden_query);
    CHECK(m["zone"] == "Europe/Berlin");
    CHECK(m["now"] == "2026-04-17T08:00:00Z");
    CHECK(m["generated_at"] == "2026-04-17T12:00:00Z");
    CHECK(m["asof_version"] == ASOF_VERSION);
    CHECK(m["verify"]["passes"] == true);
    CHECK(m["sources"][0]["name"] == "golden.jsonl");
    CHECK(m["sources"][0]["sha256"].get<std::string>().size() == 64);
    CHECK(m["chain_head"].get<std::string>().size() == 64);
    CHECK(m["counts"]["matching_events"] == doc["events"].size());
    CHECK(m["notes"].empty());
    // evt-005 opened the discrepancy: its changes are every field it set.
    bool found = false;
    for (const auto& event : doc["events"])
        if (event["id"] == "evt-005") {
            found = true;
            CHECK(event["changes"].size() == 3);
            CHECK(event["time"] == "2026-03-10 10:41:00 +01:00");
        }
    CHECK(found);
    for (const auto& stream : doc["streams"])
        if (stream["name"] == "discrepancy-4721") {
            CHECK(stream["start"]["state"].empty());
            CHECK(stream["end"]["state"]["amount"] == 1840);
            CHECK(stream["state_at"]["amount"] == 1840);
            CHECK_FALSE(stream["diff"].empty());
        }
}

TEST_CASE("report re-runs give the same bytes", "[report]") {
    ReportCase c("golden.jsonl");
    for (const std::string name : {"a.json", "a.csv", "a.md", "a.html", "a.pdf"}) {
        auto first = c.report(golden_query, c.dir.file("1" + name));
        auto second = c.report(golden_query, c.dir.file("2" + name));
        REQUIRE(first.code == exit_ok);
        REQUIRE(second.code == exit_ok);
        CHECK(read_file(c.dir.file("1" + name)) == read_file(c.dir.file("2" + name)));
    }
}

TEST_CASE("report pdf of the golden fixture holds the manifest, events and page numbers",
          "[report]") {
    ReportCase c("golden.jsonl");
    auto run = c.report(golden_query, c.dir.file("r.pdf"), {"--at", "2026-03-15"});
    INFO(run.err);
    REQUIRE(run.code == exit_ok);
    std::string pdf = read_file(c.dir.file("r.pdf"));
    REQUIRE(pdf.starts_with("%PDF-"));
    auto json_run = c.report(golden_query, c.dir.file("r.json"), {"--at", "2026-03-15"});
    REQUIRE(json_run.code == exit_ok);
    auto manifest = nlohmann::json::parse(read_file(c.dir.file("r.json")))["manifest"];
    if (auto text = poppler("pdftotext", pdf)) {
        CHECK(text->find(golden_query) != std::string::npos);
        CHECK(text->find(manifest["sources"][0]["sha256"].get<std::string>()) != std::string::npos);
        CHECK(text->find(manifest["chain_head"].get<std::string>()) != std::string::npos);
        CHECK(text->find("golden.jsonl") != std::string::npos);
        CHECK(text->find("page 1 of") != std::string::npos);
    }
    if (auto fonts = poppler("pdffonts", pdf)) CHECK(fonts->find(" no ") == std::string::npos);
}

TEST_CASE("report refuses to overwrite the case file or a source log", "[report]") {
    ReportCase c("golden.jsonl");
    std::string case_before = read_file(c.case_path), log_before = read_file(c.log);
    auto over_case = c.report(golden_query, c.case_path, {"--format", "json"});
    CHECK(over_case.code == exit_bad_input);
    CHECK(over_case.err.find("refusing to write the report over the case file") !=
          std::string::npos);
    auto over_log = c.report(golden_query, c.log, {"--format", "json"});
    CHECK(over_log.code == exit_bad_input);
    CHECK(over_log.err.find("a source log") != std::string::npos);
    // By another name for the same file: a path with "..", and a hard link.
    auto dotted =
        c.report(golden_query,
                 c.dir.path() + "/../" + fs::path(c.dir.path()).filename().string() + "/case.asof",
                 {"--format", "json"});
    CHECK(dotted.code == exit_bad_input);
    fs::create_hard_link(c.log, c.dir.file("link.json"));
    auto linked = c.report(golden_query, c.dir.file("link.json"));
    CHECK(linked.code == exit_bad_input);
    CHECK(read_file(c.case_path) == case_before);
    CHECK(read_file(c.log) == log_before);
    // Nothing was left behind: no temporary file.
    for (const auto& name : c.dir.entries())
        CHECK(name.find(".tmp-") == std::string::npos);
}

TEST_CASE("report says what it cut off", "[report]") {
    ReportCase c("golden.jsonl");
    auto run = c.report(golden_query, c.dir.file("cut.json"), {"--max-events", "3"});
    REQUIRE(run.code == exit_ok);
    CHECK(run.err.find("asof: note: lists 3 of") != std::string::npos);
    auto doc = nlohmann::json::parse(read_file(c.dir.file("cut.json")));
    CHECK(doc["events"].size() == 3);
    CHECK(doc["manifest"]["counts"]["listed_events"] == 3);
    CHECK(doc["manifest"]["counts"]["matching_events"].get<int>() > 3);
    REQUIRE(doc["manifest"]["notes"].size() == 1);
    CHECK(doc["manifest"]["notes"][0].get<std::string>().find("--max-events") != std::string::npos);

    // The cap on replayed streams, through the builder.
    auto db = open_ok(c.case_path);
    report::ReportRequest request;
    request.query_text = golden_query;
    request.clock = {utc(2026, 4, 17, 8), nullptr};
    request.case_path = c.case_path;
    request.generated_at = utc(2026, 4, 17, 12);
    request.max_streams = 1;
    auto built = report::build_report(db, request);
    REQUIRE(built);
    CHECK(built->streams.size() == 1);
    CHECK(built->manifest.stream_count > 1);
    bool said = false;
    for (const auto& note : built->manifest.notes)
        said = said || note.find("first 1 streams") != std::string::npos;
    CHECK(said);
}

TEST_CASE("report command errors: format, query", "[report]") {
    ReportCase c("golden.jsonl");
    auto no_format = c.report(golden_query, c.dir.file("report.txt"));
    CHECK(no_format.code == exit_usage);
    CHECK(no_format.err.find("--format") != std::string::npos);
    auto bad_query = c.report("between tuesday", c.dir.file("r.json"));
    CHECK(bad_query.code == exit_bad_query);
    auto counting = c.report("count by type", c.dir.file("r.json"));
    CHECK(counting.code == exit_bad_query);
    auto html = c.report(golden_query, c.dir.file("r.html"));
    CHECK(html.code == exit_ok);
    CHECK_FALSE(fs::exists(c.dir.file("r.json")));
}

TEST_CASE("report renders a hostile log inert in html and pdf", "[report][hostile]") {
    ReportCase c("hostile.jsonl");
    auto html_run = c.report("everything", c.dir.file("h.html"));
    INFO(html_run.err);
    REQUIRE(html_run.code == exit_ok);
    std::string html = read_file(c.dir.file("h.html"));
    CHECK(html.find("Content-Security-Policy") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("</svg>") == html.rfind("</svg>")); // the timeline's own, once
    CHECK(html.find(" onmouseover=") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos); // the log's <img src=x ...> shows as text
    CHECK(html.find("&lt;img src=x") != std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    for (std::size_t i = 0; i < html.size(); ++i)
        CHECK(bidi_control_length(html, i) == 0);
    CHECK(html.find('\x07') == std::string::npos);
    CHECK(html.find('\x1b') == std::string::npos);
    CHECK(html.find("[U+202E]") != std::string::npos);

    auto pdf_run = c.report("everything", c.dir.file("h.pdf"));
    REQUIRE(pdf_run.code == exit_ok);
    if (auto text = poppler("pdftotext", read_file(c.dir.file("h.pdf")))) {
        CHECK(text->find("[U+202E]") != std::string::npos);
        // pdftotext itself wraps right-to-left runs in U+202B..U+202C; the log's override
        // (U+202E) must not be there.
        CHECK(text->find("\u202E") == std::string::npos);
    }
}

TEST_CASE("report renders a hostile log inert in csv", "[report][hostile]") {
    ReportCase c("hostile.jsonl");
    auto run = c.report("everything", c.dir.file("h.csv"));
    INFO(run.err);
    REQUIRE(run.code == exit_ok);
    std::string text = read_file(c.dir.file("h.csv"));
    // No bidi control and no control character other than the CRLF record ends and the
    // tab/CR the cells hold (quoted).
    for (std::size_t i = 0; i < text.size(); ++i)
        CHECK(bidi_control_length(text, i) == 0);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("\\u202e") != std::string::npos);
    std::size_t at = 0;
    auto header = csv_record(text, at);
    REQUIRE(header.size() == 9);
    int rows = 0;
    while (at < text.size()) {
        auto cells = csv_record(text, at);
        REQUIRE(cells.size() == 9);
        ++rows;
        for (const auto& cell : cells) {
            if (cell.empty()) continue;
            char first = cell.front();
            bool plain_number = cell == "+1" || cell == "-2";
            if (!plain_number) {
                INFO(cell);
                CHECK(std::string("=+-@\t\r").find(first) == std::string::npos);
            }
        }
    }
    CHECK(rows == 7);
    CHECK(text.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"") != std::string::npos);
    CHECK(text.find("\"'@x\"") != std::string::npos);
    CHECK(text.find("\"'\tTAB\"") != std::string::npos);
    CHECK(text.find("\"'\rCR\"") != std::string::npos);
    CHECK(text.find("\"'-2+cmd|' /C calc'!A0\"") != std::string::npos);
    // The companion manifest is valid JSON.
    auto manifest = nlohmann::json::parse(read_file(c.dir.file("h.csv.manifest.json")));
    CHECK(manifest["manifest"]["counts"]["listed_events"] == 7);
}

TEST_CASE("report renders a hostile log inert in json", "[report][hostile]") {
    ReportCase c("hostile.jsonl");
    auto run = c.report("everything", c.dir.file("h.json"));
    REQUIRE(run.code == exit_ok);
    std::string text = read_file(c.dir.file("h.json"));
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        CHECK((byte >= 0x20 || byte == '\n'));
        CHECK(bidi_control_length(text, i) == 0);
    }
    CHECK(text.find("\\u202e") != std::string::npos);
    CHECK(text.find("\\u0007") != std::string::npos);
    CHECK(text.find("\\u001b") != std::string::npos);
    // The values are intact once parsed: escaping changed the text, not the data.
    auto doc = nlohmann::json::parse(text);
    bool found = false;
    for (const auto& event : doc["events"])
        if (event["actor"] == "mallory\u202E") found = true;
    CHECK(found);
    CHECK(doc["events"][4]["data"]["arabic"] == "مرحبا بالعالم");
    CHECK(doc["events"][0]["stream"] == "invoice-<script>alert(1)</script>");
}

TEST_CASE("report renders a hostile log inert in markdown", "[report][hostile]") {
    ReportCase c("hostile.jsonl");
    auto run = c.report("everything", c.dir.file("h.md"), {"--title", "<b>[x](javascript:y)</b>"});
    REQUIRE(run.code == exit_ok);
    std::string text = read_file(c.dir.file("h.md"));
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        CHECK((byte >= 0x20 || byte == '\n'));
        CHECK(bidi_control_length(text, i) == 0);
    }
    // Outside the fenced JSON blocks no '<', raw '[', or '|' from the log forms anything.
    std::string prose;
    bool fenced = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("```")) {
            fenced = !fenced;
            continue;
        }
        if (!fenced) prose += line + "\n";
    }
    CHECK(prose.find('<') == std::string::npos);
    CHECK(prose.find('>') == std::string::npos);
    for (std::size_t i = 0; i < prose.size(); ++i)
        if (prose[i] == '[' || prose[i] == ']') CHECK((i > 0 && prose[i - 1] == '\\'));
    CHECK(prose.find("invoice-&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(prose.find("# &lt;b&gt;\\[x\\](javascript:y)&lt;/b&gt;") != std::string::npos);
    // Every table row has exactly as many unescaped '|' as its header.
    std::istringstream again(prose);
    for (std::string line; std::getline(again, line);) {
        if (!line.starts_with("| ")) continue;
        std::size_t bars = 0;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++bars;
        INFO(line);
        CHECK((bars == 3 || bars == 5 || bars == 8 || bars == 9));
    }
    CHECK(text.find("\\u202e") != std::string::npos);
    CHECK(text.find("مرحبا بالعالم") != std::string::npos);
    CHECK(text.find("שלום עולם") != std::string::npos);
}

TEST_CASE("inert text and markdown escaping", "[report]") {
    CHECK(inert_text("a\x07z") == "a\\u0007z");
    CHECK(inert_text("a\tb\n", "\t") == "a\tb\\u000a");
    CHECK(inert_text("x\xff") == "x\uFFFD");
    CHECK(inert_text("\u202Eabc\u2066") == "\\u202eabc\\u2066");
    CHECK(inert_text("\u200F\u061C") == "\\u200f\\u061c");
    CHECK(inert_text("\xc2\x9b") == "\\u009b");
    CHECK(inert_text("Zoë — שלום") == "Zoë — שלום");
    CHECK(printable("a\u202Eb") == "a\\u202eb");
    CHECK(report::markdown_text("a|b`c<d>&[e](f)") == "a\\|b\\`c&lt;d&gt;&amp;\\[e\\](f)");
    CHECK(report::json_inert("\"\u202E\u2028\x7f\"") == "\"\\u202e\\u2028\\u007f\"");
}

TEST_CASE("report formats from names and paths", "[report]") {
    using report::ReportFormat;
    CHECK(report::report_format_from_path("a/b.HTM") == ReportFormat::html);
    CHECK(report::report_format_from_path("b.markdown") == ReportFormat::md);
    CHECK(report::report_format_from_path("b.csv") == ReportFormat::csv);
    CHECK_FALSE(report::report_format_from_path("b"));
    CHECK_FALSE(report::report_format_from_name("docx"));
    CHECK(report::csv_manifest_path("out/r.csv") == "out/r.csv.manifest.json");
}
