// The case file's schema: the tables, the migrations between schema versions, and its indexes.
#pragma once

#include "eventlog/sqlite.hpp"

namespace asof {

// PRAGMA application_id of every case file: "asof" in ASCII.
inline constexpr std::int64_t case_application_id = 0x61736f66;
// The schema version this build writes (PRAGMA user_version).
inline constexpr std::int64_t case_schema_version = 3;

// Brings an empty or older case file up to case_schema_version, one migration step at a
// time, inside one transaction. Fails on a newer version or a foreign SQLite file.
Result<void> migrate_case(sql::Db& db);

// Creates the secondary indexes on events, stream attributes and relations. Bulk loads create
// them after the rows are in, which is much faster than maintaining them row by row.
Result<void> create_bulk_indexes(sql::Db& db);
Result<void> drop_bulk_indexes(sql::Db& db);

} // namespace asof
