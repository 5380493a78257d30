// Replay tests: JSON merge patch (RFC 7386 semantics) with blame, and the fold of a stream from
// tests/fixtures/golden.jsonl to instants, with its warnings.
#include "test_support.hpp"

#include "replay/merge_patch.hpp"
#include "replay/replay.hpp"

using namespace asof;
using namespace asof::test;
using nlohmann::json;

namespace {

json merged(const char* target, const char* patch) {
    json state = json::parse(target);
    std::map<std::string, int> blame;
    replay::merge_patch(state, json::parse(patch), blame, 1);
    return state;
}

} // namespace

TEST_CASE("merge patch follows RFC 7386", "[replay]") {
    // The cases of RFC 7386 section 3 (object targets; a patch that is not an object is refused).
    CHECK(merged(R"({"a":"b"})", R"({"a":"c"})") == json::parse(R"({"a":"c"})"));
    CHECK(merged(R"({"a":"b"})", R"({"b":"c"})") == json::parse(R"({"a":"b","b":"c"})"));
    CHECK(merged(R"({"a":"b"})", R"({"a":null})") == json::parse(R"({})"));
    CHECK(merged(R"({"a":"b","b":"c"})", R"({"a":null})") == json::parse(R"({"b":"c"})"));
    CHECK(merged(R"({"a":["b"]})", R"({"a":"c"})") == json::parse(R"({"a":"c"})"));
    CHECK(merged(R"({"a":"c"})", R"({"a":["b"]})") == json::parse(R"({"a":["b"]})"));
    CHECK(merged(R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})") ==
          json::parse(R"({"a":{"b":"d"}})"));
    CHECK(merged(R"({"a":[{"b":"c"}]})", R"({"a":[1]})") == json::parse(R"({"a":[1]})"));
    CHECK(merged(R"({"e":null})", R"({"a":1})") == json::parse(R"({"e":null,"a":1})"));
    CHECK(merged(R"({})", R"({"a":{"bb":{"ccc":null}}})") == json::parse(R"({"a":{"bb":{}}})"));
    CHECK(merged(R"({"a":1})", R"({"a":{"b":2}})") == json::parse(R"({"a":{"b":2}})"));

    json state = json::parse(R"({"a":1})");
    std::map<std::string, int> blame;
    CHECK_FALSE(replay::merge_patch(state, json::parse("[1,2]"), blame, 1));
    CHECK_FALSE(replay::merge_patch(state, json::parse("\"text\""), blame, 1));
    CHECK(state == json::parse(R"({"a":1})"));
}

TEST_CASE("blame names the event that last set each leaf", "[replay]") {
    json state = json::object();
    std::map<std::string, int> blame;
    replay::merge_patch(state, json::parse(R"({"amount":1840,"tags":["x","y"],"a/b":{"c~d":1}})"),
                        blame, 1);
    CHECK(blame == std::map<std::string, int>{
                       {"/amount", 1}, {"/tags/0", 1}, {"/tags/1", 1}, {"/a~1b/c~0d", 1}});
    replay::merge_patch(state, json::parse(R"({"amount":{"value":2052.4,"currency":"EUR"}})"),
                        blame, 2);
    CHECK(blame == std::map<std::string, int>{{"/amount/currency", 2},
                                              {"/amount/value", 2},
                                              {"/tags/0", 1},
                                              {"/tags/1", 1},
                                              {"/a~1b/c~0d", 1}});
    replay::merge_patch(state, json::parse(R"({"tags":null,"a/b":{"c~d":null},"amount":5})"), blame,
                        3);
    CHECK(state == json::parse(R"({"amount":5,"a/b":{}})"));
    CHECK(blame == std::map<std::string, int>{{"/amount", 3}, {"/a~1b", 3}});
}

TEST_CASE("replay folds a stream up to an instant, inclusive, and warns", "[replay]") {
    TempDir dir;
    std::string log = dir.file("golden.jsonl");
    write_file(log, read_file(std::string(ASOF_TEST_DIR) + "/fixtures/golden.jsonl"));
    std::string case_path = dir.file("golden.asof");
    import_ok({log}, case_path);
    auto db = open_ok(case_path);
    auto id = db.prepare("SELECT id FROM streams WHERE name = 'discrepancy-4721'");
    REQUIRE(id.has_value());
    REQUIRE(id->step().value());
    std::int64_t stream = id->column_int(0);

    // evt-017 (version 9) is at 2026-04-15T09:30:00.5Z: included at that instant, not before.
    auto at = parse_iso8601("2026-04-15T09:30:00.5Z").value().at;
    auto state = replay::replay_stream(db, stream, "discrepancy-4721", at);
    REQUIRE(state.has_value());
    CHECK(state->applied == 8); // versions 1..9 without 5
    CHECK(state->version == 9);
    CHECK(state->state["amount"] == 2052.4);
    CHECK(state->state["previous"] == 1840);
    CHECK(state->blame.at("/amount").id == "evt-017");
    CHECK(state->blame.at("/invoice").id == "evt-005");
    CHECK(state->blame.at("/to").id == "evt-015");

    auto before = replay::replay_stream(db, stream, "discrepancy-4721", at - Micros{1});
    REQUIRE(before.has_value());
    CHECK(before->applied == 7);
    CHECK(before->state["amount"] == 1840);
    CHECK(before->blame.at("/amount").id == "evt-005");

    // Version 5 is missing (evt-010 is 4, evt-011 is 6).
    bool gap = false;
    for (const auto& warning : state->warnings)
        gap = gap || warning.find("version 5 is missing before seq") != std::string::npos;
    CHECK(gap);

    auto empty = replay::replay_stream(db, stream, "discrepancy-4721",
                                       parse_iso8601("2026-01-01").value().at);
    REQUIRE(empty.has_value());
    CHECK(empty->applied == 0);
    CHECK(empty->state == json::object());
    CHECK_FALSE(empty->version);
}
