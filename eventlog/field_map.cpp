// Which input field supplies each part of an event: built-in aliases, overridden by --map.
#include "eventlog/field_map.hpp"

#include "eventlog/json_text.hpp"

#include <cctype>
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

namespace {

bool same_name(std::string_view a, std::string_view b, bool ignore_case) {
    if (!ignore_case) return a == b;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

Result<std::array<std::size_t, role_count>>
assign_columns(const FieldMap& map, const std::vector<std::string>& columns,
               const std::vector<ColumnName>& extra, bool ignore_case, std::string_view container) {
    std::array<std::size_t, role_count> chosen, rank;
    chosen.fill(no_column);
    rank.fill(no_column);
    auto take = [&](Role role, std::size_t column, std::size_t at_rank) {
        auto r = static_cast<std::size_t>(role);
        if (at_rank < rank[r]) {
            rank[r] = at_rank;
            chosen[r] = column;
        }
    };
    for (std::size_t r = 0; r < role_count; ++r) {
        const auto& path = map.path(static_cast<Role>(r));
        if (path.empty()) continue;
        std::string wanted;
        for (const auto& part : path)
            wanted += (wanted.empty() ? "" : ".") + part;
        std::size_t found = no_column;
        for (std::size_t c = 0; c < columns.size() && found == no_column; ++c)
            if (same_name(columns[c], wanted, ignore_case)) found = c;
        if (found == no_column) {
            std::string names;
            for (const auto& column : columns)
                names += (names.empty() ? "" : ", ") + printable_excerpt(column, 60);
            return fail("no column \"" + printable_excerpt(wanted, 60) + "\" for " +
                            std::string(role_name(static_cast<Role>(r))) +
                            (container.empty() ? "" : " in " + std::string(container)) +
                            " (columns: " + names + ")",
                        "--map");
        }
        take(static_cast<Role>(r), found, 0);
    }
    const std::size_t extra_rank = 1000; // after every JSON Lines alias
    for (std::size_t c = 0; c < columns.size(); ++c) {
        for (std::size_t r = 0; r < role_count; ++r) {
            if (!map.path(static_cast<Role>(r)).empty()) continue;
            const auto& aliases = role_aliases(static_cast<Role>(r));
            for (std::size_t a = 0; a < aliases.size(); ++a)
                if (same_name(columns[c], aliases[a], ignore_case))
                    take(static_cast<Role>(r), c, a);
        }
        for (std::size_t e = 0; e < extra.size(); ++e)
            if (map.path(extra[e].role).empty() &&
                same_name(columns[c], extra[e].column, ignore_case))
                take(extra[e].role, c, extra_rank + e);
    }
    return chosen;
}

} // namespace asof
