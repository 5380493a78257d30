// Which input field supplies each part of an event: built-in aliases, overridden by --map.
#pragma once

#include "eventlog/result.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace asof {

// The parts of an event an input field can supply.
enum class Role { id, stream, type, ts, recorded, version, actor, data, meta };
inline constexpr std::size_t role_count = 9;

// The role's name as used by --map ("stream", "ts", ...).
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

// The top-level field names recognised for each role without configuration, in priority order.
const std::vector<std::string_view>& role_aliases(Role role);

// The field mapping of one import: for each role, either the built-in aliases or one explicit
// path (dotted: "headers.aggregate" is field "aggregate" of object "headers").
class FieldMap {
public:
    // The built-in aliases for every role (no override).
    FieldMap() { index_aliases(); }
    // Parses "KEY=FIELD" overrides; errors name the bad entry.
    static Result<FieldMap> from_overrides(const std::vector<std::string>& overrides);

    // The explicit path for a role, split at dots; empty when the aliases apply.
    const std::vector<std::string>& path(Role role) const {
        return paths_[static_cast<std::size_t>(role)];
    }
    // The role a top-level field name takes by alias (when that role still uses aliases), with
    // the alias's rank: 0 is the preferred name. Of two fields for one role the lower rank wins.
    struct AliasMatch {
        Role role;
        std::size_t rank;
    };
    std::optional<AliasMatch> role_of_top_level(std::string_view field) const;
    // Whether a top-level field is itself an explicit one-part path (then it is not kept in
    // meta; the head of a longer path is kept, since its other members are not used).
    bool is_explicit_top_level(std::string_view field) const;
    // A JSON object describing the mapping, recorded with the import.
    std::string describe_json() const;

private:
    void index_aliases();

    std::array<std::vector<std::string>, role_count> paths_;
    std::unordered_map<std::string_view, AliasMatch> aliases_;
};

// A format's own column name (process mining, event stores) and the role it takes when no
// JSON Lines alias claims that role.
struct ColumnName {
    std::string_view column;
    Role role;
};

inline constexpr std::size_t no_column = static_cast<std::size_t>(-1);

// The column (index into `columns`) each role of a tabular source takes, or no_column: the
// column an explicit --map path names (its parts joined by dots; an unknown one fails, naming
// `columns` and, when not empty, `container` such as "table mt_events"); else the JSON Lines
// aliases by rank, then `extra` in order. With `ignore_case`, names compare without case.
Result<std::array<std::size_t, role_count>> assign_columns(const FieldMap& map,
                                                           const std::vector<std::string>& columns,
                                                           const std::vector<ColumnName>& extra,
                                                           bool ignore_case,
                                                           std::string_view container = {});

} // namespace asof
