// Imports source logs into a case file: atomically, never writing the source, counting every line.
#pragma once

#include "eventlog/result.hpp"
#include "eventlog/time.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <memory>
#include <vector>

namespace asof {

class RowSource;

// What an import is doing: reading a source (with byte counts), then the whole-case steps after
// the last source, then done.
enum class ImportPhase { reading, indexing, checking, done };

struct ImportProgress {
    ImportPhase phase = ImportPhase::reading;
    std::string source;
    std::uint64_t raw_bytes = 0; // bytes of the source file read so far
    std::uint64_t raw_total = 0; // the source file's size
    std::int64_t events = 0;
    std::int64_t rejected = 0;
};

struct ImportOptions {
    // auto | jsonl | csv | xes | ocel-json | ocel-xml | ocel-sqlite | sqlite
    std::string format = "auto";
    std::vector<std::string> map;  // KEY=FIELD overrides
    std::string source_tz = "UTC"; // zone of naive times
    bool strict = false;           // stop at the first reject, keep nothing
    std::optional<char> delimiter;     // CSV; default: sniffed from the header row
    std::optional<std::string> table;  // the table of a SQLite snapshot
    std::optional<Timestamp> now;  // the import's clock; default: the system clock
    std::function<void(const ImportProgress&)> on_progress; // called a few times a second
    const std::atomic<bool>* cancel = nullptr;              // set to stop the import
    // How a source path becomes a RowSource; default: open_row_source() with the options above.
    // Tests use it to feed rows of formats this build may not read.
    std::function<Result<std::unique_ptr<RowSource>>(const std::string& path)> open_source;
};

// The options that shape a case's content, as canonical JSON (cache key and import record).
std::string import_options_json(const ImportOptions& options);

struct SourceOutcome {
    std::string path;
    std::string sha256; // hex; "<hex>#table=NAME" for a table of a SQLite snapshot
    std::string format;
    std::int64_t lines = 0; // non-empty lines, rows or elements read
    std::int64_t events = 0;
    std::int64_t rejected = 0;
    std::int64_t naive_times = 0, zoned_times = 0;
    std::int64_t attributes = 0, relations = 0;
    std::int64_t findings = 0;
    bool already_imported = false; // the case already held a source with this hash
};

struct ImportOutcome {
    std::vector<SourceOutcome> sources;
};

// Imports `sources` into the case file at `case_path`. A new case file is built under a
// temporary name and renamed into place only when every source succeeded; an existing one is
// changed in one transaction. A source whose SHA-256 the case already holds adds nothing.
// Refuses to write over a source. With `strict`, the first reject fails the whole import.
Result<ImportOutcome> import_sources(const std::vector<std::string>& sources,
                                     const std::string& case_path, const ImportOptions& options);

} // namespace asof
