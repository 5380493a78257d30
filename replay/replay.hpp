// Replays one stream to an instant: folds its events' payloads into a state (JSON merge patch),
// remembers which event set each leaf, and warns where the stream's order is doubtful.
#pragma once

#include "eventlog/sqlite.hpp"
#include "eventlog/time.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace asof::replay {

// The event that set a leaf of the state.
struct EventRef {
    std::int64_t seq = 0;
    std::optional<std::string> id, type, actor;
    Timestamp ts{};
};

struct ReplayState {
    std::string stream;
    Timestamp at{};                      // events at or before this instant are folded
    std::optional<std::int64_t> version; // of the last event folded, when all have versions
    std::int64_t applied = 0;            // events folded
    nlohmann::json state = nlohmann::json::object();
    std::map<std::string, EventRef> blame; // JSON pointer of each leaf -> the event that set it
    std::vector<std::string> warnings;
};

// Replays stream `stream_id` (named `stream_name`) to `at` (inclusive). Events are folded in
// version order (ties and events without a version by time, then seq); an event is included
// when its time is at or before `at`. Warns when versions skip, repeat, or disagree with time
// order, and for each payload that is not an object (skipped).
Result<ReplayState> replay_stream(sql::Db& db, std::int64_t stream_id,
                                  const std::string& stream_name, Timestamp at);

} // namespace asof::replay
