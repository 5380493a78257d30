// Storing and reading the case's projection (see projection_store.hpp).
#include "replay/projection_store.hpp"

#include <fstream>
#include <sstream>

namespace asof::replay {
namespace {

constexpr const char* projections_table = R"sql(
CREATE TABLE IF NOT EXISTS projections (
    hash      TEXT PRIMARY KEY,   -- SHA-256 of the canonical text
    name      TEXT NOT NULL,
    canonical TEXT NOT NULL,      -- the file's JSON, compact with sorted keys
    source    TEXT NOT NULL,      -- the path it was stored from
    stored_at INTEGER NOT NULL
) STRICT;
)sql";

constexpr const char* active_key = "projection";

} // namespace

Result<StoredProjection> case_projection(sql::Db& db) {
    StoredProjection out;
    out.projection = Projection::merge_default();
    auto exists = db.scalar_int(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'projections'");
    if (!exists) return tl::unexpected(exists.error());
    if (*exists == 0) return out;
    auto stmt = db.prepare("SELECT p.canonical, p.source, p.stored_at FROM case_info i "
                           "JOIN projections p ON p.hash = i.value WHERE i.key = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, std::string_view(active_key));
    auto found = stmt->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found) return out;
    auto parsed = Projection::parse(stmt->column_text(0), "the case's stored projection");
    if (!parsed) return tl::unexpected(parsed.error());
    out.projection = *parsed;
    out.source = stmt->column_opt_text(1);
    out.stored_at = stmt->column_opt_int(2);
    return out;
}

Result<void> store_case_projection(sql::Db& db, const Projection& projection,
                                   const std::string& source, Timestamp now) {
    if (auto made = db.exec(projections_table); !made) return made;
    auto tx = sql::Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto insert = db.prepare("INSERT OR REPLACE INTO projections (hash, name, canonical, source, "
                             "stored_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return tl::unexpected(insert.error());
    insert->bind(1, projection.hash()).bind(2, projection.name());
    insert->bind(3, projection.canonical_text()).bind(4, source);
    insert->bind(5, std::int64_t{now.time_since_epoch().count()});
    if (auto ok = insert->run(); !ok) return ok;
    auto active = db.prepare("INSERT OR REPLACE INTO case_info (key, value) VALUES (?1, ?2)");
    if (!active) return tl::unexpected(active.error());
    active->bind(1, std::string_view(active_key)).bind(2, projection.hash());
    if (auto ok = active->run(); !ok) return ok;
    return tx->commit();
}

Result<void> clear_case_projection(sql::Db& db) {
    auto stmt = db.prepare("DELETE FROM case_info WHERE key = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->bind(1, std::string_view(active_key)).run();
}

Result<std::shared_ptr<const Projection>> read_projection_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read the projection file", path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return fail("cannot read the projection file", path);
    return Projection::parse(text.str(), path);
}

} // namespace asof::replay
