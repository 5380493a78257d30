// Integrity findings recorded at import: duplicate ids, version gaps and regressions, time
// running backwards along versions, and events dated after the import.
#pragma once

#include "eventlog/sqlite.hpp"
#include "eventlog/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asof {

struct Finding {
    std::string kind; // duplicate_event_id, version_gap, version_duplicate, version_regression,
                      // time_backwards, future_event
    std::optional<std::int64_t> stream_id;
    std::optional<std::int64_t> seq;
    std::string detail;
};

// What the version check remembers of one stream while events stream past.
struct StreamVersions {
    std::optional<std::int64_t> last_version; // highest version seen so far
    std::int64_t last_seq = 0;
    std::int64_t last_ts = 0;
    bool unordered = false; // a version arrived at or below one already seen
};

// Checks versions in file order, in constant time per event. While a stream's versions arrive
// in increasing order (the usual case) its gaps and backward times are found here; a stream
// whose versions arrive out of order is marked and checked again by SQL after the load.
class VersionCheck {
public:
    void observe(StreamVersions& stream, std::int64_t stream_id, std::int64_t seq,
                 std::int64_t version, std::int64_t ts, std::int64_t line);
    // The findings so far, less the gap and time findings of streams marked unordered.
    std::vector<Finding> take_findings();
    const std::vector<std::int64_t>& unordered_streams() const { return unordered_; }
    void clear();

private:
    std::vector<Finding> findings_;
    std::vector<std::int64_t> unordered_;
};

// Completes and stores the findings of one import (events with seq in [first_seq, last_seq]):
// the version check's findings, SQL checks of its unordered streams, duplicate event ids
// (against the whole case), and events dated after `import_time`. Needs the event indexes.
// Returns how many findings were stored.
Result<std::int64_t> record_findings(sql::Db& db, std::int64_t import_id, std::int64_t first_seq,
                                     std::int64_t last_seq, Timestamp import_time,
                                     VersionCheck& versions);

} // namespace asof
