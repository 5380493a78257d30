// asof-ocel-drain: reads an OCEL 2.0 log (JSON, XML or SQLite) through its RowSource without
// writing a case, and prints what it gave (events, objects, attribute values, relations,
// findings, rejects), the time taken and the peak resident memory. For checking the three
// serialisations of one log against each other by hand and for timing the sources alone.
#include "bench/bench_support.hpp"
#include "eventlog/row_source.hpp"

#include <chrono>
#include <string>
#include <sys/resource.h>

namespace {

struct Options {
    std::string format, path;
};

constexpr const char* usage = "usage: asof-ocel-drain ocel-json|ocel-xml|ocel-sqlite FILE\n";

} // namespace

int main(int argc, char** argv) {
    using namespace asof;
    return bench::bench_main(
        argc, argv, "asof-ocel-drain", usage,
        [](int count, char** args) -> std::optional<Options> {
            if (count != 3) return std::nullopt;
            std::string format = args[1];
            if (format != "ocel-json" && format != "ocel-xml" && format != "ocel-sqlite")
                return std::nullopt;
            return Options{format, args[2]};
        },
        [](const Options& options) {
            auto start = std::chrono::steady_clock::now();
            auto source = options.format == "ocel-json" ? open_ocel_json_source(options.path, {})
                          : options.format == "ocel-xml"
                              ? open_ocel_xml_source(options.path, {})
                              : open_ocel_sqlite_source(options.path, {});
            if (!source) {
                std::cerr << source.error().describe() << '\n';
                return bench::exit_bad_input;
            }
            std::int64_t events = 0, links = 0, streams = 0, attributes = 0, initial = 0,
                         relations = 0, findings = 0, rejects = 0;
            for (bool more = true; more;) {
                RowBatch batch;
                auto next = (*source)->next(batch);
                if (!next) {
                    std::cerr << next.error().describe() << '\n';
                    return bench::exit_bad_input;
                }
                more = *next;
                events += static_cast<std::int64_t>(batch.events.size());
                for (const auto& event : batch.events)
                    links += 1 + static_cast<std::int64_t>(event.links.size());
                streams += static_cast<std::int64_t>(batch.streams.size());
                attributes += static_cast<std::int64_t>(batch.attributes.size());
                for (const auto& attribute : batch.attributes)
                    initial += !attribute.ts;
                relations += static_cast<std::int64_t>(batch.relations.size());
                findings += static_cast<std::int64_t>(batch.findings.size());
                rejects += static_cast<std::int64_t>(batch.rejects.size());
            }
            double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            rusage usage_now{};
            getrusage(RUSAGE_SELF, &usage_now);
            std::cout << "events " << events << "  event-object links " << links << "  objects "
                      << streams << "  attribute values " << attributes << " (initial " << initial
                      << ")  relations " << relations << "  findings " << findings << "  rejects "
                      << rejects << "\nseconds " << seconds << "  events/s "
                      << (seconds > 0 ? static_cast<double>(events) / seconds : 0.0)
                      << "  peak RSS MiB " << usage_now.ru_maxrss / 1024 << '\n';
            return 0;
        });
}
