// asof-source-bench: times the parsing half of an import on its own. For an XES log it drains
// the XES RowSource (expat, streaming, batches of a few thousand events); for JSON Lines it reads
// the file with the same SourceReader and turns every line into an EventRow with JsonlParser,
// as the importer's reader thread does. Nothing is written. Prints events, rejects, streams,
// wall and CPU seconds and events/s. Used by bench/xes-bench; method and results in
// bench/RESULTS.md.
#include "eventlog/jsonl_parser.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/source_reader.hpp"

#include "bench/bench_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace asof;
using namespace asof::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* usage_text = "usage: asof-source-bench FILE [--format xes|jsonl] [--show N]\n"
                                   "\n"
                                   "  FILE      an XES log (.xes, .xes.gz) or a JSON Lines log\n"
                                   "  --format  default: jsonl when FILE ends in .jsonl or "
                                   ".jsonl.gz, else xes\n"
                                   "  --show N  XES: also print the first N events, streams, "
                                   "attributes and rejects\n"
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
    if (options.format.empty())
        options.format = options.path.ends_with(".jsonl") || options.path.ends_with(".jsonl.gz")
                             ? "jsonl"
                             : "xes";
    if (options.format != "xes" && options.format != "jsonl") return std::nullopt;
    return options;
}

struct Counts {
    std::int64_t events = 0, rejects = 0, streams = 0, attributes = 0;
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

Result<Counts> drain_xes(const std::string& path, std::int64_t limit) {
    auto source = open_xes_source(path, RowSourceOptions{});
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
    }
    return counts;
}

// Lines split as the importer splits them (padding after each line for simdjson).
Result<Counts> drain_jsonl(const std::string& path) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    auto map = FieldMap::from_overrides({});
    if (!map) return tl::unexpected(map.error());
    JsonlParser parser(std::move(*map), nullptr);
    Counts counts;
    std::vector<char> buffer(std::size_t{4} << 20);
    std::string line;
    std::size_t have = 0;
    auto parse_line = [&](const char* begin, std::size_t size) {
        if (size == 0) return;
        line.assign(begin, size);
        line.append(JsonlParser::padding, ' ');
        EventRow row;
        if (parser.parse(std::string_view(line.data(), size), row))
            ++counts.events;
        else
            ++counts.rejects;
    };
    for (;;) {
        auto got = reader->read(buffer.data() + have, buffer.size() - have);
        if (!got) return tl::unexpected(got.error());
        have += *got;
        std::size_t start = 0;
        for (;;) {
            auto* newline =
                static_cast<char*>(std::memchr(buffer.data() + start, '\n', have - start));
            if (!newline) break;
            auto end = static_cast<std::size_t>(newline - buffer.data());
            parse_line(buffer.data() + start, end - start);
            start = end + 1;
        }
        if (*got == 0) {
            parse_line(buffer.data() + start, have - start);
            break;
        }
        std::memmove(buffer.data(), buffer.data() + start, have - start);
        have -= start;
        if (have == buffer.size()) buffer.resize(buffer.size() * 2);
    }
    return counts;
}

int run(const Options& options) {
    auto begin = Clock::now();
    std::clock_t cpu_begin = std::clock();
    auto counts =
        options.format == "xes" ? drain_xes(options.path, options.show) : drain_jsonl(options.path);
    double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    double cpu = static_cast<double>(std::clock() - cpu_begin) / CLOCKS_PER_SEC;
    if (!counts) {
        std::cerr << "asof-source-bench: " << counts.error().describe() << '\n';
        return exit_bad_input;
    }
    std::printf("format %s events %lld rejects %lld streams %lld attributes %lld seconds %.3f "
                "cpu %.3f events/s %.0f\n",
                options.format.c_str(), static_cast<long long>(counts->events),
                static_cast<long long>(counts->rejects), static_cast<long long>(counts->streams),
                static_cast<long long>(counts->attributes), seconds, cpu,
                seconds > 0 ? static_cast<double>(counts->events) / seconds : 0.0);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main(argc, argv, "asof-source-bench", usage_text, parse, run);
}
