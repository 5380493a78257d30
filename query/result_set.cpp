// Compact query results and their time density (see result_set.hpp).
#include "query/result_set.hpp"

#include "eventlog/case_reader.hpp"

#include <algorithm>
#include <thread>

namespace asof::query {

std::int32_t ResultSet::Interned::add(std::string_view name) {
    auto found = index.find(name);
    if (found != index.end()) return found->second;
    auto id = static_cast<std::int32_t>(names.size());
    names.emplace_back(name);
    index.emplace(names.back(), id);
    return id;
}

const std::string& ResultSet::stream_name(const ResultRow& row) const {
    static const std::string unknown = "?";
    return row.stream >= 0 && static_cast<std::size_t>(row.stream) < stream_names_.size()
               ? stream_names_[static_cast<std::size_t>(row.stream)]
               : unknown;
}

const std::string* ResultSet::type_name(const ResultRow& row) const {
    return row.type < 0 ? nullptr : &types_.names[static_cast<std::size_t>(row.type)];
}

const std::string* ResultSet::actor_name(const ResultRow& row) const {
    return row.actor < 0 ? nullptr : &actors_.names[static_cast<std::size_t>(row.actor)];
}

std::size_t ResultSet::lower_bound(std::int64_t ts) const {
    return static_cast<std::size_t>(
        std::lower_bound(rows.begin(), rows.end(), ts,
                         [](const ResultRow& row, std::int64_t t) { return row.ts < t; }) -
        rows.begin());
}

std::optional<std::size_t> ResultSet::find_seq(std::int64_t seq) const {
    if (by_seq_.size() != rows.size()) {
        by_seq_.clear();
        by_seq_.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            by_seq_.emplace(rows[i].seq, i);
    }
    auto found = by_seq_.find(seq);
    if (found == by_seq_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::int64_t> ResultSet::density(std::int64_t from, std::int64_t to,
                                             std::size_t bins) const {
    std::vector<std::int64_t> counts(bins, 0);
    if (bins == 0 || to <= from) return counts;
    // One binary search per bin edge: cost grows with the bins, not with the rows.
    std::size_t previous = lower_bound(from);
    const double width = static_cast<double>(to - from) / static_cast<double>(bins);
    for (std::size_t i = 0; i < bins; ++i) {
        auto edge = i + 1 == bins
                        ? to
                        : from + static_cast<std::int64_t>(width * static_cast<double>(i + 1));
        std::size_t next = lower_bound(edge);
        counts[i] = static_cast<std::int64_t>(next - previous);
        previous = next;
    }
    return counts;
}

void ResultSet::add(const sql::Stmt& row) {
    ResultRow out;
    out.seq = row.column_int(0);
    out.ts = row.column_int(1);
    std::int64_t stream_id = row.column_int(2);
    std::int32_t& slot = stream_slot(stream_id);
    if (slot < 0) {
        slot = static_cast<std::int32_t>(stream_ids_.size());
        stream_ids_.push_back(stream_id);
        stream_names_.emplace_back();
    }
    out.stream = slot;
    if (!row.column_is_null(3))
        out.type = types_.add(row.column_text(3));
    else
        ++untyped_;
    if (!row.column_is_null(4)) out.version = row.column_int(4);
    if (!row.column_is_null(5)) out.actor = actors_.add(row.column_text(5));
    rows.push_back(out);
}

std::int32_t& ResultSet::stream_slot(std::int64_t stream_id) {
    if (stream_id < 0 || stream_id >= dense_stream_ids)
        return sparse_index_.try_emplace(stream_id, -1).first->second;
    auto index = static_cast<std::size_t>(stream_id);
    if (index >= dense_index_.size())
        dense_index_.resize(std::max(index + 1, dense_index_.size() * 2), -1);
    return dense_index_[index];
}

void ResultSet::sort_by_time(bool newest_first) {
    auto older = [](const ResultRow& a, const ResultRow& b) {
        return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
    };
    if (!std::is_sorted(rows.begin(), rows.end(), older))
        std::sort(rows.begin(), rows.end(), older);
    if (newest_first) std::reverse(rows.begin(), rows.end());
    by_seq_.clear();
}

void ResultSet::append(ResultSet&& other) {
    std::vector<std::int32_t> streams(other.stream_ids_.size());
    for (std::size_t i = 0; i < other.stream_ids_.size(); ++i) {
        std::int32_t& slot = stream_slot(other.stream_ids_[i]);
        if (slot < 0) {
            slot = static_cast<std::int32_t>(stream_ids_.size());
            stream_ids_.push_back(other.stream_ids_[i]);
            stream_names_.push_back(std::move(other.stream_names_[i]));
        }
        streams[i] = slot;
    }
    auto renumber = [](Interned& into, const Interned& from) {
        std::vector<std::int32_t> ids(from.names.size());
        for (std::size_t i = 0; i < from.names.size(); ++i)
            ids[i] = into.add(from.names[i]);
        return ids;
    };
    auto types = renumber(types_, other.types_);
    auto actors = renumber(actors_, other.actors_);
    rows.reserve(rows.size() + other.rows.size());
    for (ResultRow row : other.rows) {
        row.stream = streams[static_cast<std::size_t>(row.stream)];
        if (row.type >= 0) row.type = types[static_cast<std::size_t>(row.type)];
        if (row.actor >= 0) row.actor = actors[static_cast<std::size_t>(row.actor)];
        rows.push_back(row);
    }
    untyped_ += other.untyped_;
    cancelled = cancelled || other.cancelled;
    by_seq_.clear();
}

void ResultSet::set_stream_name(std::int64_t stream_id, std::string name) {
    std::int32_t slot = stream_slot(stream_id);
    if (slot >= 0) stream_names_[static_cast<std::size_t>(slot)] = std::move(name);
}

std::vector<std::int64_t> ResultSet::unnamed_streams() const {
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < stream_ids_.size(); ++i)
        if (stream_names_[i].empty()) out.push_back(stream_ids_[i]);
    return out;
}

namespace {

// Below this many events a listing is read on one connection: threads would not pay.
constexpr std::int64_t parallel_listing_min = 200'000;

// Adds the keys of `prepared` (with seqs in `seq_range`, if given) to `results`; stops early,
// marking them cancelled, when `cancel` is set.
Result<void> read_keys(Executor& executor, const PreparedQuery& prepared,
                       std::optional<std::int64_t> limit, const std::atomic<bool>* cancel,
                       ResultSet& results,
                       std::optional<std::pair<std::int64_t, std::int64_t>> seq_range) {
    auto visited = executor.each_key(
        prepared, limit,
        [&](const sql::Stmt& row) {
            results.add(row);
            if ((results.rows.size() & 4095) == 0 && cancel && cancel->load()) {
                results.cancelled = true;
                return false;
            }
            return true;
        },
        seq_range);
    if (!visited) return tl::unexpected(visited.error());
    return {};
}

// How many parts to read the listing in: one unless it is unlimited and untargeted (a table
// scan that splits by seq); then `asked`, else one per core (up to 4) for a large case.
std::size_t listing_parts(sql::Db& db, const PreparedQuery& prepared,
                          std::optional<std::int64_t> limit, std::size_t asked, std::int64_t& first,
                          std::int64_t& last) {
    if (limit || !prepared.query.targets.empty()) return 1;
    auto range = db.prepare("SELECT min(seq), max(seq) FROM events");
    if (!range) return 1;
    auto row = range->step();
    if (!row || !*row || range->column_is_null(0)) return 1;
    first = range->column_int(0);
    last = range->column_int(1);
    if (asked > 0) return asked;
    if (last - first < parallel_listing_min) return 1;
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

} // namespace

Result<ResultSet> collect_results(sql::Db& db, Executor& executor, const PreparedQuery& prepared,
                                  std::optional<std::int64_t> limit,
                                  const std::atomic<bool>* cancel, std::size_t parts) {
    ResultSet results;
    sql::ReadScope scope(db); // one read transaction for the keys and the stream names
    std::int64_t first = 0, last = 0;
    parts = listing_parts(db, prepared, limit, parts, first, last);
    if (parts == 1) {
        if (auto ok = read_keys(executor, prepared, limit, cancel, results, std::nullopt); !ok)
            return tl::unexpected(ok.error());
    } else {
        // Each further part on a thread of its own with its own connection; the first here.
        std::int64_t span = (last - first) / static_cast<std::int64_t>(parts) + 1;
        auto range_of = [&](std::size_t i) {
            std::int64_t from = first + span * static_cast<std::int64_t>(i);
            return std::make_pair(from, std::min(last, from + span - 1));
        };
        std::vector<ResultSet> others(parts - 1);
        std::vector<std::optional<Error>> failures(parts - 1);
        std::vector<std::thread> threads;
        for (std::size_t i = 1; i < parts; ++i)
            threads.emplace_back([&, i] {
                auto connection = open_case(db.path());
                if (!connection) {
                    failures[i - 1] = connection.error();
                    return;
                }
                Executor part(*connection, executor.text_index());
                sql::ReadScope part_scope(*connection);
                auto ok = read_keys(part, prepared, limit, cancel, others[i - 1], range_of(i));
                if (!ok) failures[i - 1] = ok.error();
            });
        auto mine = read_keys(executor, prepared, limit, cancel, results, range_of(0));
        for (auto& thread : threads)
            thread.join();
        if (!mine) return tl::unexpected(mine.error());
        for (const auto& failure : failures)
            if (failure) return tl::unexpected(*failure);
        for (auto& other : others)
            results.append(std::move(other));
    }
    if (!limit) results.sort_by_time(prepared.query.newest_first);
    auto names = db.prepare("SELECT name FROM streams WHERE id = ?1");
    if (!names) return tl::unexpected(names.error());
    for (std::int64_t id : results.unnamed_streams()) {
        names->reset();
        names->bind(1, id);
        auto found = names->step();
        if (!found) return tl::unexpected(found.error());
        if (*found) results.set_stream_name(id, std::string(names->column_text(0)));
    }
    return results;
}

} // namespace asof::query
