// The case file's schema: the tables, the migrations between schema versions, and its indexes.
#include "eventlog/case_schema.hpp"

#include <array>
#include <string>

namespace asof {
namespace {

// Schema version 1. Times are INTEGER microseconds since the epoch, UTC.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE case_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    source_path   TEXT NOT NULL,
    source_name   TEXT NOT NULL,
    source_size   INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL UNIQUE,
    format        TEXT NOT NULL,
    mapping       TEXT NOT NULL,   -- JSON object: role -> field path actually used
    source_tz     TEXT NOT NULL,   -- zone in which naive times were read
    options       TEXT NOT NULL,   -- JSON object of the options that shape the result
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    lines         INTEGER NOT NULL DEFAULT 0,  -- non-empty lines read
    events        INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    naive_times   INTEGER NOT NULL DEFAULT 0,  -- events whose time carried no zone
    first_seq     INTEGER,
    last_seq      INTEGER,
    chain_head    BLOB               -- hash chain value after this import's last event
) STRICT;

CREATE TABLE streams (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT,                       -- "discrepancy" of "discrepancy-4721", when derivable
    key  TEXT                        -- "4721"
) STRICT;
CREATE INDEX streams_kind_key ON streams (kind COLLATE NOCASE, key COLLATE NOCASE);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY, -- global import order; the stable tie-breaker
    event_id    TEXT,
    ts          INTEGER NOT NULL,    -- occurred-at
    recorded_ts INTEGER,
    type        TEXT,
    stream_id   INTEGER NOT NULL REFERENCES streams (id),  -- the primary stream
    version     INTEGER,             -- version within the primary stream
    actor       TEXT,
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    line        INTEGER NOT NULL,    -- 1-based line in the source
    byte_offset INTEGER NOT NULL     -- offset of the line in the (decompressed) source
) STRICT;

-- The bulky part of each event, apart so that scans and index builds over events stay small.
CREATE TABLE event_payloads (
    seq  INTEGER PRIMARY KEY REFERENCES events (seq),
    data TEXT,                       -- JSON
    meta TEXT,                       -- JSON
    hash BLOB NOT NULL               -- hash chain value: SHA-256(previous hash || canonical bytes)
) STRICT;

-- Every stream an event belongs to, the primary one included (qualifier NULL for it).
CREATE TABLE event_streams (
    stream_id INTEGER NOT NULL,
    ts        INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    qualifier TEXT,
    PRIMARY KEY (stream_id, ts, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE rejects (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    line        INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    excerpt     TEXT NOT NULL
) STRICT;

CREATE TABLE findings (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    kind      TEXT NOT NULL,
    stream_id INTEGER,
    seq       INTEGER,
    detail    TEXT NOT NULL
) STRICT;
CREATE INDEX findings_seq ON findings (seq);
)sql";

// Schema version 2: what formats other than JSON Lines bring. Object-centric logs (OCEL 2.0)
// declare objects (streams that may have no event), give them attribute values that change over
// time (state that is not an event), and relate objects to each other; XES traces carry
// attributes (a stream's initial state). Rejects from non-line formats are located by a place
// (row, element path); imports count zoned as well as naive times so a mix can be reported, and
// chain the attributes and relations they stored (verify recomputes that chain too).
constexpr const char* schema_v2 = R"sql(
ALTER TABLE rejects ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN zoned_times INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN attributes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN relations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN side_chain_head BLOB;

-- Values of a stream's state that are not events, folded by replay in (ts, id) order; a NULL
-- ts is the initial value. `value` is JSON; null removes the member.
CREATE TABLE stream_attributes (
    id        INTEGER PRIMARY KEY,   -- source order: the tie-breaker
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    ts        INTEGER,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id)
) STRICT;
CREATE INDEX stream_attributes_stream_ts ON stream_attributes (stream_id, ts);

CREATE TABLE stream_relations (
    from_stream INTEGER NOT NULL REFERENCES streams (id),
    to_stream   INTEGER NOT NULL REFERENCES streams (id),
    qualifier   TEXT,
    import_id   INTEGER NOT NULL REFERENCES imports (id)
) STRICT;
CREATE INDEX stream_relations_from ON stream_relations (from_stream);
CREATE INDEX stream_relations_to ON stream_relations (to_stream);
)sql";

// Schema version 3: each stream's event count and first and last event time (over every event
// linked to it, the primary stream's and the linked ones'), kept by the import, so that the
// console's stream list reads 110,000 rows instead of grouping millions of links. Upgrading
// computes them from event_streams; verify checks them against it.
constexpr const char* schema_v3 = R"sql(
ALTER TABLE streams ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN first_ts INTEGER;
ALTER TABLE streams ADD COLUMN last_ts INTEGER;
UPDATE streams SET events = c.n, first_ts = c.first, last_ts = c.last
  FROM (SELECT stream_id, count(*) AS n, min(ts) AS first, max(ts) AS last
        FROM event_streams GROUP BY stream_id) AS c
  WHERE c.stream_id = streams.id;
)sql";

// The secondary indexes a new case builds after its rows are in (sorting once is much faster
// than keeping them up to date row by row): the events' and, from schema 2, those of stream
// attributes and relations.
constexpr std::array<const char*, 7> bulk_index_names = {"events_ts",
                                                         "events_type_ts",
                                                         "events_actor_ts",
                                                         "events_event_id",
                                                         "stream_attributes_stream_ts",
                                                         "stream_relations_from",
                                                         "stream_relations_to"};

constexpr const char* event_indexes = R"sql(
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_type_ts ON events (type, ts);
CREATE INDEX IF NOT EXISTS events_actor_ts ON events (actor, ts);
CREATE INDEX IF NOT EXISTS events_event_id ON events (event_id);
)sql";

constexpr const char* object_indexes = R"sql(
CREATE INDEX IF NOT EXISTS stream_attributes_stream_ts ON stream_attributes (stream_id, ts);
CREATE INDEX IF NOT EXISTS stream_relations_from ON stream_relations (from_stream);
CREATE INDEX IF NOT EXISTS stream_relations_to ON stream_relations (to_stream);
)sql";

} // namespace

Result<void> migrate_case(sql::Db& db) {
    auto app_id = db.scalar_int("PRAGMA application_id");
    if (!app_id) return tl::unexpected(app_id.error());
    auto version = db.scalar_int("PRAGMA user_version");
    if (!version) return tl::unexpected(version.error());
    auto tables = db.scalar_int("SELECT count(*) FROM sqlite_schema");
    if (!tables) return tl::unexpected(tables.error());

    if (*app_id != case_application_id && !(*app_id == 0 && *tables == 0))
        return fail("not an asof case file (it is another SQLite database)", db.path());
    if (*version > case_schema_version)
        return fail("case file has schema version " + std::to_string(*version) +
                        ", newer than this asof understands (" +
                        std::to_string(case_schema_version) + "); upgrade asof",
                    db.path());
    if (*version == case_schema_version) return {};

    auto tx = sql::Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    if (*version < 1) {
        if (auto ok = db.exec(schema_v1); !ok) return ok;
        if (auto ok = db.exec(event_indexes); !ok) return ok;
    }
    if (*version < 2)
        if (auto ok = db.exec(schema_v2); !ok) return ok;
    if (*version < 3)
        if (auto ok = db.exec(schema_v3); !ok) return ok;
    // Later migrations go here as `if (*version < N) { ... }`, each bringing N-1 to N.
    std::string pragmas = "PRAGMA application_id = " + std::to_string(case_application_id) +
                          "; PRAGMA user_version = " + std::to_string(case_schema_version) + ";";
    if (auto ok = db.exec(pragmas); !ok) return ok;
    return tx->commit();
}

Result<void> create_bulk_indexes(sql::Db& db) {
    if (auto ok = db.exec(event_indexes); !ok) return ok;
    return db.exec(object_indexes);
}

Result<void> drop_bulk_indexes(sql::Db& db) {
    for (const char* name : bulk_index_names)
        if (auto ok = db.exec(std::string("DROP INDEX IF EXISTS ") + name); !ok) return ok;
    return {};
}

} // namespace asof
