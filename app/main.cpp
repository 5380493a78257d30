// Entry point of the `asof` command-line tool: signals, terminal detection, then run_cli().
#include "app/cli.hpp"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace {

std::atomic<bool> cancel_requested{false};

// First Ctrl+C asks the running import to stop cleanly; a second one ends the process.
extern "C" void on_interrupt(int) {
    cancel_requested.store(true);
    std::signal(SIGINT, SIG_DFL);
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGINT, on_interrupt);
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    asof::CliContext context{std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1, &cancel_requested};
    int code = asof::run_cli(args, context);
    std::cout.flush();
    return code;
}
