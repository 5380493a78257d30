// JSON merge patch (RFC 7386) applied to a replayed state, keeping track of which event set
// each leaf (blame) and refusing patches that are not objects.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace asof::replay {

// Applies `patch` to `state` as RFC 7386 says: members of an object patch merge recursively,
// other values replace, null removes. `blame` maps the JSON pointer of each leaf of `state`
// (an empty object or array counts as a leaf) to `by`; entries under a replaced or removed
// member are dropped. Returns false, changing nothing, when `patch` is not an object (a
// payload that cannot be merged; the caller warns).
template <class Who>
bool merge_patch(nlohmann::json& state, const nlohmann::json& patch,
                 std::map<std::string, Who>& blame, const Who& by);

// The JSON pointer of `key` under `parent` ("/amount/value"), escaping '~' and '/'.
std::string child_pointer(const std::string& parent, const std::string& key);

// Removes the blame of `pointer` and of everything under it.
template <class Who>
void forget_under(std::map<std::string, Who>& blame, const std::string& pointer) {
    auto it = blame.lower_bound(pointer);
    while (it != blame.end() &&
           (it->first == pointer || it->first.compare(0, pointer.size() + 1, pointer + "/") == 0))
        it = blame.erase(it);
}

// Blames every leaf of `value` (at `pointer`) on `by`.
template <class Who>
void blame_leaves(const nlohmann::json& value, const std::string& pointer,
                  std::map<std::string, Who>& blame, const Who& by) {
    if (value.is_object() && !value.empty()) {
        for (const auto& [key, member] : value.items())
            blame_leaves(member, child_pointer(pointer, key), blame, by);
    } else if (value.is_array() && !value.empty()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            blame_leaves(value[i], pointer + "/" + std::to_string(i), blame, by);
    } else {
        blame[pointer] = by;
    }
}

namespace detail {
template <class Who>
void merge_into(nlohmann::json& target, const nlohmann::json& patch, const std::string& pointer,
                std::map<std::string, Who>& blame, const Who& by) {
    if (!target.is_object()) {
        forget_under(blame, pointer);
        target = nlohmann::json::object();
    } else {
        blame.erase(pointer); // no longer an empty leaf, or blamed again below if it stays one
    }
    for (const auto& [key, value] : patch.items()) {
        std::string child = child_pointer(pointer, key);
        if (value.is_null()) {
            if (target.erase(key) > 0) forget_under(blame, child);
        } else if (value.is_object()) {
            auto found = target.find(key);
            if (found == target.end()) {
                target[key] = nlohmann::json::object();
                found = target.find(key);
            }
            merge_into(*found, value, child, blame, by);
            if (found->empty()) blame[child] = by; // an empty object is a leaf
        } else {
            forget_under(blame, child);
            target[key] = value;
            blame_leaves(value, child, blame, by);
        }
    }
}
} // namespace detail

template <class Who>
bool merge_patch(nlohmann::json& state, const nlohmann::json& patch,
                 std::map<std::string, Who>& blame, const Who& by) {
    if (!patch.is_object()) return false;
    if (!state.is_object()) state = nlohmann::json::object();
    detail::merge_into(state, patch, std::string(), blame, by);
    return true;
}

} // namespace asof::replay
