// RAII ownership of SQLite connections and statements, with typed binding and reading.
#pragma once

#include "eventlog/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <sqlite3.h>
#include <string>
#include <string_view>

namespace asof::sql {

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

class Stmt;

// A file: URI that opens `path` read-only and immutable (SQLite then takes no lock and never
// writes, not even a journal or a WAL index): how foreign SQLite files are opened. Characters
// that mean something in a URI (%, ?, #) are percent-encoded.
std::string immutable_uri(const std::string& path);

// One open connection. Move-only; closed when destroyed.
class Db {
public:
    enum class Mode { read_only, read_write, create };

    // Opens `path` (a filename or a file: URI). read_only never creates or writes.
    static Result<Db> open(const std::string& path, Mode mode);

    sqlite3* handle() const { return db_.get(); }
    const std::string& path() const { return path_; }

    // Runs one or more statements that take no parameters and return no rows.
    Result<void> exec(std::string_view sql);
    Result<Stmt> prepare(std::string_view sql);
    // The value of a one-row, one-column integer query (e.g. "PRAGMA user_version").
    Result<std::int64_t> scalar_int(std::string_view sql);

    // An Error carrying sqlite3_errmsg and the database path.
    Error error(std::string_view doing) const;

private:
    std::unique_ptr<sqlite3, DbCloser> db_;
    std::string path_;
};

// A prepared statement. bind() indices are 1-based as in SQLite.
class Stmt {
public:
    Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}

    Stmt& bind(int index, std::int64_t value);
    Stmt& bind(int index, double value);
    // Text is copied by SQLite only when `copy` is true; otherwise it must outlive the step.
    Stmt& bind(int index, std::string_view text, bool copy = true);
    Stmt& bind_blob(int index, std::span<const unsigned char> bytes, bool copy = true);
    Stmt& bind_null(int index);
    template <class T> Stmt& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // Steps once: true when a row is available, false when done.
    Result<bool> step();
    // Steps to completion (for statements that return no rows), then resets for reuse.
    Result<void> run();
    // Steps through every row, calling on_row(*this) for each; stops at the first error.
    template <class OnRow> Result<void> each(OnRow&& on_row) {
        for (;;) {
            auto row = step();
            if (!row) return tl::unexpected(row.error());
            if (!*row) return {};
            on_row(*this);
        }
    }
    void reset();

    std::int64_t column_int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
    double column_double(int col) const { return sqlite3_column_double(stmt_.get(), col); }
    bool column_is_null(int col) const {
        return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
    }
    std::string_view column_text(int col) const;
    std::optional<std::string> column_opt_text(int col) const;
    std::optional<std::int64_t> column_opt_int(int col) const;
    std::span<const unsigned char> column_blob(int col) const;

    sqlite3_stmt* handle() const { return stmt_.get(); }

private:
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
    sqlite3* db_;
};

// Begins a transaction; rolls it back when destroyed unless commit() succeeded.
class Transaction {
public:
    static Result<Transaction> begin(Db& db);
    Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Result<void> commit();

private:
    explicit Transaction(Db* db) : db_(db) {}
    Db* db_;
};

// Holds one read transaction for a scope, so that a run of reads takes the file lock once
// (SQLite otherwise locks and checks the file around every statement). Does nothing when a
// transaction is already open on the connection.
class ReadScope {
public:
    explicit ReadScope(Db& db);
    ~ReadScope();
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

private:
    Db* db_ = nullptr; // set when this scope began the transaction
};

} // namespace asof::sql
