// What the console keeps in the case file for the investigation: the queries asked (history)
// and the bookmarked instants. Derived, user-made data in tables created on first write; a case
// that cannot be written keeps them for the session only (the caller says so).
#pragma once

#include "eventlog/sqlite.hpp"
#include "eventlog/time.hpp"

#include <string>
#include <vector>

namespace asof {

struct Bookmark {
    std::int64_t id = 0;
    Timestamp at{};
    std::string label;
};

// The history, oldest first (at most `limit`, the most recent ones); empty when none is kept.
Result<std::vector<std::string>> read_query_history(sql::Db& db, std::size_t limit = 500);
// Appends a query to the history of the case at `case_path` (a short-lived writable connection).
Result<void> append_query_history(const std::string& case_path, const std::string& query,
                                  Timestamp now);

// The bookmarks, by time.
Result<std::vector<Bookmark>> read_bookmarks(sql::Db& db);
// Adds a bookmark; returns its id.
Result<std::int64_t> add_bookmark(const std::string& case_path, Timestamp at,
                                  const std::string& label, Timestamp now);
Result<void> remove_bookmark(const std::string& case_path, std::int64_t id);

} // namespace asof
