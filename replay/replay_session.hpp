// What every replay over a case shares: the case opened read-only, the projection in use (a
// projection file or the case's own), the state size limit, and replayers for its streams whose
// snapshots are brought up to date first when the case can be written. The CLI's replay, diff
// and changes commands and the reports open streams through it.
#pragma once

#include "eventlog/sqlite.hpp"
#include "replay/projection_store.hpp"
#include "replay/replayer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asof::replay {

struct ReplaySession {
    std::string path;
    sql::Db db;
    StoredProjection projection;
    ReplayLimits limits;
    std::vector<std::string> notes; // what could not be done on the way (for the user)
};

// The projection a replay of `db` uses: `projection_file` when given, else the case's own.
Result<StoredProjection> settle_projection(sql::Db& db,
                                           const std::optional<std::string>& projection_file);

// Opens the case at `path` and settles the projection (`projection_file` when given).
// `max_state_mib` overrides the state size limit.
Result<ReplaySession> open_replay_session(const std::string& path,
                                          const std::optional<std::string>& projection_file,
                                          std::optional<std::int64_t> max_state_mib);

// The replayer of stream `stream_id` (named `name`) of `db`, the case at `case_path`. A stream
// longer than the snapshot spacing whose snapshots are missing or stale gets them built first
// on a short-lived writable connection; when the case cannot be written the fold starts at its
// first event, and a note saying so is added to `notes`.
Result<Replayer> open_stream_replayer(sql::Db& db, const std::string& case_path,
                                      std::int64_t stream_id, const std::string& name,
                                      std::shared_ptr<const Projection> projection,
                                      ReplayLimits limits, std::vector<std::string>& notes);

} // namespace asof::replay
