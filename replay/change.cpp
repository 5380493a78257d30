// Leaf-level JSON differences and the change recorder (see change.hpp).
#include "replay/change.hpp"

#include "replay/merge_patch.hpp"

#include <algorithm>
#include <charconv>

namespace asof::replay {

std::string compact_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
namespace {

using nlohmann::json;

// The unescaped reference tokens of a JSON pointer ("/a~1b/0" -> "a/b", "0").
std::vector<std::string> pointer_tokens(std::string_view pointer) {
    std::vector<std::string> tokens;
    std::size_t at = 0;
    while (at < pointer.size()) { // pointer[at] == '/'
        std::size_t end = std::min(pointer.find('/', at + 1), pointer.size());
        std::string token;
        for (std::size_t i = at + 1; i < end; ++i) {
            if (pointer[i] == '~' && i + 1 < end &&
                (pointer[i + 1] == '0' || pointer[i + 1] == '1'))
                token += pointer[++i] == '0' ? '~' : '/';
            else
                token += pointer[i];
        }
        tokens.push_back(std::move(token));
        at = end;
    }
    return tokens;
}

std::optional<std::size_t> array_index(const std::string& token) {
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (ec != std::errc() || end != token.data() + token.size() || token.empty()) return {};
    return index;
}

json* child_of(json& parent, const std::string& token) {
    if (parent.is_object()) {
        auto found = parent.find(token);
        return found == parent.end() ? nullptr : &*found;
    }
    if (parent.is_array()) {
        auto index = array_index(token);
        return index && *index < parent.size() ? &parent[*index] : nullptr;
    }
    return nullptr;
}

// Puts `value` at the relative `tokens` inside `root` (removes the place when `value` is
// absent), creating objects on the way.
void put_at(json& root, const std::vector<std::string>& tokens, const std::optional<json>& value) {
    json* parent = &root;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        json* next = child_of(*parent, tokens[i]);
        if (!next) {
            if (!value) return;
            if (!parent->is_object()) *parent = json::object();
            next = &(*parent)[tokens[i]];
        }
        parent = next;
    }
    const std::string& last = tokens.back();
    if (!value) {
        if (parent->is_object())
            parent->erase(last);
        else if (auto index = array_index(last);
                 parent->is_array() && index && *index < parent->size())
            parent->erase(*index);
        return;
    }
    if (auto index = array_index(last); parent->is_array() && index) {
        if (*index < parent->size())
            (*parent)[*index] = *value;
        else if (*index == parent->size())
            parent->push_back(*value);
        return;
    }
    if (!parent->is_object()) *parent = json::object();
    (*parent)[last] = *value;
}

} // namespace

const json* find_pointer(const json& root, std::string_view pointer) {
    const json* at = &root;
    for (const auto& token : pointer_tokens(pointer)) {
        at = child_of(const_cast<json&>(*at), token);
        if (!at) return nullptr;
    }
    return at;
}

bool pointer_within(std::string_view pointer, std::string_view ancestor) {
    return pointer.size() >= ancestor.size() &&
           pointer.compare(0, ancestor.size(), ancestor) == 0 &&
           (pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/');
}

void diff_values(const json* before, const json* after, const std::string& pointer,
                 std::vector<Change>& out) {
    if (!before && !after) return;
    if (before && after) {
        if (*before == *after) return;
        if (before->is_object() && after->is_object()) {
            for (const auto& [key, value] : before->items()) {
                auto other = after->find(key);
                diff_values(&value, other == after->end() ? nullptr : &*other,
                            child_pointer(pointer, key), out);
            }
            for (const auto& [key, value] : after->items())
                if (!before->contains(key))
                    diff_values(nullptr, &value, child_pointer(pointer, key), out);
            return;
        }
        if (before->is_array() && after->is_array()) {
            std::size_t common = std::max(before->size(), after->size());
            for (std::size_t i = 0; i < common; ++i)
                diff_values(i < before->size() ? &(*before)[i] : nullptr,
                            i < after->size() ? &(*after)[i] : nullptr,
                            pointer + "/" + std::to_string(i), out);
            return;
        }
    }
    Change change;
    change.pointer = pointer;
    if (before) change.before = *before;
    if (after) change.after = *after;
    out.push_back(std::move(change));
}

void ChangeRecorder::capture(const json& state, const std::string& target) {
    // Where `target` does not exist, the place that appears is its first missing ancestor.
    std::string pointer;
    const json* current = &state;
    for (const auto& token : pointer_tokens(target)) {
        pointer = child_pointer(pointer, token);
        current = child_of(const_cast<json&>(*current), token);
        if (!current) break;
    }
    for (const auto& saved : saved_)
        if (pointer_within(pointer, saved.pointer)) return; // its old value is kept already
    Saved entry;
    entry.pointer = pointer;
    if (current) entry.value = *current;
    // Places under `pointer` captured earlier have changed since: put their old values back.
    auto under = std::stable_partition(saved_.begin(), saved_.end(), [&](const Saved& s) {
        return !pointer_within(s.pointer, pointer);
    });
    for (auto it = under; it != saved_.end(); ++it) {
        if (!entry.value) entry.value = json::object();
        put_at(*entry.value, pointer_tokens(std::string_view(it->pointer).substr(pointer.size())),
               it->value);
    }
    saved_.erase(under, saved_.end());
    saved_.push_back(std::move(entry));
}

std::vector<Change> ChangeRecorder::finish(const json& state) {
    std::sort(saved_.begin(), saved_.end(),
              [](const Saved& a, const Saved& b) { return a.pointer < b.pointer; });
    std::vector<Change> changes;
    for (const auto& saved : saved_)
        diff_values(saved.value ? &*saved.value : nullptr, find_pointer(state, saved.pointer),
                    saved.pointer, changes);
    saved_.clear();
    return changes;
}

} // namespace asof::replay
