// asof-replay-bench: times the replay engine inside the process on one stream of a case file
// (by default the one with the most events). It reports the one-time costs (reading the fold
// order, one fold of the whole stream, building snapshots every K events), the state as of
// random instants (from stored snapshots only, and as the engine runs, with its remembered
// last answer) and along a time cursor dragged forward and backward, a few instants folded
// from the first event (ReplayLimits::shortcuts = false), changes over one day and diffs a
// day apart, a breakdown of one replay (snapshot read, snapshot parse, event reads, payload
// parse, projection), a replay on a fresh connection as a command does it, and optionally a
// sweep of K and a projection file. The case is written to: the stream's snapshots are
// rebuilt, and stay at the last spacing built.
// Prints key=value lines or one JSON document. Used by bench/replay-bench; method and
// results in bench/RESULTS.md ("Replay speed").
#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "replay/projection_store.hpp"
#include "replay/replayer.hpp"
#include "replay/snapshots.hpp"

#include "bench/bench_support.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace asof;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

using namespace asof::bench;
constexpr std::int64_t one_day_us = 86'400'000'000;

constexpr const char* usage_text =
    "usage: asof-replay-bench CASE [--stream NAME] [--every K] [--instants N] [--scrub N]\n"
    "                         [--plain N] [--runs N] [--seed N] [--sweep[=K,K,...]]\n"
    "                         [--projection FILE [--projection-sweep=K,K,...]] [--json]\n"
    "\n"
    "  CASE             an asof case file; it is WRITTEN to (the stream's snapshots are\n"
    "                   rebuilt and stay at the last spacing built): time a copy\n"
    "  --stream NAME    the stream (default: the one with the most events)\n"
    "  --every K        snapshot spacing of the main measurements (default: the engine's)\n"
    "  --instants N     random instants between the stream's first and last event (100)\n"
    "  --scrub N        instants of a dragged cursor, each 1/1000 of the stream's span\n"
    "                   after the one before (200)\n"
    "  --plain N        instants folded from the first event, to check the others (5)\n"
    "  --runs N         runs of the open, changes, diff and fresh-connection timings (20)\n"
    "  --seed N         seed of the instants (1); the same seed gives the same instants\n"
    "  --sweep[=LIST]   also build and time each spacing of LIST (default\n"
    "                   16,32,64,128,256,512,1024)\n"
    "  --projection F   also time the projection file F (skipped with a note if unreadable)\n"
    "  --projection-sweep=LIST\n"
    "                   and build and time each spacing of LIST with it (none by default:\n"
    "                   a state that grows makes snapshots large)\n"
    "  --json           print one JSON document instead of the key=value lines\n";

struct Options {
    std::string case_path;
    std::optional<std::string> stream;
    std::int64_t every = replay::default_snapshot_every;
    int instants = 100, scrub = 200, plain = 5, runs = 20;
    std::uint64_t seed = 1;
    std::vector<std::int64_t> sweep, projection_sweep;
    std::optional<std::string> projection;
    bool json = false;
};

// "16,32,64": the spacings of a sweep; nothing when one is not a positive integer.
std::optional<std::vector<std::int64_t>> spacing_list(std::string_view text) {
    std::vector<std::int64_t> out;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t comma = std::min(text.find(',', start), text.size());
        auto value = positive(text.substr(start, comma - start));
        if (!value) return std::nullopt;
        out.push_back(*value);
        start = comma + 1;
    }
    return out;
}

// Reads the command line; on a usage error prints why and returns nothing.
std::optional<Options> parse_args(int argc, char** argv) {
    Options options;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) {
                std::cerr << "asof-replay-bench: " << arg << " needs a value\n";
                return std::nullopt;
            }
            return std::string(argv[++i]);
        };
        auto number = [&]() -> std::optional<std::int64_t> {
            auto text = value();
            if (!text) return std::nullopt;
            auto parsed = positive(*text);
            if (!parsed || *parsed > 1'000'000'000) {
                std::cerr << "asof-replay-bench: " << arg << " takes a positive integer\n";
                return std::nullopt;
            }
            return parsed;
        };
        if (arg == "-h" || arg == "--help") {
            std::cout << usage_text;
            std::exit(0);
        } else if (arg == "--stream" || arg == "--projection") {
            auto text = value();
            if (!text) return std::nullopt;
            (arg == "--stream" ? options.stream : options.projection) = *text;
        } else if (arg == "--every" || arg == "--seed") {
            auto parsed = number();
            if (!parsed) return std::nullopt;
            if (arg == "--every")
                options.every = *parsed;
            else
                options.seed = static_cast<std::uint64_t>(*parsed);
        } else if (arg == "--instants" || arg == "--scrub" || arg == "--plain" || arg == "--runs") {
            auto parsed = number();
            if (!parsed) return std::nullopt;
            if (*parsed > 1'000'000) {
                std::cerr << "asof-replay-bench: " << arg << " is at most 1000000\n";
                return std::nullopt;
            }
            int count = static_cast<int>(*parsed);
            (arg == "--instants" ? options.instants
             : arg == "--scrub"  ? options.scrub
             : arg == "--plain"  ? options.plain
                                 : options.runs) = count;
        } else if (arg == "--sweep") {
            options.sweep = {16, 32, 64, 128, 256, 512, 1024};
        } else if (arg.starts_with("--sweep=") || arg.starts_with("--projection-sweep=")) {
            std::size_t equals = arg.find('=');
            auto list = spacing_list(arg.substr(equals + 1));
            if (!list) {
                std::cerr << "asof-replay-bench: " << arg.substr(0, equals + 1)
                          << " takes positive integers separated by commas\n";
                return std::nullopt;
            }
            (arg.starts_with("--sweep=") ? options.sweep : options.projection_sweep) = *list;
        } else if (arg == "--json") {
            options.json = true;
        } else if (arg.starts_with("--")) {
            std::cerr << "asof-replay-bench: unknown option " << arg << '\n';
            return std::nullopt;
        } else {
            positional.emplace_back(arg);
        }
    }
    if (positional.size() != 1) {
        std::cerr << "asof-replay-bench: expected one case file\n";
        return std::nullopt;
    }
    options.case_path = positional.front();
    return options;
}

double micros_since(Clock::time_point start, Clock::time_point end) {
    return std::chrono::duration<double, std::micro>(end - start).count();
}

// Median, 90th percentile (nearest rank), maximum and sum of a non-empty sample.
struct Stats {
    double median = 0, p90 = 0, max = 0, total = 0;
};

Stats stats_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    Stats stats;
    stats.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    std::size_t rank = (n * 9 + 9) / 10; // ceil(0.9 n), 1-based
    stats.p90 = values[std::max<std::size_t>(rank, 1) - 1];
    stats.max = values.back();
    for (double value : values)
        stats.total += value;
    return stats;
}

double median_of(const std::vector<std::int64_t>& values) {
    std::vector<double> copy(values.begin(), values.end());
    return stats_of(std::move(copy)).median;
}

std::string fixed(double value, int decimals = 1) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// splitmix64: the same instants from the same seed on every platform and standard library.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [low, high] (the modulo bias is below 1e-12 for spans of years in µs).
    std::int64_t between(std::int64_t low, std::int64_t high) {
        auto span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<std::int64_t>(next() % span);
    }

private:
    std::uint64_t state_;
};

Timestamp at_us(std::int64_t us) {
    return Timestamp{Micros{us}};
}

// One output line: a tag and its fields in order; numbers are written bare in JSON.
struct Field {
    std::string key, text;
    bool number = true;
};
struct Line {
    std::string tag;
    std::vector<Field> fields;
    Line& num(std::string key, double value, int decimals = 1) {
        fields.push_back({std::move(key), fixed(value, decimals), true});
        return *this;
    }
    Line& integer(std::string key, std::int64_t value) {
        fields.push_back({std::move(key), std::to_string(value), true});
        return *this;
    }
    Line& text(std::string key, std::string value) {
        fields.push_back({std::move(key), std::move(value), false});
        return *this;
    }
};

void print_text(const std::vector<Line>& lines) {
    for (const auto& line : lines) {
        std::cout << line.tag;
        for (const auto& field : line.fields) {
            bool plain = field.number || (!field.text.empty() &&
                                          field.text.find_first_of(" \"=\\") == std::string::npos);
            std::cout << ' ' << field.key << '='
                      << (plain ? printable(field.text) : json_string(printable(field.text)));
        }
        std::cout << '\n';
    }
}

// One object keyed by tag; the lines of a sweep form an array.
void print_json(const std::vector<Line>& lines) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    for (const auto& line : lines) {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (const auto& field : line.fields)
            object[field.key] = field.number ? nlohmann::ordered_json::parse(field.text)
                                             : nlohmann::ordered_json(field.text);
        if (line.tag == "sweep" || line.tag == "projection_sweep")
            doc[line.tag].push_back(std::move(object));
        else
            doc[line.tag] = std::move(object);
    }
    std::cout << doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

struct StreamPick {
    std::int64_t id = 0;
    std::string name;
};

// The stream named `name`, or the one with the most events (ties: the lowest id).
Result<StreamPick> find_stream(sql::Db& db, const std::optional<std::string>& name) {
    auto stmt = db.prepare(name ? "SELECT id, name FROM streams WHERE name = ?1"
                                : "SELECT s.id, s.name FROM (SELECT stream_id, count(*) AS n "
                                  "FROM event_streams GROUP BY stream_id ORDER BY n DESC, "
                                  "stream_id LIMIT 1) c JOIN streams s ON s.id = c.stream_id");
    if (!stmt) return tl::unexpected(stmt.error());
    if (name) stmt->bind(1, *name);
    auto found = stmt->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found) return fail(name ? "no stream is named \"" + *name + "\"" : "the case is empty");
    return StreamPick{stmt->column_int(0), std::string(stmt->column_text(1))};
}

// The times of a series of replays, in microseconds.
struct Series {
    std::vector<double> us;
    std::vector<std::int64_t> folded; // events folded after the snapshot the replay started from
    std::vector<replay::ReplayState> states;
};

// Times state_at at each instant after one untimed warm-up; keeps the first `keep` states.
// With `hold`, each replay runs inside one read transaction of that connection (the engine's
// own connection; the engine holds one itself since it folds in a sql::ReadScope, so this now
// only checks that nothing is left to gain). With `park`, an untimed state_at(*park) (the
// stream's last instant) comes before each timed one: the replayer then remembers an answer
// later than every instant, so each replay starts from a stored snapshot, as a first replay
// or a jump back does.
Result<Series> time_states(replay::Replayer& replayer, const std::vector<Timestamp>& instants,
                           std::size_t keep = 0, sql::Db* hold = nullptr,
                           std::optional<Timestamp> park = std::nullopt) {
    Series out;
    if (instants.empty()) return out;
    if (auto warm = replayer.state_at(instants.front()); !warm) return tl::unexpected(warm.error());
    for (std::size_t i = 0; i < instants.size(); ++i) {
        if (park)
            if (auto parked = replayer.state_at(*park); !parked)
                return tl::unexpected(parked.error());
        auto start = Clock::now();
        if (hold)
            if (auto ok = hold->exec("BEGIN"); !ok) return tl::unexpected(ok.error());
        auto state = replayer.state_at(instants[i]);
        if (hold)
            if (auto ok = hold->exec("COMMIT"); !ok) return tl::unexpected(ok.error());
        auto end = Clock::now();
        if (!state) return tl::unexpected(state.error());
        out.us.push_back(micros_since(start, end));
        out.folded.push_back(state->applied - state->from_snapshot);
        if (i < keep) out.states.push_back(std::move(*state));
    }
    return out;
}

// Whether two replays of the same instant agree (state, blame, count, version, warnings).
bool same_answer(const replay::ReplayState& a, const replay::ReplayState& b) {
    return a.state == b.state && a.blame == b.blame && a.applied == b.applied &&
           a.version == b.version && a.warnings == b.warnings;
}

// Compares the first states of `series` with the replays without snapshots of the same
// instants; "yes", or "no" with a note on stderr.
std::string agreement(const Series& series, const Series& plain) {
    std::size_t n = std::min(series.states.size(), plain.states.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!same_answer(series.states[i], plain.states[i])) {
            std::cerr << "asof-replay-bench: warning: with snapshots, the state as of "
                      << format_utc(plain.states[i].at) << " differs from the plain fold\n";
            return "no";
        }
    }
    return n ? "yes" : "unchecked";
}

// Where the time of one replay goes: the engine's fold, step by step, with the same
// statements, timed per step.
struct Split {
    std::vector<double> snapshot_read, snapshot_parse, events_read, events_parse, apply;
};

Result<void> split_one(sql::Db& db, const replay::SnapshotBasis& basis,
                       const std::vector<replay::SnapshotMark>& marks,
                       const replay::FoldOrder& order, const replay::Projection& projection,
                       Timestamp at, Split& out) {
    const std::int64_t at_count = at.time_since_epoch().count();
    auto t0 = Clock::now();
    sql::ReadScope scope(db); // the engine folds inside one read transaction
    auto after = std::upper_bound(
        marks.begin(), marks.end(), at_count,
        [](std::int64_t limit, const replay::SnapshotMark& mark) { return limit < mark.max_ts; });
    std::optional<replay::StoredSnapshot> snapshot;
    if (after != marks.begin()) {
        auto read = replay::read_snapshot(db, basis, std::prev(after)->position);
        if (!read) return tl::unexpected(read.error());
        snapshot = std::move(*read);
    }
    auto t1 = Clock::now();

    json state = json::object();
    replay::Blame blame;
    std::vector<std::string> warnings;
    std::size_t position = 0;
    if (snapshot) {
        state = json::parse(snapshot->state, nullptr, false);
        json stored_blame = json::parse(snapshot->blame, nullptr, false);
        json stored_warnings = json::parse(snapshot->warnings, nullptr, false);
        if (state.is_discarded() || !stored_blame.is_object() || !stored_warnings.is_array())
            return fail("a stored snapshot does not parse");
        for (const auto& [pointer, seq] : stored_blame.items())
            blame.emplace_hint(blame.end(), pointer, seq.get<std::int64_t>());
        for (const auto& warning : stored_warnings)
            warnings.push_back(warning.get<std::string>());
        position = static_cast<std::size_t>(snapshot->position);
    }
    auto t2 = Clock::now();

    struct Raw {
        const replay::FoldEntry* entry;
        std::optional<std::string> id, type, actor, data, meta;
    };
    std::vector<Raw> raws;
    {
        auto stmt = db.prepare("SELECT e.event_id, e.type, e.actor, p.data, p.meta FROM events e "
                               "LEFT JOIN event_payloads p ON p.seq = e.seq WHERE e.seq = ?1");
        if (!stmt) return tl::unexpected(stmt.error());
        for (std::size_t i = position; i < order.entries.size(); ++i) {
            if (order.min_ts_from[i] > at_count) break;
            const replay::FoldEntry& entry = order.entries[i];
            if (entry.ts > at_count) continue;
            stmt->reset();
            stmt->bind(1, entry.seq);
            auto found = stmt->step();
            if (!found) return tl::unexpected(found.error());
            if (!*found) return fail("event seq " + std::to_string(entry.seq) + " is missing");
            raws.push_back({&entry, stmt->column_opt_text(0), stmt->column_opt_text(1),
                            stmt->column_opt_text(2), stmt->column_opt_text(3),
                            stmt->column_opt_text(4)});
        }
    }
    auto t3 = Clock::now();

    std::vector<replay::ProjectedEvent> events(raws.size());
    for (std::size_t i = 0; i < raws.size(); ++i) {
        replay::ProjectedEvent& event = events[i];
        const Raw& raw = raws[i];
        event.seq = raw.entry->seq;
        event.ts = at_us(raw.entry->ts);
        event.id = raw.id;
        event.type = raw.type;
        event.actor = raw.actor;
        event.label = replay::describe_event(event.seq, event.id);
        event.data =
            raw.data && !raw.data->empty() ? json::parse(*raw.data, nullptr, false) : json();
        if (event.data.is_discarded()) event.data = json(*raw.data);
        event.meta =
            raw.meta && !raw.meta->empty() ? json::parse(*raw.meta, nullptr, false) : json();
        if (event.meta.is_discarded()) event.meta = json();
    }
    auto t4 = Clock::now();

    for (auto& event : events)
        projection.apply(event, state, blame, {}, warnings);
    auto t5 = Clock::now();

    out.snapshot_read.push_back(micros_since(t0, t1));
    out.snapshot_parse.push_back(micros_since(t1, t2));
    out.events_read.push_back(micros_since(t2, t3));
    out.events_parse.push_back(micros_since(t3, t4));
    out.apply.push_back(micros_since(t4, t5));
    return {};
}

Line split_line(std::int64_t every, const Split& split) {
    Line line{"split", {}};
    line.integer("every", every)
        .num("snapshot_read_us", stats_of(split.snapshot_read).median)
        .num("snapshot_parse_us", stats_of(split.snapshot_parse).median)
        .num("events_read_us", stats_of(split.events_read).median)
        .num("events_parse_us", stats_of(split.events_parse).median)
        .num("apply_us", stats_of(split.apply).median);
    return line;
}

// Everything the measurements share about one stream and projection.
struct Subject {
    sql::Db* db = nullptr;       // read-only, as commands open a case
    sql::Db* writable = nullptr; // the same case, for building snapshots
    StreamPick stream;
    std::shared_ptr<const replay::Projection> projection;
};

struct Built {
    double millis = 0;
    std::int64_t count = 0, bytes = 0, max_state = 0;
};

// Builds the stream's snapshots every `every` events through `replayer` (whose marks follow)
// and measures what they occupy.
Result<Built> build(const Subject& subject, replay::Replayer& replayer, std::int64_t every) {
    Built out;
    auto start = Clock::now();
    auto count = replayer.build_snapshots(*subject.writable, every);
    out.millis = micros_since(start, Clock::now()) / 1000;
    if (!count) return tl::unexpected(count.error());
    out.count = *count;
    auto stmt = subject.writable->prepare(
        "SELECT coalesce(sum(length(state) + length(blame)), 0), coalesce(max(length(state)), 0) "
        "FROM snapshots WHERE stream_id = ?1 AND projection = ?2");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, subject.stream.id).bind(2, subject.projection->hash());
    auto found = stmt->step();
    if (!found) return tl::unexpected(found.error());
    out.bytes = stmt->column_int(0);
    out.max_state = stmt->column_int(1);
    return out;
}

Result<replay::Replayer> open_replayer(const Subject& subject, replay::ReplayLimits limits = {}) {
    return replay::Replayer::open(*subject.db, subject.stream.id, subject.stream.name,
                                  subject.projection, limits);
}

// A replayer that folds every answer from the stream's first event: no stored snapshot, no
// remembered answer.
Result<replay::Replayer> open_plain_replayer(const Subject& subject) {
    replay::ReplayLimits limits;
    limits.shortcuts = false;
    return open_replayer(subject, limits);
}

Result<Split> split_of(const Subject& subject, const replay::Replayer& replayer,
                       const std::vector<Timestamp>& instants) {
    replay::SnapshotBasis basis;
    basis.stream_id = subject.stream.id;
    basis.projection_hash = subject.projection->hash();
    basis.events = static_cast<std::int64_t>(replayer.order().entries.size());
    for (const auto& entry : replayer.order().entries)
        basis.last_seq = std::max(basis.last_seq, entry.seq);
    auto set = replay::current_snapshot_set(*subject.db, basis);
    if (!set) return tl::unexpected(set.error());
    std::vector<replay::SnapshotMark> none;
    Split split;
    for (const auto& at : instants) {
        auto ok = split_one(*subject.db, basis, *set ? (*set)->marks : none, replayer.order(),
                            *subject.projection, at, split);
        if (!ok) return tl::unexpected(ok.error());
    }
    return split;
}

void add_series(Line& line, const Series& series, bool with_total) {
    Stats stats = stats_of(series.us);
    line.num("median_us", stats.median).num("p90_us", stats.p90).num("max_us", stats.max);
    if (with_total) line.num("total_ms", stats.total / 1000, 3);
    line.num("folded_median", median_of(series.folded));
}

// The instants: `count` uniform in [first, last], and a cursor dragged from a random point in
// the first half, `steps` times 1/1000 of the span forward (`scrub`), and the same instants
// in reverse (`back`, the cursor dragged backward); `park` is the stream's last instant.
struct Instants {
    std::vector<Timestamp> random, scrub, back;
    Timestamp park{};
    std::int64_t step_us = 0;
};

Instants make_instants(const Options& options, std::int64_t first, std::int64_t last) {
    Instants out;
    Rng rng(options.seed);
    for (int i = 0; i < options.instants; ++i)
        out.random.push_back(at_us(rng.between(first, last)));
    out.step_us = std::max<std::int64_t>((last - first) / 1000, 1);
    std::int64_t cursor = rng.between(first, first + (last - first) / 2);
    for (int i = 0; i < options.scrub; ++i, cursor += out.step_us)
        out.scrub.push_back(at_us(std::min(cursor, last)));
    out.back.assign(out.scrub.rbegin(), out.scrub.rend());
    out.park = at_us(last);
    return out;
}

// changes over one day and diffs a day apart, from random starts.
Result<void> time_changes_and_diffs(replay::Replayer& replayer, const Options& options,
                                    std::int64_t first, std::int64_t last, std::int64_t every,
                                    std::vector<Line>& lines) {
    Rng rng(options.seed + 1);
    std::vector<std::int64_t> starts;
    for (int i = 0; i <= options.runs; ++i) // the first is the warm-up
        starts.push_back(rng.between(first, std::max(first, last - one_day_us)));
    std::vector<double> changes_us, diff_us;
    std::vector<std::int64_t> changed_events, entries;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        auto start = Clock::now();
        auto changes = replayer.changes(at_us(starts[i]), at_us(starts[i] + one_day_us - 1));
        auto middle = Clock::now();
        auto diff = replayer.diff(at_us(starts[i]), at_us(starts[i] + one_day_us));
        auto end = Clock::now();
        if (!changes) return tl::unexpected(changes.error());
        if (!diff) return tl::unexpected(diff.error());
        if (i == 0) continue;
        changes_us.push_back(micros_since(start, middle));
        diff_us.push_back(micros_since(middle, end));
        changed_events.push_back(static_cast<std::int64_t>(changes->timeline.size()));
        entries.push_back(static_cast<std::int64_t>(diff->entries.size()));
    }
    Stats changes_stats = stats_of(changes_us), diff_stats = stats_of(diff_us);
    lines.push_back(Line{"changes", {}}
                        .integer("every", every)
                        .integer("runs", options.runs)
                        .num("median_us", changes_stats.median)
                        .num("p90_us", changes_stats.p90)
                        .num("events_median", median_of(changed_events)));
    lines.push_back(Line{"diff", {}}
                        .integer("every", every)
                        .integer("runs", options.runs)
                        .num("median_us", diff_stats.median)
                        .num("p90_us", diff_stats.p90)
                        .num("entries_median", median_of(entries)));
    return {};
}

// What a command does per run, minus starting the process and printing: a new read-only
// connection, the fold order and snapshot marks, one replay. Alternates, run by run, a case
// connection as commands open it (open_case, which maps the file) with a plain read-only
// connection (no mapping), to show what mapping costs a short-lived process.
Result<void> time_fresh_connections(const Options& options, const Subject& subject,
                                    const std::vector<Timestamp>& instants,
                                    std::vector<Line>& lines) {
    struct Phases {
        std::vector<double> connect, open, state, total;
    } mapped, unmapped;
    for (int r = 0; r <= 2 * options.runs + 1; ++r) { // runs 0 and 1 are the warm-up
        bool map = r % 2 == 0;
        auto t0 = Clock::now();
        auto db = map ? open_case(options.case_path)
                      : sql::Db::open(options.case_path, sql::Db::Mode::read_only);
        if (!db) return tl::unexpected(db.error());
        auto t1 = Clock::now();
        auto replayer =
            replay::Replayer::open(*db, subject.stream.id, subject.stream.name, subject.projection);
        if (!replayer) return tl::unexpected(replayer.error());
        auto t2 = Clock::now();
        auto answer =
            replayer->state_at(instants[static_cast<std::size_t>(r / 2) % instants.size()]);
        if (!answer) return tl::unexpected(answer.error());
        auto t3 = Clock::now();
        if (r < 2) continue;
        Phases& phases = map ? mapped : unmapped;
        phases.connect.push_back(micros_since(t0, t1));
        phases.open.push_back(micros_since(t1, t2));
        phases.state.push_back(micros_since(t2, t3));
        phases.total.push_back(micros_since(t0, t3));
    }
    for (const auto* phases : {&mapped, &unmapped})
        lines.push_back(Line{phases == &mapped ? "fresh" : "fresh_unmapped", {}}
                            .integer("runs", options.runs)
                            .num("connect_us", stats_of(phases->connect).median)
                            .num("open_us", stats_of(phases->open).median)
                            .num("state_us", stats_of(phases->state).median)
                            .num("total_us", stats_of(phases->total).median));
    return {};
}

// Builds snapshots every `every` events with `subject`'s projection and times the random
// instants and the dragged cursor: one line of a sweep, tagged `tag`. The first random states
// are checked against `plain`, the same instants replayed without snapshots.
Result<Line> sweep_point(const Subject& subject, replay::Replayer& replayer, std::int64_t every,
                         const Instants& instants, const Series& plain, std::string tag) {
    auto built = build(subject, replayer, every);
    if (!built) return tl::unexpected(built.error());
    // Random instants from stored snapshots only: what K decides.
    auto timed =
        time_states(replayer, instants.random, plain.states.size(), nullptr, instants.park);
    if (!timed) return tl::unexpected(timed.error());
    auto dragged = time_states(replayer, instants.scrub);
    if (!dragged) return tl::unexpected(dragged.error());
    auto dragged_back = time_states(replayer, instants.back);
    if (!dragged_back) return tl::unexpected(dragged_back.error());
    auto parts = split_of(subject, replayer, instants.random);
    if (!parts) return tl::unexpected(parts.error());
    Line line{std::move(tag), {}};
    line.integer("every", every)
        .num("build_ms", built->millis, 3)
        .integer("snapshots", built->count)
        .integer("bytes", built->bytes)
        .integer("max_state_bytes", built->max_state);
    add_series(line, *timed, true);
    Stats drag = stats_of(dragged->us), back = stats_of(dragged_back->us);
    line.num("scrub_median_us", drag.median)
        .num("scrub_p90_us", drag.p90)
        .num("scrub_max_us", drag.max)
        .num("back_median_us", back.median)
        .num("back_p90_us", back.p90)
        .num("back_max_us", back.max)
        .num("snapshot_us",
             stats_of(parts->snapshot_read).median + stats_of(parts->snapshot_parse).median)
        .num("events_us",
             stats_of(parts->events_read).median + stats_of(parts->events_parse).median)
        .num("apply_us", stats_of(parts->apply).median)
        .text("agree", agreement(*timed, plain));
    return line;
}

// The measurements with a projection file: one fold of the stream, the plain replays, then
// snapshots at --every (build, random instants, scrub, breakdown) and at each spacing of
// --projection-sweep.
Result<void> time_projection_file(const Options& options, Subject subject, const Instants& instants,
                                  const std::vector<Timestamp>& plain_instants,
                                  std::vector<Line>& lines) {
    auto projection = replay::read_projection_file(*options.projection);
    if (!projection) {
        lines.push_back(Line{"projection", {}}
                            .text("file", *options.projection)
                            .text("skipped", projection.error().describe()));
        return {};
    }
    subject.projection = *projection;
    auto start = Clock::now();
    auto replayer = open_replayer(subject);
    double open_us = micros_since(start, Clock::now());
    if (!replayer) return tl::unexpected(replayer.error());
    auto events = static_cast<std::int64_t>(replayer->order().entries.size());
    auto fold_all = build(subject, *replayer, events + 1);
    if (!fold_all) return tl::unexpected(fold_all.error());
    auto plain_replayer = open_plain_replayer(subject);
    if (!plain_replayer) return tl::unexpected(plain_replayer.error());
    auto plain = time_states(*plain_replayer, plain_instants, plain_instants.size());
    if (!plain) return tl::unexpected(plain.error());
    Line line{"projection", {}};
    line.text("file", *options.projection)
        .text("name", subject.projection->name())
        .text("sha256", subject.projection->hash().substr(0, 12))
        .num("open_us", open_us)
        .num("fold_all_ms", fold_all->millis, 3)
        .num("plain_median_us", stats_of(plain->us).median);
    lines.push_back(std::move(line));

    auto main = sweep_point(subject, *replayer, options.every, instants, *plain, "projection_at");
    if (!main) return tl::unexpected(main.error());
    lines.push_back(std::move(*main));
    auto split = split_of(subject, *replayer, instants.random);
    if (!split) return tl::unexpected(split.error());
    Line split_text = split_line(options.every, *split);
    split_text.tag = "projection_split";
    lines.push_back(std::move(split_text));
    for (std::int64_t every : options.projection_sweep) {
        if (every == options.every) continue; // measured above
        auto point = sweep_point(subject, *replayer, every, instants, *plain, "projection_sweep");
        if (!point) return tl::unexpected(point.error());
        lines.push_back(std::move(*point));
    }
    return {};
}

int fail_with(const Error& error, int code) {
    std::cerr << "asof-replay-bench: " << printable(error.describe()) << '\n';
    return code;
}

int run(const Options& options) {
    if (!is_case_file(options.case_path)) {
        std::cerr << "asof-replay-bench: " << options.case_path << ": not an asof case file\n";
        return exit_bad_input;
    }
    auto db = open_case(options.case_path);
    if (!db) return fail_with(db.error(), exit_bad_input);
    auto writable = sql::Db::open(options.case_path, sql::Db::Mode::read_write);
    if (!writable) return fail_with(writable.error(), exit_bad_input);
    auto stream = find_stream(*db, options.stream);
    if (!stream) return fail_with(stream.error(), exit_bad_input);
    Subject subject{&*db, &*writable, *stream, replay::Projection::merge_default()};
    std::vector<Line> lines;

    // The fold order: the first open reads it from a cold connection cache.
    std::vector<double> open_us;
    std::optional<replay::Replayer> replayer;
    for (int r = 0; r <= options.runs; ++r) {
        auto start = Clock::now();
        auto opened = open_replayer(subject);
        open_us.push_back(micros_since(start, Clock::now()));
        if (!opened) return fail_with(opened.error(), exit_internal);
        replayer.emplace(std::move(*opened));
    }
    const auto& entries = replayer->order().entries;
    if (entries.empty()) {
        std::cerr << "asof-replay-bench: " << stream->name << " has no events\n";
        return exit_bad_input;
    }
    auto [first_it, last_it] = std::minmax_element(
        entries.begin(), entries.end(),
        [](const replay::FoldEntry& a, const replay::FoldEntry& b) { return a.ts < b.ts; });
    const std::int64_t first = first_it->ts, last = last_it->ts;
    const auto events = static_cast<std::int64_t>(entries.size());
    Instants instants = make_instants(options, first, last);

    lines.push_back(Line{"case", {}}
                        .text("path", options.case_path)
                        .text("stream", stream->name)
                        .integer("stream_id", stream->id)
                        .integer("events", events)
                        .text("versioned", replayer->order().versioned ? "yes" : "no")
                        .text("first", format_utc(at_us(first)))
                        .text("last", format_utc(at_us(last)))
                        .integer("seed", static_cast<std::int64_t>(options.seed))
                        .text("projection", subject.projection->name()));
    double first_open = open_us.front();
    open_us.erase(open_us.begin());
    lines.push_back(Line{"open", {}}
                        .num("first_us", first_open)
                        .num("median_us", stats_of(open_us).median)
                        .integer("runs", options.runs));

    // One fold of the whole stream, storing nothing (a spacing longer than the stream), which
    // also sets aside any snapshots the case had, for the plain replays.
    auto fold_all = build(subject, *replayer, events + 1);
    if (!fold_all) return fail_with(fold_all.error(), exit_internal);
    lines.push_back(Line{"fold_all", {}}.num("ms", fold_all->millis, 3).integer("events", events));

    std::vector<Timestamp> plain_instants(
        instants.random.begin(),
        instants.random.begin() +
            std::min<std::ptrdiff_t>(options.plain,
                                     static_cast<std::ptrdiff_t>(instants.random.size())));
    // Folded from the first event every time (no stored snapshot, no remembered answer); also
    // the first instants of the dragged cursor, to check the remembered answers against.
    auto plain_replayer = open_plain_replayer(subject);
    if (!plain_replayer) return fail_with(plain_replayer.error(), exit_internal);
    auto plain = time_states(*plain_replayer, plain_instants, plain_instants.size());
    if (!plain) return fail_with(plain.error(), exit_internal);
    std::vector<Timestamp> plain_scrub_instants(
        instants.scrub.begin(),
        instants.scrub.begin() +
            std::min<std::ptrdiff_t>(options.plain,
                                     static_cast<std::ptrdiff_t>(instants.scrub.size())));
    auto plain_scrub =
        time_states(*plain_replayer, plain_scrub_instants, plain_scrub_instants.size());
    if (!plain_scrub) return fail_with(plain_scrub.error(), exit_internal);
    Line plain_line{"plain", {}};
    plain_line.integer("instants", static_cast<std::int64_t>(plain_instants.size()));
    add_series(plain_line, *plain, false);
    lines.push_back(std::move(plain_line));

    // Snapshots every K events: build, reopen, and time the instants.
    auto built = build(subject, *replayer, options.every);
    if (!built) return fail_with(built.error(), exit_internal);
    lines.push_back(Line{"build", {}}
                        .integer("every", options.every)
                        .num("ms", built->millis, 3)
                        .integer("snapshots", built->count)
                        .integer("bytes", built->bytes)
                        .integer("max_state_bytes", built->max_state));
    std::vector<double> reopen_us;
    for (int r = 0; r <= options.runs; ++r) {
        auto start = Clock::now();
        auto opened = open_replayer(subject);
        reopen_us.push_back(micros_since(start, Clock::now()));
        if (!opened) return fail_with(opened.error(), exit_internal);
        replayer.emplace(std::move(*opened));
    }
    reopen_us.erase(reopen_us.begin());
    lines.push_back(Line{"open_snapshots", {}}
                        .num("median_us", stats_of(reopen_us).median)
                        .integer("snapshots", static_cast<std::int64_t>(replayer->snapshot_count()))
                        .integer("runs", options.runs));

    // Random instants from stored snapshots only (the remembered answer parked after them):
    // a replay to any instant, as a first replay or a jump back costs it.
    auto stored =
        time_states(*replayer, instants.random, plain_instants.size(), nullptr, instants.park);
    if (!stored) return fail_with(stored.error(), exit_internal);
    Line stored_line{"random_stored", {}};
    stored_line.integer("every", options.every)
        .integer("instants", static_cast<std::int64_t>(instants.random.size()));
    add_series(stored_line, *stored, true);
    stored_line.text("agree", agreement(*stored, *plain));
    lines.push_back(std::move(stored_line));

    // The same instants one after the other on one replayer, as the engine runs: an instant
    // after the last answer and past the snapshot before it starts from that answer.
    auto random = time_states(*replayer, instants.random, plain_instants.size());
    if (!random) return fail_with(random.error(), exit_internal);
    Line random_line{"random", {}};
    random_line.integer("every", options.every)
        .integer("instants", static_cast<std::int64_t>(instants.random.size()));
    add_series(random_line, *random, true);
    random_line.text("agree", agreement(*random, *plain));
    lines.push_back(std::move(random_line));

    auto split = split_of(subject, *replayer, instants.random);
    if (!split) return fail_with(split.error(), exit_internal);
    lines.push_back(split_line(options.every, *split));

    // The cursor dragged forward (each instant starts from the answer before it) and backward
    // (each starts from the stored snapshot before it).
    auto scrub = time_states(*replayer, instants.scrub, plain_scrub_instants.size());
    if (!scrub) return fail_with(scrub.error(), exit_internal);
    Line scrub_line{"scrub", {}};
    scrub_line.integer("every", options.every)
        .integer("instants", static_cast<std::int64_t>(instants.scrub.size()))
        .num("step_s", static_cast<double>(instants.step_us) / 1e6, 0);
    add_series(scrub_line, *scrub, true);
    scrub_line.text("agree", agreement(*scrub, *plain_scrub));
    lines.push_back(std::move(scrub_line));
    auto back = time_states(*replayer, instants.back);
    if (!back) return fail_with(back.error(), exit_internal);
    Line back_line{"scrub_back", {}};
    back_line.integer("every", options.every)
        .integer("instants", static_cast<std::int64_t>(instants.back.size()));
    add_series(back_line, *back, true);
    lines.push_back(std::move(back_line));

    // The same instants (random from stored snapshots, and the forward drag) with one read
    // transaction held around each replay by the caller: the engine folds in one of its own, so
    // this should gain nothing.
    auto held = time_states(*replayer, instants.random, 0, subject.db, instants.park);
    if (!held) return fail_with(held.error(), exit_internal);
    auto held_scrub = time_states(*replayer, instants.scrub, 0, subject.db);
    if (!held_scrub) return fail_with(held_scrub.error(), exit_internal);
    Line held_line{"held_tx", {}};
    held_line.integer("every", options.every);
    add_series(held_line, *held, true);
    Stats held_drag = stats_of(held_scrub->us);
    held_line.num("scrub_median_us", held_drag.median)
        .num("scrub_p90_us", held_drag.p90)
        .num("scrub_max_us", held_drag.max);
    lines.push_back(std::move(held_line));

    // Naming the events of the blame, as `asof replay --blame` and the GUI do.
    std::vector<double> name_us;
    for (std::size_t i = 0; i < instants.random.size() && i < 20; ++i) {
        auto state = replayer->state_at(instants.random[i]);
        if (!state) return fail_with(state.error(), exit_internal);
        auto start = Clock::now();
        if (auto named = replayer->name_events(*state); !named)
            return fail_with(named.error(), exit_internal);
        name_us.push_back(micros_since(start, Clock::now()));
    }
    lines.push_back(Line{"name_events", {}}
                        .num("median_us", stats_of(name_us).median)
                        .integer("runs", static_cast<std::int64_t>(name_us.size())));

    if (auto ok = time_fresh_connections(options, subject, instants.random, lines); !ok)
        return fail_with(ok.error(), exit_internal);
    if (auto ok = time_changes_and_diffs(*replayer, options, first, last, options.every, lines);
        !ok)
        return fail_with(ok.error(), exit_internal);
    if (options.projection) {
        if (auto ok = time_projection_file(options, subject, instants, plain_instants, lines); !ok)
            return fail_with(ok.error(), exit_internal);
    }

    for (std::int64_t every : options.sweep) {
        auto point = sweep_point(subject, *replayer, every, instants, *plain, "sweep");
        if (!point) return fail_with(point.error(), exit_internal);
        lines.push_back(std::move(*point));
    }

    if (options.json)
        print_json(lines);
    else
        print_text(lines);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return asof::bench::bench_main(argc, argv, "asof-replay-bench", usage_text, parse_args, run);
}
