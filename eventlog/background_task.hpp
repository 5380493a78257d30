// One piece of work on its own thread, for the console: the window keeps drawing while a query
// runs or streams are counted, polls done() each frame, then takes the result. The work gets a
// cancel flag; destroying the task cancels it and waits. The work must use its own SQLite
// connection. `on_done`, if set, is called on the task's thread once the result is ready (the
// app wakes its event loop with it, so an idle window need not poll).
#pragma once

#include "eventlog/result.hpp"

#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <thread>

namespace asof {

template <class T> class BackgroundTask {
public:
    using Work = std::function<Result<T>(const std::atomic<bool>& cancel)>;

    explicit BackgroundTask(Work work, std::function<void()> on_done = {})
        : thread_([this, work = std::move(work), on_done = std::move(on_done)] {
              try {
                  result_ = work(cancel_);
              } catch (const std::exception& failure) {
                  result_ = fail(std::string("internal error: ") + failure.what());
              }
              done_ = true;
              if (on_done) on_done();
          }) {}
    ~BackgroundTask() {
        cancel_ = true;
        if (thread_.joinable()) thread_.join();
    }
    BackgroundTask(const BackgroundTask&) = delete;
    BackgroundTask& operator=(const BackgroundTask&) = delete;

    bool done() const { return done_.load(); }
    void cancel() { cancel_ = true; }
    // The result; call once, after done() said true.
    Result<T> take() {
        thread_.join();
        return std::move(*result_);
    }

private:
    std::atomic<bool> cancel_{false}, done_{false};
    std::optional<Result<T>> result_;
    std::thread thread_; // last: starts after the members it uses exist
};

} // namespace asof
