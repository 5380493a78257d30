// Stored snapshots: a stream's replayed state after every K events of its fold order, kept in
// the case file per projection (by hash), so that a replay folds at most K events after the
// nearest one. The tables are derived data, created on first use; a set of snapshots is
// current while the stream still has the events it was built from (same count and last seq)
// and the projection's hash matches.
#pragma once

#include "eventlog/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asof::replay {

// Events between snapshots when nothing else is asked for (chosen by bench/replay-bench).
inline constexpr std::int64_t default_snapshot_every = 64;

// The state after the first `position` events of a stream's fold order.
struct StoredSnapshot {
    std::int64_t position = 0;
    std::int64_t max_ts = 0; // the latest time among those events
    std::int64_t applied = 0;
    std::optional<std::int64_t> version;
    std::string state, blame, warnings; // JSON texts: the state, pointer -> seq, [messages]
};

// Where a stored snapshot stands in the fold order.
struct SnapshotMark {
    std::int64_t position = 0;
    std::int64_t max_ts = 0;
};

// Which events a set of snapshots was built from.
struct SnapshotBasis {
    std::int64_t stream_id = 0;
    std::string projection_hash;
    std::int64_t events = 0;   // events in the stream
    std::int64_t last_seq = 0; // the highest seq among them
};

// The stream's event count and highest seq: what a set of snapshots must have been built from
// to be current.
Result<SnapshotBasis> stream_basis(sql::Db& db, std::int64_t stream_id,
                                   const std::string& projection_hash);

// A current set: where its snapshots stand, and the stream's fold order stored with them
// (encode_fold_order), which spares reading it from the events.
struct SnapshotSet {
    std::vector<SnapshotMark> marks; // in position order
    std::string fold_order;
};

// The stream's current set of snapshots for the projection; nullopt when there is none
// (none built, or built from other events).
Result<std::optional<SnapshotSet>> current_snapshot_set(sql::Db& db, const SnapshotBasis& basis);

// Reads one stored snapshot.
Result<StoredSnapshot> read_snapshot(sql::Db& db, const SnapshotBasis& basis,
                                     std::int64_t position);

// Replaces the stream's snapshots for the projection with `snapshots` and the fold order, in
// one transaction. `db` must be writable.
Result<void> store_snapshots(sql::Db& db, const SnapshotBasis& basis, std::int64_t every,
                             const std::vector<StoredSnapshot>& snapshots,
                             const std::string& fold_order);

struct SnapshotSummary {
    std::string stream, projection_hash;
    std::int64_t every = 0, count = 0, bytes = 0;
    bool current = false;
};

// Every stored set of snapshots, with whether it is still current.
Result<std::vector<SnapshotSummary>> list_snapshot_sets(sql::Db& db);

} // namespace asof::replay
