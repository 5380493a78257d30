// Resolves a CASE argument: a case file as it is, or a log imported once into the user's cache.
#pragma once

#include "app/cli.hpp"
#include "eventlog/case_cache.hpp"
#include "eventlog/import.hpp"

namespace asof {

// The path of a case file for `argument`: the argument itself when it is a case file;
// otherwise the argument is a log, imported with `options` into the cache (keyed by the log's
// SHA-256 and the options) unless it is there already.
Result<std::string> resolve_case(const std::string& argument, ImportOptions options,
                                 CliContext& context);

// A progress callback that redraws one line on a terminal: bytes, events/s and time left.
std::function<void(const ImportProgress&)> terminal_progress(CliContext& context);

} // namespace asof
