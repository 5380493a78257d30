// Query history and bookmarks in the case file (see console_store.hpp).
#include "eventlog/console_store.hpp"

namespace asof {
namespace {

constexpr const char* console_tables = R"sql(
CREATE TABLE IF NOT EXISTS console_history (
    id       INTEGER PRIMARY KEY,
    query    TEXT NOT NULL,
    asked_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS console_bookmarks (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,   -- the bookmarked instant, microseconds UTC
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
)sql";

Result<bool> table_exists(sql::Db& db, std::string_view name) {
    auto stmt = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, name);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return stmt->column_int(0) > 0;
}

// A writable connection to the case with the console's tables in place.
Result<sql::Db> open_for_console(const std::string& case_path) {
    auto db = sql::Db::open(case_path, sql::Db::Mode::read_write);
    if (!db) return tl::unexpected(db.error());
    if (sqlite3_db_readonly(db->handle(), "main") == 1)
        return fail("the case file cannot be written", case_path);
    if (auto made = db->exec(console_tables); !made) return tl::unexpected(made.error());
    return db;
}

std::int64_t micros(Timestamp t) {
    return t.time_since_epoch().count();
}

} // namespace

Result<std::vector<std::string>> read_query_history(sql::Db& db, std::size_t limit) {
    std::vector<std::string> out;
    auto exists = table_exists(db, "console_history");
    if (!exists) return tl::unexpected(exists.error());
    if (!*exists) return out;
    auto stmt = db.prepare("SELECT query FROM (SELECT id, query FROM console_history "
                           "ORDER BY id DESC LIMIT ?1) ORDER BY id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, static_cast<std::int64_t>(limit));
    auto done = stmt->each([&](const sql::Stmt& row) { out.emplace_back(row.column_text(0)); });
    if (!done) return tl::unexpected(done.error());
    return out;
}

Result<void> append_query_history(const std::string& case_path, const std::string& query,
                                  Timestamp now) {
    auto db = open_for_console(case_path);
    if (!db) return tl::unexpected(db.error());
    auto stmt = db->prepare("INSERT INTO console_history (query, asked_at) VALUES (?1, ?2)");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, query).bind(2, micros(now)).run();
}

Result<std::vector<Bookmark>> read_bookmarks(sql::Db& db) {
    std::vector<Bookmark> out;
    auto exists = table_exists(db, "console_bookmarks");
    if (!exists) return tl::unexpected(exists.error());
    if (!*exists) return out;
    auto stmt = db.prepare("SELECT id, at, label FROM console_bookmarks ORDER BY at, id");
    if (!stmt) return tl::unexpected(stmt.error());
    auto done = stmt->each([&](const sql::Stmt& row) {
        out.push_back({row.column_int(0), Timestamp{Micros{row.column_int(1)}},
                       std::string(row.column_text(2))});
    });
    if (!done) return tl::unexpected(done.error());
    return out;
}

Result<std::int64_t> add_bookmark(const std::string& case_path, Timestamp at,
                                  const std::string& label, Timestamp now) {
    auto db = open_for_console(case_path);
    if (!db) return tl::unexpected(db.error());
    auto stmt =
        db->prepare("INSERT INTO console_bookmarks (at, label, created_at) VALUES (?1, ?2, ?3)");
    if (!stmt) return tl::unexpected(stmt.error());
    if (auto ok = stmt->bind(1, micros(at)).bind(2, label).bind(3, micros(now)).run(); !ok)
        return tl::unexpected(ok.error());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db->handle()));
}

Result<void> remove_bookmark(const std::string& case_path, std::int64_t id) {
    auto db = open_for_console(case_path);
    if (!db) return tl::unexpected(db.error());
    auto stmt = db->prepare("DELETE FROM console_bookmarks WHERE id = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, id).run();
}

} // namespace asof
