// Tests for eventlog/time: ISO 8601 parsing, epoch numbers, zones and formatting.
#include "eventlog/time.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>
#include <date/tz.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace asof;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// The UTC instant y-mo-d h:mi:s + us, computed with date's calendar independently of the parser.
Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0,
              std::int64_t us = 0) {
    return Timestamp{date::sys_days{date::year{y} / date::month{mo} / date::day{d}}} + hours{h} +
           minutes{mi} + seconds{s} + microseconds{us};
}

const date::time_zone* zone(const char* name) {
    auto found = find_zone(name);
    REQUIRE(found.has_value());
    return *found;
}

Timestamp parsed_at(std::string_view text, const date::time_zone* in = nullptr) {
    auto r = parse_iso8601(text, in);
    INFO(text << ": " << (r ? std::string() : r.error().message));
    REQUIRE(r.has_value());
    return r->at;
}

std::string parse_error(std::string_view text, const date::time_zone* in = nullptr) {
    auto r = parse_iso8601(text, in);
    INFO(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().where.empty());
    return r.error().message;
}

// Restores $TZ when a test that changes it ends.
class TzGuard {
public:
    TzGuard() {
        if (const char* tz = std::getenv("TZ")) saved_ = tz;
    }
    ~TzGuard() {
        if (saved_)
            setenv("TZ", saved_->c_str(), 1);
        else
            unsetenv("TZ");
    }
    TzGuard(const TzGuard&) = delete;
    TzGuard& operator=(const TzGuard&) = delete;

private:
    std::optional<std::string> saved_;
};

} // namespace

TEST_CASE("parse_iso8601 accepts every documented form", "[time]") {
    struct Case {
        const char* text;
        Timestamp at;
        bool naive;
    };
    const Case cases[] = {
        {"2026-04-14", utc(2026, 4, 14), true},
        {"2026-04-14T09:12", utc(2026, 4, 14, 9, 12), true},
        {"2026-04-14T09:12:33", utc(2026, 4, 14, 9, 12, 33), true},
        {"2026-04-14t09:12:33", utc(2026, 4, 14, 9, 12, 33), true},
        {"2026-04-14 09:12:33", utc(2026, 4, 14, 9, 12, 33), true},
        {"2026-04-14T09:12:33Z", utc(2026, 4, 14, 9, 12, 33), false},
        {"2026-04-14T09:12:33z", utc(2026, 4, 14, 9, 12, 33), false},
        {"2026-04-14 09:12:33Z", utc(2026, 4, 14, 9, 12, 33), false},
        {"2026-04-14T09:12Z", utc(2026, 4, 14, 9, 12), false},
        {"2026-04-14T09:12:33+02:00", utc(2026, 4, 14, 7, 12, 33), false},
        {"2026-04-14T09:12:33+0200", utc(2026, 4, 14, 7, 12, 33), false},
        {"2026-04-14T09:12:33+02", utc(2026, 4, 14, 7, 12, 33), false},
        {"2026-04-14T09:12:33-05:30", utc(2026, 4, 14, 14, 42, 33), false},
        {"2026-04-14T09:12:33-0530", utc(2026, 4, 14, 14, 42, 33), false},
        {"2026-04-14T09:12:33-05", utc(2026, 4, 14, 14, 12, 33), false},
        {"2026-04-14T09:12+05:45", utc(2026, 4, 14, 3, 27), false},
        {"2026-04-14T09:12-03", utc(2026, 4, 14, 12, 12), false},
        {"2026-04-14T09:12:33+00:00", utc(2026, 4, 14, 9, 12, 33), false},
        {"2026-04-14T09:12:33-00:00", utc(2026, 4, 14, 9, 12, 33), false},
        {"2026-04-14T09:12:33+23:59", utc(2026, 4, 13, 9, 13, 33), false},
        {"2026-04-14T09:12:33-23:59", utc(2026, 4, 15, 9, 11, 33), false},
        {"2026-01-01T00:30+01:00", utc(2025, 12, 31, 23, 30), false},
        {"2026-12-31T23:30-01:00", utc(2027, 1, 1, 0, 30), false},
        {"2026-04-14T00:00:00Z", utc(2026, 4, 14), false},
        {"2026-04-14T23:59:59Z", utc(2026, 4, 14, 23, 59, 59), false},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = parse_iso8601(c.text);
        REQUIRE(r.has_value());
        CHECK(r->at == c.at);
        CHECK(r->naive == c.naive);
    }
}

TEST_CASE("parse_iso8601 reads fractions and truncates them to microseconds", "[time]") {
    const auto base = utc(2026, 4, 14, 9, 12, 33);
    CHECK(parsed_at("2026-04-14T09:12:33.1Z") == base + milliseconds{100});
    CHECK(parsed_at("2026-04-14T09:12:33.12Z") == base + milliseconds{120});
    CHECK(parsed_at("2026-04-14T09:12:33.123Z") == base + milliseconds{123});
    CHECK(parsed_at("2026-04-14T09:12:33.123456Z") == base + microseconds{123456});
    CHECK(parsed_at("2026-04-14T09:12:33.1234567Z") == base + microseconds{123456});
    CHECK(parsed_at("2026-04-14T09:12:33.1234569Z") == base + microseconds{123456});
    CHECK(parsed_at("2026-04-14T09:12:33.123456789Z") == base + microseconds{123456});
    CHECK(parsed_at("2026-04-14T09:12:33.999999999Z") == base + microseconds{999999});
    CHECK(parsed_at("2026-04-14T09:12:33.000001Z") == base + microseconds{1});
    CHECK(parsed_at("2026-04-14T09:12:33.0000009Z") == base);
    CHECK(parsed_at("2026-04-14T09:12:33.000000000Z") == base);
    CHECK(parsed_at("2026-04-14T09:12:33,5Z") == base + milliseconds{500});
    CHECK(parsed_at("2026-04-14T09:12:33,123456") == base + microseconds{123456});
    CHECK(parsed_at("2026-04-14T09:12:33.25") == base + milliseconds{250});
    CHECK(parsed_at("2026-04-14T09:12:33.5+01:00") == base - hours{1} + milliseconds{500});
    CHECK(parsed_at("2026-04-14T09:12:33.75-0130") == base + minutes{90} + milliseconds{750});
}

TEST_CASE("parse_iso8601 handles leap days, leap seconds and calendar edges", "[time]") {
    CHECK(parsed_at("2024-02-29") == utc(2024, 2, 29));
    CHECK(parsed_at("2000-02-29T12:00Z") == utc(2000, 2, 29, 12));
    CHECK(parsed_at("2024-02-29T23:59:59Z") + seconds{1} == utc(2024, 3, 1));
    CHECK(parsed_at("2026-01-31") == utc(2026, 1, 31));
    CHECK(parsed_at("2026-04-30") == utc(2026, 4, 30));
    CHECK(parsed_at("2026-12-31") == utc(2026, 12, 31));

    // A leap second reads as the first instant of the next second.
    CHECK(parsed_at("2016-12-31T23:59:60Z") == utc(2017, 1, 1));
    CHECK(parsed_at("2016-12-31T23:59:60.5Z") == utc(2017, 1, 1) + milliseconds{500});
    CHECK(parsed_at("2016-12-31T23:59:60.999999999Z") == utc(2017, 1, 1) + microseconds{999999});
    CHECK(parsed_at("2015-06-30T23:59:60Z") == utc(2015, 7, 1));
    CHECK(parsed_at("2017-01-01T00:59:60+01:00") == utc(2017, 1, 1));
    CHECK(parsed_at("2016-12-31 23:59:60") == utc(2017, 1, 1));

    CHECK(parsed_at("0001-01-01T00:00:00Z") == utc(1, 1, 1));
    CHECK(parsed_at("0000-03-01") == utc(0, 3, 1));
    CHECK(parsed_at("9999-12-31T23:59:59.999999Z") == utc(9999, 12, 31, 23, 59, 59, 999999));
    CHECK(parsed_at("9999-12-31T23:30-01:00") == utc(10000, 1, 1, 0, 30));
}

TEST_CASE("parse_iso8601 handles times before the epoch", "[time]") {
    CHECK(parsed_at("1970-01-01T00:00:00Z").time_since_epoch().count() == 0);
    CHECK(parsed_at("1969-12-31T23:59:59Z").time_since_epoch() == seconds{-1});
    CHECK(parsed_at("1969-12-31T23:59:59.999999Z").time_since_epoch() == microseconds{-1});
    CHECK(parsed_at("1969-12-31T23:59:59.5Z").time_since_epoch() == milliseconds{-500});
    CHECK(parsed_at("1969-12-31T23:59:59.0000001Z").time_since_epoch() == seconds{-1});
    CHECK(parsed_at("1970-01-01T00:59:59+01:00").time_since_epoch() == seconds{-1});
    CHECK(parsed_at("1900-01-01T00:00:00Z").time_since_epoch() == seconds{-2208988800});
    CHECK(parsed_at("1600-02-29") == utc(1600, 2, 29));
    CHECK(parsed_at("0001-01-01T00:00:00Z").time_since_epoch() == seconds{-62135596800});
}

TEST_CASE("parse_iso8601 errors say what was expected and where", "[time]") {
    CHECK(parse_error("2026-04-14T09-12") ==
          "expected ':' after the hour at character 14 in \"2026-04-14T09-12\"");

    struct Case {
        const char* text;
        const char* expected;
        int at;
    };
    const Case cases[] = {
        {"", "a 4-digit year", 1},
        {"202", "a 4-digit year", 1},
        {"20x6-04-14", "a 4-digit year", 1},
        {" 2026-04-14", "a 4-digit year", 1},
        {"-2026-04-14", "a 4-digit year", 1},
        {"+2026-04-14", "a 4-digit year", 1},
        {"hello", "a 4-digit year", 1},
        {"2026", "'-' after the year", 5},
        {"2026/04/14", "'-' after the year", 5},
        {"20261-04-14", "'-' after the year", 5},
        {"2026-4-14", "a 2-digit month", 6},
        {"2026-", "a 2-digit month", 6},
        {"2026-13-01", "a month 01..12", 6},
        {"2026-00-01", "a month 01..12", 6},
        {"2026-04", "'-' after the month", 8},
        {"2026-04/14", "'-' after the month", 8},
        {"2026-04-1", "a 2-digit day", 9},
        {"2026-04-", "a 2-digit day", 9},
        {"2026-04-00", "a day 01..30 for 2026-04", 9},
        {"2026-04-31", "a day 01..30 for 2026-04", 9},
        {"2026-02-29", "a day 01..28 for 2026-02", 9},
        {"1900-02-29", "a day 01..28 for 1900-02", 9},
        {"2024-02-30", "a day 01..29 for 2024-02", 9},
        {"2026-01-32", "a day 01..31 for 2026-01", 9},
        {"2026-04-14X09:12", "'T' or ' ' after the date", 11},
        {"2026-04-14Z", "'T' or ' ' after the date", 11},
        {"2026-04-141", "'T' or ' ' after the date", 11},
        {"2026-04-14T", "a 2-digit hour", 12},
        {"2026-04-14 ", "a 2-digit hour", 12},
        {"2026-04-14  09:12", "a 2-digit hour", 12},
        {"2026-04-14T9:12", "a 2-digit hour", 12},
        {"2026-04-14T24:00", "an hour 00..23", 12},
        {"2026-04-14T99:00", "an hour 00..23", 12},
        {"2026-04-14T09", "':' after the hour", 14},
        {"2026-04-14T0912", "':' after the hour", 14},
        {"2026-04-14T09:", "a 2-digit minute", 15},
        {"2026-04-14T09:1", "a 2-digit minute", 15},
        {"2026-04-14T09:60", "a minute 00..59", 15},
        {"2026-04-14T09:12x", "':', 'Z', '+' or '-' after the minute", 17},
        {"2026-04-14T09:12.5", "':', 'Z', '+' or '-' after the minute", 17},
        {"2026-04-14T09:12 Z", "':', 'Z', '+' or '-' after the minute", 17},
        {"2026-04-14T09:12:", "a 2-digit second", 18},
        {"2026-04-14T09:12:3", "a 2-digit second", 18},
        {"2026-04-14T09:12:61", "a second 00..60", 18},
        {"2026-04-14T09:12:33x", "'.', 'Z', '+' or '-' after the second", 20},
        {"2026-04-14T09:12:33 +02:00", "'.', 'Z', '+' or '-' after the second", 20},
        {"2026-04-14T09:12:331", "'.', 'Z', '+' or '-' after the second", 20},
        {"2026-04-14T09:12:33.", "a digit after '.'", 21},
        {"2026-04-14T09:12:33.Z", "a digit after '.'", 21},
        {"2026-04-14T09:12:33,Z", "a digit after ','", 21},
        {"2026-04-14T09:12:33.1234567890Z", "at most 9 fraction digits", 30},
        {"2026-04-14T09:12:33.123x", "'Z', '+' or '-' after the fraction", 24},
        {"2026-04-14T09:12:33.123 ", "'Z', '+' or '-' after the fraction", 24},
        {"2026-04-14T09:12:33.1.2", "'Z', '+' or '-' after the fraction", 22},
        {"2026-04-14T09:12:33+", "2-digit offset hours", 21},
        {"2026-04-14T09:12:33+2", "2-digit offset hours", 21},
        {"2026-04-14T09:12:33+2:00", "2-digit offset hours", 21},
        {"2026-04-14T09:12:33-x", "2-digit offset hours", 21},
        {"2026-04-14T09:12:33+24:00", "offset hours 00..23", 21},
        {"2026-04-14T09:12:33+02:", "2-digit offset minutes", 24},
        {"2026-04-14T09:12:33+02:5", "2-digit offset minutes", 24},
        {"2026-04-14T09:12:33+023", "2-digit offset minutes", 23},
        {"2026-04-14T09:12:33+02:60", "offset minutes 00..59", 24},
        {"2026-04-14T09:12:33+0260", "offset minutes 00..59", 23},
        {"2026-04-14T09:12:33Zjunk", "end of text after the zone", 21},
        {"2026-04-14T09:12:33ZZ", "end of text after the zone", 21},
        {"2026-04-14T09:12:33Z ", "end of text after the zone", 21},
        {"2026-04-14T09:12:33+02:00 ", "end of text after the zone", 26},
        {"2026-04-14T09:12:33+02:00:00", "end of text after the zone", 26},
        {"2026-04-14T09:12:33+02x", "end of text after the zone", 23},
        {"2026-04-14T09:12:33+02:00[Europe/Berlin]", "end of text after the zone", 26},
    };
    for (const auto& c : cases) {
        const std::string message = parse_error(c.text);
        INFO(c.text << " -> " << message);
        CHECK(message.rfind(std::string("expected ") + c.expected + " at character " +
                                std::to_string(c.at),
                            0) == 0);
        const bool at_end = static_cast<std::size_t>(c.at) > std::string_view(c.text).size();
        CHECK((message.find("(end of text)") != std::string::npos) == at_end);
        CHECK(message.size() >= std::string_view(c.text).size());
        CHECK(message.substr(message.size() - std::string_view(c.text).size() - 2) ==
              std::string("\"") + c.text + "\"");
    }
}

TEST_CASE("parse_iso8601 error messages quote the text briefly and safely", "[time]") {
    SECTION("long text is cut") {
        const std::string text = "2026-04-14T09:12:33Z" + std::string(200, 'x');
        const std::string message = parse_error(text);
        CHECK(message.rfind("expected end of text after the zone at character 21 in \"", 0) == 0);
        CHECK(message.find("xxx...\"") != std::string::npos);
        CHECK(message.size() < 130);
    }
    SECTION("UTF-8 is not cut in the middle of a character") {
        std::string text = "2026-04-14T09:12:33Z";
        for (int i = 0; i < 40; ++i)
            text += "\xc3\xa9";
        const std::string message = parse_error(text);
        const auto dots = message.rfind("...\"");
        REQUIRE(dots != std::string::npos);
        CHECK(message.substr(dots - 2, 2) == "\xc3\xa9");
    }
    SECTION("control characters, quotes and backslashes are escaped") {
        CHECK(parse_error("2026-04-14\n09:12") ==
              "expected 'T' or ' ' after the date at character 11 in \"2026-04-14\\x0a09:12\"");
        CHECK(parse_error("\"2026\\") ==
              "expected a 4-digit year at character 1 in \"\\\"2026\\\\\"");
        CHECK(parse_error(std::string_view("2026-04-14T\0", 12)) ==
              "expected a 2-digit hour at character 12 in \"2026-04-14T\\x00\"");
    }
    SECTION("end of text is called out") {
        CHECK(parse_error("2026-04-14T09") == "expected ':' after the hour at character 14 (end "
                                              "of text) in \"2026-04-14T09\"");
    }
}

TEST_CASE("naive times are read in the given zone", "[time]") {
    SECTION("UTC, by null or by zone") {
        for (const date::time_zone* in : {static_cast<const date::time_zone*>(nullptr), zone("UTC"),
                                          zone("Etc/UTC"), zone("Etc/Zulu")}) {
            auto r = parse_iso8601("2026-04-14 09:12:33.5", in);
            REQUIRE(r.has_value());
            CHECK(r->naive);
            CHECK(r->at == utc(2026, 4, 14, 9, 12, 33, 500000));
        }
    }
    SECTION("an explicit zone in the text wins") {
        const auto* berlin = zone("Europe/Berlin");
        auto r = parse_iso8601("2026-03-29T02:30:00Z", berlin);
        REQUIRE(r.has_value());
        CHECK_FALSE(r->naive);
        CHECK(r->at == utc(2026, 3, 29, 2, 30));
        CHECK(parsed_at("2026-07-01T12:00-04:00", berlin) == utc(2026, 7, 1, 16));
    }
    SECTION("Europe/Berlin") {
        const auto* berlin = zone("Europe/Berlin");
        auto r = parse_iso8601("2026-04-14", berlin);
        REQUIRE(r.has_value());
        CHECK(r->naive);
        CHECK(r->at == utc(2026, 4, 13, 22));
        CHECK(parsed_at("2026-01-15 12:00", berlin) == utc(2026, 1, 15, 11));
        CHECK(parsed_at("2026-07-01 12:00:00.25", berlin) == utc(2026, 7, 1, 10, 0, 0, 250000));
        // Spring forward: 02:00 CET becomes 03:00 CEST; the gap moves forward by an hour.
        CHECK(parsed_at("2026-03-29 01:59:59", berlin) == utc(2026, 3, 29, 0, 59, 59));
        CHECK(parsed_at("2026-03-29 02:00", berlin) == utc(2026, 3, 29, 1));
        CHECK(parsed_at("2026-03-29 02:30", berlin) == utc(2026, 3, 29, 1, 30));
        CHECK(parsed_at("2026-03-29 02:59:59.999999", berlin) ==
              utc(2026, 3, 29, 1, 59, 59, 999999));
        CHECK(parsed_at("2026-03-29 03:00", berlin) == utc(2026, 3, 29, 1));
        CHECK(parsed_at("2026-03-29 03:30", berlin) == utc(2026, 3, 29, 1, 30));
        // Fall back: 03:00 CEST becomes 02:00 CET; the repeated hour takes the earlier instant.
        CHECK(parsed_at("2026-10-25 01:59:59", berlin) == utc(2026, 10, 24, 23, 59, 59));
        CHECK(parsed_at("2026-10-25 02:00", berlin) == utc(2026, 10, 25, 0));
        CHECK(parsed_at("2026-10-25 02:30", berlin) == utc(2026, 10, 25, 0, 30));
        CHECK(parsed_at("2026-10-25 02:59:59.999999", berlin) ==
              utc(2026, 10, 25, 0, 59, 59, 999999));
        CHECK(parsed_at("2026-10-25 03:00", berlin) == utc(2026, 10, 25, 2));
        // Before the epoch and in the era before standard time (LMT +00:53:28).
        CHECK(parsed_at("1969-12-31 23:00", berlin) == utc(1969, 12, 31, 22));
        CHECK(parsed_at("1890-06-01 12:00", berlin) == utc(1890, 6, 1, 11, 6, 32));
        // A leap second in wall time is the next second.
        CHECK(parsed_at("2016-12-31 23:59:60", berlin) == utc(2016, 12, 31, 23));
    }
    SECTION("America/New_York") {
        const auto* ny = zone("America/New_York");
        CHECK(parsed_at("2026-01-15 12:00", ny) == utc(2026, 1, 15, 17));
        CHECK(parsed_at("2026-07-04 12:00", ny) == utc(2026, 7, 4, 16));
        CHECK(parsed_at("2026-03-08 01:59:59", ny) == utc(2026, 3, 8, 6, 59, 59));
        CHECK(parsed_at("2026-03-08 02:30", ny) == utc(2026, 3, 8, 7, 30));
        CHECK(parsed_at("2026-03-08 03:30", ny) == utc(2026, 3, 8, 7, 30));
        CHECK(parsed_at("2026-11-01 00:59", ny) == utc(2026, 11, 1, 4, 59));
        CHECK(parsed_at("2026-11-01 01:30", ny) == utc(2026, 11, 1, 5, 30));
        CHECK(parsed_at("2026-11-01 02:00", ny) == utc(2026, 11, 1, 7));
        CHECK(parsed_at("2026-03-08", ny) == utc(2026, 3, 8, 5));
    }
    SECTION("Australia/Sydney, DST in the southern summer") {
        const auto* sydney = zone("Australia/Sydney");
        CHECK(parsed_at("2026-01-15 12:00", sydney) == utc(2026, 1, 15, 1));
        CHECK(parsed_at("2026-07-15 12:00", sydney) == utc(2026, 7, 15, 2));
        // Fall back on 2026-04-05: 03:00 AEDT becomes 02:00 AEST.
        CHECK(parsed_at("2026-04-05 02:30", sydney) == utc(2026, 4, 4, 15, 30));
        CHECK(parsed_at("2026-04-05 03:00", sydney) == utc(2026, 4, 4, 17));
        // Spring forward on 2026-10-04: 02:00 AEST becomes 03:00 AEDT.
        CHECK(parsed_at("2026-10-04 01:59", sydney) == utc(2026, 10, 3, 15, 59));
        CHECK(parsed_at("2026-10-04 02:30", sydney) == utc(2026, 10, 3, 16, 30));
        CHECK(parsed_at("2026-10-04 03:30", sydney) == utc(2026, 10, 3, 16, 30));
    }
    SECTION("Australia/Lord_Howe, a half-hour DST shift") {
        const auto* lord_howe = zone("Australia/Lord_Howe");
        CHECK(parsed_at("2026-10-04 02:15", lord_howe) == utc(2026, 10, 3, 15, 45));
        CHECK(parsed_at("2026-10-04 02:45", lord_howe) == utc(2026, 10, 3, 15, 45));
        CHECK(parsed_at("2026-04-05 01:45", lord_howe) == utc(2026, 4, 4, 14, 45));
        CHECK(parsed_at("2026-04-05 02:00", lord_howe) == utc(2026, 4, 4, 15, 30));
    }
    SECTION("Asia/Kolkata, a fixed half-hour offset") {
        CHECK(parsed_at("2026-04-14 09:12", zone("Asia/Kolkata")) == utc(2026, 4, 14, 3, 42));
    }
}

TEST_CASE("find_zone looks up IANA names", "[time]") {
    auto berlin = find_zone("Europe/Berlin");
    REQUIRE(berlin.has_value());
    CHECK((*berlin)->name() == "Europe/Berlin");
    auto utc_zone = find_zone("UTC");
    REQUIRE(utc_zone.has_value());

    auto unknown = find_zone("Europe/Berln");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message == "unknown time zone \"Europe/Berln\"");
    CHECK(unknown.error().where.empty());

    auto empty = find_zone("");
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().message == "unknown time zone \"\"");
    CHECK_FALSE(find_zone("europe/berlin").has_value());
    CHECK_FALSE(find_zone("+02:00").has_value());
}

TEST_CASE("system_zone honours $TZ and never fails", "[time]") {
    TzGuard guard;
    setenv("TZ", "Europe/Berlin", 1);
    REQUIRE(system_zone() != nullptr);
    CHECK(system_zone()->name() == "Europe/Berlin");
    setenv("TZ", ":America/New_York", 1);
    REQUIRE(system_zone() != nullptr);
    CHECK(system_zone()->name() == "America/New_York");
    setenv("TZ", "/usr/share/zoneinfo/Australia/Sydney", 1);
    REQUIRE(system_zone() != nullptr);
    CHECK(system_zone()->name() == "Australia/Sydney");

    for (const char* bad : {"Not/AZone", "", ":", "CET-1CEST,M3.5.0,M10.5.0/3"}) {
        setenv("TZ", bad, 1);
        const auto* fallback = system_zone(); // null is UTC
        if (fallback) CHECK(find_zone(fallback->name()).has_value());
    }
    setenv("TZ", "UTC", 1);
    CHECK(system_zone() == nullptr); // UTC, without reading the tz database
    CHECK(find_zone("Etc/UTC").value() == nullptr);
    unsetenv("TZ");
    system_zone(); // /etc/localtime, whatever it is
}

TEST_CASE("from_epoch(int64) picks the unit by magnitude", "[time]") {
    const auto t = utc(2026, 4, 14, 9, 12, 33);
    CHECK(from_epoch(std::int64_t{0}).value().time_since_epoch().count() == 0);
    CHECK(from_epoch(std::int64_t{1776157953}).value() == t);
    CHECK(from_epoch(std::int64_t{1776157953123}).value() == t + milliseconds{123});
    CHECK(from_epoch(std::int64_t{1776157953123456}).value() == t + microseconds{123456});
    CHECK(from_epoch(std::int64_t{1776157953123456789}).value() == t + microseconds{123456});
    CHECK(from_epoch(std::int64_t{1776157953999999999}).value() == t + microseconds{999999});

    // Unit boundaries: 1e11 is the first millisecond value, 1e14 the first microsecond one,
    // 1e17 the first nanosecond one; all three mean 1973-03-03T09:46:40Z.
    const auto e8 = utc(1973, 3, 3, 9, 46, 40);
    CHECK(from_epoch(std::int64_t{99999999999}).value() == utc(5138, 11, 16, 9, 46, 39));
    CHECK(from_epoch(std::int64_t{100000000000}).value() == e8);
    CHECK(from_epoch(std::int64_t{99999999999999}).value() == utc(5138, 11, 16, 9, 46, 39, 999000));
    CHECK(from_epoch(std::int64_t{100000000000000}).value() == e8);
    CHECK(from_epoch(std::int64_t{99999999999999999}).value() ==
          utc(5138, 11, 16, 9, 46, 39, 999999));
    CHECK(from_epoch(std::int64_t{100000000000000000}).value() == e8);
    CHECK(from_epoch(std::int64_t{-100000000000}).value() == utc(1966, 10, 31, 14, 13, 20));

    // Before the epoch; nanoseconds round toward the past.
    CHECK(from_epoch(std::int64_t{-1}).value() == utc(1969, 12, 31, 23, 59, 59));
    CHECK(from_epoch(std::int64_t{-2208988800}).value() == utc(1900, 1, 1));
    CHECK(from_epoch(std::int64_t{-100000000000000001}).value().time_since_epoch() ==
          microseconds{-100000000000001});
    CHECK(from_epoch(std::int64_t{-100000000000000999}).value().time_since_epoch() ==
          microseconds{-100000000000001});
    CHECK(from_epoch(std::int64_t{-100000000000001000}).value().time_since_epoch() ==
          microseconds{-100000000000001});
    CHECK(from_epoch(std::numeric_limits<std::int64_t>::min()).value() ==
          utc(1677, 9, 21, 0, 12, 43, 145224));
    CHECK(from_epoch(std::numeric_limits<std::int64_t>::max()).value() ==
          utc(2262, 4, 11, 23, 47, 16, 854775));

    // Years 0001..9999 only.
    CHECK(from_epoch(std::int64_t{-62135596800}).value() == utc(1, 1, 1));
    CHECK(from_epoch(std::int64_t{-62135596800000}).value() == utc(1, 1, 1));
    CHECK(from_epoch(std::int64_t{-62135596800000000}).value() == utc(1, 1, 1));
    for (std::int64_t bad : {std::int64_t{-62135596801}, std::int64_t{-99999999999},
                             std::int64_t{-62135596800001}, std::int64_t{-62135596800000001}}) {
        auto r = from_epoch(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message ==
              "epoch value " + std::to_string(bad) + " is outside years 0001..9999");
    }
}

TEST_CASE("from_epoch(double) keeps the fraction to the nearest microsecond", "[time]") {
    const auto t = utc(2026, 4, 14, 9, 12, 33);
    CHECK(from_epoch(0.0).value().time_since_epoch().count() == 0);
    CHECK(from_epoch(1776157953.0).value() == t);
    CHECK(from_epoch(1776157953.5).value() == t + milliseconds{500});
    CHECK(from_epoch(1776157953.123456).value() == t + microseconds{123456});
    CHECK(from_epoch(1776157953.000001).value() == t + microseconds{1});
    CHECK(from_epoch(1776157953123.0).value() == t + milliseconds{123});
    CHECK(from_epoch(1776157953123.456).value() == t + microseconds{123456});
    CHECK(from_epoch(1776157953123456.0).value() == t + microseconds{123456});
    CHECK(from_epoch(1776157953123456000.0).value() == t + microseconds{123456});
    CHECK(from_epoch(1.0e11).value() == utc(1973, 3, 3, 9, 46, 40));
    CHECK(from_epoch(1.0e14).value() == utc(1973, 3, 3, 9, 46, 40));
    CHECK(from_epoch(1.0e17).value() == utc(1973, 3, 3, 9, 46, 40));

    CHECK(from_epoch(0.0000004).value().time_since_epoch() == microseconds{0});
    CHECK(from_epoch(0.0000006).value().time_since_epoch() == microseconds{1});
    CHECK(from_epoch(-0.5).value().time_since_epoch() == milliseconds{-500});
    CHECK(from_epoch(-0.0000006).value().time_since_epoch() == microseconds{-1});
    CHECK(from_epoch(-1.25).value() == utc(1969, 12, 31, 23, 59, 58, 750000));
    CHECK(from_epoch(-62135596800.0).value() == utc(1, 1, 1));

    for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
        auto r = from_epoch(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message == "epoch value is not a finite number");
    }
    for (double bad : {-62135596801.0, -99999999999.0, -6.3e13, -6.3e16, 1e300, -1e300,
                       std::numeric_limits<double>::max()}) {
        INFO(bad);
        auto r = from_epoch(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message.find("is outside years 0001..9999") != std::string::npos);
    }
    CHECK(from_epoch(-62135596801.0).error().message ==
          "epoch value -62135596801 is outside years 0001..9999");
}

TEST_CASE("format_utc prints seconds, milliseconds or microseconds", "[time]") {
    const auto t = utc(2026, 4, 14, 9, 12, 33);
    CHECK(format_utc(t) == "2026-04-14T09:12:33Z");
    CHECK(format_utc(t + milliseconds{123}) == "2026-04-14T09:12:33.123Z");
    CHECK(format_utc(t + microseconds{123456}) == "2026-04-14T09:12:33.123456Z");
    CHECK(format_utc(t + milliseconds{1}) == "2026-04-14T09:12:33.001Z");
    CHECK(format_utc(t + milliseconds{100}) == "2026-04-14T09:12:33.100Z");
    CHECK(format_utc(t + microseconds{1}) == "2026-04-14T09:12:33.000001Z");
    CHECK(format_utc(t + microseconds{123400}) == "2026-04-14T09:12:33.123400Z");
    CHECK(format_utc(t + microseconds{999999}) == "2026-04-14T09:12:33.999999Z");
    CHECK(format_utc(utc(2024, 2, 29, 23, 59, 59)) == "2024-02-29T23:59:59Z");
    CHECK(format_utc(utc(2026, 12, 31, 23, 59, 59)) == "2026-12-31T23:59:59Z");
    CHECK(format_utc(Timestamp{}) == "1970-01-01T00:00:00Z");

    SECTION("before the epoch") {
        CHECK(format_utc(Timestamp{microseconds{-1}}) == "1969-12-31T23:59:59.999999Z");
        CHECK(format_utc(Timestamp{milliseconds{-500}}) == "1969-12-31T23:59:59.500Z");
        CHECK(format_utc(Timestamp{seconds{-1}}) == "1969-12-31T23:59:59Z");
        CHECK(format_utc(Timestamp{seconds{-86400}}) == "1969-12-31T00:00:00Z");
        CHECK(format_utc(Timestamp{seconds{-86401}}) == "1969-12-30T23:59:59Z");
        CHECK(format_utc(Timestamp{seconds{-2208988800}}) == "1900-01-01T00:00:00Z");
        CHECK(format_utc(utc(1, 1, 1)) == "0001-01-01T00:00:00Z");
        CHECK(format_utc(utc(1600, 2, 29, 12, 0, 0, 7)) == "1600-02-29T12:00:00.000007Z");
    }
    SECTION("outside years 0000..9999") {
        CHECK(format_utc(utc(9999, 12, 31, 23, 59, 59, 999999)) == "9999-12-31T23:59:59.999999Z");
        CHECK(format_utc(utc(0, 1, 1)) == "0000-01-01T00:00:00Z");
        CHECK(format_utc(utc(10000, 1, 1)) == "+10000-01-01T00:00:00Z");
        CHECK(format_utc(utc(0, 1, 1) - microseconds{1}) == "-0001-12-31T23:59:59.999999Z");
        CHECK(format_utc(utc(-44, 3, 15, 12)) == "-0044-03-15T12:00:00Z");
        CHECK(format_utc(Timestamp::max()) == "+294247-01-10T04:00:54.775807Z");
        CHECK(format_utc(Timestamp::min()) == "-290308-12-21T19:59:05.224192Z");
    }
}

TEST_CASE("format_in_zone prints wall time and offset", "[time]") {
    const auto* berlin = zone("Europe/Berlin");
    CHECK(format_in_zone(utc(2026, 4, 14, 9, 12, 33), berlin) == "2026-04-14 11:12:33 +02:00");
    CHECK(format_in_zone(utc(2026, 7, 1, 10), berlin) == "2026-07-01 12:00:00 +02:00");
    CHECK(format_in_zone(utc(2026, 1, 15, 11, 0, 0, 123000), berlin) ==
          "2026-01-15 12:00:00.123 +01:00");
    CHECK(format_in_zone(utc(2026, 1, 15, 11, 0, 0, 123456), berlin) ==
          "2026-01-15 12:00:00.123456 +01:00");
    CHECK(format_in_zone(utc(2026, 12, 31, 23, 30), berlin) == "2027-01-01 00:30:00 +01:00");
    CHECK(format_in_zone(utc(2026, 3, 29, 1) - microseconds{1}, berlin) ==
          "2026-03-29 01:59:59.999999 +01:00");
    CHECK(format_in_zone(utc(2026, 3, 29, 1), berlin) == "2026-03-29 03:00:00 +02:00");
    CHECK(format_in_zone(utc(2026, 10, 25, 0, 30), berlin) == "2026-10-25 02:30:00 +02:00");
    CHECK(format_in_zone(utc(2026, 10, 25, 1, 30), berlin) == "2026-10-25 02:30:00 +01:00");
    CHECK(format_in_zone(Timestamp{milliseconds{-500}}, berlin) ==
          "1970-01-01 00:59:59.500 +01:00");
    CHECK(format_in_zone(utc(1890, 6, 1, 11, 6, 32), berlin) == "1890-06-01 12:00:00 +00:53:28");

    const auto t = utc(2026, 4, 14, 9, 12, 33, 250000);
    CHECK(format_in_zone(t, zone("UTC")) == "2026-04-14 09:12:33.250 +00:00");
    CHECK(format_in_zone(t, zone("Etc/UTC")) == "2026-04-14 09:12:33.250 +00:00");
    CHECK(format_in_zone(t, nullptr) == "2026-04-14 09:12:33.250 +00:00");
    CHECK(format_in_zone(t, zone("America/New_York")) == "2026-04-14 05:12:33.250 -04:00");
    CHECK(format_in_zone(utc(2026, 1, 1, 3), zone("America/New_York")) ==
          "2025-12-31 22:00:00 -05:00");
    CHECK(format_in_zone(t, zone("Asia/Kolkata")) == "2026-04-14 14:42:33.250 +05:30");
    CHECK(format_in_zone(t, zone("Australia/Sydney")) == "2026-04-14 19:12:33.250 +10:00");
    CHECK(format_in_zone(utc(2026, 1, 15, 1), zone("Australia/Sydney")) ==
          "2026-01-15 12:00:00 +11:00");
    CHECK(format_in_zone(utc(2026, 4, 14, 9, 12), zone("Pacific/Kiritimati")) ==
          "2026-04-14 23:12:00 +14:00");
    CHECK(format_in_zone(Timestamp::max(), berlin).rfind("+294247-01-10 ", 0) == 0);
    CHECK(format_in_zone(Timestamp::min(), berlin).rfind("-290308-12-21 ", 0) == 0);
}

TEST_CASE("format_utc and parse_iso8601 round-trip", "[time]") {
    std::vector<Timestamp> samples = {
        Timestamp{},
        Timestamp{microseconds{-1}},
        Timestamp{microseconds{1}},
        utc(1, 1, 1),
        utc(9999, 12, 31, 23, 59, 59, 999999),
        utc(2024, 2, 29, 12),
        utc(1900, 2, 28, 23, 59, 59, 999000),
        utc(2026, 4, 14, 9, 12, 33, 123456),
    };
    std::mt19937_64 random(20260414);
    const std::int64_t lo = utc(1, 1, 1).time_since_epoch().count();
    const std::int64_t hi = utc(9999, 12, 31, 23, 59, 59, 999999).time_since_epoch().count();
    std::uniform_int_distribution<std::int64_t> any(lo, hi);
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t v = any(random);
        samples.push_back(Timestamp{microseconds{v}});
        samples.push_back(std::chrono::floor<milliseconds>(Timestamp{microseconds{v}}));
        samples.push_back(std::chrono::floor<seconds>(Timestamp{microseconds{v}}));
    }
    std::uniform_int_distribution<std::int64_t> near(-5LL * 86400 * 1000000, 5LL * 86400 * 1000000);
    for (int i = 0; i < 2000; ++i)
        samples.push_back(Timestamp{microseconds{near(random)}});

    int failures = 0;
    for (const auto& t : samples) {
        const std::string text = format_utc(t);
        auto r = parse_iso8601(text);
        if (!r || r->at != t || r->naive) {
            ++failures;
            INFO(text);
            CHECK(r.has_value());
            if (r) CHECK(r->at == t);
        }
    }
    CHECK(failures == 0);
}

TEST_CASE("format_in_zone and parse_iso8601 round-trip", "[time]") {
    std::mt19937_64 random(7);
    const std::int64_t lo = utc(1910, 1, 1).time_since_epoch().count();
    const std::int64_t hi = utc(2037, 12, 31).time_since_epoch().count();
    std::uniform_int_distribution<std::int64_t> any(lo, hi);
    int failures = 0;
    for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Sydney",
                             "Asia/Kolkata", "Australia/Lord_Howe", "UTC"}) {
        const auto* in = zone(name);
        for (int i = 0; i < 3000; ++i) {
            const Timestamp t{microseconds{any(random)}};
            std::string text = format_in_zone(t, in);
            const auto space = text.rfind(' ');
            const std::string wall = text.substr(0, space);
            text.erase(space, 1);
            auto with_offset = parse_iso8601(text);
            auto naive = parse_iso8601(wall, in);
            // A naive wall time is ambiguous only in a fall-back overlap; then it is the
            // earlier reading, which the offset from format_in_zone cannot be later than.
            const bool ok = with_offset && with_offset->at == t && naive && naive->naive &&
                            naive->at <= t && t - naive->at <= hours{2} &&
                            format_in_zone(naive->at, in).substr(0, space) == wall;
            if (!ok) {
                ++failures;
                INFO(name << " " << text);
                CHECK(ok);
            }
        }
    }
    CHECK(failures == 0);
}

TEST_CASE("a time as format_in_zone shows it parses back", "[time]") {
    auto t = utc(2026, 4, 14, 9, 12, 33);
    auto shown = format_in_zone(t, zone("Europe/Berlin"));
    REQUIRE(shown == "2026-04-14 11:12:33 +02:00");
    auto parsed = parse_iso8601(shown);
    REQUIRE(parsed);
    CHECK(parsed->at == t);
    CHECK_FALSE(parsed->naive);
    CHECK(parse_iso8601("2026-04-14 11:12 Z")->at == utc(2026, 4, 14, 11, 12));
    CHECK(parse_iso8601("2026-04-14 11:12:33.5 -01:00")->at ==
          utc(2026, 4, 14, 12, 12, 33, 500000));
    CHECK_FALSE(parse_iso8601("2026-04-14 11:12:33  +02:00"));
    CHECK_FALSE(parse_iso8601("2026-04-14 11:12:33 "));
}
