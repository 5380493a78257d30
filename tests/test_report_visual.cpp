// Tests of the visual report writers (HTML with its inline SVG timeline, and PDF): reports built
// by hand, with hostile log text that must come out inert (no markup, no script, no reordering
// by bidi controls), byte-identical output, a bounded timeline for many events, and the PDF's
// text read back with poppler's pdftotext and its fonts checked with pdffonts (skipped with a
// warning when poppler-utils is missing).
#include "test_support.hpp"

#include "report/report_writers.hpp"
#include "report/timeline_layout.hpp"
#include "report/visible_text.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace asof;
using namespace asof::report;
using asof::test::TempDir;
using asof::test::poppler;

namespace {

const std::string hostile_script = "<script>alert(1)</script>";
const std::string hostile_svg = "</svg><script>alert(2)</script>";
const std::string hostile_quote = "\" onmouseover=\"alert(3)\" x='y'";
const std::string hostile_formula = "=HYPERLINK(\"http://x\")";
const std::string hostile_controls = "bell\x07 esc\x1b[31m nl\nend";
const std::string rlo = "\xE2\x80\xAE";                // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string arabic = "\xD8\xB7\xD9\x84\xD8\xA8"; // طلب
const std::string hebrew = "\xD7\x94\xD7\x96\xD7\x9E\xD7\xA0\xD7\x94"; // הזמנה
const std::string invalid_utf8 = "bad\xFF\xC0\xAFutf8";

const std::string source_sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const std::string chain_head = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

Timestamp at(const char* iso) {
    auto parsed = parse_iso8601(iso);
    REQUIRE(parsed.has_value());
    return parsed->at;
}

// A report over March 2026 in Europe/Berlin with `count` events of three types spread over the
// interval; `hostile` puts attacker-controlled text in every field that comes from the log.
Report sample_report(std::size_t count, bool hostile) {
    Report r;
    ReportManifest& m = r.manifest;
    m.title = hostile ? "Audit " + hostile_script + rlo + "gpj.exe" : "Audit of orders, March";
    m.case_name = "orders.asof";
    m.query_text = "orders in march 2026";
    m.query_canonical = "orders between 2026-03-01 and 2026-04-01";
    m.zone = "Europe/Berlin";
    m.from = at("2026-03-01T00:00:00+01:00");
    m.to = at("2026-04-01T00:00:00+02:00");
    m.interval_utc = "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z";
    m.interval_zone = "2026-03-01 00:00:00 +01:00 .. 2026-04-01 00:00:00 +02:00";
    m.now = at("2026-04-10T12:00:00Z");
    m.now_text = "2026-04-10T12:00:00Z";
    m.as_of = at("2026-03-20T12:00:00Z");
    m.as_of_text = "2026-03-20T12:00:00Z";
    m.sources.push_back(ReportSource{hostile ? hostile_svg + ".jsonl" : "orders.jsonl", 123456,
                                     source_sha, "jsonl", "", static_cast<std::int64_t>(count), 2});
    m.chain_head = chain_head;
    m.verified = true;
    m.verify_summary = "passes: " + std::to_string(count) + " events checked";
    m.projection_name = "merge";
    m.projection_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    m.asof_version = "0.1.0";
    m.generated_at = at("2026-04-10T12:00:00Z");
    m.generated_at_text = "2026-04-10T12:00:00Z";
    m.matching_events = static_cast<std::int64_t>(count);
    m.listed_events = static_cast<std::int64_t>(count);
    m.stream_count = 2;
    m.notes.push_back("The state diffs leave out streams with more than 10,000 events.");
    if (hostile)
        m.findings.push_back(ReportFinding{"version_gap", hostile_quote, 7, hostile_controls});

    const std::array<std::string, 3> types = {"OrderPlaced", "OrderShipped",
                                              hostile ? hostile_script : "OrderPaid"};
    const std::int64_t span = (*m.to - *m.from).count();
    for (std::size_t i = 0; i < count; ++i) {
        ReportEvent e;
        e.seq = static_cast<std::int64_t>(i + 1);
        e.ts = *m.from + Micros{span / static_cast<std::int64_t>(count + 1) *
                                static_cast<std::int64_t>(i + 1)};
        e.time_utc = format_utc(e.ts);
        e.time_local = format_in_zone(e.ts, *find_zone("Europe/Berlin"));
        e.stream = hostile && i % 2 == 0 ? "order-" + arabic + rlo + "1" : "order-2";
        e.type = types[i % 3];
        e.version = static_cast<std::int64_t>(i / 2 + 1);
        e.actor = hostile ? std::optional<std::string>(hebrew + hostile_quote) : "clerk";
        e.changes.push_back(ReportChange{"/status", "changed", "\"new\"",
                                         hostile ? "\"" + hostile_formula + "\"" : "\"paid\""});
        if (hostile)
            e.changes.push_back(
                ReportChange{"/note" + invalid_utf8, "added", "", "\"" + hostile_controls + "\""});
        r.events.push_back(std::move(e));
    }
    ReportStream s;
    s.name = hostile ? "order-" + arabic + rlo + "1" : "order-1";
    s.listed_events = static_cast<std::int64_t>(count);
    s.start_label = m.interval_utc.substr(0, 20);
    s.end_label = "2026-03-31T22:00:00Z";
    s.state_start = nlohmann::json{{"status", "new"}};
    s.state_end = nlohmann::json{{"status", hostile ? hostile_formula : "paid"},
                                 {"note", hostile ? hostile_svg : "ok"}};
    s.diff.push_back(ReportChange{"/status", "changed", "\"new\"", "\"paid\""});
    s.state_at = nlohmann::json{{"status", "new"}};
    r.streams.push_back(std::move(s));
    for (const std::string& t : types)
        r.types.push_back(t);
    std::sort(r.types.begin(), r.types.end());
    return r;
}

std::string html_of(const Report& report) {
    std::string out;
    REQUIRE(write_report_html(report, out).has_value());
    return out;
}

std::string pdf_of(const Report& report) {
    std::string out;
    auto written = write_report_pdf(report, out);
    INFO((written ? std::string() : written.error().describe()));
    REQUIRE(written.has_value());
    return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at_ = text.find(what); at_ != std::string::npos;
         at_ = text.find(what, at_ + what.size()))
        ++n;
    return n;
}

} // namespace

TEST_CASE("visible_text replaces invalid UTF-8 and shows controls and bidi characters",
          "[report-visual]") {
    CHECK(visible_text("plain ASCII") == "plain ASCII");
    CHECK(visible_text(arabic + hebrew) == arabic + hebrew);
    CHECK(visible_text("a" + rlo + "b") == "a[U+202E]b");
    CHECK(visible_text("\xE2\x81\xA6x\xE2\x81\xA9") == "[U+2066]x[U+2069]"); // isolates
    CHECK(visible_text("\xE2\x80\x8F") == "[U+200F]");                       // RLM
    CHECK(visible_text("tab\tnl\n\x7F") == "tab[U+0009]nl[U+000A][U+007F]");
    CHECK(visible_text("\xC2\x85") == "[U+0085]"); // C1 NEL
    CHECK(visible_text("\xFF") == "\xEF\xBF\xBD");
    CHECK(visible_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong
    CHECK(visible_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
    CHECK(visible_text("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // cut short
    CHECK(shortened("abcdef", 4) == "abc\xE2\x80\xA6");
    CHECK(shortened("abcd", 4) == "abcd");
    CHECK(shortened(arabic, 2) == "\xD8\xB7\xE2\x80\xA6");
}

TEST_CASE("HTML report renders hostile log text inert", "[report-visual]") {
    const std::string html = html_of(sample_report(12, true));
    CHECK(html.find("<!DOCTYPE html>") == 0);
    CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; img-src data:\">") != std::string::npos);
    // No script, no markup from the data, no external resource of any kind.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("onmouseover=\"") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&lt;/svg&gt;&lt;script&gt;") != std::string::npos);
    CHECK(html.find("=HYPERLINK(&quot;http://x&quot;)") != std::string::npos);
    CHECK(html.find("x=&#39;y&#39;") != std::string::npos);
    // Exactly one SVG element, balanced.
    CHECK(count_of(html, "<svg") == 1);
    CHECK(count_of(html, "</svg>") == 1);
    CHECK(count_of(html, "<bdi>") == count_of(html, "</bdi>"));
    CHECK(count_of(html, "<table") == count_of(html, "</table>"));
    CHECK(count_of(html, "<tr>") == count_of(html, "</tr>"));
    // Controls, bidi overrides and invalid bytes shown, not passed through.
    CHECK(html.find(rlo) == std::string::npos);
    CHECK(html.find("[U+202E]") != std::string::npos);
    CHECK(html.find('\x07') == std::string::npos);
    CHECK(html.find('\x1b') == std::string::npos);
    CHECK(html.find("bell[U+0007] esc[U+001B][31m nl[U+000A]end") != std::string::npos);
    CHECK(html.find("bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDutf8") != std::string::npos);
    CHECK(html.find('\xFF') == std::string::npos);
    // Right-to-left text kept, isolated in <bdi>.
    CHECK(html.find("<bdi>order-" + arabic + "[U+202E]1</bdi>") != std::string::npos);
    CHECK(html.find("<bdi>" + hebrew) != std::string::npos);
    // Print CSS for A4 with the table header repeated.
    CHECK(html.find("@page { size: A4;") != std::string::npos);
    CHECK(html.find("thead { display: table-header-group; }") != std::string::npos);
}

TEST_CASE("HTML report holds the manifest, the events and the streams", "[report-visual]") {
    const Report report = sample_report(6, false);
    const std::string html = html_of(report);
    for (const std::string& expected :
         {std::string("Audit of orders, March"), std::string("orders.asof"),
          std::string("orders in march 2026"), std::string("orders between 2026-03-01"), source_sha,
          chain_head, std::string("passes: 6 events checked"),
          std::string("The state diffs leave out streams"), std::string("2026-04-10T12:00:00Z"),
          report.manifest.interval_zone, report.events[0].time_local,
          std::string("State as of 2026-03-20T12:00:00Z"), std::string("as of 2026-03-20"),
          std::string("OrderShipped (2)")})
        CHECK(html.find(expected) != std::string::npos);
    // One mark per event, each with its tooltip; one row per event.
    CHECK(count_of(html, "<title>") == 1 + 6);
    CHECK(count_of(html, "<tr><td class=\"mono\"><bdi>2026-") == 6);
    CHECK(html == html_of(report));
}

TEST_CASE("HTML timeline stays bounded for many events", "[report-visual]") {
    const Report report = sample_report(20000, false);
    const std::string html = html_of(report);
    const std::size_t svg_start = html.find("<svg"), svg_end = html.find("</svg>");
    REQUIRE(svg_start != std::string::npos);
    REQUIRE(svg_end != std::string::npos);
    const std::string svg = html.substr(svg_start, svg_end - svg_start);
    CHECK(svg.size() < 400'000);
    CHECK(count_of(svg, "<rect") < 3 * 420 + 20);
    CHECK(svg.find("20,000 events in") != std::string::npos);
    CHECK(count_of(html, "<tr><td class=\"mono\"><bdi>2026-") == 20000);
}

TEST_CASE("timeline layout: lanes by frequency, an other lane, marks and bins in the plot",
          "[report-visual]") {
    Report report = sample_report(30, false);
    for (std::size_t i = 0; i < 12; ++i)
        report.events[i].type = "T" + std::to_string(i);
    TimelineMetrics metrics;
    metrics.plot_width = 500;
    TimelineLayout layout = layout_timeline(report, metrics);
    REQUIRE(layout.lanes.size() == max_timeline_lanes);
    // Three types with 6 events each (ties by name), then T0, T1, T10, T11, T2, T3 alone.
    CHECK(layout.lanes[0].label == "OrderPaid");
    CHECK(layout.lanes[3].label == "T0");
    CHECK(layout.lanes.back().label == "other (6 types)");
    std::int64_t total = 0;
    for (const TimelineLane& lane : layout.lanes)
        total += lane.events;
    CHECK(total == 30);
    CHECK_FALSE(layout.binned);
    CHECK(layout.marks.size() == 30);
    for (const TimelineMark& mark : layout.marks) {
        CHECK(mark.x >= 0);
        CHECK(mark.x <= 500);
    }
    REQUIRE(layout.as_of_x.has_value());
    CHECK(*layout.as_of_x == Approx(500.0 * 19.5 / 31).epsilon(0.01));
    CHECK(!layout.ticks.empty());
    CHECK(layout.from_label == "2026-03-01 00:00:00 +01:00");

    TimelineLayout many = layout_timeline(sample_report(5000, false), metrics);
    CHECK(many.binned);
    CHECK(many.marks.empty());
    std::int64_t binned = 0;
    for (const TimelineBin& bin : many.bins)
        binned += bin.count;
    CHECK(binned == 5000);
    CHECK(many.bins.size() <= 250 * 3);
}

TEST_CASE("PDF report: deterministic, with the manifest, page numbers and embedded fonts",
          "[report-visual]") {
    const Report report = sample_report(40, true);
    const std::string pdf = pdf_of(report);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    CHECK(pdf == pdf_of(report));
    // cairo 1.16 writes the date without the "D:" prefix.
    CHECK(pdf.find("/CreationDate (20260410120000") != std::string::npos);
    if (auto text = poppler("pdftotext", pdf)) {
        CHECK(text->find("Audit <script>alert(1)</script>[U+202E]gpj.exe") != std::string::npos);
        CHECK(text->find("orders in march 2026") != std::string::npos);
        CHECK(text->find(source_sha) != std::string::npos);
        CHECK(text->find(chain_head) != std::string::npos);
        CHECK(text->find("page 1 of") != std::string::npos);
        CHECK(text->find("=HYPERLINK") != std::string::npos);
        CHECK(text->find(rlo) == std::string::npos);
    }
    if (auto fonts = poppler("pdffonts", pdf)) {
        CHECK(fonts->find("DejaVuSans") != std::string::npos);
        // Every font line ends "emb sub uni": yes yes yes.
        std::istringstream lines(*fonts);
        std::string line;
        int font_lines = 0;
        while (std::getline(lines, line)) {
            if (line.find("DejaVu") == std::string::npos) continue;
            ++font_lines;
            CHECK(line.find(" yes yes ") != std::string::npos);
        }
        CHECK(font_lines >= 2);
    }
}

TEST_CASE("PDF report paginates many events and never drops a long value", "[report-visual]") {
    Report report = sample_report(20000, false);
    std::string long_value;
    for (int i = 0; i < 3000; ++i)
        long_value += "tok" + std::to_string(i % 10) + "x ";
    report.events[5].changes.push_back(ReportChange{"/long", "added", "", long_value});
    const std::string pdf = pdf_of(report);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    if (auto text = poppler("pdftotext", pdf)) {
        const std::size_t pages = count_of(*text, "page ");
        CHECK(pages > 100);
        const std::string last = "page " + std::to_string(pages) + " of " + std::to_string(pages);
        CHECK(text->find(last) != std::string::npos);
        // The table's header repeats on every page it spans (all but the first and the last).
        CHECK(count_of(*text, "Changed fields (old") + 2 >= pages);
        std::size_t tokens = 0;
        for (int d = 0; d < 10; ++d)
            tokens += count_of(*text, "tok" + std::to_string(d) + "x");
        CHECK(tokens == 3000);
        CHECK(text->find("20,000 events in") != std::string::npos);
    }
}
