// What an event changed: leaf-level differences between two JSON values, addressed by JSON
// pointers, and a recorder that keeps the old values of the places a projection is about to
// change so that the changes can be listed afterwards.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asof::replay {

// One changed place. `before` is absent when the place did not exist (added), `after` when it
// no longer exists (removed).
struct Change {
    std::string pointer;
    std::optional<nlohmann::json> before, after;

    const char* kind() const { return !before ? "added" : !after ? "removed" : "changed"; }
};

// `value` as compact JSON text, invalid UTF-8 replaced by U+FFFD: how values are shown in
// labels, tables and messages and stored in snapshots.
std::string compact_json(const nlohmann::json& value);

// The value at JSON `pointer` in `root`, or nullptr when there is none. Never throws.
const nlohmann::json* find_pointer(const nlohmann::json& root, std::string_view pointer);

// Whether `pointer` is `ancestor` or lies under it ("/a/b" under "/a"; "" is everyone's).
bool pointer_within(std::string_view pointer, std::string_view ancestor);

// Appends to `out` the differences between `before` and `after` (either may be null: absent)
// at `pointer`: two objects or two arrays are compared member by member, down to leaves; a
// value that appears, disappears or changes kind is one change; equal values give nothing.
void diff_values(const nlohmann::json* before, const nlohmann::json* after,
                 const std::string& pointer, std::vector<Change>& out);

// Collects what one event changes. Call `capture(state, pointer)` before each change to the
// state at `pointer`, and `finish(state)` once the event is applied.
class ChangeRecorder {
public:
    void capture(const nlohmann::json& state, const std::string& pointer);
    // The changes since the first capture, in pointer order, and forgets the captures.
    std::vector<Change> finish(const nlohmann::json& state);

private:
    struct Saved {
        std::string pointer;
        std::optional<nlohmann::json> value;
    };
    std::vector<Saved> saved_;
};

} // namespace asof::replay
