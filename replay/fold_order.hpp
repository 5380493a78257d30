// The order in which a stream's events are folded: by stream version where every event of the
// stream has one, else by time and then global sequence; and the warnings a doubtful order
// earns (versions that repeat, skip, or run against time).
#pragma once

#include "eventlog/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asof::replay {

struct FoldEntry {
    std::int64_t seq = 0;
    std::int64_t ts = 0; // microseconds since the epoch, UTC
    std::optional<std::int64_t> version;
};

struct FoldOrder {
    std::int64_t stream_id = 0;
    std::vector<FoldEntry> entries; // in fold order
    bool versioned = false;         // every event carries a version in this stream
    // min_ts_from[i] = the earliest time among entries[i..]: a fold to T stops at the first i
    // with min_ts_from[i] > T.
    std::vector<std::int64_t> min_ts_from;
};

// Reads the fold order of a stream. An event's version counts only in its primary stream (an
// event linked to further streams has no version there).
Result<FoldOrder> read_fold_order(sql::Db& db, std::int64_t stream_id);

// The fold order as bytes (seq, ts, version per entry, little-endian), to store with a stream's
// snapshots, and back; decoding refuses bytes of the wrong length.
std::string encode_fold_order(const FoldOrder& order);
std::optional<FoldOrder> decode_fold_order(std::int64_t stream_id, std::string_view bytes);

// "seq 12 (evt-012)": how warnings and errors name an event.
std::string describe_event(std::int64_t seq, const std::optional<std::string>& id);

// Whether folding `next` right after `previous` earns a warning (see order_warnings).
bool order_doubtful(const FoldEntry& previous, const FoldEntry& next, bool versioned);

// Appends the warnings earned by folding `next` right after `previous` (both included in the
// fold), naming them as given: a repeated or skipped version, or a version that is dated
// before the one before it.
void order_warnings(const FoldEntry& previous, const FoldEntry& next, bool versioned,
                    const std::string& previous_name, const std::string& next_name,
                    std::vector<std::string>& warnings);

} // namespace asof::replay
