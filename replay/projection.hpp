// Projections: how each event type changes a stream's replayed state. The default folds each
// event's `data` as a JSON merge patch; a projection file (JSON) gives per-type rules (merge,
// set, unset, append, increment, replace, ignore) and upcasters that rewrite old payload
// schemas first. The file format is documented in README.md ("Projections").
#pragma once

#include "eventlog/result.hpp"
#include "eventlog/time.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asof::replay {

// JSON pointer of each leaf of a state -> the global sequence of the event that last set it.
// An empty object or array counts as a leaf.
using Blame = std::map<std::string, std::int64_t>;

// One event as a projection sees it. `data` is the event's payload (upcasters rewrite it in
// place, so the caller passes a copy it owns); `meta` is its metadata (null when absent).
struct ProjectedEvent {
    std::int64_t seq = 0;
    std::optional<std::string> id, type, actor;
    Timestamp ts{};
    nlohmann::json data;
    nlohmann::json meta;
    std::string label; // "seq 12 (evt-012)": how warnings name the event
};

// Called before a rule changes the state at a JSON pointer (and everything under it), so that a
// caller can keep the old value and list what changed. May be empty.
using BeforeChange = std::function<void(const std::string& pointer)>;

class Projection {
public:
    // The default projection: every event's `data` merged as an RFC 7386 merge patch.
    static std::shared_ptr<const Projection> merge_default();

    // Parses and checks a projection file's text. `origin` names it in errors (a path). An
    // error names the offending rule and the reason, e.g.
    // "types.NoteAdded[0]: 'append' needs 'from'" with `where` = origin.
    static Result<std::shared_ptr<const Projection>> parse(std::string_view text,
                                                           const std::string& origin);

    // The projection's name (its "name" member, or "merge" for the default).
    const std::string& name() const { return name_; }
    // Lower-case hex SHA-256 of the canonical text: what reports and snapshots record.
    const std::string& hash() const { return hash_; }
    // The parsed file dumped as compact JSON with sorted keys ("{}" for the default).
    const std::string& canonical_text() const { return canonical_; }
    bool is_default() const { return is_default_; }

    // Applies `event` to `state`: upcasters first (matching type and schema version), then the
    // rules for its type (merge for types the file does not name, unless its "default" says
    // "ignore"). Updates `blame` for every leaf it sets or removes; calls `before` with each
    // pointer it is about to change; appends to `warnings` (each naming the event's label and,
    // for rules, the rule) where the event cannot be applied as written: a payload that is not
    // an object under merge, a missing source field, increment of a non-number, append to a
    // non-array. Never throws on any payload.
    void apply(ProjectedEvent& event, nlohmann::json& state, Blame& blame,
               const BeforeChange& before, std::vector<std::string>& warnings) const;

    ~Projection();
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    struct Rules; // the parsed rules (projection.cpp)
    Projection(std::string name, std::string canonical, std::string hash, bool is_default,
               std::unique_ptr<Rules> rules);

private:
    std::string name_, canonical_, hash_;
    bool is_default_ = false;
    std::unique_ptr<Rules> rules_;
};

} // namespace asof::replay
