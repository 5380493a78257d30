// The parsed form of a projection file: paths, sources, rules and upcasters decoded once, and
// the tables of verbs and steps. Private to projection_parse.cpp (which builds it) and
// projection.cpp (which applies it); not part of the replay API.
#pragma once

#include "replay/projection.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace asof::replay {
namespace projection_detail {

using nlohmann::json;

// A path of object keys from a root, decoded once at parse time.
struct Path {
    std::vector<std::string> keys;
    std::vector<std::string> pointers; // pointers[i]: the JSON pointer of keys[0..i]
    std::string text;                  // as written in the file
    bool dotted = true;

    bool empty() const { return keys.empty(); }
    const std::string& pointer() const {
        static const std::string root;
        return keys.empty() ? root : pointers.back();
    }
    // The first `n` keys, spelled as the file spells paths.
    std::string prefix_text(std::size_t n) const {
        if (!dotted) return pointers[n - 1];
        std::string out;
        for (std::size_t i = 0; i < n; ++i)
            out += (i ? "." : "") + keys[i];
        return out;
    }
};

enum class SourceKind { data, meta, id, type, actor, ts, seq };

// Where a rule reads its value: the payload or metadata (with a path inside), or a field of
// the event.
struct Source {
    SourceKind kind = SourceKind::data;
    Path path;
    std::string text;
};

enum class Verb { set, unset, append, increment, replace, merge, ignore };

struct Rule {
    Verb verb = Verb::ignore;
    std::string name;           // "types.NoteAdded[0]", for warnings
    Path target;                // the state path (merge: its "at", maybe empty)
    std::optional<Source> from; // set, append, increment, replace, merge
    json value;                 // set/append: the literal; increment: "by"
};

// What happens to an event of one type.
enum class Handling { merge_payload, ignore, rules };

struct TypeEntry {
    Handling handling = Handling::merge_payload;
    std::vector<Rule> rules;
};

enum class StepOp { rename, move, set_default, drop };

struct Step {
    StepOp op = StepOp::drop;
    std::string name; // "upcasters[0].steps[1]"
    Path path;
    Path to;         // move
    std::string key; // rename: the new key in the same object
    json value;      // default
};

struct Upcaster {
    std::string name; // "upcasters[0]"
    std::int64_t schema = 0;
    std::optional<std::int64_t> to;
    std::vector<Step> steps;
};

using Names = std::vector<std::string>;

// A rule verb: its name, the options it takes, whether its argument is a state path (else a
// source), and how its warnings end when it is skipped. In the order of `Verb`.
struct VerbSpec {
    const char* name;
    Verb verb;
    Names options;
    bool takes_path;
    const char* skipped;
};
inline const VerbSpec verb_specs[] = {
    {"set", Verb::set, {"from", "value"}, true, "nothing set"},
    {"unset", Verb::unset, {}, true, "nothing removed"},
    {"append", Verb::append, {"from", "value"}, true, "nothing appended"},
    {"increment", Verb::increment, {"from", "by"}, true, "nothing incremented"},
    {"replace", Verb::replace, {}, false, "the state was not replaced"},
    {"merge", Verb::merge, {"at"}, false, "nothing merged"},
    {"ignore", Verb::ignore, {}, false, "nothing changed"}};

// An upcaster step: its name and options, in the order of `StepOp`.
struct StepSpec {
    const char* name;
    StepOp op;
    Names options;
};
inline const StepSpec step_specs[] = {{"rename", StepOp::rename, {"to"}},
                                      {"move", StepOp::move, {"to"}},
                                      {"default", StepOp::set_default, {"value"}},
                                      {"drop", StepOp::drop, {}}};

inline const char* verb_name(Verb verb) {
    return verb_specs[static_cast<std::size_t>(verb)].name;
}
inline const char* step_name(StepOp op) {
    return step_specs[static_cast<std::size_t>(op)].name;
}

} // namespace projection_detail

struct Projection::Rules {
    bool ignore_unlisted = false;
    projection_detail::Source schema;
    std::vector<projection_detail::Upcaster> upcasters;
    std::unordered_map<std::string, std::vector<std::size_t>> upcasters_by_type;
    std::unordered_map<std::string, projection_detail::TypeEntry> types;
};

} // namespace asof::replay
