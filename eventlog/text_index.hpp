// The case's full-text index: an FTS5 table over the text values of each event's payload, built
// on first use (a quoted search in a query) and brought up to date after later imports.
#pragma once

#include "eventlog/sqlite.hpp"

#include <atomic>
#include <cstdint>

namespace asof {

// Whether the index exists and covers every event of the case (read-only check).
Result<bool> text_index_current(sql::Db& db);

// Creates the index when missing and adds every event imported since it was last brought up to
// date; returns how many events it added. `db` must be writable. Runs in one transaction, so an
// interruption (`cancel`) leaves the index as it was.
Result<std::int64_t> update_text_index(sql::Db& db, const std::atomic<bool>* cancel = nullptr);

} // namespace asof
