// Recomputes a case file's hash chain and checks its sources, to tell whether anything changed.
#pragma once

#include "eventlog/sqlite.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace asof {

struct SourceCheck {
    std::string path;
    std::string status; // "unchanged", "changed", "missing" (not found at its recorded path)
};

struct VerifyReport {
    std::int64_t events_checked = 0;
    std::vector<std::string> problems; // empty when the case is as it was imported
    std::vector<SourceCheck> sources;  // filled when sources were checked
    std::string head;                  // hex of the recomputed chain head
    bool ok() const { return problems.empty(); }
};

// Walks every event in seq order, recomputing each hash from the stored fields and comparing
// it with the stored hash and each import's recorded head and counts. Problems name the event
// (seq, source and line). With `check_sources`, re-hashes each source still at its path.
Result<VerifyReport> verify_case(sql::Db& db, bool check_sources);

} // namespace asof
