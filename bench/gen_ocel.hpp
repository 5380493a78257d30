// asof-gen's OCEL 2.0 output (--ocel-json, --ocel-xml, --ocel-sqlite): the generated JSON Lines
// turned into an object-centric log in one of the standard's three serialisations. The mapping
// is in gen_ocel_model; the JSON and XML writers in gen_ocel.cpp, the SQLite one in
// gen_ocel_sqlite.cpp.
#pragma once

#include "gen_support.hpp"

#include <cstdio>
#include <string>

namespace asof_gen {

enum class OcelForm { json, xml, sqlite };

// Reads the generator's JSON Lines in `lines` twice (objects and their attribute values over
// time first, kept in memory; then the events, streamed) and writes them as OCEL 2.0: JSON and
// XML to `sink`, SQLite to a new database at `sqlite_path` (an existing file there is replaced).
// Deterministic: the same lines give the same bytes (JSON, XML) or rows (SQLite). False, with a
// message on stderr, when reading or writing fails.
bool write_ocel(FILE* lines, OcelForm form, Sink& sink, const std::string& sqlite_path);

} // namespace asof_gen
