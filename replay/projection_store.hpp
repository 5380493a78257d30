// The case's own projection: a projection file stored in the case file (by hash, with its
// canonical text and where it came from) that replays use when no --projection is given.
// Derived data: the table is created on first use.
#pragma once

#include "eventlog/sqlite.hpp"
#include "replay/projection.hpp"

#include <memory>
#include <optional>
#include <string>

namespace asof::replay {

struct StoredProjection {
    std::shared_ptr<const Projection> projection;
    std::optional<std::string> source;     // the file it was stored from; absent for the default
    std::optional<std::int64_t> stored_at; // microseconds UTC
};

// The projection the case replays with: the stored one, or the default merge.
Result<StoredProjection> case_projection(sql::Db& db);

// Makes `projection` (read from `source`) the case's projection. `db` must be writable.
Result<void> store_case_projection(sql::Db& db, const Projection& projection,
                                   const std::string& source, Timestamp now);

// Returns the case to the default merge projection. `db` must be writable.
Result<void> clear_case_projection(sql::Db& db);

// Reads and parses a projection file (errors name the file and the rule).
Result<std::shared_ptr<const Projection>> read_projection_file(const std::string& path);

} // namespace asof::replay
