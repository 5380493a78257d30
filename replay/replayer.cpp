// The replay engine (see replayer.hpp): choosing where a fold starts (a stored snapshot or the
// last answer), the fold itself, changes and diffs, and building snapshots.
#include "replay/replayer.hpp"

#include "replay/merge_patch.hpp"

#include <algorithm>
#include <unistd.h>

namespace asof::replay {
namespace {

using nlohmann::json;

// Bytes of stored snapshot text allowed per event of the stream: a state that grows with the
// stream (notes appended, say) gets snapshots further apart than `every`, so that storage stays
// proportional to the stream instead of its square.
constexpr std::size_t snapshot_bytes_per_event = 1024;

// A rough count of the bytes `value` occupies in memory (nodes, strings, map entries).
std::size_t memory_estimate(const json& value) {
    std::size_t bytes = sizeof(json);
    if (value.is_object()) {
        for (const auto& [key, member] : value.items())
            bytes += 48 + key.size() + memory_estimate(member);
    } else if (value.is_array()) {
        for (const auto& element : value)
            bytes += memory_estimate(element);
    } else if (value.is_string()) {
        bytes += 32 + value.get_ref<const std::string&>().size();
    }
    return bytes;
}

std::string mebibytes(std::size_t bytes) {
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB";
}

// The order key of an attribute value: initial values before every time.
std::int64_t attribute_key(const AttributeEntry& entry) {
    return entry.ts.value_or(INT64_MIN);
}

// Reads the stream's attribute values in fold order (initial first, then by time and id).
Result<std::vector<AttributeEntry>> read_attributes(sql::Db& db, std::int64_t stream_id) {
    std::vector<AttributeEntry> out;
    auto exists = db.scalar_int(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'stream_attributes'");
    if (!exists) return tl::unexpected(exists.error());
    if (*exists == 0) return out; // a case of schema 1
    auto stmt = db.prepare("SELECT id, ts, name, value FROM stream_attributes WHERE stream_id = ?1 "
                           "ORDER BY ts IS NOT NULL, ts, id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, stream_id);
    auto done = stmt->each([&](const sql::Stmt& row) {
        AttributeEntry entry;
        entry.id = row.column_int(0);
        entry.ts = row.column_opt_int(1);
        entry.name = std::string(row.column_text(2));
        entry.value = json::parse(row.column_text(3), nullptr, false);
        if (entry.value.is_discarded()) entry.value = json(std::string(row.column_text(3)));
        out.push_back(std::move(entry));
    });
    if (!done) return tl::unexpected(done.error());
    return out;
}

// Fills `event` for `entry` from the prepared statement (event_id, type, actor, data, meta by
// seq); `payload_bytes` gets the size of its data text.
Result<void> read_event(sql::Stmt& stmt, const FoldEntry& entry, ProjectedEvent& event,
                        std::size_t& payload_bytes) {
    stmt.reset();
    stmt.bind(1, entry.seq);
    auto found = stmt.step();
    if (!found) return tl::unexpected(found.error());
    if (!*found) return fail("event seq " + std::to_string(entry.seq) + " is missing");
    event.seq = entry.seq;
    event.ts = Timestamp{Micros{entry.ts}};
    event.id = stmt.column_opt_text(0);
    event.type = stmt.column_opt_text(1);
    event.actor = stmt.column_opt_text(2);
    event.label = describe_event(entry.seq, event.id);
    std::string_view data = stmt.column_is_null(3) ? std::string_view() : stmt.column_text(3);
    payload_bytes = data.size();
    event.data = data.empty() ? json() : json::parse(data, nullptr, false);
    // A stored payload that does not parse is passed on as a string, so that it is named.
    if (event.data.is_discarded()) event.data = json(std::string(data));
    std::string_view meta = stmt.column_is_null(4) ? std::string_view() : stmt.column_text(4);
    event.meta = meta.empty() ? json() : json::parse(meta, nullptr, false);
    if (event.meta.is_discarded()) event.meta = json();
    return {};
}

} // namespace

std::string describe_ref(const EventRef& ref) {
    if (!ref.attribute) return describe_event(ref.seq, ref.id);
    if (ref.initial) return "attribute " + *ref.attribute + " (initial value)";
    return "attribute " + *ref.attribute + " set at " + format_utc(ref.ts);
}

std::size_t ReplayLimits::default_max_state_bytes() {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return std::size_t{1} << 30;
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 4;
}

Result<Replayer> Replayer::open(sql::Db& db, std::int64_t stream_id, std::string stream_name,
                                std::shared_ptr<const Projection> projection, ReplayLimits limits) {
    Replayer replayer(db, std::move(stream_name), std::move(projection), limits);
    sql::ReadScope scope(db);
    auto basis = stream_basis(db, stream_id, replayer.projection_->hash());
    if (!basis) return tl::unexpected(basis.error());
    replayer.basis_ = *basis;
    auto set = current_snapshot_set(db, replayer.basis_);
    if (!set) return tl::unexpected(set.error());
    std::optional<FoldOrder> stored;
    if (*set) stored = decode_fold_order(stream_id, (*set)->fold_order);
    if (stored && stored->entries.size() == static_cast<std::size_t>(basis->events)) {
        replayer.order_ = std::move(*stored); // spares joining every event for its version
        replayer.snapshots_ = std::move((*set)->marks);
    } else {
        auto order = read_fold_order(db, stream_id);
        if (!order) return tl::unexpected(order.error());
        replayer.order_ = std::move(*order);
    }
    auto attributes = read_attributes(db, stream_id);
    if (!attributes) return tl::unexpected(attributes.error());
    replayer.attributes_ = std::move(*attributes);
    return replayer;
}

Result<std::string> Replayer::label_of(std::int64_t seq) {
    if (!read_label_) {
        auto stmt = db_->prepare("SELECT event_id FROM events WHERE seq = ?1");
        if (!stmt) return tl::unexpected(stmt.error());
        read_label_.emplace(std::move(*stmt));
    }
    read_label_->reset();
    read_label_->bind(1, seq);
    auto found = read_label_->step();
    if (!found) return tl::unexpected(found.error());
    return describe_event(seq, *found ? read_label_->column_opt_text(0) : std::nullopt);
}

Result<ReplayState> Replayer::fold(Timestamp at, Timestamp start_limit,
                                   std::optional<Timestamp> record_from,
                                   const AfterEvent& after_event) {
    const std::int64_t at_us = at.time_since_epoch().count();
    const std::int64_t limit_us = start_limit.time_since_epoch().count();
    sql::ReadScope scope(*db_);
    // Kept statements hold the read lock until reset: release them before the scope ends, so
    // that a writer (building snapshots, an import) is not locked out between folds.
    struct ResetAtEnd {
        Replayer& replayer;
        ~ResetAtEnd() {
            if (replayer.read_event_) replayer.read_event_->reset();
            if (replayer.read_label_) replayer.read_label_->reset();
        }
    } reset_at_end{*this};
    ReplayState out;
    out.stream = stream_name_;
    out.at = at;

    // Where to start: the furthest stored snapshot, or the last answer, all of whose events lie
    // at or before start_limit (a snapshot's max_ts only grows with its position).
    std::size_t position = 0;
    std::string previous_label;
    auto after = std::upper_bound(
        snapshots_.begin(), snapshots_.end(), limit_us,
        [](std::int64_t limit, const SnapshotMark& mark) { return limit < mark.max_ts; });
    const SnapshotMark* stored =
        after != snapshots_.begin() && limits_.shortcuts ? &*std::prev(after) : nullptr;
    bool from_memory = limits_.shortcuts && memory_ && memory_->max_ts <= limit_us &&
                       (!stored || memory_->position >= static_cast<std::size_t>(stored->position));
    if (from_memory) {
        out.state = memory_->state.state;
        out.blame = memory_->state.blame;
        out.warnings = memory_->state.warnings;
        out.applied = memory_->state.applied;
        out.version = memory_->state.version;
        position = memory_->position;
        previous_label = memory_->last_label;
        out.from_snapshot = static_cast<std::int64_t>(position);
    } else if (stored) {
        auto snapshot = read_snapshot(*db_, basis_, stored->position);
        if (!snapshot) return tl::unexpected(snapshot.error());
        out.state = json::parse(snapshot->state, nullptr, false);
        json blame = json::parse(snapshot->blame, nullptr, false);
        json warnings = json::parse(snapshot->warnings, nullptr, false);
        if (out.state.is_discarded() || !blame.is_object() || !warnings.is_array())
            return fail("a stored snapshot of " + stream_name_ +
                            " is damaged; rebuild it with asof snapshot",
                        db_->path());
        for (const auto& [pointer, seq] : blame.items())
            out.blame.emplace_hint(out.blame.end(), pointer, seq.get<std::int64_t>());
        for (const auto& warning : warnings)
            out.warnings.push_back(warning.get<std::string>());
        out.applied = snapshot->applied;
        out.version = snapshot->version;
        position = static_cast<std::size_t>(stored->position);
        out.from_snapshot = stored->position;
    }
    // The attribute values the start has folded: the initial ones and those dated before its
    // latest event (see attributes_).
    attribute_ = 0;
    if (position > 0) {
        std::int64_t start_max = from_memory ? memory_->max_ts : stored->max_ts;
        attribute_ = static_cast<std::size_t>(
            std::lower_bound(
                attributes_.begin(), attributes_.end(), start_max,
                [](const AttributeEntry& a, std::int64_t t) { return attribute_key(a) < t; }) -
            attributes_.begin());
    }

    if (!read_event_) {
        // Column 5: whether the event comes from an OCEL log (its data is not folded by the
        // default projection: an OCEL object's state is its attributes).
        auto stmt = db_->prepare(
            "SELECT e.event_id, e.type, e.actor, p.data, p.meta, i.format LIKE 'ocel-%' "
            "FROM events e LEFT JOIN event_payloads p ON p.seq = e.seq "
            "LEFT JOIN imports i ON i.id = e.import_id WHERE e.seq = ?1");
        if (!stmt) return tl::unexpected(stmt.error());
        read_event_.emplace(std::move(*stmt));
    }
    const FoldEntry* previous = position > 0 ? &order_.entries[position - 1] : nullptr;
    std::size_t measured = position > 0 ? memory_estimate(out.state) : 0, unmeasured = 0;
    // Whether every event before `i` has been folded (the answer is a clean prefix).
    bool clean = true;
    std::int64_t prefix_max = from_memory ? memory_->max_ts : stored ? stored->max_ts : INT64_MIN;
    ChangeRecorder recorder;
    BeforeChange capture = [&](const std::string& pointer) {
        recorder.capture(out.state, pointer);
    };
    ProjectedEvent event;
    std::size_t i = position;
    for (; i < order_.entries.size(); ++i) {
        if (order_.min_ts_from[i] > at_us) break;
        const FoldEntry& entry = order_.entries[i];
        if (entry.ts > at_us) {
            clean = false;
            continue;
        }
        std::size_t payload_bytes = 0;
        if (auto ok = read_event(*read_event_, entry, event, payload_bytes); !ok)
            return tl::unexpected(ok.error());
        if (previous && order_doubtful(*previous, entry, order_.versioned)) {
            if (previous_label.empty()) {
                auto label = label_of(previous->seq);
                if (!label) return tl::unexpected(label.error());
                previous_label = *label;
            }
            order_warnings(*previous, entry, order_.versioned, previous_label, event.label,
                           out.warnings);
        }
        fold_attributes(out, entry.ts, false, record_from);
        previous = &entry;
        previous_label = event.label;
        if (clean) prefix_max = std::max(prefix_max, entry.ts);
        ++out.applied;
        if (order_.versioned) out.version = entry.version;

        bool recording = record_from && Timestamp{Micros{entry.ts}} >= *record_from;
        bool ocel_default = projection_->is_default() && read_event_->column_int(5) != 0;
        if (!ocel_default)
            projection_->apply(event, out.state, out.blame, recording ? capture : BeforeChange(),
                               out.warnings);
        if (recording) {
            out.timeline.push_back({entry.seq, recorder.finish(out.state)});
            out.events[entry.seq] = {entry.seq,     event.id, event.type,   event.actor,
                                     entry.version, event.ts, std::nullopt, false};
        }
        // Refuse a state that would not fit: measure it whenever its growth since the last
        // measurement could have carried it over the limit.
        unmeasured += payload_bytes + 64;
        if (measured + unmeasured * 8 > limits_.max_state_bytes) {
            measured = memory_estimate(out.state);
            unmeasured = 0;
            if (measured > limits_.max_state_bytes)
                return fail("the state of " + stream_name_ + " grows beyond the limit of " +
                                mebibytes(limits_.max_state_bytes) + " at " + event.label +
                                " (about " + mebibytes(measured) +
                                " in memory); raise the limit with --max-state-mib",
                            stream_name_);
        }
        if (after_event) after_event(i + 1, out);
    }
    // Keep a clean answer as a start for the next fold (not while recording or building).
    if (clean && !record_from && !after_event && i > position) {
        MemorySnapshot memory;
        memory.position = i;
        memory.max_ts = prefix_max;
        memory.state.state = out.state;
        memory.state.blame = out.blame;
        memory.state.warnings = out.warnings;
        memory.state.applied = out.applied;
        memory.state.version = out.version;
        memory.last_label = previous_label;
        memory_ = std::move(memory);
    }
    fold_attributes(out, at_us, true, record_from);
    return out;
}

void Replayer::fold_attributes(ReplayState& out, std::int64_t before_us, bool inclusive,
                               std::optional<Timestamp> record_from) {
    for (; attribute_ < attributes_.size(); ++attribute_) {
        const AttributeEntry& entry = attributes_[attribute_];
        std::int64_t key = attribute_key(entry);
        if (inclusive ? key > before_us : key >= before_us) break;
        if (!out.state.is_object()) {
            out.warnings.push_back("attribute " + entry.name +
                                   " was not folded: the state is not a JSON object");
            continue;
        }
        const std::int64_t blamed = -entry.id;
        const std::string pointer = child_pointer("", entry.name);
        bool recording = record_from && key >= record_from->time_since_epoch().count();
        ChangeRecorder recorder;
        if (recording) recorder.capture(out.state, pointer);
        forget_under(out.blame, pointer);
        out.blame.erase("");
        if (entry.value.is_null()) {
            out.state.erase(entry.name);
        } else {
            json& slot = out.state[entry.name];
            slot = entry.value;
            blame_leaves(slot, pointer, out.blame, blamed);
        }
        if (recording) {
            out.timeline.push_back({blamed, recorder.finish(out.state)});
            EventRef ref;
            ref.seq = blamed;
            ref.attribute = entry.name;
            ref.initial = !entry.ts;
            ref.ts = Timestamp{Micros{entry.ts.value_or(0)}};
            out.events[blamed] = std::move(ref);
        }
    }
}

Result<ReplayState> Replayer::state_at(Timestamp at) {
    return fold(at, at, std::nullopt, {});
}

Result<ReplayState> Replayer::changes(Timestamp from, Timestamp to_inclusive) {
    Timestamp before_from = from == Timestamp::min() ? from : from - Micros{1};
    return fold(to_inclusive, std::min(before_from, to_inclusive), from, {});
}

Result<StateDiff> Replayer::diff(Timestamp a, Timestamp b) {
    if (b < a)
        return fail("the first instant (" + format_utc(a) + ") is after the second (" +
                    format_utc(b) + ")");
    StateDiff out;
    auto from = state_at(a);
    if (!from) return tl::unexpected(from.error());
    auto to = fold(b, a, a + Micros{1}, {});
    if (!to) return tl::unexpected(to.error());
    out.from = std::move(*from);
    out.to = std::move(*to);
    std::vector<Change> changes;
    diff_values(&out.from.state, &out.to.state, "", changes);
    for (auto& change : changes) {
        DiffEntry entry;
        for (const auto& event : out.to.timeline) {
            bool touched =
                std::any_of(event.changes.begin(), event.changes.end(), [&](const Change& c) {
                    return pointer_within(c.pointer, change.pointer) ||
                           pointer_within(change.pointer, c.pointer);
                });
            if (touched) entry.causes.push_back(event.seq);
        }
        entry.change = std::move(change);
        out.entries.push_back(std::move(entry));
    }
    return out;
}

Result<void> Replayer::name_events(ReplayState& state) {
    sql::ReadScope scope(*db_);
    auto stmt =
        db_->prepare("SELECT event_id, type, actor, ts, "
                     "CASE WHEN stream_id = ?2 THEN version END FROM events WHERE seq = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    auto name = [&](std::int64_t seq) -> Result<void> {
        if (state.events.count(seq)) return {};
        if (seq < 0) {
            auto found = std::find_if(attributes_.begin(), attributes_.end(),
                                      [&](const AttributeEntry& a) { return a.id == -seq; });
            if (found == attributes_.end())
                return fail("stream attribute " + std::to_string(-seq) + " is missing");
            EventRef ref;
            ref.seq = seq;
            ref.attribute = found->name;
            ref.initial = !found->ts;
            ref.ts = Timestamp{Micros{found->ts.value_or(0)}};
            state.events[seq] = std::move(ref);
            return {};
        }
        stmt->reset();
        stmt->bind(1, seq).bind(2, basis_.stream_id);
        auto found = stmt->step();
        if (!found) return tl::unexpected(found.error());
        if (!*found) return fail("event seq " + std::to_string(seq) + " is missing");
        state.events[seq] = {seq,
                             stmt->column_opt_text(0),
                             stmt->column_opt_text(1),
                             stmt->column_opt_text(2),
                             stmt->column_opt_int(4),
                             Timestamp{Micros{stmt->column_int(3)}},
                             std::nullopt,
                             false};
        return {};
    };
    for (const auto& [pointer, seq] : state.blame)
        if (auto ok = name(seq); !ok) return ok;
    for (const auto& event : state.timeline)
        if (auto ok = name(event.seq); !ok) return ok;
    return {};
}

Result<std::int64_t> Replayer::build_snapshots(sql::Db& writable, std::int64_t every) {
    if (every < 1) return fail("snapshots need at least 1 event between them", "--every");
    std::vector<StoredSnapshot> snapshots;
    std::int64_t max_ts = INT64_MIN;
    std::size_t last = 0, last_bytes = 0;
    auto take = [&](std::size_t position, const ReplayState& state) {
        max_ts = std::max(max_ts, order_.entries[position - 1].ts);
        // Every `every` events, further apart when the state is large (see
        // snapshot_bytes_per_event).
        std::size_t spacing =
            std::max(static_cast<std::size_t>(every), last_bytes / snapshot_bytes_per_event);
        if (position - last < spacing) return;
        StoredSnapshot snapshot;
        snapshot.position = static_cast<std::int64_t>(position);
        snapshot.max_ts = max_ts;
        snapshot.applied = state.applied;
        snapshot.version = state.version;
        snapshot.state = compact_json(state.state);
        json blame = json::object();
        for (const auto& [pointer, seq] : state.blame)
            blame[pointer] = seq;
        snapshot.blame = compact_json(blame);
        snapshot.warnings = compact_json(json(state.warnings));
        last = position;
        last_bytes = snapshot.state.size() + snapshot.blame.size();
        snapshots.push_back(std::move(snapshot));
    };
    std::vector<SnapshotMark> none;
    std::swap(none, snapshots_); // fold from the start
    memory_.reset();
    auto folded = fold(Timestamp::max(), Timestamp::min(), std::nullopt, take);
    std::swap(none, snapshots_);
    if (!folded) return tl::unexpected(folded.error());
    if (auto ok = store_snapshots(writable, basis_, every, snapshots, encode_fold_order(order_));
        !ok)
        return tl::unexpected(ok.error());
    snapshots_.clear();
    for (const auto& snapshot : snapshots)
        snapshots_.push_back({snapshot.position, snapshot.max_ts});
    return static_cast<std::int64_t>(snapshots.size());
}

} // namespace asof::replay
