// Resolves a CASE argument: a case file as it is, or a log imported once into the user's cache.
#include "app/case_source.hpp"

#include "eventlog/case_cache.hpp"
#include "eventlog/case_reader.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace asof {

Result<std::string> resolve_case(const std::string& argument, ImportOptions options,
                                 CliContext& context) {
    std::error_code ec;
    if (!std::filesystem::exists(argument, ec)) return fail("no such file", argument);
    if (is_case_file(argument)) return argument;

    auto cached = cached_case_path(argument, options);
    if (!cached) return tl::unexpected(cached.error());
    const std::string& path = *cached;
    std::string directory = cache_directory();
    auto reusable = reuse_cached_case(path);
    if (!reusable) return tl::unexpected(reusable.error());
    if (*reusable) return path;

    std::filesystem::create_directories(directory, ec);
    if (ec) return fail("cannot create the cache folder: " + ec.message(), directory);
    if (context.err_is_terminal) options.on_progress = terminal_progress(context);
    options.cancel = context.cancel;
    auto outcome = import_sources({argument}, path, options);
    if (!outcome) return tl::unexpected(outcome.error());
    const SourceOutcome& source = outcome->sources.front();
    context.err << argument << ": " << source.events << " imported, " << source.rejected
                << " rejected (cached as " << path << ")\n";
    return path;
}

std::function<void(const ImportProgress&)> terminal_progress(CliContext& context) {
    auto started = std::chrono::steady_clock::now();
    return [&context, started](const ImportProgress& progress) {
        switch (progress.phase) {
        case ImportPhase::indexing:
            context.err << "\rbuilding indexes\x1b[K" << std::flush;
            return;
        case ImportPhase::checking:
            context.err << "\rlinking streams and checking integrity\x1b[K" << std::flush;
            return;
        case ImportPhase::done:
            context.err << "\r\x1b[K" << std::flush;
            return;
        case ImportPhase::reading:
            break;
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        double mib = static_cast<double>(progress.raw_bytes) / (1 << 20);
        double total = static_cast<double>(progress.raw_total) / (1 << 20);
        double rate = seconds > 0 ? static_cast<double>(progress.events) / seconds : 0;
        double fraction = progress.raw_total ? static_cast<double>(progress.raw_bytes) /
                                                   static_cast<double>(progress.raw_total)
                                             : 1.0;
        double left = fraction > 0 ? seconds / fraction - seconds : 0;
        char line[160];
        std::snprintf(
            line, sizeof line,
            "\r%.1f / %.1f MiB  %3.0f%%  %lld events  %.0f events/s  %.0f s left to read\x1b[K",
            mib, total, fraction * 100, static_cast<long long>(progress.events), rate, left);
        context.err << line << std::flush;
    };
}

} // namespace asof
