// Which input field supplies each part of an event: built-in aliases, overridden by --map.
#include "eventlog/field_map.hpp"

#include <nlohmann/json.hpp>

namespace asof {
namespace {

constexpr std::array<std::string_view, role_count> role_names = {
    "id", "stream", "type", "ts", "recorded", "version", "actor", "data", "meta"};

const std::array<std::vector<std::string_view>, role_count>& alias_table() {
    static const std::array<std::vector<std::string_view>, role_count> table = {{
        {"id", "event_id", "eventId"},
        {"stream", "stream_id", "streamId", "aggregate_id", "aggregateId", "eventStreamId",
         "subject"},
        {"type", "event_type", "eventType"},
        {"ts", "timestamp", "time", "occurred_at", "occurredAt", "created", "created_at"},
        {"recorded_at", "recordedAt", "recorded"},
        {"version", "event_number", "eventNumber", "sequence"},
        {"actor", "user", "user_id", "principal"},
        {"data", "payload", "body"},
        {"meta", "metadata", "headers"},
    }};
    return table;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = path.find('.', start);
        parts.emplace_back(path.substr(start, dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

} // namespace

std::string_view role_name(Role role) {
    return role_names[static_cast<std::size_t>(role)];
}

std::optional<Role> role_from_name(std::string_view name) {
    for (std::size_t i = 0; i < role_count; ++i)
        if (role_names[i] == name) return static_cast<Role>(i);
    return std::nullopt;
}

const std::vector<std::string_view>& role_aliases(Role role) {
    return alias_table()[static_cast<std::size_t>(role)];
}

Result<FieldMap> FieldMap::from_overrides(const std::vector<std::string>& overrides) {
    FieldMap map;
    for (const std::string& entry : overrides) {
        std::size_t eq = entry.find('=');
        if (eq == std::string::npos)
            return fail("expected KEY=FIELD, got \"" + entry + "\"", "--map");
        auto role = role_from_name(entry.substr(0, eq));
        if (!role) {
            std::string known;
            for (auto name : role_names)
                known += (known.empty() ? "" : ", ") + std::string(name);
            return fail("unknown key \"" + entry.substr(0, eq) + "\" (known: " + known + ")",
                        "--map");
        }
        auto parts = split_path(std::string_view(entry).substr(eq + 1));
        for (const auto& part : parts)
            if (part.empty()) return fail("empty field name in \"" + entry + "\"", "--map");
        map.paths_[static_cast<std::size_t>(*role)] = std::move(parts);
    }
    map.index_aliases();
    return map;
}

void FieldMap::index_aliases() {
    aliases_.clear();
    for (std::size_t i = 0; i < role_count; ++i) {
        if (!paths_[i].empty()) continue;
        const auto& names = alias_table()[i];
        for (std::size_t rank = 0; rank < names.size(); ++rank)
            aliases_.emplace(names[rank], AliasMatch{static_cast<Role>(i), rank});
    }
}

std::optional<FieldMap::AliasMatch> FieldMap::role_of_top_level(std::string_view field) const {
    auto found = aliases_.find(field);
    if (found == aliases_.end()) return std::nullopt;
    return found->second;
}

bool FieldMap::is_explicit_top_level(std::string_view field) const {
    for (const auto& path : paths_)
        if (path.size() == 1 && path.front() == field) return true;
    return false;
}

std::string FieldMap::describe_json() const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < role_count; ++i) {
        if (paths_[i].empty()) {
            out[std::string(role_names[i])] = "auto";
            continue;
        }
        std::string joined;
        for (const auto& part : paths_[i])
            joined += (joined.empty() ? "" : ".") + part;
        out[std::string(role_names[i])] = joined;
    }
    return out.dump();
}

} // namespace asof
