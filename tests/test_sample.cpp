// The bundled sample log (assets/sample.jsonl.gz) holds the story the README and demo promise.
#include "test_support.hpp"

#include "eventlog/verify.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace asof;
using namespace asof::test;

namespace {

const std::string sample_path = std::string(ASOF_SOURCE_DIR) + "/assets/sample.jsonl.gz";

} // namespace

TEST_CASE("the sample imports to 19998 events and its two documented rejects", "[sample]") {
    TempDir dir;
    ImportOptions options;
    options.now = utc(2026, 4, 17, 8);
    import_ok({sample_path}, dir.file("sample.asof"), options);
    CaseInfo info = case_info(dir.file("sample.asof"));
    CHECK(info.events == 19998);
    CHECK(info.streams == 2262);
    CHECK(info.rejected == 2);
    auto rejects = case_rejects(dir.file("sample.asof"));
    REQUIRE(rejects.size() == 2);
    CHECK(rejects[0].line == 17162);
    CHECK(rejects[0].reason.starts_with("malformed JSON"));
    CHECK(rejects[1].line == 18562);
    CHECK(rejects[1].reason.starts_with("missing stream"));

    std::map<std::string, int> kinds;
    for (const auto& finding : info.findings)
        ++kinds[finding.kind];
    CHECK(kinds == std::map<std::string, int>{{"duplicate_event_id", 1},
                                              {"future_event", 1},
                                              {"time_backwards", 1},
                                              {"version_duplicate", 1},
                                              {"version_gap", 1}});
    for (const auto& finding : info.findings)
        CHECK(finding.stream != "discrepancy-4721");

    auto db = open_ok(dir.file("sample.asof"));
    auto report = verify_case(db, false);
    REQUIRE(report.has_value());
    CHECK(report->ok());
}

TEST_CASE("the sample answers the demo question: discrepancy-4721, Tuesday to Thursday",
          "[sample]") {
    TempDir dir;
    import_ok({sample_path}, dir.file("sample.asof"));
    // Tue 2026-04-14 00:00 to Fri 2026-04-17 00:00 in Europe/Berlin (CEST, UTC+2).
    EventFilter filter;
    filter.stream = "discrepancy-4721";
    filter.from = utc(2026, 4, 13, 22);
    filter.to = utc(2026, 4, 16, 22);
    auto events = listed_events(dir.file("sample.asof"), filter);
    REQUIRE(events.size() == 34);
    std::map<int, int> per_day;
    for (const auto& event : events) {
        auto local_day = date::floor<date::days>(event.ts + std::chrono::hours{2});
        ++per_day[static_cast<int>(unsigned(date::year_month_day{local_day}.day()))];
        CHECK(event.stream == "discrepancy-4721");
    }
    CHECK(per_day == std::map<int, int>{{14, 11}, {15, 12}, {16, 11}});
    for (std::size_t i = 1; i < events.size(); ++i)
        CHECK(events[i - 1].ts <= events[i].ts);
    CHECK(events.front().version == 14);
    CHECK(events.back().version == 47);

    filter.from.reset();
    filter.to.reset();
    CHECK(listed_events(dir.file("sample.asof"), filter).size() == 51);
}
