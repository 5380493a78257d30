// Where a log given in place of a case is imported: one case file per log content and import
// options, in the user's cache folder, so that the next command (or the console) reuses it.
#pragma once

#include "eventlog/import.hpp"

#include <string>

namespace asof {

// The cache folder: $XDG_CACHE_HOME/asof, else $HOME/.cache/asof.
std::string cache_directory();

// The cache path of the case for `log` imported with `options`: keyed by the log's SHA-256 and
// the options that shape the case. The file may not exist yet.
Result<std::string> cached_case_path(const std::string& log, const ImportOptions& options);

// Whether a cached case exists at `path` and can be used: one written by an older asof is
// migrated in place first (the cache is asof's own, derived from the log).
Result<bool> reuse_cached_case(const std::string& path);

} // namespace asof
