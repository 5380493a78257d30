#!/usr/bin/env bash
# The OCEL 2.0 logs asof-gen writes import cleanly and say the same thing in all three forms:
# generates one sample log as JSON Lines and as OCEL 2.0 JSON, XML and SQLite, imports each with
# asof, and checks 0 rejects, no integrity finding, the JSON Lines' event count, and identical
# events, streams, event-object links, attribute values, relations and replays across the three
# OCEL forms. Also checks that the generator's output is deterministic.
# usage: ocel_gen_roundtrip.sh ASOF ASOF_GEN
set -euo pipefail
asof=$(readlink -f "$1") gen=$(readlink -f "$2")
events=3000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() {
    echo "ocel_gen_roundtrip: $*" >&2
    exit 1
}
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/deps.txt)"

"$gen" --events $events --sample -o log.jsonl 2>/dev/null
"$gen" --events $events --sample --ocel-json -o log.jsonocel 2>/dev/null
"$gen" --events $events --sample --ocel-xml -o log.xmlocel 2>/dev/null
"$gen" --events $events --sample --ocel-sqlite -o log.sqlite 2>/dev/null

# Deterministic: the same arguments give the same bytes (JSON, XML) and rows (SQLite).
"$gen" --events $events --sample --ocel-json -o again.jsonocel 2>/dev/null
"$gen" --events $events --sample --ocel-xml -o again.xmlocel 2>/dev/null
"$gen" --events $events --sample --ocel-sqlite -o again.sqlite 2>/dev/null
cmp -s log.jsonocel again.jsonocel || fail "--ocel-json is not deterministic"
cmp -s log.xmlocel again.xmlocel || fail "--ocel-xml is not deterministic"
[[ $(sqlite3 log.sqlite .dump) == "$(sqlite3 again.sqlite .dump)" ]] ||
    fail "--ocel-sqlite is not deterministic"

# SQLite needs a file; stdout is refused with a message.
if "$gen" --events 10 --ocel-sqlite >/dev/null 2>err.txt; then fail "--ocel-sqlite to stdout"; fi
grep -q -- "-o FILE" err.txt || fail "no clear message for --ocel-sqlite without -o"

for log in log.jsonl log.jsonocel log.xmlocel log.sqlite; do
    "$asof" import "$log" -o "$log.asof" -q >/dev/null || fail "import of $log failed"
    "$asof" info "$log.asof" --json >"$log.info"
    grep -q "\"rejected\": 0," "$log.info" || fail "$log: rejects: $(cat "$log.info")"
    grep -q "\"events\": $events," "$log.info" || fail "$log: not $events events"
    grep -q '"integrity": \[\]' "$log.info" || fail "$log: integrity findings: $(cat "$log.info")"
done

# What an OCEL import gives: counts, events, and the tables behind links, attributes and
# relations, read back by name (the case files' ids may differ, their contents may not).
dump() {
    local case=$1
    grep -E '^  "(events|streams|rejected|relations)"|^      "(events|rejected|attributes|relations)"' \
        "${case%.asof}.info"
    "$asof" events "$case" --format jsonl
    sqlite3 "$case" "
        SELECT name, kind, key FROM streams ORDER BY name;
        SELECT e.event_id, s.name, l.qualifier FROM event_streams l
            JOIN events e ON e.seq = l.seq JOIN streams s ON s.id = l.stream_id
            ORDER BY e.seq, s.name;
        SELECT s.name, a.ts, a.name, a.value FROM stream_attributes a
            JOIN streams s ON s.id = a.stream_id ORDER BY a.id;
        SELECT f.name, t.name, r.qualifier FROM stream_relations r
            JOIN streams f ON f.id = r.from_stream JOIN streams t ON t.id = r.to_stream
            ORDER BY r.rowid;"
    for target in "discrepancy #D4721" "shipment #S88" "invoice #I12"; do
        "$asof" changes "$case" "$target"
        "$asof" replay "$case" "$target" --at 2026-04-15T12:00:00Z --blame --json
    done
}
dump log.jsonocel.asof >json.dump
dump log.xmlocel.asof >xml.dump
dump log.sqlite.asof >sqlite.dump
[[ $(grep -c '"seq":' json.dump) -ge $events ]] || fail "the OCEL JSON import lists too few events"
grep -q '"attributes": [1-9]' json.dump || fail "no object attribute values"
grep -q '"relations": [1-9]' json.dump || fail "no object-to-object relations"
grep -q 'discrepancy-D4721|shipment-S88|concerns' json.dump || fail "relation D4721 -> S88 missing"
diff -q json.dump xml.dump >/dev/null || fail "OCEL JSON and XML differ: $(diff json.dump xml.dump | head -5)"
diff -q json.dump sqlite.dump >/dev/null ||
    fail "OCEL JSON and SQLite differ: $(diff json.dump sqlite.dump | head -5)"
echo "ocel_gen_roundtrip: $events events, the three OCEL forms agree"
