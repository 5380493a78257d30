// What replay, diff and changes share on top of replay/replay_session: the stream a TARGET
// argument names, its replayer, and the JSON and text helpers of their output.
#pragma once

#include "eventlog/sqlite.hpp"
#include "query/ast.hpp"
#include "query/executor.hpp"
#include "replay/replay_session.hpp"

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace asof {

using replay::open_replay_session;
using replay::ReplaySession;

// The one stream `target` names, or an error (where "target") that lists the candidates or
// suggests the nearest names.
Result<query::StreamRef> find_target_stream(sql::Db& db, const query::Target& target);

struct OpenedStream {
    std::string name;
    replay::Replayer replayer;
};

// The one stream `target` names, or an error listing the candidates or the nearest names;
// and its replayer. A stream longer than the snapshot spacing whose snapshots are missing or
// stale gets them built first when the case can be written (else the fold starts at its first
// event).
Result<OpenedStream> open_target_stream(ReplaySession& session, const query::Target& target);

// {"name", "sha256"} of the projection, for JSON output and headings.
std::string projection_heading(const replay::Projection& projection);

} // namespace asof

namespace asof {

// The one target a replay-like command's TARGET argument names (exit 5 material on failure).
Result<query::Target> parse_single_target(const std::string& text);

// {"seq", "id", "ts", "type", "actor", "version"} of an event, for JSON output.
nlohmann::ordered_json event_ref_json(const replay::EventRef& ref);

// A value as compact JSON (invalid UTF-8 replaced), for text and JSON output alike.
using replay::compact_json;

// Prints `value` as indented JSON, one line at a time with control characters escaped.
void print_indented_json(std::ostream& out, const nlohmann::json& value);

// Prints the session's notes on stderr.
void print_notes(const ReplaySession& session, std::ostream& err);

} // namespace asof
