// The asof command line, callable in-process: run_cli(args, ...) is what main() and tests call.
#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace asof {

// Exit codes, documented in the README.
enum ExitCode : int {
    exit_ok = 0,
    exit_usage = 2,         // the command line is wrong
    exit_bad_input = 3,     // a source, case, stream or time argument cannot be used
    exit_verify_failed = 4, // asof verify found the case changed since import
    exit_bad_query = 5,     // a query does not parse, or names no stream, type or actor
    exit_interrupted = 130, // Ctrl+C
    exit_internal = 70,     // a bug or an environment failure (disk full, ...)
};

struct CliContext {
    std::ostream& out;
    std::ostream& err;
    bool err_is_terminal = false;              // show a live progress line on `err`
    const std::atomic<bool>* cancel = nullptr; // set by the SIGINT handler
};

// Runs one asof command; args excludes the program name. Never throws.
int run_cli(const std::vector<std::string>& args, CliContext& context);

} // namespace asof
