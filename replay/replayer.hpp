// Replays one stream to any instant: folds its events through a projection, bounded by the
// stream's stored snapshots, and answers the state as of an instant (with blame), the changes
// each event made over an interval, and the difference between two instants.
#pragma once

#include "eventlog/sqlite.hpp"
#include "eventlog/time.hpp"
#include "replay/change.hpp"
#include "replay/fold_order.hpp"
#include "replay/projection.hpp"
#include "replay/snapshots.hpp"

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace asof::replay {

// An event as answers name it (blame, causes, the timeline of changes). A stream attribute
// value (an OCEL object attribute, an XES trace attribute; not an event) is named the same way
// with a negative seq, -(its stream_attributes id), and `attribute` set to its name; its `ts`
// is the epoch for an initial value (`initial`).
struct EventRef {
    std::int64_t seq = 0;
    std::optional<std::string> id, type, actor;
    std::optional<std::int64_t> version;
    Timestamp ts{};
    std::optional<std::string> attribute;
    bool initial = false;
};

// How answers name what set a value: "seq 12 (evt-012)", "attribute status set at
// 2024-01-02T10:00:00Z" or "attribute status (initial value)".
std::string describe_ref(const EventRef& ref);

// A value of the stream's state that is not an event (stream_attributes), as replay folds it.
struct AttributeEntry {
    std::int64_t id = 0;            // stream_attributes.id; blamed as -id
    std::optional<std::int64_t> ts; // absent: initial
    std::string name;
    nlohmann::json value; // null removes the member
};

// What one event (or attribute value: seq < 0, see EventRef) changed.
struct EventChanges {
    std::int64_t seq = 0;
    std::vector<Change> changes;
};

struct ReplayState {
    std::string stream;
    Timestamp at{};                      // events at or before this instant are folded
    std::optional<std::int64_t> version; // of the last event folded, when the stream is versioned
    std::int64_t applied = 0;            // events folded
    nlohmann::json state = nlohmann::json::object();
    Blame blame; // JSON pointer of each leaf -> seq of the event that set it (< 0: attribute)
    std::vector<std::string> warnings;
    std::vector<EventChanges> timeline;      // only when changes were asked for
    std::map<std::int64_t, EventRef> events; // every seq named by blame and timeline
    std::int64_t from_snapshot = 0; // events taken from a snapshot (stored, or the last answer)
};

// A changed place between two instants and the events in between that changed it.
struct DiffEntry {
    Change change;
    std::vector<std::int64_t> causes; // seqs, in fold order
};

struct StateDiff {
    ReplayState from, to;
    std::vector<DiffEntry> entries;
};

struct ReplayLimits {
    // The largest state (estimated bytes in memory) a replay builds before it refuses.
    std::size_t max_state_bytes = default_max_state_bytes();
    // Start folds from stored snapshots and from the last answer; false folds every answer
    // from the stream's first event (for checking the shortcuts).
    bool shortcuts = true;
    static std::size_t default_max_state_bytes(); // a quarter of physical memory
};

class Replayer {
public:
    // Reads the fold order of stream `stream_id` (named `stream_name`), its attribute values
    // (stream_attributes) and the list of its
    // snapshots for `projection` when they are current (see snapshots.hpp); `db` may be
    // read-only. The replayer keeps `db` by reference: it must outlive the replayer.
    static Result<Replayer> open(sql::Db& db, std::int64_t stream_id, std::string stream_name,
                                 std::shared_ptr<const Projection> projection,
                                 ReplayLimits limits = {});

    // The state as of `at` (events at or before it, inclusive), with blame.
    Result<ReplayState> state_at(Timestamp at);

    // The state as of `to_inclusive` with the changes of each event dated in
    // [from, to_inclusive], in fold order.
    Result<ReplayState> changes(Timestamp from, Timestamp to_inclusive);

    // The difference between the states as of `a` and as of `b` (a <= b), each changed place
    // with the events dated in (a, b] that changed it.
    Result<StateDiff> diff(Timestamp a, Timestamp b);

    // Names every event that `state`'s blame and timeline refer to (fills state.events).
    Result<void> name_events(ReplayState& state);

    // Folds the whole stream and stores a snapshot after every `every` events of its fold
    // order in `writable` (the same case, opened for writing), replacing the stream's older
    // snapshots for this projection; later replays start from them. Returns how many.
    Result<std::int64_t> build_snapshots(sql::Db& writable, std::int64_t every);

    const FoldOrder& order() const { return order_; }
    // The stream's attribute values (initial ones first, then by time); empty for most streams.
    const std::vector<AttributeEntry>& attributes() const { return attributes_; }
    std::size_t snapshot_count() const { return snapshots_.size(); }
    const Projection& projection() const { return *projection_; }

private:
    // Called after each event folded with its position in the fold order (1-based).
    using AfterEvent = std::function<void(std::size_t position, const ReplayState& state)>;

    // The last state_at() answer when it is a clean prefix of the fold order (every event
    // before `position` folded, none after it dated at or before its instant): a start for the
    // next fold, so that a cursor moving forward folds only the events it crosses.
    struct MemorySnapshot {
        std::size_t position = 0;
        std::int64_t max_ts = 0;
        ReplayState state;
        std::string last_label;
    };

    Replayer(sql::Db& db, std::string stream_name, std::shared_ptr<const Projection> projection,
             ReplayLimits limits)
        : db_(&db), stream_name_(std::move(stream_name)), projection_(std::move(projection)),
          limits_(limits) {}

    // Folds the events dated at or before `at`, starting from the latest snapshot (stored or
    // in memory) all of whose events are dated at or before `start_limit` (<= at); records
    // changes of events dated at or after `record_from` when given.
    Result<ReplayState> fold(Timestamp at, Timestamp start_limit,
                             std::optional<Timestamp> record_from, const AfterEvent& after_event);
    Result<std::string> label_of(std::int64_t seq);
    // Folds the attribute values from `attribute_` on while their time is before `before_us`
    // (or at or before it when `inclusive`); records the changes of those dated at or after
    // `record_from` in the timeline.
    void fold_attributes(ReplayState& out, std::int64_t before_us, bool inclusive,
                         std::optional<Timestamp> record_from);

    sql::Db* db_;
    std::string stream_name_;
    std::shared_ptr<const Projection> projection_;
    ReplayLimits limits_;
    FoldOrder order_;
    SnapshotBasis basis_;
    std::vector<SnapshotMark> snapshots_;
    std::optional<MemorySnapshot> memory_;
    // The stream's attribute values: initial ones first (source order), then by (ts, id).
    // Attribute values are folded between events by time: a value dated T after the events
    // dated T (it is their effect), before later ones. A fold that starts from a snapshot
    // whose events reach max_ts has folded the initial values and those dated before max_ts.
    std::vector<AttributeEntry> attributes_;
    std::size_t initial_attributes_ = 0;
    std::size_t attribute_ = 0; // the next attribute value to fold, during a fold
    // Statements kept prepared between folds.
    std::optional<sql::Stmt> read_event_, read_label_;
};

} // namespace asof::replay
