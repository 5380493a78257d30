// asof-query-bench: times queries of the query language inside the process on one case file.
// Each query is prepared once against a pinned clock, then run --runs times after one warm-up
// run, doing what `asof query` does minus the output: check the names and list every event
// into a cheap sink (or compute the groups of "count by"). The count of matches, which only
// the JSON format (and a listing cut by a limit) needs, is timed apart and not in the total.
// Prints, per query, the median, p90 and minimum in microseconds and the number of events. A query
// with quoted text first brings the full-text index up to date and reports that one-time cost
// separately. Used by bench/query-bench; method and results in bench/RESULTS.md.
#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/text_index.hpp"
#include "query/executor.hpp"

#include "bench/bench_support.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace asof;
using Clock = std::chrono::steady_clock;

using namespace asof::bench;

constexpr const char* usage_text =
    "usage: asof-query-bench CASE [--now TIME] [--tz ZONE] [--runs N] [--limit N] [--json]\n"
    "                        QUERY...\n"
    "\n"
    "  CASE        an asof case file (opened read-only; read-write once to build the\n"
    "              full-text index when a query searches quoted text)\n"
    "  QUERY       one or more queries in the query language, each timed on its own\n"
    "  --now TIME  the pinned clock (ISO 8601; default: the system clock at start)\n"
    "  --tz ZONE   the zone of the query's dates (default UTC)\n"
    "  --runs N    timed runs per query after one warm-up run (default 20)\n"
    "  --limit N   list at most N events per run, as asof query --limit does\n"
    "  --json      print one JSON document instead of the key=value lines\n";

struct Options {
    std::string case_path;
    std::optional<std::string> now;
    std::string tz = "UTC";
    int runs = 20;
    std::optional<std::int64_t> limit;
    bool json = false;
    std::vector<std::string> queries;
};

// Reads the command line; on a usage error prints why and returns nothing.
std::optional<Options> parse_args(int argc, char** argv) {
    Options options;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) {
                std::cerr << "asof-query-bench: " << arg << " needs a value\n";
                return std::nullopt;
            }
            return std::string(argv[++i]);
        };
        if (arg == "-h" || arg == "--help") {
            std::cout << usage_text;
            std::exit(0);
        } else if (arg == "--now") {
            if (!(options.now = value())) return std::nullopt;
        } else if (arg == "--tz") {
            auto tz = value();
            if (!tz) return std::nullopt;
            options.tz = *tz;
        } else if (arg == "--runs" || arg == "--limit") {
            auto text = value();
            if (!text) return std::nullopt;
            auto number = positive(*text);
            if (!number || (arg == "--runs" && *number > 1'000'000)) {
                std::cerr << "asof-query-bench: " << arg << " takes a positive integer\n";
                return std::nullopt;
            }
            if (arg == "--runs")
                options.runs = static_cast<int>(*number);
            else
                options.limit = *number;
        } else if (arg == "--json") {
            options.json = true;
        } else if (arg.starts_with("--")) {
            std::cerr << "asof-query-bench: unknown option " << arg << '\n';
            return std::nullopt;
        } else {
            positional.emplace_back(arg);
        }
    }
    if (positional.size() < 2) {
        std::cerr << "asof-query-bench: expected a case file and at least one query\n";
        return std::nullopt;
    }
    options.case_path = positional.front();
    options.queries.assign(positional.begin() + 1, positional.end());
    return options;
}

bool has_text_search(const query::Filter& filter) {
    if (filter.kind == query::Filter::Kind::text_search) return true;
    return std::any_of(filter.children.begin(), filter.children.end(), has_text_search);
}

double micros_since(Clock::time_point start, Clock::time_point end) {
    return std::chrono::duration<double, std::micro>(end - start).count();
}

// Median, 90th percentile (nearest rank) and minimum of a non-empty sample.
struct Stats {
    double median = 0, p90 = 0, min = 0;
};

Stats stats_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    Stats stats;
    stats.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    std::size_t rank = (n * 9 + 9) / 10; // ceil(0.9 n), 1-based
    stats.p90 = values[std::max<std::size_t>(rank, 1) - 1];
    stats.min = values.front();
    return stats;
}

// One query's measurements: total and per-phase times of each timed run, and what it found.
struct Measured {
    const query::PreparedQuery* prepared = nullptr;
    std::vector<double> total, names, count, list;
    std::int64_t events = 0;              // listed (or summed over the groups)
    std::optional<std::int64_t> matching; // count(), for listings
    std::optional<std::size_t> groups;    // for count by
    std::uint64_t payload_bytes = 0;      // data + meta bytes listed in one run
};

// One run of a prepared query through the executor, timed by phase; appends to `out` when
// `record` is set. Returns an error message on failure.
std::optional<std::string> run_once(query::Executor& executor, const query::PreparedQuery& prepared,
                                    std::optional<std::int64_t> limit, Measured& out, bool record) {
    auto start = Clock::now();
    auto problem = executor.check_names(prepared);
    if (!problem) return problem.error().describe();
    if (*problem) return (*problem)->message;
    auto named = Clock::now();

    std::int64_t events = 0;
    std::optional<std::int64_t> matching;
    std::optional<std::size_t> group_count;
    std::uint64_t bytes = 0;
    Clock::time_point counted;
    if (prepared.query.count_by) {
        auto groups = executor.groups(prepared);
        if (!groups) return groups.error().describe();
        counted = Clock::now();
        group_count = groups->size();
        for (const auto& group : *groups)
            events += group.count;
    } else {
        auto total = executor.count(prepared);
        if (!total) return total.error().describe();
        matching = *total;
        counted = Clock::now();
        auto listed = executor.each_event(prepared, limit, [&](const StoredEvent& event) {
            bytes += (event.data ? event.data->size() : 0) + (event.meta ? event.meta->size() : 0);
        });
        if (!listed) return listed.error().describe();
        events = *listed;
    }
    auto end = Clock::now();

    if (record) {
        bool listing = !prepared.query.count_by;
        out.total.push_back(listing ? micros_since(start, named) + micros_since(counted, end)
                                    : micros_since(start, end));
        out.names.push_back(micros_since(start, named));
        out.count.push_back(micros_since(named, counted));
        out.list.push_back(micros_since(counted, end));
    }
    out.events = events;
    out.matching = matching;
    out.groups = group_count;
    out.payload_bytes = bytes;
    return std::nullopt;
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

// The one-time full-text index update, when a query needs it.
struct IndexBuild {
    bool needed = false;
    bool usable = false;
    double millis = 0;
    std::int64_t added = 0;
};

void print_text(const Options& options, const query::Clock& clock, const IndexBuild& index,
                const std::vector<Measured>& results) {
    std::cout << "case " << options.case_path << " now " << format_utc(clock.now) << " tz "
              << options.tz << " runs " << options.runs << '\n';
    if (index.needed)
        std::cout << "text_index build_ms=" << fixed(index.millis) << " added=" << index.added
                  << " usable=" << (index.usable ? "yes" : "no") << '\n';
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Measured& m = results[i];
        Stats total = stats_of(m.total);
        std::cout << "q" << i + 1 << " median_us=" << fixed(total.median)
                  << " p90_us=" << fixed(total.p90) << " min_us=" << fixed(total.min)
                  << " events=" << m.events;
        if (m.matching) std::cout << " count=" << *m.matching;
        if (m.groups) std::cout << " groups=" << *m.groups;
        std::cout << " names_us=" << fixed(stats_of(m.names).median)
                  << " count_us=" << fixed(stats_of(m.count).median)
                  << " list_us=" << fixed(stats_of(m.list).median)
                  << " payload_bytes=" << m.payload_bytes
                  << " query=" << json_string(printable(m.prepared->text)) << '\n';
    }
}

void print_json(const Options& options, const query::Clock& clock, const IndexBuild& index,
                const std::vector<Measured>& results) {
    std::string out = "{\"case\":" + json_string(options.case_path) +
                      ",\"now\":" + json_string(format_utc(clock.now)) +
                      ",\"tz\":" + json_string(options.tz) +
                      ",\"runs\":" + std::to_string(options.runs) + ",\"text_index\":";
    if (index.needed)
        out += "{\"build_ms\":" + fixed(index.millis) +
               ",\"added\":" + std::to_string(index.added) +
               ",\"usable\":" + (index.usable ? "true" : "false") + "}";
    else
        out += "null";
    out += ",\"queries\":[";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Measured& m = results[i];
        Stats total = stats_of(m.total);
        out += std::string(i ? "," : "") + "{\"query\":" + json_string(m.prepared->text) +
               ",\"canonical\":" + json_string(m.prepared->canonical) +
               ",\"median_us\":" + fixed(total.median) + ",\"p90_us\":" + fixed(total.p90) +
               ",\"min_us\":" + fixed(total.min) + ",\"events\":" + std::to_string(m.events) +
               ",\"count\":" + (m.matching ? std::to_string(*m.matching) : "null") +
               ",\"groups\":" + (m.groups ? std::to_string(*m.groups) : "null") +
               ",\"phases_median_us\":{\"names\":" + fixed(stats_of(m.names).median) +
               ",\"count\":" + fixed(stats_of(m.count).median) +
               ",\"list\":" + fixed(stats_of(m.list).median) + "}" +
               ",\"payload_bytes\":" + std::to_string(m.payload_bytes) + ",\"runs_us\":[";
        for (std::size_t r = 0; r < m.total.size(); ++r)
            out += (r ? "," : "") + fixed(m.total[r]);
        out += "]}";
    }
    std::cout << out << "]}\n";
}

int run(const Options& options) {
    auto zone = find_zone(options.tz);
    if (!zone) {
        std::cerr << "asof-query-bench: --tz: " << zone.error().describe() << '\n';
        return exit_bad_input;
    }
    query::Clock clock{std::chrono::floor<Micros>(std::chrono::system_clock::now()), *zone};
    if (options.now) {
        auto parsed = parse_iso8601(*options.now, *zone);
        if (!parsed) {
            std::cerr << "asof-query-bench: --now: " << parsed.error().describe() << '\n';
            return exit_bad_input;
        }
        clock.now = parsed->at;
    }

    std::vector<query::PreparedQuery> prepared;
    IndexBuild index;
    for (const auto& text : options.queries) {
        auto one = query::prepare_query(text, clock);
        if (!one) {
            std::cerr << "asof-query-bench: query \"" << printable(text) << "\": column "
                      << one.error().span.begin + 1 << ": " << one.error().message << '\n';
            return exit_bad_input;
        }
        if (one->query.mode != query::Query::Mode::list) {
            std::cerr << "asof-query-bench: query \"" << printable(text)
                      << "\": only listings and counts can be timed (no replay yet)\n";
            return exit_bad_input;
        }
        if (one->query.filter && has_text_search(*one->query.filter)) index.needed = true;
        prepared.push_back(std::move(*one));
    }
    if (!is_case_file(options.case_path)) {
        std::cerr << "asof-query-bench: " << options.case_path << ": not an asof case file\n";
        return exit_bad_input;
    }

    // The one-time index build, on its own read-write connection, closed before the timing.
    if (index.needed) {
        auto rw = sql::Db::open(options.case_path, sql::Db::Mode::read_write);
        if (!rw) {
            std::cerr << "asof-query-bench: " << rw.error().describe() << '\n';
            return exit_internal;
        }
        auto start = Clock::now();
        auto added = update_text_index(*rw);
        index.millis = micros_since(start, Clock::now()) / 1000;
        if (!added) {
            std::cerr << "asof-query-bench: full-text index: " << added.error().describe() << '\n';
            return exit_internal;
        }
        index.added = *added;
    }

    auto db = open_case(options.case_path);
    if (!db) {
        std::cerr << "asof-query-bench: " << db.error().describe() << '\n';
        return exit_bad_input;
    }
    if (auto ok = db->exec("PRAGMA query_only = 1"); !ok) {
        std::cerr << "asof-query-bench: " << ok.error().describe() << '\n';
        return exit_internal;
    }
    auto current = text_index_current(*db);
    if (!current) {
        std::cerr << "asof-query-bench: " << current.error().describe() << '\n';
        return exit_internal;
    }
    index.usable = *current;
    query::Executor executor(*db, *current);

    std::vector<Measured> results(prepared.size());
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        Measured& m = results[i];
        m.prepared = &prepared[i];
        auto limit = query::effective_limit(prepared[i].query, options.limit);
        for (int r = 0; r <= options.runs; ++r) { // run 0 is the warm-up
            if (auto failed = run_once(executor, prepared[i], limit, m, r > 0)) {
                std::cerr << "asof-query-bench: query \"" << printable(prepared[i].text)
                          << "\": " << printable(*failed) << '\n';
                return exit_bad_input;
            }
        }
    }

    if (options.json)
        print_json(options, clock, index, results);
    else
        print_text(options, clock, index, results);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return asof::bench::bench_main(argc, argv, "asof-query-bench", usage_text, parse_args, run);
}
