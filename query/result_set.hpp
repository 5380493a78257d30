// A query's matching events held compactly for browsing: one small row per event (seq, time,
// stream, type, version, actor, with names interned), in query order; and the density of
// their times over an interval. What the console's table and timeline draw from, millions of
// rows at a time; payloads are read per event when shown.
#pragma once

#include "query/executor.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace asof::query {

struct ResultRow {
    std::int64_t seq = 0;
    std::int64_t ts = 0;                // microseconds since the epoch, UTC
    std::int64_t version = -1;          // -1: none
    std::int32_t stream = -1;           // index into ResultSet::streams
    std::int32_t type = -1, actor = -1; // indexes into types / actors; -1: none
};

class ResultSet {
public:
    std::vector<ResultRow> rows; // in query order
    bool cancelled = false;      // stopped before the end (rows holds what was read)

    const std::string& stream_name(const ResultRow& row) const;
    const std::string* type_name(const ResultRow& row) const;
    const std::string* actor_name(const ResultRow& row) const;
    const std::vector<std::string>& types() const { return types_.names; }
    const std::vector<std::string>& streams() const { return stream_names_; }
    // How many rows have no type.
    std::int64_t untyped_rows() const { return untyped_; }

    // Index of the first row with ts >= `ts` (rows must be in time order: oldest first).
    std::size_t lower_bound(std::int64_t ts) const;
    // Index of the row with this seq, if any (a linear search on first use, then a map).
    std::optional<std::size_t> find_seq(std::int64_t seq) const;

    // How many rows fall in each of `bins` equal parts of [from, to) (time order required).
    std::vector<std::int64_t> density(std::int64_t from, std::int64_t to, std::size_t bins) const;

    // Adds a row from the key columns of plan_event_keys.
    void add(const sql::Stmt& row);
    // Puts the rows in time order (ties by seq), newest first when asked.
    void sort_by_time(bool newest_first);
    // Moves the rows of `other` (collected apart, stream names not read yet) to the end of
    // these, renumbering its streams, types and actors into this set's.
    void append(ResultSet&& other);
    // Records the names of stream ids (read once per stream).
    void set_stream_name(std::int64_t stream_id, std::string name);
    // The stream ids seen whose names are not known yet.
    std::vector<std::int64_t> unnamed_streams() const;

private:
    // Lookup by string_view without building a string per row.
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view name) const {
            return std::hash<std::string_view>{}(name);
        }
    };
    struct Interned {
        std::vector<std::string> names;
        std::unordered_map<std::string, std::int32_t, NameHash, std::equal_to<>> index;
        std::int32_t add(std::string_view name);
    };
    // The index of a stream id in stream_ids_, or -1 when not seen yet. Stream ids are the
    // streams table's rowids, dense from 1, so a vector indexed by id serves them; ids beyond
    // dense_stream_ids (a case with huge or negative ids) go to the map.
    std::int32_t& stream_slot(std::int64_t stream_id);
    static constexpr std::int64_t dense_stream_ids = std::int64_t{1} << 24;
    Interned types_, actors_;
    std::int64_t untyped_ = 0;
    std::vector<std::int32_t> dense_index_;
    std::unordered_map<std::int64_t, std::int32_t> sparse_index_;
    std::vector<std::int64_t> stream_ids_;
    std::vector<std::string> stream_names_;
    mutable std::unordered_map<std::int64_t, std::size_t> by_seq_;
};

// Runs a prepared query and keeps its matches as a ResultSet (at most `limit`), in query order.
// A listing of the whole case without a limit is read in seq ranges on several connections at
// once, then merged and sorted: in `parts` ranges if given, else one per core (up to 4) when
// the case holds 200,000 events or more. Checks `cancel` every few thousand rows; a cancelled
// run returns what it read, marked cancelled (without a limit, any subset of the matches).
Result<ResultSet> collect_results(sql::Db& db, Executor& executor, const PreparedQuery& prepared,
                                  std::optional<std::int64_t> limit,
                                  const std::atomic<bool>* cancel = nullptr, std::size_t parts = 0);

} // namespace asof::query
