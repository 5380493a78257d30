// Builds and checks the full-text index (see text_index.hpp). The index is contentless
// (content=''): it stores only tokens, keyed by the event's seq, so it adds little to the case.
// The indexed text of an event is its payload's string values, joined by spaces (keys, numbers
// and metadata are not indexed). Coverage is recorded in case_info as the highest seq indexed.
#include "eventlog/text_index.hpp"

#include <string>

namespace asof {
namespace {

constexpr const char* coverage_key = "text_index_seq";

Result<std::int64_t> covered_seq(sql::Db& db) {
    auto exists = db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE name = 'event_text'");
    if (!exists) return tl::unexpected(exists.error());
    if (*exists == 0) return std::int64_t{-1};
    auto stmt = db.prepare("SELECT CAST(value AS INTEGER) FROM case_info WHERE key = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, std::string_view(coverage_key));
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return *row ? stmt->column_int(0) : std::int64_t{0};
}

int stop_when_cancelled(void* flag) {
    return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

} // namespace

Result<bool> text_index_current(sql::Db& db) {
    auto covered = covered_seq(db);
    if (!covered) return tl::unexpected(covered.error());
    if (*covered < 0) return false;
    auto last = db.scalar_int("SELECT coalesce(max(seq), 0) FROM events");
    if (!last) return tl::unexpected(last.error());
    return *covered >= *last;
}

Result<std::int64_t> update_text_index(sql::Db& db, const std::atomic<bool>* cancel) {
    auto tx = sql::Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto covered = covered_seq(db);
    if (!covered) return tl::unexpected(covered.error());
    if (*covered < 0) {
        auto made = db.exec("CREATE VIRTUAL TABLE event_text USING fts5(text, content='', "
                            "tokenize='unicode61 remove_diacritics 2')");
        if (!made) return tl::unexpected(made.error());
        covered = 0;
    }
    auto last = db.scalar_int("SELECT coalesce(max(seq), 0) FROM events");
    if (!last) return tl::unexpected(last.error());
    if (*covered >= *last) return std::int64_t{0};

    if (cancel)
        sqlite3_progress_handler(db.handle(), 100000, stop_when_cancelled,
                                 const_cast<std::atomic<bool>*>(cancel));
    auto fill = db.prepare(
        "INSERT INTO event_text (rowid, text) "
        "SELECT p.seq, (SELECT group_concat(t.value, ' ') FROM json_tree(p.data) t "
        "WHERE t.type = 'text') FROM event_payloads p WHERE p.seq > ?1 AND p.data IS NOT NULL");
    if (!fill) return tl::unexpected(fill.error());
    fill->bind(1, *covered);
    auto filled = fill->run();
    if (cancel) sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
    if (!filled) return tl::unexpected(filled.error());
    std::int64_t added = sqlite3_changes64(db.handle());

    auto record = db.prepare("INSERT INTO case_info (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!record) return tl::unexpected(record.error());
    record->bind(1, std::string_view(coverage_key)).bind(2, std::to_string(*last));
    if (auto ok = record->run(); !ok) return tl::unexpected(ok.error());
    if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
    return added;
}

} // namespace asof
