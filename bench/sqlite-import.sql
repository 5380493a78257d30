-- sqlite3 peer of `asof import` for bench/import-bench: load a JSON Lines file into the same
-- indexed events table asof builds, using only the sqlite3 shell and SQLite's JSON functions.
-- import-bench replaces @FILE@ with the path of the events file and runs this with
-- `sqlite3 -bail NEW.db ".read THIS"` on a fresh database file each run.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT,
  ts INTEGER NOT NULL, -- microseconds since the epoch, UTC
  type TEXT,
  stream TEXT NOT NULL,
  version INTEGER,
  actor TEXT,
  data TEXT,
  meta TEXT
);

-- One row per line, verbatim: ascii mode does no quote processing, and its field separator
-- (0x1F) cannot occur in valid JSON, where control characters must be escaped.
CREATE TEMP TABLE raw (line TEXT); -- discarded with the connection
.mode ascii
.separator "\037" "\n"
.import --schema temp '@FILE@' raw
.mode list

-- json_extract re-uses its parse of the same text within a row. ts is
-- "YYYY-MM-DDTHH:MM:SS.ffffffZ" (asof-gen always writes six fraction digits); julianday() would
-- lose the microseconds (it keeps milliseconds), so seconds and fraction are added as integers.
INSERT INTO events (seq, event_id, ts, type, stream, version, actor, data, meta)
SELECT rowid,
       json_extract(line, '$.id'),
       unixepoch(substr(json_extract(line, '$.ts'), 1, 19)) * 1000000
         + CAST(substr(json_extract(line, '$.ts'), 21, 6) AS INTEGER),
       json_extract(line, '$.type'),
       json_extract(line, '$.stream'),
       json_extract(line, '$.version'),
       json_extract(line, '$.actor'),
       json_extract(line, '$.data'),
       json_extract(line, '$.meta')
FROM temp.raw
ORDER BY rowid;

CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_type_ts ON events (type, ts);
CREATE INDEX events_actor_ts ON events (actor, ts);
CREATE INDEX events_event_id ON events (event_id);
CREATE INDEX events_stream_ts ON events (stream, ts);
COMMIT;
