// Reading a stream's fold order, storing it as bytes, and judging it (see fold_order.hpp).
#include "replay/fold_order.hpp"

#include "eventlog/time.hpp"

#include <algorithm>

namespace asof::replay {
namespace {

constexpr std::int64_t no_version = INT64_MIN;

// Decides whether the order is versioned, sorts it by version when asked (it arrives in time
// order, which the stable sort keeps among equal versions), and fills min_ts_from.
void finish_order(FoldOrder& order, bool sort) {
    order.versioned = !order.entries.empty() &&
                      std::all_of(order.entries.begin(), order.entries.end(),
                                  [](const FoldEntry& e) { return e.version.has_value(); });
    if (sort && order.versioned)
        std::stable_sort(
            order.entries.begin(), order.entries.end(),
            [](const FoldEntry& a, const FoldEntry& b) { return *a.version < *b.version; });
    order.min_ts_from.resize(order.entries.size());
    std::int64_t earliest = INT64_MAX;
    for (std::size_t i = order.entries.size(); i-- > 0;)
        order.min_ts_from[i] = earliest = std::min(earliest, order.entries[i].ts);
}

void put(std::string& out, std::int64_t value) {
    auto bits = static_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((bits >> (8 * i)) & 0xFF);
}

std::int64_t take(std::string_view bytes, std::size_t at) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < 8; ++i)
        bits |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    return static_cast<std::int64_t>(bits);
}

} // namespace

Result<FoldOrder> read_fold_order(sql::Db& db, std::int64_t stream_id) {
    auto stmt = db.prepare("SELECT l.seq, l.ts, CASE WHEN e.stream_id = l.stream_id THEN "
                           "e.version END FROM event_streams l "
                           "JOIN events e ON e.seq = l.seq WHERE l.stream_id = ?1 "
                           "ORDER BY l.ts, l.seq");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, stream_id);
    FoldOrder order;
    order.stream_id = stream_id;
    auto done = stmt->each([&](const sql::Stmt& row) {
        order.entries.push_back({row.column_int(0), row.column_int(1), row.column_opt_int(2)});
    });
    if (!done) return tl::unexpected(done.error());
    finish_order(order, true);
    return order;
}

std::string encode_fold_order(const FoldOrder& order) {
    std::string out;
    out.reserve(order.entries.size() * 24);
    for (const auto& entry : order.entries) {
        put(out, entry.seq);
        put(out, entry.ts);
        put(out, entry.version.value_or(no_version));
    }
    return out;
}

std::optional<FoldOrder> decode_fold_order(std::int64_t stream_id, std::string_view bytes) {
    if (bytes.size() % 24 != 0) return std::nullopt;
    FoldOrder order;
    order.stream_id = stream_id;
    order.entries.reserve(bytes.size() / 24);
    for (std::size_t at = 0; at < bytes.size(); at += 24) {
        std::int64_t version = take(bytes, at + 16);
        order.entries.push_back(
            {take(bytes, at), take(bytes, at + 8),
             version == no_version ? std::nullopt : std::optional<std::int64_t>(version)});
    }
    finish_order(order, false); // stored in fold order already
    return order;
}

std::string describe_event(std::int64_t seq, const std::optional<std::string>& id) {
    return "seq " + std::to_string(seq) + (id ? " (" + *id + ")" : std::string());
}

bool order_doubtful(const FoldEntry& previous, const FoldEntry& next, bool versioned) {
    return versioned && (*next.version != *previous.version + 1 || next.ts < previous.ts);
}

void order_warnings(const FoldEntry& previous, const FoldEntry& next, bool versioned,
                    const std::string& previous_name, const std::string& next_name,
                    std::vector<std::string>& warnings) {
    if (!versioned) return;
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
