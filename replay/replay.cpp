// The fold of one stream to an instant (see replay.hpp).
#include "replay/replay.hpp"

#include "replay/merge_patch.hpp"

#include <algorithm>

namespace asof::replay {
namespace {

struct Row {
    EventRef ref;
    std::optional<std::int64_t> version;
    std::optional<std::string> data;
};

std::string describe(const EventRef& ref) {
    return "seq " + std::to_string(ref.seq) + (ref.id ? " (" + *ref.id + ")" : std::string());
}

} // namespace

Result<ReplayState> replay_stream(sql::Db& db, std::int64_t stream_id,
                                  const std::string& stream_name, Timestamp at) {
    auto stmt = db.prepare("SELECT e.seq, e.event_id, e.type, e.actor, e.ts, e.version, p.data "
                           "FROM event_streams l JOIN events e ON e.seq = l.seq "
                           "LEFT JOIN event_payloads p ON p.seq = l.seq "
                           "WHERE l.stream_id = ?1 AND l.ts <= ?2 ORDER BY l.ts, l.seq");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, stream_id).bind(2, std::int64_t{at.time_since_epoch().count()});
    std::vector<Row> rows;
    auto done = stmt->each([&](const sql::Stmt& row) {
        Row r;
        r.ref.seq = row.column_int(0);
        r.ref.id = row.column_opt_text(1);
        r.ref.type = row.column_opt_text(2);
        r.ref.actor = row.column_opt_text(3);
        r.ref.ts = Timestamp{Micros{row.column_int(4)}};
        r.version = row.column_opt_int(5);
        r.data = row.column_opt_text(6);
        rows.push_back(std::move(r));
    });
    if (!done) return tl::unexpected(done.error());

    ReplayState result;
    result.stream = stream_name;
    result.at = at;
    // Version order where every event has a version; rows are in time order already.
    bool versioned = !rows.empty() && std::all_of(rows.begin(), rows.end(), [](const Row& r) {
        return r.version.has_value();
    });
    if (versioned)
        std::stable_sort(rows.begin(), rows.end(),
                         [](const Row& a, const Row& b) { return *a.version < *b.version; });

    const Row* previous = nullptr;
    for (const Row& row : rows) {
        if (versioned && previous) {
            if (*row.version == *previous->version)
                result.warnings.push_back("version " + std::to_string(*row.version) +
                                          " appears twice: " + describe(previous->ref) + " and " +
                                          describe(row.ref));
            else if (*row.version > *previous->version + 1)
                result.warnings.push_back(
                    (*row.version == *previous->version + 2
                         ? "version " + std::to_string(*previous->version + 1) + " is"
                         : "versions " + std::to_string(*previous->version + 1) + ".." +
                               std::to_string(*row.version - 1) + " are") +
                    " missing before " + describe(row.ref));
            if (row.ref.ts < previous->ref.ts)
                result.warnings.push_back(
                    "version order and time order disagree: " + describe(row.ref) + " (version " +
                    std::to_string(*row.version) + ") is dated " + format_utc(row.ref.ts) +
                    ", before " + describe(previous->ref) + " (" + format_utc(previous->ref.ts) +
                    ")");
        }
        previous = &row;
        ++result.applied;
        if (versioned) result.version = row.version;
        if (!row.data) continue;
        auto patch = nlohmann::json::parse(*row.data, nullptr, false);
        if (patch.is_discarded() || !merge_patch(result.state, patch, result.blame, row.ref))
            result.warnings.push_back("the payload of " + describe(row.ref) +
                                      " is not a JSON object; it was not merged");
    }
    return result;
}

} // namespace asof::replay
