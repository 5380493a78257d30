// Tests of the query language's front end: the required examples end to end (parse + resolve),
// canonical forms, parse errors with their columns, and robustness against arbitrary bytes.
#include "query_support.hpp"

#include "query/canonical.hpp"
#include "query/executor.hpp"
#include "query/parser.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>
#include <random>

using namespace asof;
using namespace asof::query;
using asof::test::berlin_friday;
using asof::test::clock_at;

namespace {

PreparedQuery prepared_ok(std::string_view text, const Clock& clock = berlin_friday()) {
    return test::prepared_ok(text, clock);
}

QueryError parse_error(std::string_view text, const Clock& clock = berlin_friday()) {
    auto prepared = prepare_query(text, clock);
    INFO(text);
    REQUIRE_FALSE(prepared.has_value());
    return prepared.error();
}

std::string utc_text(const std::optional<Timestamp>& t) {
    return t ? format_utc(*t) : "unbounded";
}

} // namespace

TEST_CASE("the required examples resolve to exactly their ranges", "[query][parse]") {
    struct Example {
        const char *query, *from, *to;
    };
    const Example examples[] = {
        {"discrepancy #4721 tuesday to thursday", "2026-04-13T22:00:00Z", "2026-04-16T22:00:00Z"},
        {"everything on discrepancy #4721 between Tuesday and Thursday", "2026-04-13T22:00:00Z",
         "2026-04-16T22:00:00Z"},
        {"discrepancy #4721 from 2026-04-14 to 2026-04-16", "2026-04-13T22:00:00Z",
         "2026-04-16T22:00:00Z"},
        {"discrepancy #4721 2026-04-14..2026-04-16", "2026-04-13T22:00:00Z",
         "2026-04-16T22:00:00Z"},
        {"shipment #88 yesterday", "2026-04-15T22:00:00Z", "2026-04-16T22:00:00Z"},
        {"type:NoteAdded actor:alice last 7 days", "2026-04-10T08:00:00Z", "2026-04-17T08:00:00Z"},
        {"discrepancy #4721 since monday", "2026-04-12T22:00:00Z", "2026-04-17T08:00:00Z"},
        {"invoice #12 last week", "2026-04-05T22:00:00Z", "2026-04-12T22:00:00Z"},
        {"discrepancy #4721 on 2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
        {"discrepancy #4721 between 2pm yesterday and 9:30 today", "2026-04-16T12:00:00Z",
         "2026-04-17T07:30:00Z"},
        {"discrepancy #4721 where data.amount > 1000 this week", "2026-04-12T22:00:00Z",
         "2026-04-19T22:00:00Z"},
    };
    for (const auto& example : examples) {
        auto prepared = prepared_ok(example.query);
        INFO(example.query << " (canonical: " << prepared.canonical << ")");
        CHECK(utc_text(prepared.interval.from) == example.from);
        CHECK(utc_text(prepared.interval.to) == example.to);
    }
}

TEST_CASE("targets: kind and key, exact names, several", "[query][parse]") {
    auto q = prepared_ok("discrepancy #4721").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].kind == Target::Kind::kind_key);
    CHECK(q.targets[0].stream_kind == "discrepancy");
    CHECK(q.targets[0].key == "4721");
    CHECK_FALSE(q.time);

    q = prepared_ok("Discrepancy 4721").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].stream_kind == "discrepancy");
    CHECK(q.targets[0].key == "4721");

    q = prepared_ok("container cr1").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].stream_kind == "container");
    CHECK(q.targets[0].key == "cr1");

    q = prepared_ok("stream:discrepancy-4721").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].kind == Target::Kind::name);
    CHECK(q.targets[0].name == "discrepancy-4721");

    q = prepared_ok("stream:\"odd name, with comma\" yesterday").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].name == "odd name, with comma");

    q = prepared_ok("order:990001").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].kind == Target::Kind::name);
    CHECK(q.targets[0].name == "order:990001");

    q = prepared_ok("discrepancy #4721 or shipment #88, invoice 12").query;
    REQUIRE(q.targets.size() == 3);
    CHECK(q.targets[1].stream_kind == "shipment");
    CHECK(q.targets[2].key == "12");

    q = prepared_ok("what happened to discrepancy #4721 yesterday?").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.time);
}

TEST_CASE("targets: an object's type and id, with or without '#' (XES cases, OCEL objects)",
          "[query][parse]") {
    struct Example {
        const char* query;
        const char* kind;
        const char* key;
        bool timed;
    };
    const Example examples[] = {
        {"case 173688", "case", "173688", false},
        {"case #173688", "case", "173688", false},
        {"container cr1", "container", "cr1", false},
        {"order #990001", "order", "990001", false},
        {"order 990001 since 2026-04-01", "order", "990001", true},
        {"Case 1430 count by type", "case", "1430", false},
        {"case 2024 yesterday", "case", "2024", true},
        {"case A-17 where type:decide", "case", "A-17", false},
    };
    for (const auto& example : examples) {
        INFO(example.query);
        auto prepared = prepared_ok(example.query);
        REQUIRE(prepared.query.targets.size() == 1);
        const Target& target = prepared.query.targets[0];
        CHECK(target.kind == Target::Kind::kind_key);
        CHECK(target.stream_kind == example.kind);
        CHECK(target.key == example.key);
        CHECK(prepared.query.time.has_value() == example.timed);
        CHECK(prepared.canonical.starts_with(std::string(example.kind) + " #" + example.key));
    }
    // A time of day after a kind is a time, not a key.
    auto q = prepared_ok("case at 14:30").query;
    REQUIRE(q.targets.size() == 1);
    CHECK(q.targets[0].kind == Target::Kind::name);
    CHECK(q.time);
}

TEST_CASE("filters: names, payload comparisons, boolean structure", "[query][parse]") {
    auto q = prepared_ok("type:NoteAdded actor:alice").query;
    REQUIRE(q.filter);
    CHECK(q.filter->kind == Filter::Kind::all_of);
    REQUIRE(q.filter->children.size() == 2);
    CHECK(q.filter->children[0].kind == Filter::Kind::type_is);
    CHECK(q.filter->children[1].name == "alice");

    q = prepared_ok("where data.amount.value >= 1000.5 and not (meta.schema = 2 or data.x exists)")
            .query;
    REQUIRE(q.filter);
    REQUIRE(q.filter->children.size() == 2);
    const Filter& compare = q.filter->children[0];
    CHECK(compare.kind == Filter::Kind::compare);
    CHECK(compare.op == CompareOp::ge);
    REQUIRE(compare.path.steps.size() == 2);
    CHECK(compare.path.steps[1].key == "value");
    CHECK(compare.values[0].number == 1000.5);
    CHECK(q.filter->children[1].kind == Filter::Kind::negate);
    CHECK(q.filter->children[1].children[0].kind == Filter::Kind::any_of);

    q = prepared_ok("data.items[2].sku in (\"A-1\", 7, true, null)").query;
    REQUIRE(q.filter);
    CHECK(q.filter->kind == Filter::Kind::in_list);
    REQUIRE(q.filter->path.steps.size() == 3);
    CHECK(q.filter->path.steps[0].key == "items");
    CHECK(q.filter->path.steps[1].index == 2);
    CHECK(q.filter->path.steps[2].key == "sku");
    REQUIRE(q.filter->values.size() == 4);
    CHECK(q.filter->values[1].kind == Literal::Kind::number);
    CHECK(q.filter->values[2].kind == Literal::Kind::boolean);
    CHECK(q.filter->values[3].kind == Literal::Kind::null);

    q = prepared_ok("\"reweigh certificate\" data.text ~ kühne").query;
    REQUIRE(q.filter);
    CHECK(q.filter->children[0].kind == Filter::Kind::text_search);
    CHECK(q.filter->children[0].name == "reweigh certificate");
    CHECK(q.filter->children[1].op == CompareOp::contains);
    CHECK(q.filter->children[1].values[0].text == "kühne");

    q = prepared_ok("type != NoteAdded").query;
    REQUIRE(q.filter);
    CHECK(q.filter->kind == Filter::Kind::negate);
    CHECK(q.filter->children[0].kind == Filter::Kind::type_is);

    q = prepared_ok("type in (NoteAdded, StatusChanged)").query;
    REQUIRE(q.filter);
    CHECK(q.filter->kind == Filter::Kind::any_of);
    CHECK(q.filter->children.size() == 2);
}

TEST_CASE("shape and mode clauses", "[query][parse]") {
    auto q = prepared_ok("discrepancy #4721 count by day newest first limit 5").query;
    CHECK(q.count_by == CountBy::day);
    CHECK(q.newest_first);
    CHECK(q.limit == 5);

    q = prepared_ok("discrepancy #4721 as of wednesday 14:00").query;
    CHECK(q.mode == Query::Mode::as_of);
    REQUIRE(q.as_of);
    CHECK(q.as_of->kind == TimePoint::Kind::weekday);
    REQUIRE(q.as_of->time);
    CHECK(q.as_of->time->hour == 14);

    q = prepared_ok("discrepancy #4721 changes between tuesday and thursday").query;
    CHECK(q.mode == Query::Mode::changes);
    CHECK(q.time);
}

TEST_CASE("more time phrases parse and resolve in the zone", "[query][parse]") {
    struct Example {
        const char *query, *from, *to;
    };
    const Example examples[] = {
        {"today", "2026-04-16T22:00:00Z", "2026-04-17T22:00:00Z"},
        {"on friday", "2026-04-16T22:00:00Z", "2026-04-17T22:00:00Z"},
        {"in april", "2026-03-31T22:00:00Z", "2026-04-30T22:00:00Z"},
        {"march 2026", "2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"},
        {"14 april", "2026-04-13T22:00:00Z", "2026-04-14T22:00:00Z"},
        {"april 14, 2026", "2026-04-13T22:00:00Z", "2026-04-14T22:00:00Z"},
        {"3 days ago", "2026-04-13T22:00:00Z", "2026-04-14T22:00:00Z"},
        {"last 2 hours", "2026-04-17T06:00:00Z", "2026-04-17T08:00:00Z"},
        {"past 30 minutes", "2026-04-17T07:30:00Z", "2026-04-17T08:00:00Z"},
        {"since 9:30", "2026-04-17T07:30:00Z", "2026-04-17T08:00:00Z"},
        {"before 2026-04-14", "unbounded", "2026-04-13T22:00:00Z"},
        {"until 2026-04-14", "unbounded", "2026-04-14T22:00:00Z"},
        {"after 2026-04-14", "2026-04-14T22:00:00Z", "unbounded"},
        {"from 2026-04-14T10:00 to 2026-04-14T12:30", "2026-04-14T08:00:00Z",
         "2026-04-14T10:30:00Z"},
        {"on 2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
        {"tuesday 2pm", "2026-04-14T12:00:00Z", "2026-04-14T13:00:00Z"},
        {"2 pm on tuesday", "2026-04-14T12:00:00Z", "2026-04-14T13:00:00Z"},
        {"this month", "2026-03-31T22:00:00Z", "2026-04-30T22:00:00Z"},
        {"last year", "2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"},
        {"in 2025", "2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"},
        {"friday..sunday", "2026-04-16T22:00:00Z", "2026-04-19T22:00:00Z"},
    };
    for (const auto& example : examples) {
        auto prepared = prepare_query(example.query, berlin_friday());
        INFO(example.query << " -> "
                           << (prepared ? prepared->canonical : prepared.error().message));
        REQUIRE(prepared.has_value());
        CHECK(utc_text(prepared->interval.from) == example.from);
        CHECK(utc_text(prepared->interval.to) == example.to);
    }
}

TEST_CASE("the zone decides what a day is", "[query][parse]") {
    auto new_york = find_zone("America/New_York");
    REQUIRE(new_york.has_value());
    auto now = parse_iso8601("2026-03-09T12:00:00Z");
    REQUIRE(now.has_value());
    Clock clock{now->at, *new_york};
    // Sunday 2026-03-08 is the day New York springs forward: 23 hours.
    auto q = prepared_ok("yesterday", clock);
    CHECK(utc_text(q.interval.from) == "2026-03-08T05:00:00Z");
    CHECK(utc_text(q.interval.to) == "2026-03-09T04:00:00Z");

    auto kolkata = find_zone("Asia/Kolkata");
    REQUIRE(kolkata.has_value());
    q = prepared_ok("on 2024-02-29", Clock{now->at, *kolkata});
    CHECK(utc_text(q.interval.from) == "2024-02-28T18:30:00Z");
    CHECK(utc_text(q.interval.to) == "2024-02-29T18:30:00Z");
    CHECK(parse_error("on 2026-02-29", clock).span.begin == 3);
}

TEST_CASE("canonical text is one spelling per meaning and parses back to itself",
          "[query][parse]") {
    struct Example {
        const char *query, *canonical;
    };
    const Example examples[] = {
        {"everything on discrepancy #4721 between Tuesday and Thursday",
         "discrepancy #4721 between tuesday and thursday"},
        {"discrepancy #4721 tuesday to thursday", "discrepancy #4721 between tuesday and thursday"},
        {"Discrepancy 4721 2026-04-14..2026-04-16",
         "discrepancy #4721 between 2026-04-14 and 2026-04-16"},
        {"shipment #88 yesterday", "shipment #88 yesterday"},
        {"show me type:NoteAdded actor:alice last 7 days",
         "last 7 days where type:NoteAdded and actor:alice"},
        {"discrepancy #4721 between 2pm yesterday and 9:30 today",
         "discrepancy #4721 between yesterday 2pm and today 09:30"},
        {"stream:order:990001 or invoice 12 on apr 14",
         "stream:order:990001 or invoice #12 on april 14"},
        {"WHERE data.amount >= 10 AND NOT (meta.schema = 2 OR data.x exists) newest first limit 3",
         "where data.amount >= 10 and not (meta.schema = 2 or data.x exists) newest first limit 3"},
        {"\"say \\\"hi\\\"\" count by actor", "where \"say \\\"hi\\\"\" count by actor"},
        {"discrepancy #4721 as of wednesday 14:00", "discrepancy #4721 as of wednesday 14:00"},
        {"data.status = open", "where data.status = \"open\""},
        {"in march", "in march"},
        {"2 weeks ago", "2 weeks ago"},
    };
    for (const auto& example : examples) {
        auto first = prepared_ok(example.query);
        CHECK(first.canonical == example.canonical);
        auto second = prepared_ok(first.canonical);
        CHECK(second.canonical == first.canonical);
        CHECK(second.interval.from == first.interval.from);
        CHECK(second.interval.to == first.interval.to);
    }
}

TEST_CASE("parse errors name the column and what was expected", "[query][parse][errors]") {
    struct Example {
        const char* query;
        std::size_t column; // 1-based
        const char* message_part;
    };
    const Example examples[] = {
        {"discrepancy #4721 between tuesday", 34, "expected \"and\""},
        {"discrepancy #4721 since", 24, "expected a time after \"since\""},
        {"type:", 6, "expected a type name"},
        {"where data.amount >", 20, "expected a value"},
        {"where data.amount", 18, "expected a comparison"},
        {"where (type:A or type:B", 24, "expected \")\" to close the \"(\" at column 7"},
        {"discrepancy #4721 \"unterminated", 19, "unterminated string"},
        {"discrepancy #4721 on 2026-02-30", 22, "not a date"},
        {"discrepancy #4721 at 25:00", 22, ""},
        {"13pm", 1, "the hour is 1 to 12"},
        {"limit many", 7, "expected a whole number after \"limit\""},
        {"count by colour", 10, "expected type, actor, stream, day, hour or week"},
        {"yesterday today", 11, "a second time clause"},
        {"discrepancy # 4721", 13, "expected an id after \"#\""},
        {"a ! b", 3, "did you mean \"!=\""},
        {"last 0 days", 6, "N from 1 to 100000"},
        {"discrepancy #4721 as of tuesday since monday", 33, "cannot be combined"},
        {"between 2026-04-16 and 2026-04-14", 1, "before it starts"},
        // Instants with offsets: 11:00 +02:00 is 09:00Z, before 10:00Z.
        {"between 2026-04-14T10:00:00Z and 2026-04-14T11:00:00+02:00", 1, "before it starts"},
    };
    for (const auto& example : examples) {
        auto error = parse_error(example.query);
        INFO(example.query << " -> column " << error.span.begin + 1 << ": " << error.message);
        CHECK(error.span.begin + 1 == example.column);
        CHECK(error.message.find(example.message_part) != std::string::npos);
        CHECK(error.span.end >= error.span.begin);
        CHECK(error.span.end <= std::string_view(example.query).size());
    }
}

TEST_CASE("no input crashes the parser; nesting is bounded", "[query][parse][errors]") {
    std::mt19937 random(20260417);
    const std::string alphabet = "abc #4721:()\"',.=!<>~-_/tT0123456789 \t\x01\xff\xc3\xa9"
                                 "wheredatatype:actor:notandorbetweenlast";
    for (int i = 0; i < 5000; ++i) {
        std::string text;
        std::size_t length = random() % 40;
        for (std::size_t j = 0; j < length; ++j)
            text += alphabet[random() % alphabet.size()];
        auto prepared = prepare_query(text, berlin_friday());
        if (!prepared) {
            CHECK(prepared.error().span.begin <= text.size());
            CHECK_FALSE(prepared.error().message.empty());
        }
    }
    std::string deep(10000, '(');
    deep += "type:A";
    auto error = parse_error(deep);
    CHECK(error.message.find("deep") != std::string::npos);
    std::string nots;
    for (int i = 0; i < 5000; ++i)
        nots += "not ";
    nots += "type:A";
    CHECK(parse_error(nots).message.find("deep") != std::string::npos);
}
