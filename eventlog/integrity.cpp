// Integrity findings recorded at import: duplicate ids, version gaps and regressions, time
// running backwards along versions, and events dated after the import.
#include "eventlog/integrity.hpp"

#include <algorithm>
#include <unordered_set>

namespace asof {
namespace {

// Neighbours along the versions of the streams in temp.unordered_streams (ties by seq).
constexpr const char* version_walk_sql = R"sql(
SELECT seq, stream_id, version, ts, prev_seq, prev_version, prev_ts FROM (
    SELECT seq, stream_id, version, ts,
           lag(seq) OVER w AS prev_seq, lag(version) OVER w AS prev_version,
           lag(ts) OVER w AS prev_ts
    FROM events
    WHERE version IS NOT NULL
      AND seq IN (SELECT l.seq FROM event_streams l JOIN temp.unordered_streams u
                  ON l.stream_id = u.id)
    WINDOW w AS (PARTITION BY stream_id ORDER BY version, seq))
WHERE seq BETWEEN ?1 AND ?2
  AND (prev_version IS NULL AND version > 1
       OR version = prev_version OR version > prev_version + 1 OR ts < prev_ts)
ORDER BY stream_id, version, seq
)sql";

// Event ids in order: equal neighbours are duplicates. One pass over the covering index.
constexpr const char* ids_in_order_sql =
    "SELECT event_id, seq, stream_id FROM events WHERE event_id IS NOT NULL "
    "ORDER BY event_id, seq";

constexpr const char* future_sql =
    "SELECT seq, stream_id, ts FROM events WHERE ts > ?3 AND seq BETWEEN ?1 AND ?2 ORDER BY seq";

std::string show_time(std::int64_t micros) {
    return format_utc(Timestamp(Micros(micros)));
}

Finding gap_finding(std::int64_t stream, std::int64_t seq, std::int64_t version,
                    std::optional<std::int64_t> prev_version, std::int64_t prev_seq) {
    if (!prev_version)
        return {"version_gap", stream, seq,
                "stream starts at version " + std::to_string(version) +
                    "; earlier versions are missing"};
    return {"version_gap", stream, seq,
            "version " + std::to_string(version) + " follows version " +
                std::to_string(*prev_version) + " (seq " + std::to_string(prev_seq) + "); " +
                std::to_string(version - *prev_version - 1) + " missing"};
}

Finding time_finding(std::int64_t stream, std::int64_t seq, std::int64_t version, std::int64_t ts,
                     std::int64_t prev_version, std::int64_t prev_ts) {
    return {"time_backwards", stream, seq,
            "version " + std::to_string(version) + " at " + show_time(ts) +
                " is earlier than version " + std::to_string(prev_version) + " at " +
                show_time(prev_ts)};
}

} // namespace

void VersionCheck::observe(StreamVersions& stream, std::int64_t stream_id, std::int64_t seq,
                           std::int64_t version, std::int64_t ts, std::int64_t line) {
    if (stream.last_version && version <= *stream.last_version) {
        if (!stream.unordered) unordered_.push_back(stream_id);
        stream.unordered = true;
        if (version < *stream.last_version)
            findings_.push_back({"version_regression", stream_id, seq,
                                 "version " + std::to_string(version) + " at line " +
                                     std::to_string(line) + " comes after version " +
                                     std::to_string(*stream.last_version) + " (seq " +
                                     std::to_string(stream.last_seq) + ") in file order"});
        return;
    }
    if (!stream.unordered) {
        if (stream.last_version ? version > *stream.last_version + 1 : version > 1)
            findings_.push_back(
                gap_finding(stream_id, seq, version, stream.last_version, stream.last_seq));
        if (stream.last_version && ts < stream.last_ts)
            findings_.push_back(
                time_finding(stream_id, seq, version, ts, *stream.last_version, stream.last_ts));
    }
    stream.last_version = version;
    stream.last_seq = seq;
    stream.last_ts = ts;
}

std::vector<Finding> VersionCheck::take_findings() {
    std::unordered_set<std::int64_t> unordered(unordered_.begin(), unordered_.end());
    std::vector<Finding> kept;
    for (auto& finding : findings_) {
        bool rechecked = finding.kind != "version_regression" && finding.stream_id &&
                         unordered.count(*finding.stream_id);
        if (!rechecked) kept.push_back(std::move(finding));
    }
    findings_.clear();
    return kept;
}

void VersionCheck::clear() {
    findings_.clear();
    unordered_.clear();
}

Result<std::int64_t> record_findings(sql::Db& db, std::int64_t import_id, std::int64_t first_seq,
                                     std::int64_t last_seq, Timestamp import_time,
                                     VersionCheck& versions) {
    std::vector<Finding> findings = versions.take_findings();
    auto collect = [&](const char* sql_text, auto&& on_row) -> Result<void> {
        auto stmt = db.prepare(sql_text);
        if (!stmt) return tl::unexpected(stmt.error());
        if (sqlite3_bind_parameter_count(stmt->handle()) >= 2)
            stmt->bind(1, first_seq).bind(2, last_seq);
        if (sqlite3_bind_parameter_count(stmt->handle()) >= 3)
            stmt->bind(3, std::int64_t{import_time.time_since_epoch().count()});
        return stmt->each(on_row);
    };

    if (!versions.unordered_streams().empty()) {
        auto ok = db.exec("CREATE TEMP TABLE IF NOT EXISTS unordered_streams "
                          "(id INTEGER PRIMARY KEY); DELETE FROM temp.unordered_streams");
        if (!ok) return tl::unexpected(ok.error());
        auto insert = db.prepare("INSERT OR IGNORE INTO temp.unordered_streams VALUES (?1)");
        if (!insert) return tl::unexpected(insert.error());
        for (std::int64_t id : versions.unordered_streams()) {
            insert->bind(1, id);
            if (auto done = insert->run(); !done) return tl::unexpected(done.error());
        }
        ok = collect(version_walk_sql, [&](sql::Stmt& row) {
            std::int64_t seq = row.column_int(0), stream = row.column_int(1);
            std::int64_t version = row.column_int(2), ts = row.column_int(3);
            auto prev_version = row.column_opt_int(5);
            std::int64_t prev_seq = row.column_int(4);
            if (!prev_version || version > *prev_version + 1) {
                findings.push_back(gap_finding(stream, seq, version, prev_version, prev_seq));
            } else if (version == *prev_version) {
                findings.push_back({"version_duplicate", stream, seq,
                                    "version " + std::to_string(version) +
                                        " also used by the event with seq " +
                                        std::to_string(prev_seq)});
            }
            if (prev_version && ts < row.column_int(6))
                findings.push_back(
                    time_finding(stream, seq, version, ts, *prev_version, row.column_int(6)));
        });
        if (!ok) return tl::unexpected(ok.error());
    }

    std::string previous_id;
    std::int64_t previous_seq = 0;
    bool have_previous = false;
    auto ok = collect(ids_in_order_sql, [&](sql::Stmt& row) {
        std::string_view id = row.column_text(0);
        std::int64_t seq = row.column_int(1);
        if (have_previous && id == previous_id) {
            if (seq >= first_seq && seq <= last_seq)
                findings.push_back({"duplicate_event_id", row.column_int(2), seq,
                                    "event id \"" + std::string(id) +
                                        "\" was already used by the event with seq " +
                                        std::to_string(previous_seq)});
            return; // keep naming the first use
        }
        previous_id.assign(id);
        previous_seq = seq;
        have_previous = true;
    });
    if (!ok) return tl::unexpected(ok.error());

    ok = collect(future_sql, [&](sql::Stmt& row) {
        findings.push_back({"future_event", row.column_int(1), row.column_int(0),
                            "dated " + show_time(row.column_int(2)) + ", after the import at " +
                                format_utc(import_time)});
    });
    if (!ok) return tl::unexpected(ok.error());

    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return a.seq.value_or(0) < b.seq.value_or(0);
    });
    auto insert = db.prepare("INSERT INTO findings (import_id, kind, stream_id, seq, detail) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return tl::unexpected(insert.error());
    for (const auto& finding : findings) {
        insert->bind(1, import_id)
            .bind(2, finding.kind)
            .bind(3, finding.stream_id)
            .bind(4, finding.seq)
            .bind(5, finding.detail);
        if (auto done = insert->run(); !done) return tl::unexpected(done.error());
    }
    return static_cast<std::int64_t>(findings.size());
}

} // namespace asof
