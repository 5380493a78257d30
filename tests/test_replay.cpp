// Replay tests: JSON merge patch (RFC 7386 semantics) with blame, and the fold of a stream from
// tests/fixtures/golden.jsonl to instants, with its warnings.
#include "test_support.hpp"

#include "replay/merge_patch.hpp"
#include "replay/replayer.hpp"

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

    auto replayer =
        replay::Replayer::open(db, stream, "discrepancy-4721", replay::Projection::merge_default());
    REQUIRE(replayer.has_value());
    // evt-017 (version 9) is at 2026-04-15T09:30:00.5Z: included at that instant, not before.
    auto at = parse_iso8601("2026-04-15T09:30:00.5Z").value().at;
    auto state = replayer->state_at(at);
    REQUIRE(state.has_value());
    REQUIRE(replayer->name_events(*state).has_value());
    CHECK(state->applied == 8); // versions 1..9 without 5
    CHECK(state->version == 9);
    CHECK(state->state["amount"] == 2052.4);
    CHECK(state->state["previous"] == 1840);
    auto blamed = [&](const replay::ReplayState& s, const char* pointer) {
        return s.events.at(s.blame.at(pointer)).id.value_or("");
    };
    CHECK(blamed(*state, "/amount") == "evt-017");
    CHECK(blamed(*state, "/invoice") == "evt-005");
    CHECK(blamed(*state, "/to") == "evt-015");

    auto before = replayer->state_at(at - Micros{1});
    REQUIRE(before.has_value());
    REQUIRE(replayer->name_events(*before).has_value());
    CHECK(before->applied == 7);
    CHECK(before->state["amount"] == 1840);
    CHECK(blamed(*before, "/amount") == "evt-005");

    // Version 5 is missing (evt-010 is 4, evt-011 is 6).
    bool gap = false;
    for (const auto& warning : state->warnings)
        gap = gap || warning.find("version 5 is missing before seq") != std::string::npos;
    CHECK(gap);

    auto empty = replayer->state_at(parse_iso8601("2026-01-01").value().at);
    REQUIRE(empty.has_value());
    CHECK(empty->applied == 0);
    CHECK(empty->state == json::object());
    CHECK_FALSE(empty->version);
}

TEST_CASE("diff_values lists leaf changes by JSON pointer", "[replay]") {
    std::vector<replay::Change> out;
    json a = json::parse(R"({"amount":1840,"tags":["x"],"same":{"k":1},"gone":{"deep":true}})");
    json b = json::parse(R"({"amount":2052.4,"tags":["x","y"],"same":{"k":1},"new/key":null})");
    replay::diff_values(&a, &b, "", out);
    REQUIRE(out.size() == 4);
    CHECK(out[0].pointer == "/amount");
    CHECK(std::string(out[0].kind()) == "changed");
    CHECK(*out[0].before == 1840);
    CHECK(*out[0].after == 2052.4);
    CHECK(out[1].pointer == "/gone");
    CHECK(std::string(out[1].kind()) == "removed");
    CHECK(*out[1].before == json::parse(R"({"deep":true})"));
    CHECK(out[2].pointer == "/tags/1");
    CHECK(std::string(out[2].kind()) == "added");
    CHECK(out[3].pointer == "/new~1key");
    CHECK(out[3].after->is_null());

    out.clear();
    json number = 5, object = json::parse(R"({"value":5})");
    replay::diff_values(&number, &object, "/amount", out);
    REQUIRE(out.size() == 1); // a change of kind is one change of the whole value
    CHECK(out[0].pointer == "/amount");

    CHECK(replay::find_pointer(b, "/tags/1") != nullptr);
    CHECK(*replay::find_pointer(b, "/tags/1") == "y");
    CHECK(replay::find_pointer(b, "/tags/2") == nullptr);
    CHECK(replay::find_pointer(b, "/new~1key") != nullptr);
    CHECK(replay::find_pointer(b, "") == &b);
    CHECK(replay::pointer_within("/a/b", "/a"));
    CHECK_FALSE(replay::pointer_within("/ab", "/a"));
    CHECK(replay::pointer_within("/a", ""));
}

TEST_CASE("the change recorder keeps old values across nested changes", "[replay]") {
    replay::ChangeRecorder recorder;
    json state = json::parse(R"({"a":{"x":1},"n":[1]})");
    // A deep change first, then its ancestor, then a place that did not exist.
    recorder.capture(state, "/a/x");
    state["a"]["x"] = 2;
    recorder.capture(state, "/a");
    state["a"] = json::parse(R"({"y":3})");
    recorder.capture(state, "/b/c");
    state["b"] = json::parse(R"({"c":4})");
    recorder.capture(state, "/n/1");
    state["n"].push_back(7);
    auto changes = recorder.finish(state);
    REQUIRE(changes.size() == 4);
    CHECK(changes[0].pointer == "/a/x");
    CHECK(*changes[0].before == 1); // the value before the event, not the intermediate 2
    CHECK_FALSE(changes[0].after);
    CHECK(changes[1].pointer == "/a/y");
    CHECK_FALSE(changes[1].before);
    CHECK(changes[2].pointer == "/b"); // the first place that did not exist appears whole
    CHECK(*changes[2].after == json::parse(R"({"c":4})"));
    CHECK(changes[3].pointer == "/n/1");
    CHECK(*changes[3].after == 7);
    CHECK(recorder.finish(state).empty());

    // A place created and removed within one event is no change.
    recorder.capture(state, "/t");
    state["t"] = 1;
    recorder.capture(state, "/t");
    state.erase("t");
    CHECK(recorder.finish(state).empty());
}

namespace {

struct GoldenStream {
    TempDir dir;
    std::string case_path;
    sql::Db db;
    std::int64_t stream = 0;

    explicit GoldenStream(const char* name = "discrepancy-4721")
        : case_path(dir.file("golden.asof")), db(make(dir, case_path)) {
        auto id = db.prepare("SELECT id FROM streams WHERE name = ?1");
        id->bind(1, std::string_view(name));
        REQUIRE(id->step().value());
        stream = id->column_int(0);
    }

    static sql::Db make(TempDir& dir, const std::string& case_path) {
        std::string log = dir.file("golden.jsonl");
        write_file(log, read_file(std::string(ASOF_TEST_DIR) + "/fixtures/golden.jsonl"));
        import_ok({log}, case_path);
        return open_ok(case_path);
    }

    replay::Replayer replayer(replay::ReplayLimits limits = {}) {
        auto opened = replay::Replayer::open(db, stream, "discrepancy-4721",
                                             replay::Projection::merge_default(), limits);
        REQUIRE(opened.has_value());
        return std::move(*opened);
    }
};

Timestamp at(const char* text) {
    return parse_iso8601(text).value().at;
}

} // namespace

TEST_CASE("changes lists each event in an interval with the places it changed", "[replay]") {
    GoldenStream golden;
    auto replayer = golden.replayer();
    // [2026-04-14, 2026-04-17): evt-016 (note), evt-017 (amount), evt-019 (resolved), evt-020.
    auto state =
        replayer.changes(at("2026-04-14T00:00:00Z"), at("2026-04-17T00:00:00Z") - Micros{1});
    REQUIRE(state.has_value());
    REQUIRE(replayer.name_events(*state).has_value());
    REQUIRE(state->timeline.size() == 4);
    auto id_of = [&](std::size_t i) { return state->events.at(state->timeline[i].seq).id.value(); };
    CHECK(id_of(0) == "evt-016");
    CHECK(id_of(1) == "evt-017");
    CHECK(id_of(2) == "evt-019");
    CHECK(id_of(3) == "evt-020");

    const auto& note = state->timeline[0].changes;
    REQUIRE(note.size() == 1);
    CHECK(note[0].pointer == "/text");
    CHECK(*note[0].before == "Reminder: \"awaiting reweigh\"");

    const auto& amount = state->timeline[1].changes;
    REQUIRE(amount.size() == 2);
    CHECK(amount[0].pointer == "/amount");
    CHECK(*amount[0].before == 1840);
    CHECK(*amount[0].after == 2052.4);
    CHECK(amount[1].pointer == "/previous");
    CHECK_FALSE(amount[1].before);
    CHECK(*amount[1].after == 1840);

    CHECK(state->timeline[2].changes.empty()); // amount 2052.4 again: nothing changed
    CHECK(state->events.at(state->timeline[3].seq).version == 11);

    // The state is the state at the end of the interval.
    auto end = replayer.state_at(at("2026-04-17T00:00:00Z") - Micros{1});
    REQUIRE(end.has_value());
    CHECK(state->state == end->state);
    CHECK(state->blame == end->blame);
}

TEST_CASE("diff names what differs between two instants and the events that did it", "[replay]") {
    GoldenStream golden;
    auto replayer = golden.replayer();
    auto diff = replayer.diff(at("2026-04-14T00:00:00Z"), at("2026-04-16T23:59:59Z"));
    REQUIRE(diff.has_value());
    REQUIRE(replayer.name_events(diff->to).has_value());
    CHECK(diff->from.version == 7);
    CHECK(diff->to.version == 11);
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> got;
    for (const auto& entry : diff->entries) {
        std::vector<std::string> causes;
        for (auto seq : entry.causes)
            causes.push_back(diff->to.events.at(seq).id.value());
        got[entry.change.pointer] = {entry.change.kind(), causes};
    }
    using Causes = std::vector<std::string>;
    CHECK(got.at("/amount") == std::make_pair(std::string("changed"), Causes{"evt-017"}));
    CHECK(got.at("/previous") == std::make_pair(std::string("added"), Causes{"evt-017"}));
    CHECK(got.at("/text") == std::make_pair(std::string("changed"), Causes{"evt-016"}));
    CHECK(got.at("/to") == std::make_pair(std::string("changed"), Causes{"evt-020"}));
    CHECK(got.at("/from") == std::make_pair(std::string("changed"), Causes{"evt-020"}));
    CHECK(got.size() == 5);

    auto same = replayer.diff(at("2026-04-14T00:00:00Z"), at("2026-04-14T00:00:00Z"));
    REQUIRE(same.has_value());
    CHECK(same->entries.empty());
    CHECK_FALSE(replayer.diff(at("2026-04-15T00:00:00Z"), at("2026-04-14T00:00:00Z")));
}

TEST_CASE("replay refuses a state larger than its limit", "[replay]") {
    GoldenStream golden;
    replay::ReplayLimits tiny;
    tiny.max_state_bytes = 200;
    auto replayer = golden.replayer(tiny);
    auto state = replayer.state_at(at("2026-12-31T00:00:00Z"));
    REQUIRE_FALSE(state.has_value());
    CHECK(state.error().message.find("grows beyond the limit") != std::string::npos);
    CHECK(state.error().message.find("--max-state-mib") != std::string::npos);
    auto roomy = golden.replayer().state_at(at("2026-12-31T00:00:00Z"));
    CHECK(roomy.has_value());
}
