// asof-source-bench: times the parsing half of an import on its own: drains a log's RowSource
// (any format asof imports, as the importer's reader thread does) and writes nothing. Prints
// what it gave (events, rejects, declared streams, attribute values and how many are initial,
// further links, relations, findings), wall and CPU seconds and events/s, and with --show the
// first rows of each kind, to check a format's mapping by hand (for instance the three
// serialisations of one OCEL 2.0 log). Used by bench/format-bench --drain; method and results
// in bench/RESULTS.md.
#include "eventlog/row_source.hpp"

#include "bench/bench_support.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace asof;
using namespace asof::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* usage_text =
    "usage: asof-source-bench FILE [--format FORMAT] [--show N]\n"
    "\n"
    "  FILE      a log of any format asof imports\n"
    "  --format  as asof import's --format (default auto: from the extension, then the content)\n"
    "  --show N  also print the first N events, streams, attributes and rejects\n"
    "            (to check the mapping by hand)\n";

struct Options {
    std::string path;
    std::string format;
    std::int64_t show = 0;
};

std::optional<Options> parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--format" && i + 1 < argc) {
            options.format = argv[++i];
        } else if (arg == "--show" && i + 1 < argc) {
            auto n = positive(argv[++i]);
            if (!n) return std::nullopt;
            options.show = *n;
        } else if (!arg.starts_with("-") && options.path.empty()) {
            options.path = arg;
        } else {
            return std::nullopt;
        }
    }
    if (options.path.empty()) return std::nullopt;
    if (options.format.empty()) options.format = "auto";
    return options;
}

struct Counts {
    std::int64_t events = 0, rejects = 0, streams = 0, attributes = 0, initial = 0, links = 0,
                 relations = 0, findings = 0;
    std::string format;
};

// Prints the first `limit` items of each kind (a hand check of the mapping).
void show(const RowBatch& batch, const Counts& before, std::int64_t limit) {
    for (std::size_t i = 0; i < batch.streams.size() && before.streams + std::int64_t(i) < limit;
         ++i)
        std::printf("stream %s kind=%s key=%s\n", batch.streams[i].name.c_str(),
                    batch.streams[i].kind.value_or("-").c_str(),
                    batch.streams[i].key.value_or("-").c_str());
    for (std::size_t i = 0;
         i < batch.attributes.size() && before.attributes + std::int64_t(i) < limit; ++i)
        std::printf("attribute %s %s=%s\n", batch.attributes[i].stream.c_str(),
                    batch.attributes[i].name.c_str(), batch.attributes[i].value.c_str());
    for (std::size_t i = 0; i < batch.events.size() && before.events + std::int64_t(i) < limit;
         ++i) {
        const EventRow& e = batch.events[i];
        std::printf("event line %lld %s %s type=%s actor=%s%s data=%s\n",
                    static_cast<long long>(e.line), e.stream.c_str(), format_utc(e.ts).c_str(),
                    e.type.value_or("-").c_str(), e.actor.value_or("-").c_str(),
                    e.naive_time ? " (naive)" : "", e.data.value_or("-").c_str());
    }
    for (std::size_t i = 0; i < batch.rejects.size() && before.rejects + std::int64_t(i) < limit;
         ++i)
        std::printf("reject line %lld %s: %s\n", static_cast<long long>(batch.rejects[i].line),
                    batch.rejects[i].place.c_str(), batch.rejects[i].reason.c_str());
}

Result<Counts> drain(const std::string& path, const std::string& format, std::int64_t limit) {
    auto source = open_row_source(path, format, RowSourceOptions{});
    if (!source) return tl::unexpected(source.error());
    Counts counts;
    RowBatch batch;
    for (bool more = true; more;) {
        batch = RowBatch{};
        auto got = (*source)->next(batch);
        if (!got) return tl::unexpected(got.error());
        more = *got;
        if (limit) show(batch, counts, limit);
        counts.events += static_cast<std::int64_t>(batch.events.size());
        counts.rejects += static_cast<std::int64_t>(batch.rejects.size());
        counts.streams += static_cast<std::int64_t>(batch.streams.size());
        counts.attributes += static_cast<std::int64_t>(batch.attributes.size());
        for (const auto& attribute : batch.attributes)
            counts.initial += attribute.ts ? 0 : 1;
        for (const auto& event : batch.events)
            counts.links += static_cast<std::int64_t>(event.links.size());
        counts.relations += static_cast<std::int64_t>(batch.relations.size());
        counts.findings += static_cast<std::int64_t>(batch.findings.size());
    }
    counts.format = (*source)->format();
    return counts;
}

int run(const Options& options) {
    auto begin = Clock::now();
    std::clock_t cpu_begin = std::clock();
    auto counts = drain(options.path, options.format, options.show);
    double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    double cpu = static_cast<double>(std::clock() - cpu_begin) / CLOCKS_PER_SEC;
    if (!counts) {
        std::cerr << "asof-source-bench: " << counts.error().describe() << '\n';
        return exit_bad_input;
    }
    std::printf("format %s events %lld rejects %lld streams %lld attributes %lld seconds %.3f "
                "cpu %.3f events/s %.0f initial %lld links %lld relations %lld findings %lld\n",
                counts->format.c_str(), static_cast<long long>(counts->events),
                static_cast<long long>(counts->rejects), static_cast<long long>(counts->streams),
                static_cast<long long>(counts->attributes), seconds, cpu,
                seconds > 0 ? static_cast<double>(counts->events) / seconds : 0.0,
                static_cast<long long>(counts->initial), static_cast<long long>(counts->links),
                static_cast<long long>(counts->relations),
                static_cast<long long>(counts->findings));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main(argc, argv, "asof-source-bench", usage_text, parse, run);
}
