// Projection tests: each rule and upcaster step on states, blame and before-calls; parse errors
// and their messages; sources; the canonical hash; hostile payloads; and the sample's
// assets/freight.projection.json on events shaped like the sample's.
#include "test_support.hpp"

#include "replay/merge_patch.hpp"
#include "replay/projection.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

using namespace asof;
using namespace asof::test;
using nlohmann::json;
using replay::Blame;
using replay::ProjectedEvent;
using replay::Projection;

namespace {

using ProjectionPtr = std::shared_ptr<const Projection>;

ProjectionPtr parsed(const std::string& text) {
    auto projection = Projection::parse(text, "test.projection.json");
    INFO((projection ? std::string() : projection.error().describe()));
    REQUIRE(projection.has_value());
    return *projection;
}

// The message of the error that parsing `text` must give (its `where` is the origin).
std::string parse_error(const std::string& text) {
    auto projection = Projection::parse(text, "test.projection.json");
    REQUIRE_FALSE(projection.has_value());
    CHECK(projection.error().where == "test.projection.json");
    return projection.error().message;
}

ProjectedEvent make_event(std::int64_t seq, const std::string& type, json data,
                          json meta = json()) {
    ProjectedEvent event;
    event.seq = seq;
    event.id = "evt-" + std::to_string(seq);
    event.type = type;
    event.actor = "alice";
    event.ts = utc(2026, 4, 14, 7, 12, 33, 27061);
    event.data = std::move(data);
    event.meta = std::move(meta);
    event.label = "seq " + std::to_string(seq) + " (evt-" + std::to_string(seq) + ")";
    return event;
}

// The JSON pointers of the leaves of `state` (an empty object or array is a leaf; the root
// itself never is).
std::set<std::string> leaves_of(const json& state) {
    std::set<std::string> out;
    auto walk = [&](auto& self, const json& value, const std::string& pointer) -> void {
        if (value.is_object() && !value.empty()) {
            for (const auto& [key, member] : value.items())
                self(self, member, replay::child_pointer(pointer, key));
        } else if (value.is_array() && !value.empty()) {
            for (std::size_t i = 0; i < value.size(); ++i)
                self(self, value[i], pointer + "/" + std::to_string(i));
        } else {
            out.insert(pointer);
        }
    };
    if (state.is_object())
        for (const auto& [key, member] : state.items())
            walk(walk, member, replay::child_pointer("", key));
    return out;
}

std::set<std::string> keys_of(const Blame& blame) {
    std::set<std::string> out;
    for (const auto& [pointer, seq] : blame)
        out.insert(pointer);
    return out;
}

// The value at `pointer` in `state`, dumped, or "-" when there is none.
std::string value_at(const json& state, const std::string& pointer) {
    json::json_pointer at(pointer);
    if (!state.contains(at)) return "-";
    return state.at(at).dump();
}

// Applies events one by one, recording the before-calls (pointer and the value there at the
// time of the call) and checking after each event that blame covers exactly the state's
// leaves.
struct Fold {
    ProjectionPtr projection;
    json state = json::object();
    Blame blame;
    std::vector<std::string> warnings;
    std::vector<std::pair<std::string, std::string>> before; // pointer, old value

    explicit Fold(ProjectionPtr p) : projection(std::move(p)) {}

    ProjectedEvent apply(ProjectedEvent event) {
        before.clear();
        projection->apply(
            event, state, blame,
            [this](const std::string& pointer) {
                before.emplace_back(pointer, value_at(state, pointer));
            },
            warnings);
        INFO("state " << state.dump() << " after " << event.label);
        CHECK(keys_of(blame) == leaves_of(state));
        return event;
    }
    ProjectedEvent apply(std::int64_t seq, const std::string& type, const char* data,
                         const char* meta = "null") {
        return apply(make_event(seq, type, json::parse(data), json::parse(meta)));
    }
};

using Before = std::vector<std::pair<std::string, std::string>>;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("the default projection merges each payload", "[projection]") {
    auto projection = Projection::merge_default();
    CHECK(projection->is_default());
    CHECK(projection->name() == "merge");
    CHECK(projection->canonical_text() == "{}");
    CHECK(projection->hash() == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

    Fold fold(projection);
    fold.apply(1, "Opened", R"({"amount":1840,"status":"open","tags":["a"]})");
    CHECK(fold.before == Before{{"/amount", "-"}, {"/status", "-"}, {"/tags", "-"}});
    fold.apply(2, "Changed", R"({"status":"closed","tags":null})");
    CHECK(fold.before == Before{{"/status", "\"open\""}, {"/tags", "[\"a\"]"}});
    CHECK(fold.state == json::parse(R"({"amount":1840,"status":"closed"})"));
    CHECK(fold.blame == Blame{{"/amount", 1}, {"/status", 2}});

    fold.apply(3, "Weird", "[1,2]");
    fold.apply(4, "Weird", "\"text\"");
    fold.apply(5, "Empty", "null");
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "the payload of seq 3 (evt-3) is not a JSON object; it was not merged",
              "the payload of seq 4 (evt-4) is not a JSON object; it was not merged"});
    CHECK(fold.state == json::parse(R"({"amount":1840,"status":"closed"})"));
}

TEST_CASE("set writes a source or a literal at a state path", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "A": [{"set": "amount", "from": "data.amount"}],
        "B": [{"set": "case.closed", "value": true}],
        "C": [{"set": "/a.b/c~1d", "value": {"x": [1, {}]}}],
        "D": [{"set": "case", "value": {}}],
        "E": [{"set": "amount.value", "value": 5}],
        "F": [{"set": "gone", "value": null}]}})"));

    fold.apply(1, "A", R"({"amount":{"value":1840,"currency":"EUR"}})");
    CHECK(fold.before == Before{{"/amount", "-"}});
    CHECK(fold.blame == Blame{{"/amount/currency", 1}, {"/amount/value", 1}});

    // Replaces, never merges: the old member's leaves lose their blame.
    fold.apply(2, "A", R"({"amount":2052.4})");
    CHECK(fold.before == Before{{"/amount", R"({"currency":"EUR","value":1840})"}});
    CHECK(fold.state == json::parse(R"({"amount":2052.4})"));
    CHECK(fold.blame == Blame{{"/amount", 2}});

    // Missing intermediate objects are created; the literal is set.
    fold.apply(3, "B", "{}");
    CHECK(fold.before == Before{{"/case/closed", "-"}});
    CHECK(fold.state["case"] == json::parse(R"({"closed":true})"));
    CHECK(fold.blame.at("/case/closed") == 3);

    // Pointer paths let keys hold dots and slashes; empty objects in the value are leaves.
    fold.apply(4, "C", "{}");
    CHECK(fold.state["a.b"] == json::parse(R"({"c/d":{"x":[1,{}]}})"));
    CHECK(fold.blame.at("/a.b/c~1d/x/0") == 4);
    CHECK(fold.blame.at("/a.b/c~1d/x/1") == 4);

    // An empty object set is a leaf; setting a member inside it makes it a parent again.
    fold.apply(5, "D", "{}");
    CHECK(fold.state["case"] == json::object());
    CHECK(fold.blame.at("/case") == 5);
    CHECK_FALSE(fold.blame.contains("/case/closed"));
    fold.apply(6, "B", "{}");
    CHECK_FALSE(fold.blame.contains("/case"));
    CHECK(fold.blame.at("/case/closed") == 6);

    // Through a value that is not an object: a warning, nothing changes, no before-call.
    json kept = fold.state;
    fold.apply(7, "E", "{}");
    CHECK(fold.before.empty());
    CHECK(fold.state == kept);
    CHECK(fold.warnings.back() == "seq 7 (evt-7): rule types.E[0] (set): cannot write "
                                  "amount.value: amount is number, not an object; nothing set");

    // A missing source: a warning naming the rule, nothing changes.
    fold.apply(8, "A", R"({"amt":1})");
    CHECK(fold.state == kept);
    CHECK(fold.warnings.back() ==
          "seq 8 (evt-8): rule types.A[0] (set): data.amount is missing; nothing set");

    // null is a value like any other for set (unlike a merge patch).
    fold.apply(9, "F", "{}");
    CHECK(fold.state.contains("gone"));
    CHECK(fold.state["gone"].is_null());
    CHECK(fold.blame.at("/gone") == 9);
    CHECK(fold.warnings.size() == 2);
}

TEST_CASE("unset removes a state path and everything under it", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "Init": "merge",
        "U1": [{"unset": "case.closed"}],
        "U2": [{"unset": "amount"}],
        "U3": [{"unset": "amount.value.deeper"}],
        "U4": [{"unset": "case"}]}})"));
    fold.apply(1, "Init", R"({"amount":{"value":1,"currency":"EUR"},"case":{"closed":true}})");

    // The parent that becomes empty is a leaf now, blamed on the event that emptied it.
    fold.apply(2, "U1", "{}");
    CHECK(fold.before == Before{{"/case/closed", "true"}});
    CHECK(fold.state["case"] == json::object());
    CHECK(fold.blame.at("/case") == 2);

    fold.apply(3, "U2", "{}");
    CHECK(fold.before == Before{{"/amount", R"({"currency":"EUR","value":1})"}});
    CHECK(fold.state == json::parse(R"({"case":{}})"));
    CHECK(fold.blame == Blame{{"/case", 2}});

    // Missing paths (or paths through non-objects) change nothing and warn nothing.
    fold.apply(4, "U2", "{}");
    fold.apply(5, "U3", "{}");
    CHECK(fold.before.empty());
    CHECK(fold.warnings.empty());

    // Removing the last top-level member leaves an empty state with no blame at all.
    fold.apply(6, "U4", "{}");
    CHECK(fold.state == json::object());
    CHECK(fold.blame.empty());
}

TEST_CASE("append adds to an array, blaming only the new element", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "NoteAdded": [{"append": "notes", "from": "data.text"}],
        "Entry": [{"append": "log.entries", "from": "data"}],
        "Mark": [{"append": "marks", "value": {}}],
        "Init": "merge"}})"));

    fold.apply(1, "NoteAdded", R"({"text":"first"})");
    CHECK(fold.before == Before{{"/notes", "-"}});
    fold.apply(2, "NoteAdded", R"({"text":"second"})");
    // Only the new element's place is announced (a long array is not copied per event).
    CHECK(fold.before == Before{{"/notes/1", "-"}});
    CHECK(fold.state["notes"] == json::parse(R"(["first","second"])"));
    CHECK(fold.blame == Blame{{"/notes/0", 1}, {"/notes/1", 2}});

    fold.apply(3, "Entry", R"({"line":3,"amount":{"value":1840}})");
    CHECK(fold.state["log"] == json::parse(R"({"entries":[{"line":3,"amount":{"value":1840}}]})"));
    CHECK(fold.blame.at("/log/entries/0/line") == 3);
    CHECK(fold.blame.at("/log/entries/0/amount/value") == 3);

    // An empty array is a leaf until something is appended to it.
    fold.apply(4, "Init", R"({"marks":[]})");
    CHECK(fold.blame.at("/marks") == 4);
    fold.apply(5, "Mark", "{}");
    CHECK(fold.state["marks"] == json::parse("[{}]"));
    CHECK_FALSE(fold.blame.contains("/marks"));
    CHECK(fold.blame.at("/marks/0") == 5);

    // A missing source and a target that is not an array warn and change nothing.
    json kept = fold.state;
    fold.apply(6, "NoteAdded", R"({"txt":"typo"})");
    fold.apply(7, "Init", R"({"notes":"flat"})");
    kept["notes"] = "flat";
    fold.apply(8, "NoteAdded", R"({"text":"third"})");
    CHECK(fold.state == kept);
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "seq 6 (evt-6): rule types.NoteAdded[0] (append): data.text is missing; nothing "
              "appended",
              "seq 8 (evt-8): rule types.NoteAdded[0] (append): notes is string, not an array; "
              "nothing appended"});
}

TEST_CASE("increment adds numbers, keeping integers exact", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "Count": [{"increment": "count"}],
        "Half": [{"increment": "count", "by": 0.5}],
        "Paid": [{"increment": "totals.paid", "from": "data.amount.value"}],
        "Init": "merge"}})"));
    fold.apply(1, "Count", "{}");
    CHECK(fold.before == Before{{"/count", "-"}});
    fold.apply(2, "Count", "{}");
    CHECK(fold.before == Before{{"/count", "1"}});
    CHECK(fold.state["count"] == 2);
    CHECK(fold.state["count"].is_number_integer());
    CHECK(fold.blame == Blame{{"/count", 2}});
    fold.apply(3, "Half", "{}");
    CHECK(fold.state["count"] == 2.5);

    fold.apply(4, "Paid", R"({"amount":{"value":60}})");
    fold.apply(5, "Paid", R"({"amount":{"value":40}})");
    CHECK(fold.state["totals"] == json::parse(R"({"paid":100})"));
    CHECK(fold.state["totals"]["paid"].is_number_integer());
    CHECK(fold.blame.at("/totals/paid") == 5);

    // Integer overflow falls back to a double; a sum that is not finite is refused.
    fold.apply(6, "Init", R"({"totals":{"paid":9223372036854775807}})");
    fold.apply(7, "Paid", R"({"amount":{"value":1}})");
    CHECK(fold.state["totals"]["paid"].is_number_float());
    CHECK(fold.state["totals"]["paid"].get<double>() == 9223372036854775808.0);
    fold.apply(8, "Init", R"({"totals":{"paid":1.5e308}})");
    fold.apply(9, "Paid", R"({"amount":{"value":1.5e308}})");
    CHECK(fold.state["totals"]["paid"] == 1.5e308);
    CHECK(fold.blame.at("/totals/paid") == 8);

    // Non-numbers on either side warn.
    fold.apply(10, "Paid", R"({"amount":{"value":"12.50"}})");
    fold.apply(11, "Init", R"({"count":"many"})");
    fold.apply(12, "Count", "{}");
    fold.apply(13, "Paid", R"({"amount":12.5})");
    CHECK(fold.state["count"] == "many");
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "seq 9 (evt-9): rule types.Paid[0] (increment): the sum is not a finite number; "
              "nothing incremented",
              "seq 10 (evt-10): rule types.Paid[0] (increment): data.amount.value is string, not "
              "a number; nothing incremented",
              "seq 12 (evt-12): rule types.Count[0] (increment): count is string, not a number; "
              "nothing incremented",
              "seq 13 (evt-13): rule types.Paid[0] (increment): data.amount.value is missing; "
              "nothing incremented"});
}

TEST_CASE("replace makes a source object the whole state", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "Snapshot": [{"replace": "data"}],
        "Reset": [{"replace": "data.state"}],
        "Init": "merge"}})"));
    fold.apply(1, "Init", R"({"a":1,"b":{"c":2}})");
    fold.apply(2, "Snapshot", R"({"x":{"y":[]},"z":3})");
    CHECK(fold.before == Before{{"", R"({"a":1,"b":{"c":2}})"}});
    CHECK(fold.state == json::parse(R"({"x":{"y":[]},"z":3})"));
    CHECK(fold.blame == Blame{{"/x/y", 2}, {"/z", 2}});

    fold.apply(3, "Reset", R"({"state":{}})");
    CHECK(fold.state == json::object());
    CHECK(fold.blame.empty());

    fold.apply(4, "Init", R"({"a":1})");
    fold.apply(5, "Reset", R"({"state":[1]})");
    fold.apply(6, "Reset", R"({})");
    CHECK(fold.state == json::parse(R"({"a":1})"));
    CHECK(fold.warnings ==
          std::vector<std::string>{"seq 5 (evt-5): rule types.Reset[0] (replace): data.state is "
                                   "array, not an object; the state was not replaced",
                                   "seq 6 (evt-6): rule types.Reset[0] (replace): data.state is "
                                   "missing; the state was not replaced"});
}

TEST_CASE("merge patches the state or a sub-path with a source", "[projection]") {
    Fold fold(parsed(R"({"types":{
        "Carrier": [{"merge": "data", "at": "carrier"},
                    {"set": "last_carrier_actor", "from": "actor"}],
        "Meta": [{"merge": "meta"}],
        "Deep": [{"merge": "data", "at": "a.b"}],
        "Init": "merge"}})"));

    fold.apply(1, "Carrier", R"({"name":"KN","status":"claim_received"})");
    CHECK(fold.before == Before{{"/carrier", "-"}, {"/last_carrier_actor", "-"}});
    fold.apply(2, "Carrier", R"({"status":"claim_accepted","eta":null})");
    CHECK(fold.before == Before{{"/carrier/eta", "-"},
                                {"/carrier/status", "\"claim_received\""},
                                {"/last_carrier_actor", "\"alice\""}});
    CHECK(fold.state == json::parse(R"({"carrier":{"name":"KN","status":"claim_accepted"},
                                        "last_carrier_actor":"alice"})"));
    CHECK(fold.blame ==
          Blame{{"/carrier/name", 1}, {"/carrier/status", 2}, {"/last_carrier_actor", 2}});

    fold.apply(3, "Meta", "{}", R"({"source":"api","schema":2})");
    CHECK(fold.before == Before{{"/schema", "-"}, {"/source", "-"}});
    CHECK(fold.state["source"] == "api");

    // A value that is not an object at "at" is replaced (RFC 7386); the before-call names it.
    fold.apply(4, "Init", R"({"a":{"b":7}})");
    fold.apply(5, "Deep", R"({"c":1})");
    CHECK(fold.before == Before{{"/a/b", "7"}});
    CHECK(fold.state["a"] == json::parse(R"({"b":{"c":1}})"));
    CHECK(fold.blame.at("/a/b/c") == 5);
    // An empty patch at a new path leaves an empty object, a leaf.
    fold.apply(6, "Init", R"({"a":null})");
    fold.apply(7, "Deep", "{}");
    CHECK(fold.state["a"] == json::parse(R"({"b":{}})"));
    CHECK(fold.blame.at("/a/b") == 7);

    // A non-object source warns (null is silently nothing); an intermediate that is not an
    // object warns.
    fold.apply(8, "Carrier", R"([1])");
    fold.apply(9, "Init", R"({"a":5})");
    fold.apply(10, "Deep", R"({"c":1})");
    CHECK(fold.state["a"] == 5);
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "seq 8 (evt-8): rule types.Carrier[0] (merge): data is array, not an object; "
              "nothing merged",
              "seq 10 (evt-10): rule types.Deep[0] (merge): cannot write a.b: a is number, not "
              "an object; nothing merged"});
    fold.apply(11, "Meta", "{}");
    CHECK(fold.warnings.size() == 2);
}

TEST_CASE("ignore leaves the state alone; default chooses for unlisted types", "[projection]") {
    Fold fold(parsed(R"({"default": "ignore", "types": {
        "Noise": "ignore", "Quiet": [{"ignore": true}], "Kept": "merge"}})"));
    fold.apply(1, "Noise", R"({"a":1})");
    fold.apply(2, "Quiet", R"({"a":1})");
    fold.apply(3, "Unlisted", R"({"a":1})");
    fold.apply(4, "Unlisted", "[1]");
    CHECK(fold.state == json::object());
    CHECK(fold.warnings.empty());
    fold.apply(5, "Kept", R"({"a":1})");
    fold.apply(6, "Kept", "[1]");
    CHECK(fold.state == json::parse(R"({"a":1})"));
    CHECK(fold.warnings == std::vector<std::string>{"the payload of seq 6 (evt-6) is not a "
                                                    "JSON object; it was not merged"});

    // An event without a type follows the default.
    Fold merging(parsed(R"({"types": {"Noise": "ignore"}})"));
    auto untyped = make_event(1, "", json::parse(R"({"b":2})"));
    untyped.type.reset();
    merging.apply(untyped);
    CHECK(merging.state == json::parse(R"({"b":2})"));
}

TEST_CASE("sources read the payload, the metadata and the event's fields", "[projection]") {
    Fold fold(parsed(R"({"types":{"E": [
        {"set": "id", "from": "id"}, {"set": "type", "from": "type"},
        {"set": "actor", "from": "actor"}, {"set": "ts", "from": "ts"},
        {"set": "seq", "from": "seq"}, {"set": "meta", "from": "meta"},
        {"set": "source", "from": "meta.source"}, {"set": "dotted", "from": "data/a.b"},
        {"set": "second", "from": "data.lines.1.amount"}, {"set": "all", "from": "data"}]}})"));
    fold.apply(42, "E", R"({"a.b":"dots","lines":[{"amount":1},{"amount":2}]})",
               R"({"source":"api"})");
    CHECK(fold.warnings.empty());
    CHECK(fold.state == json::parse(R"({
        "id": "evt-42", "type": "E", "actor": "alice", "ts": "2026-04-14T07:12:33.027061Z",
        "seq": 42, "meta": {"source": "api"}, "source": "api", "dotted": "dots", "second": 2,
        "all": {"a.b":"dots","lines":[{"amount":1},{"amount":2}]}})"));

    // Fields the event lacks are missing sources; array indexes out of range or not canonical
    // too.
    Fold lacking(parsed(R"({"types":{"E": [
        {"set": "actor", "from": "actor"}, {"set": "x", "from": "data.lines.01"},
        {"set": "y", "from": "data.lines.5"}, {"set": "z", "from": "meta.source"}]}})"));
    auto event = make_event(7, "E", json::parse(R"({"lines":[1,2]})"));
    event.actor.reset();
    lacking.apply(event);
    CHECK(lacking.state == json::object());
    CHECK(lacking.warnings ==
          std::vector<std::string>{
              "seq 7 (evt-7): rule types.E[0] (set): actor is missing; nothing set",
              "seq 7 (evt-7): rule types.E[1] (set): data.lines.01 is missing; nothing set",
              "seq 7 (evt-7): rule types.E[2] (set): data.lines.5 is missing; nothing set",
              "seq 7 (evt-7): rule types.E[3] (set): meta.source is missing; nothing set"});
}

TEST_CASE("upcaster steps rewrite old payloads before the rules", "[projection]") {
    auto projection = parsed(R"({
        "upcasters": [
            {"type": "Paid", "schema": 1, "steps": [
                {"rename": "amt", "to": "amount"},
                {"rename": "info.ref", "to": "info.reference"},
                {"rename": "info.by", "to": "payer"},
                {"move": "amount", "to": "amount.value"},
                {"move": "cur", "to": "amount.currency"},
                {"default": "amount.currency", "value": "EUR"},
                {"default": "method", "value": {"kind": "SEPA"}},
                {"drop": "legacy"},
                {"drop": "info.internal"}]}],
        "types": {"Paid": [{"set": "last", "from": "data"}]}})");
    Fold fold(projection);

    auto event = fold.apply(1, "Paid",
                            R"({"amt":5,"cur":"USD","legacy":true,"method":null,
                                "info":{"ref":"R1","by":"bob","internal":1}})",
                            R"({"schema":1})");
    json expected = json::parse(R"({"amount":{"value":5,"currency":"USD"},"method":null,
                                    "info":{"reference":"R1","payer":"bob"}})");
    CHECK(event.data == expected);
    CHECK(fold.state["last"] == expected);
    CHECK(event.meta == json::parse(R"({"schema":1})"));

    // Missing members make steps do nothing; default fills in what is missing.
    event = fold.apply(2, "Paid", R"({"amount":7})", R"({"schema":1})");
    CHECK(event.data ==
          json::parse(R"({"amount":{"value":7,"currency":"EUR"},"method":{"kind":"SEPA"}})"));

    // Another schema version (or none, or not an integer) is left alone.
    for (const char* meta :
         {R"({"schema":2})", R"({})", R"({"schema":"1"})", R"({"schema":1.0})", "null"}) {
        event = fold.apply(3, "Paid", R"({"amt":5})", meta);
        CHECK(event.data == json::parse(R"({"amt":5})"));
    }
    CHECK(fold.warnings.empty());
}

TEST_CASE("upcasters chain through 'to' in file order", "[projection]") {
    auto projection = parsed(R"({
        "upcasters": [
            {"types": ["A", "B"], "schema": 1, "to": 2, "steps": [{"rename": "n", "to": "number"}]},
            {"type": "A", "schema": 2, "to": 3,
             "steps": [{"move": "number", "to": "amount.value"}]},
            {"type": "A", "schema": 2, "steps": [{"default": "never", "value": 1}]},
            {"type": "B", "schema": 3, "steps": [{"default": "late", "value": true}]},
            {"type": "B", "schema": 2, "to": 3, "steps": [{"default": "b3", "value": true}]}],
        "types": {"A": "ignore", "B": "ignore"}})");
    Fold fold(projection);
    auto event = fold.apply(1, "A", R"({"n":9})", R"({"schema":1,"source":"api"})");
    CHECK(event.data == json::parse(R"({"amount":{"value":9}})"));
    CHECK(event.meta == json::parse(R"({"schema":3,"source":"api"})"));
    // Starting at 2 skips the first upcaster.
    event = fold.apply(2, "A", R"({"number":4})", R"({"schema":2})");
    CHECK(event.data == json::parse(R"({"amount":{"value":4}})"));
    // One pass in file order: B's upcaster for 3 comes before the one that makes it 3.
    event = fold.apply(3, "B", R"({"n":1})", R"({"schema":1})");
    CHECK(event.data == json::parse(R"({"number":1,"b3":true})"));
    CHECK(event.meta == json::parse(R"({"schema":3})"));
    CHECK(fold.state == json::object());
}

TEST_CASE("schema_path says where the schema version is", "[projection]") {
    auto in_meta = parsed(R"({"schema_path": "meta.v.schema", "upcasters": [
        {"type": "A", "schema": 1, "to": 2, "steps": [{"drop": "old"}]}],
        "types": {"A": "ignore"}})");
    Fold fold(in_meta);
    auto event = fold.apply(1, "A", R"({"old":1})", R"({"v":{"schema":1}})");
    CHECK(event.data == json::object());
    CHECK(event.meta == json::parse(R"({"v":{"schema":2}})"));
    event = fold.apply(2, "A", R"({"old":1})", R"({"schema":1})");
    CHECK(event.data == json::parse(R"({"old":1})"));

    auto in_data = parsed(R"({"schema_path": "data._v", "upcasters": [
        {"type": "A", "schema": 1, "to": 2, "steps": [{"drop": "old"}]}],
        "types": {"A": "ignore"}})");
    Fold by_data(in_data);
    event = by_data.apply(1, "A", R"({"old":1,"_v":1})", R"({"schema":1})");
    CHECK(event.data == json::parse(R"({"_v":2})"));
}

TEST_CASE("upcasters on payloads they cannot rewrite warn and keep going", "[projection]") {
    auto projection = parsed(R"({"upcasters": [
        {"type": "A", "schema": 1, "steps": [
            {"move": "amount", "to": "total.value"}, {"default": "total.currency", "value": "EUR"},
            {"drop": "x"}]}],
        "types": {"A": "merge", "B": "merge"}})");
    Fold fold(projection);
    // total is a number, so neither amount can move under it nor a currency be set: the
    // payload is left as it was for those steps.
    auto event = fold.apply(1, "A", R"({"amount":5,"total":9,"x":1})", R"({"schema":1})");
    CHECK(event.data == json::parse(R"({"amount":5,"total":9})"));
    CHECK(fold.state == json::parse(R"({"amount":5,"total":9})"));
    // A step that can write does, creating the objects on the way.
    event = fold.apply(2, "A", R"({"amount":5})", R"({"schema":1})");
    CHECK(event.data == json::parse(R"({"total":{"value":5,"currency":"EUR"}})"));
    // A non-object payload: upcasters are skipped, with a warning only when one matches.
    fold.apply(3, "A", "[1]", R"({"schema":1})");
    fold.apply(4, "A", "[1]", R"({"schema":2})");
    fold.apply(5, "B", "[1]", R"({"schema":1})");
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "seq 1 (evt-1): upcasters[0].steps[0] (move): cannot write total.value: total is "
              "number, not an object; step skipped",
              "seq 1 (evt-1): upcasters[0].steps[1] (default): cannot write total.currency: "
              "total is number, not an object; step skipped",
              "seq 3 (evt-3): upcasters[0] matches, but the payload is array, not an object; it "
              "was not upcast",
              "the payload of seq 3 (evt-3) is not a JSON object; it was not merged",
              "the payload of seq 4 (evt-4) is not a JSON object; it was not merged",
              "the payload of seq 5 (evt-5) is not a JSON object; it was not merged"});
}

TEST_CASE("parse errors name the rule and what was expected", "[projection]") {
    auto types = [](const std::string& entry) {
        return parse_error(R"({"types": {"X": )" + entry + "}}");
    };
    auto step = [](const std::string& text) {
        return parse_error(R"({"upcasters": [{"type": "A", "schema": 1, "steps": [)" + text +
                           "]}]}");
    };
    auto upcaster = [](const std::string& text) {
        return parse_error(R"({"upcasters": [)" + text + "]}");
    };

    SECTION("the file") {
        auto message = parse_error("{\n  \"types\": {,}\n}");
        CHECK(message.starts_with("not valid JSON: parse error at line 2, column 13: "));
        CHECK(parse_error("").starts_with("not valid JSON: parse error at line 1, column 1"));
        CHECK(parse_error("[1]") == "a projection file must be a JSON object (with \"types\" and "
                                    "\"upcasters\"), not array");
        CHECK(parse_error(R"({"typse": {}})") ==
              "unknown member 'typse' (expected name, description, schema_path, default, "
              "upcasters or types)");
        CHECK(parse_error(R"({"types": {"A": "merge", "A": "ignore"}})") ==
              "duplicate member 'A' (each name may appear once per object)");
        CHECK(parse_error(R"({"name": 3})") == "name: expected a non-empty string");
        CHECK(parse_error(R"({"name": ""})") == "name: expected a non-empty string");
        CHECK(parse_error(R"({"description": []})") == "description: expected a string");
        CHECK(parse_error(R"({"default": "merged"})") ==
              "default: expected \"merge\" or \"ignore\"");
        CHECK(parse_error(R"({"schema_path": "schema"})") ==
              "schema_path: expected meta.PATH or data.PATH, got 'schema'");
        CHECK(parse_error(R"({"schema_path": "meta"})") ==
              "schema_path: expected meta.PATH or data.PATH, got 'meta'");
        CHECK(parse_error(R"({"schema_path": 1})") ==
              "schema_path: expected meta.PATH or data.PATH");
        CHECK(parse_error(R"({"types": []})") ==
              "types: expected an object (event type -> rules, \"merge\" or \"ignore\")");
        CHECK(parse_error(R"({"upcasters": {}})") == "upcasters: expected an array");
    }
    SECTION("rules") {
        CHECK(types(R"("merged")") == "types.X: expected a list of rules, \"merge\" or \"ignore\"");
        CHECK(types(R"(["set"])") == "types.X[0]: a rule must be an object such as {\"set\": "
                                     "\"status\", \"from\": \"data.status\"}, not string");
        CHECK(types(R"([{"ignore": true}, {}])") ==
              "types.X[1]: no verb (expected set, unset, append, increment, replace, merge or "
              "ignore)");
        CHECK(types(R"([{"sett": "a", "from": "data"}])") ==
              "types.X[0]: unknown verb 'sett' (expected set, unset, append, increment, replace, "
              "merge or ignore)");
        CHECK(types(R"([{"set": "a", "append": "b", "from": "data"}])") ==
              "types.X[0]: more than one verb ('set' and 'append'); write one verb per rule");
        CHECK(types(R"([{"set": "a", "form": "data"}])") ==
              "types.X[0]: unknown member 'form' for 'set' (expected from or value)");
        CHECK(types(R"([{"unset": "a", "from": "data"}])") ==
              "types.X[0]: unknown member 'from' for 'unset' (it takes no other members)");
        CHECK(types(R"([{"set": "a"}])") == "types.X[0]: 'set' needs 'from' or 'value'");
        CHECK(types(R"([{"set": "a", "from": "data", "value": 1}])") ==
              "types.X[0]: 'set' takes 'from' or 'value', not both");
        CHECK(types(R"([{"append": "notes"}])") == "types.X[0]: 'append' needs 'from' or 'value'");
        CHECK(types(R"([{"increment": "n", "from": "seq", "by": 1}])") ==
              "types.X[0]: 'increment' takes 'from' or 'by', not both");
        CHECK(types(R"([{"increment": "n", "by": "1"}])") ==
              "types.X[0]: 'by' must be a number, not string");
        CHECK(types(R"([{"set": "", "value": 1}])") ==
              "types.X[0]: 'set' needs a non-empty path (use 'replace' for the whole state)");
        CHECK(types(R"([{"unset": 3}])") == "types.X[0]: 'unset' must be a path string");
        CHECK(types(R"([{"set": "a..b", "value": 1}])") == "types.X[0]: empty key in path 'a..b'");
        CHECK(types(R"([{"set": "/a~2", "value": 1}])") ==
              "types.X[0]: '~' not followed by 0 or 1 in path '/a~2'");
        CHECK(types(R"([{"ignore": false}])") ==
              "types.X[0]: 'ignore' must be true (leave the rule out otherwise)");
        CHECK(types(R"([{"merge": "data", "at": "a.", "from": "meta"}])") ==
              "types.X[0]: unknown member 'from' for 'merge' (expected at)");
        CHECK(types(R"([{"merge": "data", "at": "a."}])") == "types.X[0]: empty key in path 'a.'");
        CHECK(types(R"([{"replace": "data", "at": "a"}])") ==
              "types.X[0]: unknown member 'at' for 'replace' (it takes no other members)");
    }
    SECTION("sources") {
        const std::string expected =
            " (expected data, data.PATH, meta, meta.PATH, id, type, actor, ts or seq)";
        CHECK(parse_error(R"({"types": {"X": [{"ignore": true}, {"ignore": true},
                             {"set": "a", "from": "dta.amount"}]}})") ==
              "types.X[2]: unknown source 'dta.amount'" + expected);
        CHECK(types(R"([{"set": "a", "from": "data."}])") ==
              "types.X[0]: unknown source 'data.'" + expected);
        CHECK(types(R"([{"set": "a", "from": "timestamp"}])") ==
              "types.X[0]: unknown source 'timestamp'" + expected);
        CHECK(types(R"([{"set": "a", "from": "data..x"}])") ==
              "types.X[0]: empty key in path 'data..x'");
        CHECK(types(R"([{"set": "a", "from": 3}])") ==
              "types.X[0]: 'from' must be a source string" + expected);
        CHECK(types(R"([{"merge": "payload"}])") ==
              "types.X[0]: unknown source 'payload'" + expected);
    }
    SECTION("upcasters") {
        CHECK(upcaster("3") == "upcasters[0]: an upcaster must be an object");
        CHECK(upcaster(R"({"type": "A", "shema": 1, "steps": []})") ==
              "upcasters[0]: unknown member 'shema' (expected type, types, schema, to or steps)");
        CHECK(upcaster(R"({"schema": 1, "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: needs 'type' or 'types'");
        CHECK(upcaster(R"({"type": "A", "types": ["B"], "schema": 1, "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: takes 'type' or 'types', not both");
        CHECK(upcaster(R"({"types": [], "schema": 1, "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: 'types' must be a non-empty array of event types");
        CHECK(upcaster(R"({"type": "A", "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: needs 'schema' (the schema version it applies to)");
        CHECK(upcaster(R"({"type": "A", "schema": "1", "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: 'schema' must be an integer (a schema version)");
        CHECK(upcaster(R"({"type": "A", "schema": 1, "to": 2.5, "steps": [{"drop": "a"}]})") ==
              "upcasters[0]: 'to' must be an integer (a schema version)");
        CHECK(upcaster(R"({"type": "A", "schema": 1, "steps": []})") ==
              "upcasters[0]: 'steps' must be a non-empty array");
        CHECK(parse_error(R"({"upcasters": [{"type": "A", "schema": 1, "steps": [{"drop": "a"}]},
            {"type": "A", "schema": 1, "steps": [{"mvoe": "a", "to": "b"}]}]})") ==
              "upcasters[1].steps[0]: unknown step 'mvoe' (expected rename, move, default or "
              "drop)");
        CHECK(step(R"({"to": "b"})") ==
              "upcasters[0].steps[0]: no step (expected rename, move, default or drop)");
        CHECK(step(R"({"move": "a", "drop": "b"})") ==
              "upcasters[0].steps[0]: more than one step ('move' and 'drop'); write one step per "
              "object");
        CHECK(step(R"({"move": "a"})") == "upcasters[0].steps[0]: 'move' needs 'to'");
        CHECK(step(R"({"rename": "a.b", "to": "c.d"})") ==
              "upcasters[0].steps[0]: 'rename' keeps the member in its object: 'to' must be a key "
              "name or a path with the same parent (use 'move')");
        CHECK(step(R"({"default": "a"})") == "upcasters[0].steps[0]: 'default' needs 'value'");
        CHECK(step(R"({"drop": "a", "to": "b"})") ==
              "upcasters[0].steps[0]: unknown member 'to' for 'drop' (it takes no other members)");
        CHECK(step(R"({"rename": "a", "to": "b", "value": 1})") ==
              "upcasters[0].steps[0]: unknown member 'value' for 'rename' (expected to)");
        CHECK(step(R"({"drop": ""})") == "upcasters[0].steps[0]: 'drop' needs a non-empty path");
        CHECK(step("[]") == "upcasters[0].steps[0]: a step must be an object such as "
                            "{\"rename\": \"amt\", \"to\": \"amount\"}, not array");
    }
}

TEST_CASE("the hash is the SHA-256 of the canonical text", "[projection]") {
    auto a =
        parsed(R"({"name": "audit", "types": {"B": "ignore", "A": [{"set": "x", "value": 1}]}})");
    auto b = parsed("{\n  \"types\": {\n    \"A\": [ { \"value\": 1, \"set\": \"x\" } ],\n"
                    "    \"B\": \"ignore\"\n  },\n  \"name\": \"audit\"\n}\n");
    CHECK(a->canonical_text() ==
          R"({"name":"audit","types":{"A":[{"set":"x","value":1}],"B":"ignore"}})");
    CHECK(b->canonical_text() == a->canonical_text());
    CHECK(b->hash() == a->hash());
    CHECK(a->hash() == "029eb627801104a3003257956bf64444dcb86adb9b434af2cc5086d6fe81d43b");
    // What a case stores (the canonical text) parses back to the same projection.
    auto again = parsed(a->canonical_text());
    CHECK(again->canonical_text() == a->canonical_text());
    CHECK(again->hash() == a->hash());
    CHECK(a->name() == "audit");
    CHECK_FALSE(a->is_default());

    auto c =
        parsed(R"({"name": "audit", "types": {"B": "ignore", "A": [{"set": "x", "value": 2}]}})");
    CHECK(c->hash() != a->hash());

    // The empty file: the default name, and the default projection's canonical text and hash.
    auto empty = parsed(" { } ");
    CHECK(empty->name() == "projection");
    CHECK(empty->canonical_text() == "{}");
    CHECK(empty->hash() == Projection::merge_default()->hash());
}

TEST_CASE("hostile payloads never throw", "[projection]") {
    auto projection = parsed(R"({
        "upcasters": [{"type": "E", "schema": 1, "steps": [
            {"rename": "a", "to": "b"}, {"move": "b", "to": "c.d"},
            {"default": "c.e", "value": 1}, {"drop": "z"}]}],
        "types": {"E": [
            {"set": "s", "from": "data.x.y"}, {"unset": "u.v"},
            {"append": "list", "from": "data"}, {"increment": "n", "from": "data.n"},
            {"replace": "data.snapshot"}, {"merge": "data", "at": "m"}, {"merge": "data"}]}})");

    std::string deep_array(2000, '[');
    deep_array += std::string(2000, ']');
    std::string deep_object;
    for (int i = 0; i < 2000; ++i)
        deep_object += R"({"k":)";
    deep_object += "1" + std::string(2000, '}');

    const std::vector<std::string> payloads = {
        "null",
        "[1,2]",
        "\"text\"",
        "true",
        "-0.0",
        "1e308",
        "18446744073709551615",
        deep_array,
        deep_object,
        R"({"n":"1","x":[],"snapshot":7})",
        R"({"n":1.7976931348623157e308,"x":{"y":{"z":null}},"c":5,"a":{"/~":1}})",
        R"({"n":-9223372036854775808,"m":[],"snapshot":{"a/b":{"~":[[]]}}})"};
    for (const std::string& data : payloads) {
        for (const char* meta : {"null", R"({"schema":1})", R"({"schema":[1]})", "[]"}) {
            Fold fold(projection);
            INFO("data " << data.substr(0, 60) << " meta " << meta);
            auto event = make_event(1, "E", json::parse(data), json::parse(meta));
            CHECK_NOTHROW(fold.apply(event));
            CHECK_NOTHROW(fold.apply(std::move(event)));
            CHECK(fold.state.is_object());
        }
    }

    // Exact outcomes for a few of them.
    Fold fold(projection);
    fold.apply(1, "E", "[1,2]", R"({"schema":1})");
    CHECK(fold.state == json::parse(R"({"list":[[1,2]]})"));
    CHECK(fold.warnings ==
          std::vector<std::string>{
              "seq 1 (evt-1): upcasters[0] matches, but the payload is array, not an object; it "
              "was not upcast",
              "seq 1 (evt-1): rule types.E[0] (set): data.x.y is missing; nothing set",
              "seq 1 (evt-1): rule types.E[3] (increment): data.n is missing; nothing incremented",
              "seq 1 (evt-1): rule types.E[4] (replace): data.snapshot is missing; the state was "
              "not replaced",
              "seq 1 (evt-1): rule types.E[5] (merge): data is array, not an object; nothing "
              "merged",
              "seq 1 (evt-1): rule types.E[6] (merge): data is array, not an object; nothing "
              "merged"});

    Fold big(parsed(R"({"types": {"N": [{"increment": "n", "from": "data"}]}})"));
    big.apply(1, "N", "18446744073709551615");
    CHECK(big.state["n"] == 18446744073709551615ull);
    big.apply(2, "N", "1");
    CHECK(big.state["n"].is_number_float());
    CHECK(big.state["n"].get<double>() == 18446744073709551616.0);
    big.apply(3, "N", "-9223372036854775808");
    CHECK(big.warnings.empty());

    // A state that is not an object becomes an empty one before anything else.
    Fold odd(Projection::merge_default());
    odd.state = json::array({1});
    odd.blame = Blame{{"/0", 9}};
    odd.apply(1, "E", R"({"a":1})");
    CHECK(odd.state == json::parse(R"({"a":1})"));
    CHECK(odd.blame == Blame{{"/a", 1}});
}

TEST_CASE("assets/freight.projection.json folds the sample's shapes", "[projection]") {
    std::string path = std::string(ASOF_SOURCE_DIR) + "/assets/freight.projection.json";
    auto projection = parsed(read_text(path));
    CHECK(projection->name() == "freight-audit");
    const char* v1 = R"({"schema":1,"source":"audit-ui"})";
    const char* v2 = R"({"schema":2,"source":"audit-ui"})";

    SECTION("a discrepancy with both money shapes") {
        Fold fold(projection);
        auto opened = fold.apply(1, "DiscrepancyOpened",
                                 R"({"shipment":"shipment-88","invoice":"invoice-12","amount":1840,
                                     "currency":"EUR","reason":"weight","status":"open"})",
                                 v1);
        CHECK(opened.data["amount"] == json::parse(R"({"value":1840,"currency":"EUR"})"));
        CHECK(opened.meta == json::parse(R"({"schema":2,"source":"audit-ui"})"));
        fold.apply(2, "NoteAdded", R"({"text":"Booked 2,140 kg."})", v1);
        fold.apply(3, "AssigneeChanged", R"({"assignee":"bob","previous":"carol"})", v1);
        fold.apply(4, "CarrierUpdated",
                   R"({"carrier":"Kühne + Nagel","scac":"KNIG","claim_ref":"KN-CLM-558210",
                       "status":"claim_received"})",
                   v2);
        fold.apply(5, "StatusChanged", R"({"status":"investigating","previous":"open"})", v2);
        auto adjusted = fold.apply(6, "AmountAdjusted",
                                   R"({"amount":2052.4,"currency":"EUR","previous":1840,
                                       "reason":"toll"})",
                                   v1);
        CHECK(adjusted.data == json::parse(R"({"amount":{"value":2052.4,"currency":"EUR"},
                                               "previous":{"value":1840},"reason":"toll"})"));
        fold.apply(7, "AmountAdjusted",
                   R"({"amount":{"value":2264.9,"currency":"EUR"},
                       "previous":{"value":2052.4,"currency":"EUR"},"reason":"fee"})",
                   v2);
        fold.apply(8, "NoteAdded", R"({"text":"Zoë: certificate tomorrow 🎉"})", v2);
        fold.apply(9, "DiscrepancyResolved",
                   R"({"resolution":"carrier_credit","amount":{"value":2052.4,"currency":"EUR"},
                       "status":"resolved"})",
                   v2);
        CHECK(fold.warnings.empty());
        CHECK(fold.state == json::parse(R"({
            "shipment": "shipment-88", "invoice": "invoice-12", "reason": "weight",
            "amount": {"value": 2052.4, "currency": "EUR"},
            "status": "resolved", "assignee": "bob", "resolution": "carrier_credit",
            "notes": ["Booked 2,140 kg.", "Zoë: certificate tomorrow 🎉"],
            "carrier": {"carrier": "Kühne + Nagel", "scac": "KNIG", "claim_ref": "KN-CLM-558210",
                        "status": "claim_received"}})"));
        CHECK(fold.blame.at("/amount/value") == 9);
        CHECK(fold.blame.at("/assignee") == 3);
        CHECK(fold.blame.at("/notes/1") == 8);
        CHECK(fold.blame.at("/carrier/status") == 4);
        CHECK(fold.blame.at("/reason") == 1);
    }
    SECTION("an invoice with payments, disputes and a credit note") {
        Fold fold(projection);
        fold.apply(1, "InvoiceIssued",
                   R"({"number":"INV-2026-000012","customer":"Brennwald","due":"2026-04-02",
                       "lines":[{"line":1,"amount":100}],"total":100,"currency":"EUR"})",
                   v1);
        fold.apply(2, "InvoiceLineDisputed",
                   R"({"line":1,"reason":"toll","amount":40,"currency":"EUR",
                       "discrepancy":"discrepancy-4721"})",
                   v1);
        fold.apply(3, "InvoicePaid",
                   R"({"amount":60,"currency":"EUR","method":"SEPA","reference":"R1",
                       "partial":true})",
                   v1);
        fold.apply(4, "InvoicePaid",
                   R"({"amount":{"value":40,"currency":"EUR"},"method":"SEPA","reference":"R2",
                       "partial":false})",
                   v2);
        fold.apply(5, "CreditNoteIssued",
                   R"({"credit_note":"CN-2026-000031","amount":{"value":20.5,"currency":"EUR"},
                       "reason":"resolved"})",
                   v2);
        CHECK(fold.warnings.empty());
        CHECK(fold.state == json::parse(R"({
            "number": "INV-2026-000012", "customer": "Brennwald", "due": "2026-04-02",
            "lines": [{"line": 1, "amount": 100}],
            "total": {"value": 100, "currency": "EUR"},
            "disputes": [{"line": 1, "reason": "toll", "discrepancy": "discrepancy-4721",
                          "amount": {"value": 40, "currency": "EUR"}}],
            "paid": 100, "last_payment": "R2",
            "credit_notes": [{"credit_note": "CN-2026-000031", "reason": "resolved",
                              "amount": {"value": 20.5, "currency": "EUR"}}]})"));
        CHECK(fold.blame.at("/paid") == 4);
        CHECK(fold.blame.at("/disputes/0/amount/currency") == 2);
    }
    SECTION("a shipment") {
        Fold fold(projection);
        fold.apply(1, "ShipmentCreated",
                   R"({"origin":"Hamburg, DE","carrier":"Kühne + Nagel","weight_kg":2140,
                       "declared_value":48500,"currency":"EUR"})",
                   v1);
        fold.apply(2, "ShipmentWeightCorrected",
                   R"({"weight_kg":2410,"previous_kg":2140,"reason":"reweigh"})", v2);
        CHECK(fold.warnings.empty());
        CHECK(fold.state == json::parse(R"({"origin":"Hamburg, DE","carrier":"Kühne + Nagel",
            "weight_kg":2410,"previous_kg":2140,"reason":"reweigh",
            "declared_value":{"value":48500,"currency":"EUR"}})"));
    }
}
