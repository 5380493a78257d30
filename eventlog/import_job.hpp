// An import running on a background thread, for the console: the window keeps drawing while a
// log is imported into the cache, shows the latest progress, and can cancel it.
#pragma once

#include "eventlog/import.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace asof {

class ImportJob {
public:
    // Starts importing `log` into its cache case (case_cache.hpp), or finishes at once when the
    // log is a case file or is cached already.
    ImportJob(std::string log, ImportOptions options);
    ~ImportJob(); // cancels and joins
    ImportJob(const ImportJob&) = delete;
    ImportJob& operator=(const ImportJob&) = delete;

    struct Snapshot {
        ImportProgress progress;
        double seconds = 0; // since the start
        bool finished = false;
        std::optional<Result<std::string>> outcome; // the case path, or why not
        std::int64_t rejected = 0;                  // in the finished import
    };
    Snapshot snapshot() const;
    void cancel() { cancel_ = true; }
    const std::string& log() const { return log_; }

private:
    void run(ImportOptions options);

    std::string log_;
    std::atomic<bool> cancel_{false};
    std::chrono::steady_clock::time_point started_;
    mutable std::mutex mutex_;
    Snapshot snapshot_;
    std::thread thread_;
};

} // namespace asof
