// The background import (see import_job.hpp).
#include "eventlog/import_job.hpp"

#include "eventlog/case_cache.hpp"
#include "eventlog/case_reader.hpp"

#include <filesystem>

namespace asof {

ImportJob::ImportJob(std::string log, ImportOptions options)
    : log_(std::move(log)), started_(std::chrono::steady_clock::now()) {
    thread_ =
        std::thread([this, options = std::move(options)]() mutable { run(std::move(options)); });
}

ImportJob::~ImportJob() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();
}

ImportJob::Snapshot ImportJob::snapshot() const {
    std::lock_guard lock(mutex_);
    Snapshot copy = snapshot_;
    copy.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return copy;
}

void ImportJob::run(ImportOptions options) {
    auto finish = [&](Result<std::string> outcome, std::int64_t rejected) {
        std::lock_guard lock(mutex_);
        snapshot_.finished = true;
        snapshot_.outcome = std::move(outcome);
        snapshot_.rejected = rejected;
    };
    try {
        std::error_code ec;
        if (!std::filesystem::exists(log_, ec)) return finish(fail("no such file", log_), 0);
        if (is_case_file(log_)) return finish(log_, 0);
        auto path = cached_case_path(log_, options);
        if (!path) return finish(tl::unexpected(path.error()), 0);
        auto reusable = reuse_cached_case(*path);
        if (!reusable) return finish(tl::unexpected(reusable.error()), 0);
        if (*reusable) return finish(*path, 0);
        std::filesystem::create_directories(cache_directory(), ec);
        if (ec)
            return finish(
                fail("cannot create the cache folder: " + ec.message(), cache_directory()), 0);
        options.cancel = &cancel_;
        options.on_progress = [this](const ImportProgress& progress) {
            std::lock_guard lock(mutex_);
            snapshot_.progress = progress;
        };
        auto outcome = import_sources({log_}, *path, options);
        if (!outcome) return finish(tl::unexpected(outcome.error()), 0);
        finish(*path, outcome->sources.empty() ? 0 : outcome->sources.front().rejected);
    } catch (const std::exception& failure) {
        finish(fail(std::string("internal error: ") + failure.what(), log_), 0);
    }
}

} // namespace asof
