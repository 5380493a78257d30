// Property test: a replay that starts from stored snapshots gives exactly what a plain fold
// from the first event gives (state, blame, warnings, counts, changes), for random streams
// (versioned or not, with gaps, repeats, ties and versions that run against time), random
// snapshot spacings and random instants.
#include "test_support.hpp"

#include "replay/replayer.hpp"

#include <random>
#include <sstream>

using namespace asof;
using namespace asof::test;
using nlohmann::json;

namespace {

// A random JSON Lines log of a few streams. Payloads merge, replace, remove and nest.
std::string random_log(std::mt19937_64& rng, int streams, int events) {
    std::ostringstream out;
    std::uniform_int_distribution<int> pick_stream(0, streams - 1), pick_key(0, 5), coin(0, 9);
    std::vector<std::int64_t> next_version(static_cast<std::size_t>(streams), 1);
    std::vector<bool> versioned(static_cast<std::size_t>(streams));
    for (int s = 0; s < streams; ++s)
        versioned[static_cast<std::size_t>(s)] = coin(rng) < 7;
    std::int64_t base = 1767225600; // 2026-01-01
    for (int i = 0; i < events; ++i) {
        int s = pick_stream(rng);
        json event;
        event["id"] = "e" + std::to_string(i);
        event["stream"] = "acct-" + std::to_string(s);
        event["type"] = coin(rng) < 5 ? "Set" : "Other";
        // Mostly forward in time, sometimes equal (ties) or earlier (disorder).
        base += coin(rng) < 2 ? 0 : (coin(rng) < 1 ? -3600 : 60 * (1 + coin(rng)));
        event["ts"] = format_utc(Timestamp{std::chrono::seconds{base}});
        auto& version = next_version[static_cast<std::size_t>(s)];
        if (versioned[static_cast<std::size_t>(s)]) {
            int roll = coin(rng);
            event["version"] = version;
            version += roll == 0 ? 0 : roll == 1 ? 2 : 1; // repeats and gaps
        }
        json data = json::object();
        for (int k = 0, n = 1 + coin(rng) % 3; k < n; ++k) {
            std::string key = "k" + std::to_string(pick_key(rng));
            int kind = coin(rng);
            if (kind < 4)
                data[key] = coin(rng) * 10 + i;
            else if (kind < 6)
                data[key] = json::parse(R"({"inner":)" + std::to_string(i) + R"(,"x":null})");
            else if (kind < 7)
                data[key] = nullptr;
            else if (kind < 8)
                data[key] = json::array({i, "s"});
            else
                data[key] = "text " + std::to_string(i);
        }
        event["data"] = coin(rng) == 0 && i % 7 == 0 ? json("not an object") : data;
        out << event.dump() << '\n';
    }
    return out.str();
}

void require_same(const replay::ReplayState& a, const replay::ReplayState& b) {
    CHECK(a.state == b.state);
    CHECK(a.blame == b.blame);
    CHECK(a.warnings == b.warnings);
    CHECK(a.applied == b.applied);
    CHECK(a.version == b.version);
    REQUIRE(a.timeline.size() == b.timeline.size());
    for (std::size_t i = 0; i < a.timeline.size(); ++i) {
        CHECK(a.timeline[i].seq == b.timeline[i].seq);
        REQUIRE(a.timeline[i].changes.size() == b.timeline[i].changes.size());
        for (std::size_t j = 0; j < a.timeline[i].changes.size(); ++j) {
            CHECK(a.timeline[i].changes[j].pointer == b.timeline[i].changes[j].pointer);
            CHECK(a.timeline[i].changes[j].before == b.timeline[i].changes[j].before);
            CHECK(a.timeline[i].changes[j].after == b.timeline[i].changes[j].after);
        }
    }
}

// Adds random attribute values (stream_attributes) to every stream of the case: initial ones
// and values dated near the events' times (ties included), some null (removal), some nested,
// some on members the events also set.
void add_random_attributes(std::mt19937_64& rng, sql::Db& db) {
    std::uniform_int_distribution<int> coin(0, 9), pick_key(0, 7);
    std::vector<std::pair<std::int64_t, std::int64_t>> events; // stream, ts
    auto stmt = db.prepare("SELECT stream_id, ts FROM event_streams ORDER BY seq");
    REQUIRE(stmt->each(
        [&](const sql::Stmt& row) { events.emplace_back(row.column_int(0), row.column_int(1)); }));
    auto insert = db.prepare("INSERT INTO stream_attributes (stream_id, ts, name, value, "
                             "import_id) VALUES (?1, ?2, ?3, ?4, 1)");
    REQUIRE(insert.has_value());
    for (std::size_t i = 0; i < events.size(); i += 1 + static_cast<std::size_t>(coin(rng) % 3)) {
        auto [stream, ts] = events[i];
        insert->reset();
        insert->bind(1, stream);
        int when = coin(rng);
        if (when == 0)
            insert->bind_null(2); // initial
        else
            insert->bind(2, ts + (when < 4 ? 0 : when < 7 ? -30'000'000 : 45'000'000));
        insert->bind(3, "k" + std::to_string(pick_key(rng)));
        int kind = coin(rng);
        json value = kind < 2   ? json(nullptr)
                     : kind < 4 ? json::parse(R"({"a":)" + std::to_string(i) + R"(,"b":[1]})")
                     : kind < 5 ? json("")
                                : json(static_cast<std::int64_t>(i));
        insert->bind(4, value.dump());
        REQUIRE(insert->run());
    }
}

void check_snapshot_property(bool with_attributes) {
    const auto projection = replay::Projection::merge_default();
    int compared = 0, from_snapshots = 0;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        INFO("seed " << seed);
        std::mt19937_64 rng(seed);
        TempDir dir;
        std::string log = dir.file("random.jsonl");
        write_file(log, random_log(rng, 3, 150 + static_cast<int>(seed % 5) * 40));
        std::string case_path = dir.file("random.asof");
        import_ok({log}, case_path);
        auto writable = sql::Db::open(case_path, sql::Db::Mode::read_write);
        REQUIRE(writable.has_value());
        if (with_attributes) add_random_attributes(rng, *writable);
        auto db = open_ok(case_path);
        std::vector<std::int64_t> ids;
        auto stmt = db.prepare("SELECT id FROM streams ORDER BY id");
        REQUIRE(stmt->each([&](const sql::Stmt& row) { ids.push_back(row.column_int(0)); }));

        for (std::int64_t id : ids) {
            replay::ReplayLimits no_shortcuts;
            no_shortcuts.shortcuts = false;
            auto plain = replay::Replayer::open(db, id, "s", projection, no_shortcuts);
            REQUIRE(plain.has_value());
            REQUIRE(plain->snapshot_count() == 0);
            std::int64_t every = std::uniform_int_distribution<std::int64_t>(1, 17)(rng);
            {
                auto builder = replay::Replayer::open(db, id, "s", projection);
                REQUIRE(builder.has_value());
                auto built = builder->build_snapshots(*writable, every);
                REQUIRE(built.has_value());
                CHECK(*built == static_cast<std::int64_t>(builder->order().entries.size()) / every);
            }
            auto fast = replay::Replayer::open(db, id, "s", projection);
            REQUIRE(fast.has_value());
            REQUIRE(fast->snapshot_count() ==
                    plain->order().entries.size() / static_cast<std::size_t>(every));

            const auto& entries = plain->order().entries;
            std::vector<std::int64_t> times;
            for (const auto& entry : entries)
                times.push_back(entry.ts);
            auto pick_time = [&] {
                std::int64_t t =
                    times[std::uniform_int_distribution<std::size_t>(0, times.size() - 1)(rng)];
                return Timestamp{Micros{
                    t + std::uniform_int_distribution<std::int64_t>(-1, 1)(rng) * 30'000'000}};
            };
            for (int probe = 0; probe < 12; ++probe) {
                Timestamp t = pick_time();
                auto a = plain->state_at(t);
                auto b = fast->state_at(t);
                REQUIRE(a.has_value());
                REQUIRE(b.has_value());
                require_same(*a, *b);
                from_snapshots += b->from_snapshot > 0;
                CHECK(a->from_snapshot == 0);
                ++compared;

                Timestamp u = pick_time();
                Timestamp from = std::min(t, u), to = std::max(t, u);
                auto c = plain->changes(from, to);
                auto d = fast->changes(from, to);
                REQUIRE(c.has_value());
                REQUIRE(d.has_value());
                require_same(*c, *d);
                auto e = plain->diff(from, to);
                auto f = fast->diff(from, to);
                REQUIRE(e.has_value());
                REQUIRE(f.has_value());
                REQUIRE(e->entries.size() == f->entries.size());
                for (std::size_t i = 0; i < e->entries.size(); ++i) {
                    CHECK(e->entries[i].change.pointer == f->entries[i].change.pointer);
                    CHECK(e->entries[i].causes == f->entries[i].causes);
                }
            }
        }
    }
    CHECK(compared > 1000);
    CHECK(from_snapshots > compared / 3); // the property was exercised, not skipped
}

} // namespace

TEST_CASE("snapshot replay equals a plain fold for random streams and instants",
          "[replay][snapshots]") {
    check_snapshot_property(false);
}

TEST_CASE("snapshot replay equals a plain fold with stream attributes among the events",
          "[replay][snapshots][attributes]") {
    check_snapshot_property(true);
}

TEST_CASE("snapshots go stale when the stream gains events", "[replay][snapshots]") {
    TempDir dir;
    std::string first = dir.file("a.jsonl"), second = dir.file("b.jsonl");
    std::string lines, more;
    for (int i = 0; i < 10; ++i)
        lines += R"({"id":"a)" + std::to_string(i) +
                 R"(","stream":"s-1","ts":"2026-01-01T00:00:0)" + std::to_string(i) +
                 R"(Z","data":{"n":)" + std::to_string(i) + "}}\n";
    more = R"({"id":"b0","stream":"s-1","ts":"2026-01-01T00:00:03.5Z","data":{"n":100}})"
           "\n";
    write_file(first, lines);
    write_file(second, more);
    std::string case_path = dir.file("c.asof");
    import_ok({first}, case_path);
    auto writable = sql::Db::open(case_path, sql::Db::Mode::read_write);
    REQUIRE(writable.has_value());
    {
        auto db = open_ok(case_path);
        auto replayer = replay::Replayer::open(db, 1, "s-1", replay::Projection::merge_default());
        REQUIRE(replayer.has_value());
        auto built = replayer->build_snapshots(*writable, 3);
        INFO((built ? std::string() : built.error().describe()));
        REQUIRE(built.has_value());
        CHECK(*built == 3);
    }
    import_ok({second}, case_path);
    auto db = open_ok(case_path);
    auto replayer = replay::Replayer::open(db, 1, "s-1", replay::Projection::merge_default());
    REQUIRE(replayer.has_value());
    CHECK(replayer->snapshot_count() == 0); // built from 10 events, the stream has 11 now
    auto state = replayer->state_at(parse_iso8601("2026-01-01T00:00:05Z").value().at);
    REQUIRE(state.has_value());
    CHECK(state->state["n"] == 5);
    CHECK(state->applied == 7);
}
