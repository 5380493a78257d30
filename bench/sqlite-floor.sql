-- The SQLite floor of `asof import`, for bench/import-bench: the SQLite work alone that asof's
-- import must do for a JSON Lines log, with no parsing, hashing or checking at all. It copies
-- the rows of a case asof has just imported (attached read-only) into a fresh file with the same
-- tables, pragmas and indexes asof's import uses (the pragmas of eventlog/import.cpp; the tables
-- and indexes read from the case itself, so they follow the schema), row by row: the WHERE
-- clauses stop SQLite's transfer optimisation, which would copy records without decoding them.
-- Reading the attached case costs a little on top, so this slightly overstates the floor.
--
-- No importer that writes asof's case through SQLite can be faster than this on the same
-- machine, however fast its parsing; sqlite3-import time / this time bounds the ratio
-- import-bench reports against the sqlite3 peer. import-bench replaces @CASE@ with the case's
-- path, @TABLES@ and @INDEXES@ with files of the case's CREATE statements, and runs this with
-- `sqlite3 -bail NEW.db ".read THIS"` on a fresh file.
PRAGMA page_size = 8192;
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA locking_mode = EXCLUSIVE;
PRAGMA cache_size = -24576;
PRAGMA threads = 2;
ATTACH 'file:@CASE@?mode=ro' AS src;
BEGIN;

-- asof's tables (and the index of streams, kept up to date as streams come), as the case
-- defines them: import-bench writes their CREATE statements from the case's sqlite_schema.
.read @TABLES@

-- asof inserts a stream when it first meets it, then each event and its payload in turn.
INSERT INTO streams (id, name, kind, key) SELECT id, name, kind, key FROM src.streams
  WHERE id IS NOT NULL ORDER BY id;
INSERT INTO events SELECT * FROM src.events WHERE seq IS NOT NULL ORDER BY seq;
INSERT INTO event_payloads SELECT * FROM src.event_payloads WHERE seq IS NOT NULL ORDER BY seq;

-- The bulk indexes and the links, built after the rows, in asof's order.
.read @INDEXES@
INSERT INTO event_streams (stream_id, ts, seq, qualifier)
  SELECT stream_id, ts, seq, NULL FROM events ORDER BY 1, 2, 3;
COMMIT;
