// Tests of the timeline panel and its time axis: tick placement and labels at every level of the
// ladder and across daylight-saving changes; and, in a headless ImGui context, fitting, wheel
// zoom, panning, picking marks, cursors, range selection, keys, and the bounded cost of drawing
// hundreds of thousands of events.
#include "test_support.hpp"

#include "eventlog/time_axis.hpp"
#include "query/result_set.hpp"
#include "query_support.hpp"
#include "ui/timeline.hpp"
#include "ui_support.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

#include <cmath>
#include <numeric>
#include <set>

using namespace asof;
using namespace asof::test;
using namespace asof::ui;

namespace {

std::int64_t us(const char* iso) {
    auto parsed = parse_iso8601(iso);
    INFO(iso);
    REQUIRE(parsed.has_value());
    return parsed->at.time_since_epoch().count();
}

const date::time_zone* zone(const char* name) {
    auto found = find_zone(name);
    REQUIRE(found.has_value());
    return *found;
}

std::string iso(std::int64_t ts) {
    return format_utc(Timestamp{Micros{ts}});
}

// The ticks as "label@UTC instant" strings ("*" marks a major tick), for readable comparisons.
std::vector<std::string> describe(const std::vector<Tick>& ticks) {
    std::vector<std::string> out;
    for (const Tick& tick : ticks)
        out.push_back((tick.major ? "*" : "") + tick.label + "@" + iso(tick.ts));
    return out;
}

std::vector<std::string> labels(const std::vector<Tick>& ticks) {
    std::vector<std::string> out;
    for (const Tick& tick : ticks)
        out.push_back((tick.major ? "*" : "") + tick.label);
    return out;
}

using Strings = std::vector<std::string>;

std::vector<Tick> ticks(const char* from, const char* to, double pixels, double spacing,
                        const char* zone_name = "UTC") {
    return axis_ticks(us(from), us(to), pixels, spacing, zone(zone_name));
}

} // namespace

TEST_CASE("axis: year steps grow 1, 2, 5, 10, ... and decades are major", "[ui][timeline]") {
    // 50 years on 1000 px: a year is 20 px, so with 60 px apart the step is 5 years.
    CHECK(labels(ticks("2000-01-01T00:00Z", "2050-01-01T00:00Z", 1000, 60)) ==
          Strings{"*2000", "2005", "2010", "2015", "2020", "2025", "2030", "2035", "2040", "2045"});
    CHECK(iso(ticks("2000-01-01T00:00Z", "2050-01-01T00:00Z", 1000, 60)[1].ts) ==
          "2005-01-01T00:00:00Z");
    // A thousand years: 100-year steps.
    CHECK(labels(ticks("1000-01-01T00:00Z", "2000-01-01T00:00Z", 1000, 60)) ==
          Strings{"*1000", "1100", "1200", "1300", "1400", "1500", "1600", "1700", "1800", "1900"});
    // Ten years on 1000 px: yearly, 2020 major.
    CHECK(labels(ticks("2016-06-01T00:00Z", "2026-06-01T00:00Z", 1000, 60)) ==
          Strings{"2017", "2018", "2019", "*2020", "2021", "2022", "2023", "2024", "2025", "2026"});
}

TEST_CASE("axis: months and quarters, January major with its year", "[ui][timeline]") {
    CHECK(labels(ticks("2026-01-01T00:00Z", "2027-01-01T00:00Z", 1200, 60)) ==
          Strings{"*Jan 2026", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"});
    CHECK(labels(ticks("2026-01-01T00:00Z", "2028-01-01T00:00Z", 1000, 60)) ==
          Strings{"*Jan 2026", "Apr", "Jul", "Oct", "*Jan 2027", "Apr", "Jul", "Oct"});
    // In Berlin a month starts at local midnight: 22:00Z the day before in summer time.
    CHECK(describe(ticks("2026-03-15T00:00Z", "2026-06-15T00:00Z", 600, 60, "Europe/Berlin")) ==
          Strings{"Apr@2026-03-31T22:00:00Z", "May@2026-04-30T22:00:00Z",
                  "Jun@2026-05-31T22:00:00Z"});
}

TEST_CASE("axis: weeks start on Monday; the first Monday of a month is major", "[ui][timeline]") {
    CHECK(describe(ticks("2026-04-01T00:00Z", "2026-06-01T00:00Z", 600, 60)) ==
          Strings{"*6 Apr 2026@2026-04-06T00:00:00Z", "13 Apr@2026-04-13T00:00:00Z",
                  "20 Apr@2026-04-20T00:00:00Z", "27 Apr@2026-04-27T00:00:00Z",
                  "*4 May 2026@2026-05-04T00:00:00Z", "11 May@2026-05-11T00:00:00Z",
                  "18 May@2026-05-18T00:00:00Z", "25 May@2026-05-25T00:00:00Z"});
}

TEST_CASE("axis: days, the 1st of a month major; two-day steps restart each month",
          "[ui][timeline]") {
    CHECK(labels(ticks("2026-04-10T00:00Z", "2026-04-20T00:00Z", 1000, 60)) ==
          Strings{"Fri 10", "Sat 11", "Sun 12", "Mon 13", "Tue 14", "Wed 15", "Thu 16", "Fri 17",
                  "Sat 18", "Sun 19"});
    CHECK(labels(ticks("2026-03-28T00:00Z", "2026-04-04T00:00Z", 700, 60)) ==
          Strings{"Sat 28", "Sun 29", "Mon 30", "Tue 31", "*1 Apr 2026", "Thu 2", "Fri 3"});
    // Two-day steps: 21, 23, ... 29, then the 1st (the 31st would stand one day from it).
    CHECK(labels(ticks("2026-01-20T00:00Z", "2026-02-10T00:00Z", 1000, 60)) ==
          Strings{"Wed 21", "Fri 23", "Sun 25", "Tue 27", "Thu 29", "*1 Feb 2026", "Tue 3", "Thu 5",
                  "Sat 7", "Mon 9"});
}

TEST_CASE("axis: the leap day has its tick", "[ui][timeline]") {
    CHECK(labels(ticks("2028-02-25T00:00Z", "2028-03-03T00:00Z", 700, 60)) ==
          Strings{"Fri 25", "Sat 26", "Sun 27", "Mon 28", "Tue 29", "*1 Mar 2028", "Thu 2"});
    // Two-day steps in a leap February: 27 then 1 March (29 would stand one day from it).
    auto two_days = labels(ticks("2028-02-20T00:00Z", "2028-03-06T00:00Z", 700, 60));
    CHECK(two_days ==
          Strings{"Mon 21", "Wed 23", "Fri 25", "Sun 27", "*1 Mar 2028", "Fri 3", "Sun 5"});
}

TEST_CASE("axis: hours, with the date at midnight", "[ui][timeline]") {
    auto hourly = ticks("2026-04-15T00:00Z", "2026-04-16T00:00Z", 1440, 50);
    REQUIRE(hourly.size() == 24);
    CHECK(hourly[0].label == "Wed 15 Apr");
    CHECK(hourly[0].major);
    CHECK(hourly[14].label == "14:00");
    CHECK_FALSE(hourly[14].major);
    CHECK(iso(hourly[14].ts) == "2026-04-15T14:00:00Z");
    CHECK(labels(ticks("2026-04-15T00:00Z", "2026-04-16T00:00Z", 480, 50)) ==
          Strings{"*Wed 15 Apr", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"});
    CHECK(labels(ticks("2026-04-14T00:00Z", "2026-04-17T00:00Z", 500, 50)) ==
          Strings{"*Tue 14 Apr", "12:00", "*Wed 15 Apr", "12:00", "*Thu 16 Apr", "12:00"});
    // A zone 5:45 ahead of UTC: local hours fall at a quarter past the UTC hour.
    auto kathmandu = ticks("2026-04-15T00:00Z", "2026-04-15T03:00Z", 300, 60, "Asia/Kathmandu");
    CHECK(describe(kathmandu) == Strings{"06:00@2026-04-15T00:15:00Z", "07:00@2026-04-15T01:15:00Z",
                                         "08:00@2026-04-15T02:15:00Z"});
}

TEST_CASE("axis: minutes, seconds and milliseconds", "[ui][timeline]") {
    CHECK(labels(ticks("2026-04-15T14:00Z", "2026-04-15T15:00Z", 1200, 60)) ==
          Strings{"*14:00", "14:05", "14:10", "14:15", "14:20", "14:25", "14:30", "14:35", "14:40",
                  "14:45", "14:50", "14:55"});
    CHECK(labels(ticks("2026-04-15T13:50Z", "2026-04-15T14:50Z", 300, 60)) ==
          Strings{"*14:00", "14:15", "14:30", "14:45"});
    CHECK(labels(ticks("2026-04-15T14:05:00Z", "2026-04-15T14:06:00Z", 1200, 60)) ==
          Strings{"*14:05:00", "14:05:05", "14:05:10", "14:05:15", "14:05:20", "14:05:25",
                  "14:05:30", "14:05:35", "14:05:40", "14:05:45", "14:05:50", "14:05:55"});
    CHECK(labels(ticks("2026-04-15T14:05:30Z", "2026-04-15T14:05:31Z", 1000, 60)) ==
          Strings{"*14:05:30", ".100", ".200", ".300", ".400", ".500", ".600", ".700", ".800",
                  ".900"});
    CHECK(labels(ticks("2026-04-15T14:05:30.990Z", "2026-04-15T14:05:31.010Z", 400, 60)) ==
          Strings{".990", ".995", "*14:05:31", ".005"});
    // Midnight shows the date even among milliseconds.
    CHECK(labels(ticks("2026-04-15T23:59:59.800Z", "2026-04-16T00:00:00.300Z", 500, 60)) ==
          Strings{".800", ".900", "*Thu 16 Apr", ".100", ".200"});
}

TEST_CASE("axis: tiny intervals get a millisecond tick", "[ui][timeline]") {
    CHECK(describe(ticks("2026-04-15T14:05:30.250Z", "2026-04-15T14:05:30.251Z", 1000, 60)) ==
          Strings{".250@2026-04-15T14:05:30.250Z"});
    const std::int64_t from = us("2026-04-15T14:05:30.250Z") + 500;
    CHECK(describe(axis_ticks(from, from + 1000, 1000, 60, nullptr)) ==
          Strings{".251@2026-04-15T14:05:30.251Z"});
}

TEST_CASE("axis: spring forward skips the missing local hour", "[ui][timeline]") {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z.
    CHECK(describe(ticks("2026-03-28T23:00Z", "2026-03-29T04:00Z", 500, 60, "Europe/Berlin")) ==
          Strings{"*Sun 29 Mar@2026-03-28T23:00:00Z", "01:00@2026-03-29T00:00:00Z",
                  "03:00@2026-03-29T01:00:00Z", "04:00@2026-03-29T02:00:00Z",
                  "05:00@2026-03-29T03:00:00Z"});
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z.
    CHECK(describe(ticks("2026-03-08T05:00Z", "2026-03-08T10:00Z", 500, 60, "America/New_York")) ==
          Strings{"*Sun 8 Mar@2026-03-08T05:00:00Z", "01:00@2026-03-08T06:00:00Z",
                  "03:00@2026-03-08T07:00:00Z", "04:00@2026-03-08T08:00:00Z",
                  "05:00@2026-03-08T09:00:00Z"});
    // Local midnights around the change are 23 hours apart.
    CHECK(describe(ticks("2026-03-27T23:00Z", "2026-04-01T21:00Z", 500, 60, "Europe/Berlin")) ==
          Strings{"Sat 28@2026-03-27T23:00:00Z", "Sun 29@2026-03-28T23:00:00Z",
                  "Mon 30@2026-03-29T22:00:00Z", "Tue 31@2026-03-30T22:00:00Z",
                  "*1 Apr 2026@2026-03-31T22:00:00Z"});
}

TEST_CASE("axis: fall back gives the repeated hour two ticks", "[ui][timeline]") {
    // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z.
    CHECK(describe(ticks("2026-10-24T22:00Z", "2026-10-25T05:00Z", 700, 60, "Europe/Berlin")) ==
          Strings{"*Sun 25 Oct@2026-10-24T22:00:00Z", "01:00@2026-10-24T23:00:00Z",
                  "02:00@2026-10-25T00:00:00Z", "02:00@2026-10-25T01:00:00Z",
                  "03:00@2026-10-25T02:00:00Z", "04:00@2026-10-25T03:00:00Z",
                  "05:00@2026-10-25T04:00:00Z"});
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00Z.
    CHECK(describe(ticks("2026-11-01T04:00Z", "2026-11-01T10:00Z", 600, 60, "America/New_York")) ==
          Strings{"*Sun 1 Nov@2026-11-01T04:00:00Z", "01:00@2026-11-01T05:00:00Z",
                  "01:00@2026-11-01T06:00:00Z", "02:00@2026-11-01T07:00:00Z",
                  "03:00@2026-11-01T08:00:00Z", "04:00@2026-11-01T09:00:00Z"});
    // With 2-hour steps the second 02:00 would stand one hour after the first: it is dropped
    // rather than crowding the axis.
    CHECK(describe(ticks("2026-10-24T22:00Z", "2026-10-25T05:00Z", 350, 60, "Europe/Berlin")) ==
          Strings{"*Sun 25 Oct@2026-10-24T22:00:00Z", "02:00@2026-10-25T00:00:00Z",
                  "04:00@2026-10-25T03:00:00Z"});
}

TEST_CASE("axis: ticks are ordered, inside the interval, spaced and bounded in number",
          "[ui][timeline]") {
    const std::vector<const date::time_zone*> zones = {
        nullptr, zone("Europe/Berlin"), zone("America/New_York"), zone("Asia/Kathmandu"),
        zone("Australia/Lord_Howe")};
    const std::int64_t base = us("2026-03-29T00:30Z");
    std::uint64_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>(seed >> 40);
    };
    int checked = 0;
    for (std::int64_t span = 1'000; span < 3'000'000'000'000'000LL; span *= 3)
        for (double pixels : {40.0, 300.0, 1280.0, 3840.0})
            for (double spacing : {20.0, 70.0, 150.0})
                for (const date::time_zone* z : zones) {
                    const std::int64_t from = base + next() * 1'000 - span / 2;
                    auto out = axis_ticks(from, from + span, pixels, spacing, z);
                    INFO("span " << span << " pixels " << pixels << " spacing " << spacing
                                 << " zone " << (z ? z->name() : "UTC"));
                    REQUIRE(out.size() <= static_cast<std::size_t>(pixels / spacing) + 2);
                    for (std::size_t i = 0; i < out.size(); ++i) {
                        REQUIRE(out[i].ts >= from);
                        REQUIRE(out[i].ts < from + span);
                        REQUIRE_FALSE(out[i].label.empty());
                        if (i == 0) continue;
                        REQUIRE(out[i].ts > out[i - 1].ts);
                        const double gap = static_cast<double>(out[i].ts - out[i - 1].ts) * pixels /
                                           static_cast<double>(span);
                        REQUIRE(gap >= spacing * 0.999);
                    }
                    // A step is never longer than 4.5 times the spacing: with room for ten
                    // ticks there is at least one.
                    if (pixels >= 10 * spacing) CHECK_FALSE(out.empty());
                    ++checked;
                }
    CHECK(checked > 1000);
}

TEST_CASE("axis: empty, inverted and degenerate requests give no ticks", "[ui][timeline]") {
    const std::int64_t t = us("2026-04-15T14:00Z");
    CHECK(axis_ticks(t, t, 1000, 60, nullptr).empty());
    CHECK(axis_ticks(t + 1000, t, 1000, 60, nullptr).empty());
    CHECK(axis_ticks(t, t + 3'600'000'000LL, 0, 60, nullptr).empty());
    CHECK(axis_ticks(t, t + 3'600'000'000LL, -5, 60, nullptr).empty());
    CHECK(axis_ticks(t, t + 3'600'000'000LL, std::nan(""), 60, nullptr).empty());
}

// ---------------------------------------------------------------------------------------------
// The panel.

namespace {

// Six events in three streams over three hours (UTC): order-1 at 09:00 and 10:00, order-2 at
// 09:30 and 11:00, invoice-7 at 10:30 and 12:00.
constexpr const char* six_events =
    R"({"id":"e1","stream":"order-1","type":"OrderPlaced","version":1,"ts":"2026-04-14T09:00:00Z","actor":"alice","data":{}}
{"id":"e2","stream":"order-2","type":"OrderPlaced","version":1,"ts":"2026-04-14T09:30:00Z","actor":"bob","data":{}}
{"id":"e3","stream":"order-1","type":"OrderShipped","version":2,"ts":"2026-04-14T10:00:00Z","actor":"carrier","data":{}}
{"id":"e4","stream":"invoice-7","type":"InvoiceIssued","version":1,"ts":"2026-04-14T10:30:00Z","actor":"billing","data":{}}
{"id":"e5","stream":"order-2","type":"OrderCancelled","version":2,"ts":"2026-04-14T11:00:00Z","actor":"bob","data":{}}
{"id":"e6","stream":"invoice-7","type":"InvoicePaid","version":2,"ts":"2026-04-14T12:00:00Z","actor":"billing","data":{}}
)";

// The results of `query` on a case imported from `jsonl`.
query::ResultSet imported_results(const std::string& jsonl, const char* query = "") {
    TempDir dir;
    const std::string log = dir.file("events.jsonl"), case_path = dir.file("events.asof");
    write_file(log, jsonl);
    import_ok({log}, case_path);
    auto db = open_ok(case_path);
    query::Executor executor(db, false);
    auto prepared = prepared_ok(query, clock_at("UTC", "2026-04-17T10:00:00Z"));
    auto results = query::collect_results(db, executor, prepared,
                                          query::effective_limit(prepared.query, std::nullopt));
    INFO((results ? std::string() : results.error().describe()));
    REQUIRE(results.has_value());
    return std::move(*results);
}

// `n` events `step` µs apart from `start`, spread round-robin over `streams` streams and `types`
// types, built through ResultSet::add from an in-memory SQLite query.
query::ResultSet synthetic_results(std::int64_t n, std::int64_t streams, std::int64_t types,
                                   std::int64_t start, std::int64_t step) {
    auto db = sql::Db::open(":memory:", sql::Db::Mode::create);
    REQUIRE(db.has_value());
    auto rows = db->prepare(
        "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ?1) "
        "SELECT n + 1, ?2 + n * ?3, n % ?4, 'Type' || (n % ?5), n / ?4 + 1, 'actor-' || (n % 7) "
        "FROM i");
    REQUIRE(rows.has_value());
    rows->bind(1, n).bind(2, start).bind(3, step).bind(4, streams).bind(5, types);
    query::ResultSet results;
    auto read = rows->each([&](const sql::Stmt& row) { results.add(row); });
    REQUIRE(read.has_value());
    for (std::int64_t id = 0; id < streams; ++id)
        results.set_stream_name(id, "stream-" + std::to_string(id));
    REQUIRE(results.rows.size() == static_cast<std::size_t>(n));
    return results;
}

// A timeline drawn in a headless ImGui window, remembering where the panel was laid out.
struct Panel {
    HeadlessImGui ui;
    query::ResultSet results;
    TimelineState state;
    TimelineInput input;
    TimelineOutput output;
    ImVec2 origin, size;
    int vertices = 0;

    explicit Panel(query::ResultSet rows) : results(std::move(rows)) {
        input.results = &results;
        input.cursor_a = us("2026-01-01T00:00Z"); // out of view unless a test moves it
        frame();
        frame();
    }
    std::function<void()> draw_fn() {
        return [this] {
            origin = ImGui::GetCursorScreenPos();
            size = ImGui::GetContentRegionAvail();
            draw_timeline(state, input, output);
        };
    }
    void frame() { vertices = ui.frame(draw_fn()); }
    void click(float x, float y) { ui.click(x, y, draw_fn()); }
    // Presses at (x0, y), moves to (x1, y) in `steps` frames, releases.
    void drag(float x0, float x1, float y, int steps = 3) {
        ui.mouse(x0, y);
        ui.button(0, true);
        frame();
        for (int i = 1; i <= steps; ++i) {
            ui.mouse(x0 + (x1 - x0) * static_cast<float>(i) / static_cast<float>(steps), y);
            frame();
        }
        ui.button(0, false);
        frame();
    }
    void press_key(int key) {
        ui.key(key, true);
        frame();
        ui.key(key, false);
        frame();
    }

    timeline_detail::Layout layout() const {
        return timeline_detail::make_layout(
            origin.x, origin.y, size.x, size.y, ImGui::GetTextLineHeight(),
            timeline_detail::choose_lanes(&results).count,
            input.attribute_changes != nullptr && !input.attribute_changes->empty());
    }
    double us_per_px() const {
        return static_cast<double>(state.view_to - state.view_from) / size.x;
    }
    float x_of(std::int64_t ts) const {
        return origin.x +
               static_cast<float>(static_cast<double>(ts - state.view_from) / us_per_px());
    }
    std::int64_t at(float x) const {
        return state.view_from + std::llround(static_cast<double>(x - origin.x) * us_per_px());
    }
    // The screen position of the mark of results.rows[i].
    ImVec2 mark(std::size_t i) const {
        const auto& row = results.rows[i];
        auto lanes = timeline_detail::choose_lanes(&results);
        return ImVec2(x_of(row.ts), layout().lane_centre(timeline_detail::lane_of(lanes, row)));
    }
};

} // namespace

TEST_CASE("timeline: the first frame with results fits the view to them", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    REQUIRE(panel.results.rows.size() == 6);
    CHECK_FALSE(panel.state.fit_requested);
    const std::int64_t first = us("2026-04-14T09:00Z"), last = us("2026-04-14T12:00Z");
    // 2 % of the view after the last event; before the first, room for the lane labels (three
    // streams: one lane each), so that no label hides a mark.
    const double total = static_cast<double>(panel.state.view_to - panel.state.view_from);
    CHECK(std::fabs(static_cast<double>(panel.state.view_to - last) - 0.02 * total) <= 2.0);
    float widest_label = 0;
    for (const auto& name : panel.results.streams())
        widest_label = std::max(widest_label, ImGui::CalcTextSize(name.c_str()).x);
    CHECK(panel.x_of(first) > panel.origin.x + widest_label + 8.0f);
    CHECK(panel.x_of(first) < panel.origin.x + widest_label + 24.0f);
    CHECK(panel.vertices > 0);

    SECTION("a request waits for results") {
        query::ResultSet none;
        Panel empty(std::move(none));
        CHECK(empty.state.fit_requested);
        CHECK(empty.state.view_to > empty.state.view_from);
    }
    SECTION("a single event gets a minute around it") {
        Panel one(imported_results(six_events, "order-2 limit 1"));
        REQUIRE(one.results.rows.size() == 1);
        CHECK(one.state.view_from == us("2026-04-14T09:29:30Z"));
        CHECK(one.state.view_to == us("2026-04-14T09:30:30Z"));
    }
}

TEST_CASE("timeline: lanes per stream, per type, or one", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    auto lanes = timeline_detail::choose_lanes(&panel.results);
    CHECK(lanes.by == timeline_detail::Lanes::By::stream);
    CHECK(lanes.count == 3);
    for (const auto& row : panel.results.rows)
        CHECK(panel.results
                  .streams()[static_cast<std::size_t>(timeline_detail::lane_of(lanes, row))] ==
              panel.results.stream_name(row));

    const std::int64_t t0 = us("2026-04-14T00:00Z");
    auto by_type = synthetic_results(100, 1, 4, t0, 1'000'000);
    lanes = timeline_detail::choose_lanes(&by_type);
    CHECK(lanes.by == timeline_detail::Lanes::By::type);
    CHECK(lanes.count == 4); // four types, every event has one: no "(no type)" lane
    CHECK_FALSE(lanes.untyped_lane);
    CHECK(timeline_detail::lane_of(lanes, by_type.rows[2]) == by_type.rows[2].type);
    {
        // One event without a type adds the "(no type)" lane, last.
        auto db = sql::Db::open(":memory:", sql::Db::Mode::create);
        REQUIRE(db.has_value());
        auto row = db->prepare("SELECT 1000, 5, 0, NULL, 1, NULL");
        REQUIRE(row.has_value());
        REQUIRE(row->each([&](const sql::Stmt& r) { by_type.add(r); }));
    }
    lanes = timeline_detail::choose_lanes(&by_type);
    CHECK(lanes.count == 5);
    CHECK(lanes.is_untyped(4));
    CHECK(timeline_detail::lane_of(lanes, by_type.rows.back()) == 4);
    CHECK(timeline_detail::lane_of(lanes, by_type.rows[2]) == by_type.rows[2].type);

    auto many = synthetic_results(100, 20, 20, t0, 1'000'000);
    CHECK(timeline_detail::choose_lanes(&many).by == timeline_detail::Lanes::By::none);
    auto one = synthetic_results(100, 1, 1, t0, 1'000'000);
    CHECK(timeline_detail::choose_lanes(&one).count == 1);
    CHECK(timeline_detail::choose_lanes(nullptr).count == 1);

    auto layout = panel.layout();
    CHECK(layout.lane_at(layout.lane_centre(0)) == 0);
    CHECK(layout.lane_at(layout.lane_centre(2)) == 2);
    CHECK(layout.lane_at(layout.axis_top + 1) == -1);
    CHECK(layout.lane_at(layout.footer_top + 1) == -1);
}

TEST_CASE("timeline: the wheel zooms around the pointer", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    const auto layout = panel.layout();
    // ImGui 1.86 floors the mouse position: the tests point at whole pixels.
    const float x = std::floor(layout.left + layout.width * 0.3f),
                y = layout.lane_centre(0) + 40.0f;
    panel.ui.mouse(x, y);
    panel.frame();
    const std::int64_t under = panel.at(x);
    const std::int64_t span = panel.state.view_to - panel.state.view_from;

    panel.ui.wheel(1.0f);
    panel.frame();
    panel.ui.wheel(0.0f);
    panel.frame();
    const std::int64_t narrower = panel.state.view_to - panel.state.view_from;
    CHECK(narrower < span);
    CHECK(static_cast<double>(narrower) == Approx(static_cast<double>(span) * 0.8).epsilon(1e-6));
    CHECK(std::fabs(panel.x_of(under) - x) < 1.0f);

    panel.ui.wheel(-3.0f);
    panel.frame();
    panel.ui.wheel(0.0f);
    CHECK(panel.state.view_to - panel.state.view_from > span);
    CHECK(std::fabs(panel.x_of(under) - x) < 1.0f);

    SECTION("clamped to one millisecond") {
        panel.ui.wheel(200.0f);
        panel.frame();
        CHECK(panel.state.view_to - panel.state.view_from == 1'000);
        // Here a pixel is under a microsecond: the instant stays within rounding.
        CHECK(std::llabs(panel.at(x) - under) <= 2);
    }
    SECTION("clamped to two hundred years") {
        panel.ui.wheel(-300.0f);
        panel.frame();
        CHECK(panel.state.view_to - panel.state.view_from == 200LL * 31'556'952'000'000LL);
    }
    SECTION("not when the pointer is elsewhere") {
        const std::int64_t from = panel.state.view_from;
        panel.ui.mouse(-50.0f, -50.0f);
        panel.frame();
        panel.ui.wheel(2.0f);
        panel.frame();
        CHECK(panel.state.view_from == from);
    }
}

TEST_CASE("timeline: dragging empty space pans by the dragged pixels", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    const auto layout = panel.layout();
    const float y = layout.lane_centre(1) + 30.0f;
    const std::int64_t from = panel.state.view_from, to = panel.state.view_to;
    const double per_px = panel.us_per_px();
    panel.drag(600.0f, 720.0f, y);
    CHECK(static_cast<double>(panel.state.view_from) ==
          Approx(static_cast<double>(from) - 120.0 * per_px).margin(per_px));
    CHECK(panel.state.view_to - panel.state.view_from == to - from);
    CHECK_FALSE(panel.output.cursor_a);
    CHECK_FALSE(panel.output.selected_seq);
    CHECK(panel.state.drag == TimelineState::Drag::none);

    // The right button pans too.
    const std::int64_t before = panel.state.view_from;
    panel.ui.mouse(700.0f, y);
    panel.ui.button(1, true);
    panel.frame();
    panel.ui.mouse(650.0f, y);
    panel.frame();
    panel.ui.button(1, false);
    panel.frame();
    CHECK(static_cast<double>(panel.state.view_from) ==
          Approx(static_cast<double>(before) + 50.0 * per_px).margin(per_px));
    CHECK_FALSE(panel.output.cursor_a);
}

TEST_CASE("timeline: clicks select marks, set cursor A, and with Alt cursor B", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    const auto layout = panel.layout();

    SECTION("a click on a mark selects it") {
        for (std::size_t i : {std::size_t{0}, std::size_t{3}, std::size_t{5}}) {
            const ImVec2 at = panel.mark(i);
            panel.click(at.x + 2.0f, at.y + 1.0f);
            REQUIRE(panel.output.selected_seq);
            CHECK(*panel.output.selected_seq == panel.results.rows[i].seq);
            CHECK_FALSE(panel.output.cursor_a);
        }
    }
    SECTION("a click in another lane does not pick the mark") {
        const ImVec2 at = panel.mark(0); // order-1 at 09:00, lane 0
        panel.click(at.x, layout.lane_centre(2));
        CHECK_FALSE(panel.output.selected_seq);
        REQUIRE(panel.output.cursor_a);
        CHECK(std::fabs(panel.x_of(*panel.output.cursor_a) - at.x) < 1.0f);
    }
    SECTION("a click on empty space sets cursor A to the instant under the pointer") {
        const float x = std::floor(panel.x_of(us("2026-04-14T09:15Z")));
        panel.click(x, layout.lane_centre(0));
        CHECK_FALSE(panel.output.selected_seq);
        REQUIRE(panel.output.cursor_a);
        CHECK(std::llabs(*panel.output.cursor_a - us("2026-04-14T09:15Z")) <=
              std::llround(panel.us_per_px()));
        CHECK(*panel.output.cursor_a == panel.at(x));
    }
    SECTION("Alt-click sets cursor B") {
        const float x = std::floor(panel.x_of(us("2026-04-14T11:45Z")));
        panel.ui.alt(true);
        panel.click(x, layout.lane_centre(1));
        panel.ui.alt(false);
        REQUIRE(panel.output.cursor_b);
        CHECK(*panel.output.cursor_b == panel.at(x));
        CHECK_FALSE(panel.output.cursor_a);
        CHECK_FALSE(panel.output.selected_seq);
    }
}

TEST_CASE("timeline: dragging cursor A scrubs it", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    panel.input.cursor_a = us("2026-04-14T10:15Z");
    panel.frame();
    const float x = panel.x_of(panel.input.cursor_a), y = panel.layout().lane_centre(1);
    const std::int64_t from = panel.state.view_from;
    panel.ui.mouse(x + 2.0f, y);
    panel.ui.button(0, true);
    panel.frame();
    CHECK(panel.state.drag == TimelineState::Drag::cursor_a);
    panel.ui.mouse(x + 42.0f, y);
    panel.frame();
    REQUIRE(panel.output.cursor_a);
    CHECK(static_cast<double>(*panel.output.cursor_a) ==
          Approx(static_cast<double>(panel.input.cursor_a) + 40.0 * panel.us_per_px()).margin(1.0));
    panel.ui.mouse(x + 82.0f, y);
    panel.frame();
    REQUIRE(panel.output.cursor_a);
    CHECK(static_cast<double>(*panel.output.cursor_a) ==
          Approx(static_cast<double>(panel.input.cursor_a) + 80.0 * panel.us_per_px()).margin(1.0));
    panel.ui.button(0, false);
    panel.frame();
    CHECK(panel.state.drag == TimelineState::Drag::none);
    CHECK(panel.state.view_from == from); // the view did not pan
}

TEST_CASE("timeline: dragging cursor B moves it", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    panel.input.cursor_b = us("2026-04-14T11:30Z");
    panel.frame();
    const float x = std::floor(panel.x_of(*panel.input.cursor_b)),
                y = panel.layout().lane_centre(0);
    const std::int64_t from = panel.state.view_from;
    panel.ui.mouse(x, y);
    panel.ui.button(0, true);
    panel.frame();
    CHECK(panel.state.drag == TimelineState::Drag::cursor_b);
    panel.ui.mouse(x - 30.0f, y);
    panel.frame();
    REQUIRE(panel.output.cursor_b);
    CHECK(
        static_cast<double>(*panel.output.cursor_b) ==
        Approx(static_cast<double>(*panel.input.cursor_b) - 30.0 * panel.us_per_px()).margin(1.0));
    CHECK_FALSE(panel.output.cursor_a);
    panel.ui.button(0, false);
    panel.frame();
    CHECK(panel.state.view_from == from);
}

TEST_CASE("timeline: hovering a mark shows its tooltip", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    auto tooltip_shown = [] {
        ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
        return tooltip != nullptr && tooltip->Active;
    };
    const ImVec2 at = panel.mark(2);
    panel.ui.mouse(at.x + 1.0f, at.y);
    panel.frame();
    CHECK(tooltip_shown());
    panel.ui.mouse(std::floor(panel.x_of(us("2026-04-14T09:15Z"))), at.y);
    panel.frame();
    CHECK_FALSE(tooltip_shown());
}

TEST_CASE("timeline: cursors, bookmarks and the selection add to the drawing", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    panel.ui.mouse(-20.0f, -20.0f); // no hover ring
    panel.frame();
    int before = panel.vertices;
    panel.input.cursor_b = us("2026-04-14T11:30Z");
    panel.frame();
    CHECK(panel.vertices > before);
    before = panel.vertices;
    panel.input.bookmarks = {us("2026-04-14T10:10Z"), us("2026-04-14T10:20Z")};
    panel.frame();
    CHECK(panel.vertices > before);
    before = panel.vertices;
    panel.input.selected_seq = panel.results.rows[4].seq;
    panel.frame();
    CHECK(panel.vertices > before);
    before = panel.vertices;
    // Outside the view, none of them is drawn.
    panel.input.cursor_b = us("2020-01-01T00:00Z");
    panel.input.bookmarks = {us("2020-01-01T00:00Z")};
    panel.input.selected_seq = 999'999;
    panel.frame();
    CHECK(panel.vertices < before);
}

TEST_CASE("timeline: Shift-drag selects an ordered range", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    const float y = panel.layout().lane_centre(1);
    panel.ui.shift(true);
    panel.ui.mouse(900.0f, y);
    panel.ui.button(0, true);
    panel.frame();
    panel.ui.mouse(500.0f, y);
    panel.frame();
    CHECK_FALSE(panel.output.range); // only on release
    const std::int64_t expected_from = panel.at(500.0f), expected_to = panel.at(900.0f);
    panel.ui.button(0, false);
    panel.frame();
    panel.ui.shift(false);
    REQUIRE(panel.output.range);
    CHECK(panel.output.range->first == expected_from);
    CHECK(panel.output.range->second == expected_to);
    CHECK(panel.output.range->first < panel.output.range->second);
    CHECK_FALSE(panel.output.cursor_a);

    SECTION("a Shift-click selects nothing") {
        panel.ui.shift(true);
        panel.click(700.0f, y);
        panel.ui.shift(false);
        CHECK_FALSE(panel.output.range);
        CHECK_FALSE(panel.output.cursor_a);
    }
}

TEST_CASE("timeline: F refits, B bookmarks, only while hovered", "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    const std::int64_t fitted_from = panel.state.view_from, fitted_to = panel.state.view_to;
    const auto layout = panel.layout();
    panel.ui.mouse(300.0f, layout.lane_centre(2));
    panel.ui.wheel(4.0f);
    panel.frame();
    panel.ui.wheel(0.0f);
    panel.drag(300.0f, 700.0f, layout.lane_centre(2));
    REQUIRE(panel.state.view_from != fitted_from);

    panel.press_key('F');
    CHECK(panel.state.view_from == fitted_from);
    CHECK(panel.state.view_to == fitted_to);

    panel.ui.key('B', true);
    panel.frame();
    CHECK(panel.output.bookmark);
    panel.ui.key('B', false);
    panel.frame();
    CHECK_FALSE(panel.output.bookmark);

    SECTION("a new request refits on the next frame") {
        panel.drag(300.0f, 500.0f, layout.lane_centre(2));
        panel.state.fit_requested = true;
        panel.frame();
        CHECK_FALSE(panel.state.fit_requested);
        CHECK(panel.state.view_from == fitted_from);
    }
    SECTION("keys are ignored when the pointer is not over the panel") {
        panel.drag(300.0f, 500.0f, layout.lane_centre(2));
        const std::int64_t from = panel.state.view_from;
        panel.ui.mouse(-20.0f, -20.0f);
        panel.frame();
        panel.ui.key('B', true);
        panel.frame();
        CHECK_FALSE(panel.output.bookmark);
        panel.ui.key('B', false);
        panel.press_key('F');
        CHECK(panel.state.view_from == from);
    }
}

TEST_CASE("timeline: 200,000 events in view draw aggregated with bounded cost", "[ui][timeline]") {
    const std::int64_t start = us("2026-04-14T00:00Z");
    // One event every 400 ms for about 22 hours, in 3 streams and 5 types.
    Panel panel(synthetic_results(200'000, 3, 5, start, 400'000));
    const auto layout = panel.layout();
    const std::size_t first = panel.results.lower_bound(panel.state.view_from);
    const std::size_t last = panel.results.lower_bound(panel.state.view_to);
    CHECK(last - first == 200'000);
    CHECK(timeline_detail::aggregates(last - first, layout.width));
    CHECK(panel.vertices > 1'000);
    CHECK(panel.vertices < 50'000);

    // The density strip accounts for every event in view.
    auto bins = timeline_detail::density_bins(layout.width);
    CHECK(bins == static_cast<std::size_t>(layout.width / 2));
    auto counts = panel.results.density(panel.state.view_from, panel.state.view_to, bins);
    CHECK(std::accumulate(counts.begin(), counts.end(), std::int64_t{0}) == 200'000);

    // Hovering shows a column's count; the cost stays bounded.
    panel.ui.mouse(640.0f, layout.lane_centre(1));
    panel.frame();
    panel.frame();
    CHECK(panel.vertices < 50'000);

    SECTION("zoomed in, the marks are drawn one by one") {
        panel.ui.wheel(30.0f);
        panel.frame();
        panel.ui.wheel(0.0f);
        panel.frame();
        const std::size_t lo = panel.results.lower_bound(panel.state.view_from);
        const std::size_t hi = panel.results.lower_bound(panel.state.view_to);
        CHECK(hi - lo > 0);
        CHECK_FALSE(timeline_detail::aggregates(hi - lo, layout.width));
        CHECK(panel.vertices < 50'000);
        // and a click picks the mark under the pointer.
        const ImVec2 at = panel.mark(lo + (hi - lo) / 2);
        panel.click(at.x, at.y);
        REQUIRE(panel.output.selected_seq);
        CHECK(*panel.output.selected_seq == panel.results.rows[lo + (hi - lo) / 2].seq);
    }
}

TEST_CASE("timeline: aggregation and density rules", "[ui][timeline]") {
    CHECK_FALSE(timeline_detail::aggregates(2'000, 1'000.0f));
    CHECK(timeline_detail::aggregates(2'001, 1'000.0f));
    CHECK(timeline_detail::aggregates(3, 0.0f));
    CHECK(timeline_detail::density_bins(1'000.0f) == 500);
    CHECK(timeline_detail::density_bins(1.0f) == 1);
}

TEST_CASE("timeline: type colours are stable, opaque and distinct", "[ui][timeline]") {
    std::set<unsigned int> seen;
    for (std::int32_t type = -1; type < 24; ++type) {
        const unsigned int colour = type_colour(type);
        CHECK((colour >> IM_COL32_A_SHIFT & 0xFF) == 0xFF);
        CHECK(colour == type_colour(type));
        seen.insert(colour);
    }
    CHECK(seen.size() == 25);
    CHECK(type_colour(0) == IM_COL32(78, 121, 167, 255));
    CHECK(type_colour(-1) == IM_COL32(140, 140, 140, 255));
}

TEST_CASE("timeline: attribute changes of the inspected object are drawn and have a tooltip",
          "[ui][timeline]") {
    Panel panel(imported_results(six_events));
    panel.ui.mouse(-20.0f, -20.0f);
    panel.frame();
    const int before = panel.vertices;
    std::vector<AttributeMark> changes = {{us("2026-04-14T10:05Z"), "status = \"held\""},
                                          {us("2026-04-14T10:45Z"), "status = \"released\""}};
    panel.input.attribute_changes = &changes;
    panel.frame();
    CHECK(panel.vertices > before);

    auto tooltip_text = [] {
        ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
        return tooltip != nullptr && tooltip->Active;
    };
    // The changes have a strip of their own under the lanes: no mark of a lane sits on them.
    const auto layout = panel.layout();
    const float row_y = (layout.attributes_top + layout.footer_top) * 0.5f;
    CHECK(layout.attributes_top < layout.footer_top);
    CHECK(layout.lane_at(row_y) == -1);
    CHECK(layout.lane_centre(layout.lanes - 1) + layout.lane_height() * 0.5f <=
          layout.attributes_top + 0.01f);
    // On the attribute row, under a change: its tooltip.
    panel.ui.mouse(std::floor(panel.x_of(changes[0].ts)) + 1.0f, row_y);
    panel.frame();
    CHECK(tooltip_text());
    // Outside the view, none is drawn.
    panel.ui.mouse(-20.0f, -20.0f);
    std::vector<AttributeMark> far = {{us("2020-01-01T00:00Z"), "old"}};
    panel.input.attribute_changes = &far;
    panel.frame();
    CHECK(panel.vertices == before);
}
