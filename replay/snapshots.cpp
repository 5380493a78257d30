// Snapshot tables: creation on first use, reading, replacing and listing (see snapshots.hpp).
#include "replay/snapshots.hpp"

namespace asof::replay {
namespace {

constexpr const char* snapshot_tables = R"sql(
CREATE TABLE IF NOT EXISTS snapshot_sets (
    stream_id  INTEGER NOT NULL,
    projection TEXT NOT NULL,     -- SHA-256 of the projection's canonical text
    every      INTEGER NOT NULL,  -- events between snapshots
    events     INTEGER NOT NULL,  -- events in the stream when built
    last_seq   INTEGER NOT NULL,  -- the highest seq among them
    fold_order BLOB NOT NULL,     -- (seq, ts, version) per event in fold order, 24 bytes each
    PRIMARY KEY (stream_id, projection)
) STRICT;
CREATE TABLE IF NOT EXISTS snapshots (
    stream_id  INTEGER NOT NULL,
    projection TEXT NOT NULL,
    position   INTEGER NOT NULL,  -- events of the fold order folded into it
    max_ts     INTEGER NOT NULL,  -- the latest time among them
    applied    INTEGER NOT NULL,
    version    INTEGER,
    state      TEXT NOT NULL,     -- JSON
    blame      TEXT NOT NULL,     -- JSON object: pointer -> seq
    warnings   TEXT NOT NULL,     -- JSON array of messages
    PRIMARY KEY (stream_id, projection, position)
) STRICT;
)sql";

Result<bool> tables_exist(sql::Db& db) {
    auto count = db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                               "name IN ('snapshot_sets', 'snapshots')");
    if (!count) return tl::unexpected(count.error());
    return *count == 2;
}

} // namespace

Result<SnapshotBasis> stream_basis(sql::Db& db, std::int64_t stream_id,
                                   const std::string& projection_hash) {
    auto stmt = db.prepare("SELECT count(*), coalesce(max(seq), 0) FROM event_streams "
                           "WHERE stream_id = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, stream_id);
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    return SnapshotBasis{stream_id, projection_hash, stmt->column_int(0), stmt->column_int(1)};
}

Result<std::optional<SnapshotSet>> current_snapshot_set(sql::Db& db, const SnapshotBasis& basis) {
    auto exist = tables_exist(db);
    if (!exist) return tl::unexpected(exist.error());
    if (!*exist) return std::nullopt;
    auto set = db.prepare("SELECT events, last_seq, fold_order FROM snapshot_sets "
                          "WHERE stream_id = ?1 AND projection = ?2");
    if (!set) return tl::unexpected(set.error());
    set->bind(1, basis.stream_id).bind(2, basis.projection_hash);
    auto found = set->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found || set->column_int(0) != basis.events || set->column_int(1) != basis.last_seq)
        return std::nullopt;
    SnapshotSet out;
    auto blob = set->column_blob(2);
    out.fold_order.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
    auto marks = db.prepare("SELECT position, max_ts FROM snapshots WHERE stream_id = ?1 AND "
                            "projection = ?2 ORDER BY position");
    if (!marks) return tl::unexpected(marks.error());
    marks->bind(1, basis.stream_id).bind(2, basis.projection_hash);
    auto done = marks->each([&](const sql::Stmt& row) {
        out.marks.push_back({row.column_int(0), row.column_int(1)});
    });
    if (!done) return tl::unexpected(done.error());
    return out;
}

Result<StoredSnapshot> read_snapshot(sql::Db& db, const SnapshotBasis& basis,
                                     std::int64_t position) {
    auto stmt = db.prepare("SELECT max_ts, applied, version, state, blame, warnings FROM snapshots "
                           "WHERE stream_id = ?1 AND projection = ?2 AND position = ?3");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, basis.stream_id).bind(2, basis.projection_hash).bind(3, position);
    auto found = stmt->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found)
        return fail("snapshot at position " + std::to_string(position) + " is missing", db.path());
    StoredSnapshot snapshot;
    snapshot.position = position;
    snapshot.max_ts = stmt->column_int(0);
    snapshot.applied = stmt->column_int(1);
    snapshot.version = stmt->column_opt_int(2);
    snapshot.state = stmt->column_text(3);
    snapshot.blame = stmt->column_text(4);
    snapshot.warnings = stmt->column_text(5);
    return snapshot;
}

Result<void> store_snapshots(sql::Db& db, const SnapshotBasis& basis, std::int64_t every,
                             const std::vector<StoredSnapshot>& snapshots,
                             const std::string& fold_order) {
    if (auto made = db.exec(snapshot_tables); !made) return made;
    auto tx = sql::Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    for (const char* sql : {"DELETE FROM snapshots WHERE stream_id = ?1 AND projection = ?2",
                            "DELETE FROM snapshot_sets WHERE stream_id = ?1 AND projection = ?2"}) {
        auto stmt = db.prepare(sql);
        if (!stmt) return tl::unexpected(stmt.error());
        if (auto ok = stmt->bind(1, basis.stream_id).bind(2, basis.projection_hash).run(); !ok)
            return ok;
    }
    auto set = db.prepare("INSERT INTO snapshot_sets (stream_id, projection, every, events, "
                          "last_seq, fold_order) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!set) return tl::unexpected(set.error());
    set->bind(1, basis.stream_id).bind(2, basis.projection_hash).bind(3, every);
    set->bind(4, basis.events).bind(5, basis.last_seq);
    set->bind_blob(
        6,
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(fold_order.data()),
                                       fold_order.size()),
        false);
    if (auto ok = set->run(); !ok) return ok;
    auto insert = db.prepare("INSERT INTO snapshots (stream_id, projection, position, max_ts, "
                             "applied, version, state, blame, warnings) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert) return tl::unexpected(insert.error());
    for (const auto& snapshot : snapshots) {
        insert->bind(1, basis.stream_id).bind(2, basis.projection_hash);
        insert->bind(3, snapshot.position).bind(4, snapshot.max_ts).bind(5, snapshot.applied);
        insert->bind(6, snapshot.version).bind(7, snapshot.state, false);
        insert->bind(8, snapshot.blame, false).bind(9, snapshot.warnings, false);
        if (auto ok = insert->run(); !ok) return ok;
    }
    return tx->commit();
}

Result<std::vector<SnapshotSummary>> list_snapshot_sets(sql::Db& db) {
    std::vector<SnapshotSummary> out;
    auto exist = tables_exist(db);
    if (!exist) return tl::unexpected(exist.error());
    if (!*exist) return out;
    auto stmt = db.prepare(
        "SELECT s.name, t.projection, t.every, "
        "(SELECT count(*) FROM snapshots n WHERE n.stream_id = t.stream_id AND "
        "n.projection = t.projection), "
        "(SELECT coalesce(sum(length(n.state) + length(n.blame)), 0) FROM snapshots n "
        "WHERE n.stream_id = t.stream_id AND n.projection = t.projection), "
        "t.events = (SELECT count(*) FROM event_streams l WHERE l.stream_id = t.stream_id) AND "
        "t.last_seq = (SELECT max(l.seq) FROM event_streams l WHERE l.stream_id = t.stream_id) "
        "FROM snapshot_sets t JOIN streams s ON s.id = t.stream_id ORDER BY s.name, t.projection");
    if (!stmt) return tl::unexpected(stmt.error());
    auto done = stmt->each([&](const sql::Stmt& row) {
        out.push_back({std::string(row.column_text(0)), std::string(row.column_text(1)),
                       row.column_int(2), row.column_int(3), row.column_int(4),
                       row.column_int(5) != 0});
    });
    if (!done) return tl::unexpected(done.error());
    return out;
}

} // namespace asof::replay
