// RAII ownership of SQLite connections and statements, with typed binding and reading.
#include "eventlog/sqlite.hpp"

namespace asof::sql {

std::string immutable_uri(const std::string& path) {
    std::string uri = "file:";
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '%' || c == '?' || c == '#' || byte < 0x20 || byte == 0x7f) {
            uri.push_back('%');
            uri.push_back(hex[byte >> 4]);
            uri.push_back(hex[byte & 0xf]);
        } else {
            uri.push_back(c);
        }
    }
    return uri + "?mode=ro&immutable=1";
}

Result<Db> Db::open(const std::string& path, Mode mode) {
    int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::read_only:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::read_write:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db;
    db.db_.reset(raw);
    db.path_ = path;
    if (rc != SQLITE_OK) {
        std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return fail("cannot open: " + message, path);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    return db;
}

Error Db::error(std::string_view doing) const {
    return Error{std::string(doing) + ": " + sqlite3_errmsg(db_.get()), path_,
                 ErrorKind::environment};
}

Result<void> Db::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message ? message : "unknown error";
        sqlite3_free(message);
        return tl::unexpected(Error{detail, path_, ErrorKind::environment});
    }
    return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return tl::unexpected(error("cannot prepare statement"));
    return Stmt(stmt, db_.get());
}

Result<std::int64_t> Db::scalar_int(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return fail("query returned no row: " + std::string(sql), path_);
    return stmt->column_int(0);
}

Stmt& Stmt::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_.get(), index, value);
    return *this;
}

Stmt& Stmt::bind(int index, double value) {
    sqlite3_bind_double(stmt_.get(), index, value);
    return *this;
}

Stmt& Stmt::bind(int index, std::string_view text, bool copy) {
    sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(),
                        copy ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}

Stmt& Stmt::bind_blob(int index, std::span<const unsigned char> bytes, bool copy) {
    sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(),
                        copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
    return *this;
}

Stmt& Stmt::bind_null(int index) {
    sqlite3_bind_null(stmt_.get(), index);
    return *this;
}

Result<bool> Stmt::step() {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const char* file = sqlite3_db_filename(db_, "main");
    return tl::unexpected(Error{std::string("statement failed: ") + sqlite3_errmsg(db_),
                                file ? file : "", ErrorKind::environment});
}

Result<void> Stmt::run() {
    for (;;) {
        auto row = step();
        if (!row) {
            reset();
            return tl::unexpected(row.error());
        }
        if (!*row) break;
    }
    reset();
    return {};
}

void Stmt::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

std::string_view Stmt::column_text(int col) const {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
    if (!text) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col))};
}

std::optional<std::string> Stmt::column_opt_text(int col) const {
    if (column_is_null(col)) return std::nullopt;
    return std::string(column_text(col));
}

std::optional<std::int64_t> Stmt::column_opt_int(int col) const {
    if (column_is_null(col)) return std::nullopt;
    return column_int(col);
}

std::span<const unsigned char> Stmt::column_blob(int col) const {
    auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_.get(), col));
    return {bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col))};
}

ReadScope::ReadScope(Db& db) {
    if (sqlite3_get_autocommit(db.handle()) && db.exec("BEGIN")) db_ = &db;
}

ReadScope::~ReadScope() {
    if (db_) (void)db_->exec("COMMIT");
}

Result<Transaction> Transaction::begin(Db& db) {
    if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) return tl::unexpected(ok.error());
    return Transaction(&db);
}

Transaction::~Transaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
    if (!db_) return fail("transaction already finished");
    auto ok = db_->exec("COMMIT");
    if (ok) db_ = nullptr;
    return ok;
}

} // namespace asof::sql
