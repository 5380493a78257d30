// Reading a stream's fold order and judging it (see fold_order.hpp).
#include "replay/fold_order.hpp"

#include "eventlog/time.hpp"

#include <algorithm>

namespace asof::replay {

Result<FoldOrder> read_fold_order(sql::Db& db, std::int64_t stream_id) {
    auto stmt = db.prepare("SELECT l.seq, l.ts, CASE WHEN e.stream_id = l.stream_id THEN "
                           "e.version END, e.event_id FROM event_streams l "
                           "JOIN events e ON e.seq = l.seq WHERE l.stream_id = ?1 "
                           "ORDER BY l.ts, l.seq");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, stream_id);
    FoldOrder order;
    order.stream_id = stream_id;
    auto done = stmt->each([&](const sql::Stmt& row) {
        order.entries.push_back(
            {row.column_int(0), row.column_int(1), row.column_opt_int(2), row.column_opt_text(3)});
    });
    if (!done) return tl::unexpected(done.error());
    order.versioned = !order.entries.empty() &&
                      std::all_of(order.entries.begin(), order.entries.end(),
                                  [](const FoldEntry& e) { return e.version.has_value(); });
    if (order.versioned) // time order already; stable keeps it among equal versions
        std::stable_sort(
            order.entries.begin(), order.entries.end(),
            [](const FoldEntry& a, const FoldEntry& b) { return *a.version < *b.version; });
    order.min_ts_from.resize(order.entries.size());
    std::int64_t earliest = INT64_MAX;
    for (std::size_t i = order.entries.size(); i-- > 0;)
        order.min_ts_from[i] = earliest = std::min(earliest, order.entries[i].ts);
    return order;
}

std::string describe_event(std::int64_t seq, const std::optional<std::string>& id) {
    return "seq " + std::to_string(seq) + (id ? " (" + *id + ")" : std::string());
}

void order_warnings(const FoldEntry& previous, const FoldEntry& next, bool versioned,
                    std::vector<std::string>& warnings) {
    if (!versioned) return;
    std::string next_name = describe_event(next.seq, next.id);
    std::string previous_name = describe_event(previous.seq, previous.id);
    std::int64_t version = *next.version, before = *previous.version;
    if (version == before)
        warnings.push_back("version " + std::to_string(version) +
                           " appears twice: " + previous_name + " and " + next_name);
    else if (version == before + 2)
        warnings.push_back("version " + std::to_string(before + 1) + " is missing before " +
                           next_name);
    else if (version > before + 2)
        warnings.push_back("versions " + std::to_string(before + 1) + ".." +
                           std::to_string(version - 1) + " are missing before " + next_name);
    if (next.ts < previous.ts)
        warnings.push_back("version order and time order disagree: " + next_name + " (version " +
                           std::to_string(version) + ") is dated " +
                           format_utc(Timestamp{Micros{next.ts}}) + ", before " + previous_name +
                           " (" + format_utc(Timestamp{Micros{previous.ts}}) + ")");
}

} // namespace asof::replay
