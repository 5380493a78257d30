// Recomputes a case file's hash chain and checks its sources, to tell whether anything changed.
#include "eventlog/verify.hpp"

#include "eventlog/hash_chain.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace asof {
namespace {

constexpr std::size_t max_listed_problems = 20;

// Consistency of what the chain does not cover: the stream index, the rejects and each stream's
// stored count and span.
const std::pair<const char*, const char*> structural_checks[] = {
    {"SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_streams l "
     "WHERE l.stream_id = e.stream_id AND l.ts = e.ts AND l.seq = e.seq)",
     "events are missing from their stream's index (event_streams)"},
    {"SELECT count(*) FROM event_streams l WHERE NOT EXISTS "
     "(SELECT 1 FROM events e WHERE e.seq = l.seq AND e.ts = l.ts)",
     "stream links point to no event or carry another time (event_streams)"},
    {"SELECT count(*) FROM imports i WHERE i.rejected <> "
     "(SELECT count(*) FROM rejects r WHERE r.import_id = i.id)",
     "imports hold another number of rejected lines than they recorded: rejects were added or "
     "deleted after import"},
    {"SELECT count(*) FROM streams s LEFT JOIN (SELECT stream_id, count(*) AS n, min(ts) AS "
     "first, max(ts) AS last FROM event_streams GROUP BY stream_id) c ON c.stream_id = s.id "
     "WHERE s.events <> coalesce(c.n, 0) OR s.first_ts IS NOT c.first OR s.last_ts IS NOT c.last",
     "streams carry another event count or time span than their events (streams.events)"},
};

struct ImportRecord {
    std::string name, path, sha256;
    std::int64_t events = 0, counted = 0;
    std::optional<std::int64_t> last_seq;
    std::vector<unsigned char> head;
};

std::optional<std::string_view> opt_text(const sql::Stmt& row, int col) {
    if (row.column_is_null(col)) return std::nullopt;
    return row.column_text(col);
}

// Recomputes each import's side chain (further event links, stream attributes, relations) and
// compares it with the head recorded at import; an import without one must have none of them.
template <class Problem> Result<void> check_side_chains(sql::Db& db, Problem& problem) {
    std::map<std::int64_t, SideChain> chains;
    Sha256 hasher;
    std::string canonical;
    auto links = db.prepare("SELECT e.import_id, l.seq, s.name, l.qualifier FROM event_streams l "
                            "JOIN events e ON e.seq = l.seq JOIN streams s ON s.id = l.stream_id "
                            "WHERE l.stream_id <> e.stream_id ORDER BY l.seq, s.name");
    if (!links) return tl::unexpected(links.error());
    auto walked = links->each([&](const sql::Stmt& row) {
        SideChain& chain = chains[row.column_int(0)];
        canonical_link_bytes(row.column_int(1), row.column_text(2), opt_text(row, 3), canonical);
        chain.links = chain_next(hasher, chain.links, canonical);
        ++chain.count;
    });
    if (!walked) return tl::unexpected(walked.error());
    auto attributes =
        db.prepare("SELECT a.import_id, s.name, a.ts, a.name, a.value FROM stream_attributes a "
                   "LEFT JOIN streams s ON s.id = a.stream_id ORDER BY a.id");
    if (!attributes) return tl::unexpected(attributes.error());
    walked = attributes->each([&](const sql::Stmt& row) {
        SideChain& chain = chains[row.column_int(0)];
        canonical_attribute_bytes(row.column_text(1), row.column_opt_int(2), row.column_text(3),
                                  row.column_text(4), canonical);
        chain.attributes = chain_next(hasher, chain.attributes, canonical);
        ++chain.count;
    });
    if (!walked) return tl::unexpected(walked.error());
    auto relations = db.prepare(
        "SELECT r.import_id, f.name, t.name, r.qualifier FROM stream_relations r "
        "LEFT JOIN streams f ON f.id = r.from_stream LEFT JOIN streams t ON t.id = r.to_stream "
        "ORDER BY r.rowid");
    if (!relations) return tl::unexpected(relations.error());
    walked = relations->each([&](const sql::Stmt& row) {
        SideChain& chain = chains[row.column_int(0)];
        canonical_relation_bytes(row.column_text(1), row.column_text(2), opt_text(row, 3),
                                 canonical);
        chain.relations = chain_next(hasher, chain.relations, canonical);
        ++chain.count;
    });
    if (!walked) return tl::unexpected(walked.error());

    auto recorded = db.prepare("SELECT id, source_name, side_chain_head FROM imports ORDER BY id");
    if (!recorded) return tl::unexpected(recorded.error());
    walked = recorded->each([&](const sql::Stmt& row) {
        auto found = chains.find(row.column_int(0));
        std::string name(row.column_text(1));
        auto blob = row.column_blob(2);
        bool has_head = !row.column_is_null(2);
        if (found == chains.end()) {
            if (has_head)
                problem("the stream links, attributes and relations of " + name +
                        " were deleted after import");
            return;
        }
        Digest head = found->second.head(hasher);
        if (!has_head || !std::equal(blob.begin(), blob.end(), head.begin(), head.end()))
            problem("the stream links, attributes or relations of " + name +
                    " were changed after import");
        chains.erase(found);
    });
    if (!walked) return tl::unexpected(walked.error());
    if (!chains.empty())
        problem("stream links, attributes or relations belong to no recorded import");
    return {};
}

} // namespace

Result<VerifyReport> verify_case(sql::Db& db, bool check_sources) {
    VerifyReport report;
    std::map<std::int64_t, ImportRecord> imports;
    auto list = db.prepare(
        "SELECT id, source_name, source_path, source_sha256, events, last_seq, chain_head "
        "FROM imports ORDER BY id");
    if (!list) return tl::unexpected(list.error());
    auto listed = list->each([&](const sql::Stmt& row) {
        auto blob = row.column_blob(6);
        imports[row.column_int(0)] = {std::string(row.column_text(1)),
                                      std::string(row.column_text(2)),
                                      std::string(row.column_text(3)),
                                      row.column_int(4),
                                      0,
                                      row.column_opt_int(5),
                                      std::vector<unsigned char>(blob.begin(), blob.end())};
    });
    if (!listed) return tl::unexpected(listed.error());

    std::size_t problems = 0;
    auto problem = [&](std::string text) {
        if (++problems <= max_listed_problems) report.problems.push_back(std::move(text));
    };
    auto events = db.prepare(
        "SELECT e.seq, e.event_id, e.ts, e.recorded_ts, e.type, s.name, e.version, e.actor, "
        "p.data, p.meta, p.hash, e.import_id, e.line FROM events e "
        "LEFT JOIN streams s ON s.id = e.stream_id LEFT JOIN event_payloads p ON p.seq = e.seq "
        "ORDER BY e.seq");
    if (!events) return tl::unexpected(events.error());

    // The chain may continue from the recomputed value (the event's data is intact and only its
    // stored hash changed) or from the stored one (the data changed): after a mismatch both are
    // tried on the next event, which tells them apart and keeps one edit to one report.
    std::vector<Digest> candidates{chain_genesis};
    std::optional<std::string> pending; // the mismatched event, until the next one decides
    auto settle = [&](const char* cause) {
        if (pending) problem(*pending + cause);
        pending.reset();
    };
    Digest current = chain_genesis;
    Sha256 hasher;
    std::string canonical;
    auto walked = events->each([&](const sql::Stmt& e) {
        CanonicalFields fields;
        fields.event_id = opt_text(e, 1);
        fields.ts = e.column_int(2);
        fields.recorded_ts = e.column_opt_int(3);
        fields.type = opt_text(e, 4);
        fields.stream = e.column_text(5);
        fields.version = e.column_opt_int(6);
        fields.actor = opt_text(e, 7);
        fields.data = opt_text(e, 8);
        fields.meta = opt_text(e, 9);
        canonical_bytes(fields, canonical);
        ++report.events_checked;

        std::int64_t seq = e.column_int(0);
        auto blob = e.column_blob(10);
        Digest stored{};
        bool stored_ok = blob.size() == stored.size();
        if (stored_ok) std::copy(blob.begin(), blob.end(), stored.begin());
        std::optional<std::size_t> matched;
        Digest first_calc{};
        for (std::size_t i = 0; i < candidates.size() && !matched; ++i) {
            Digest calc = chain_next(hasher, candidates[i], canonical);
            if (i == 0) first_calc = calc;
            if (stored_ok && calc == stored) matched = i;
        }
        settle(!matched        ? ": it was changed after import"
               : *matched == 0 ? ": its stored hash was changed after import"
                               : ": its content was changed after import");

        auto found = imports.find(e.column_int(11));
        std::string where = found == imports.end()
                                ? "an unknown import"
                                : found->second.name + ":" + std::to_string(e.column_int(12));
        if (matched) {
            current = stored;
            candidates = {stored};
        } else {
            current = first_calc;
            pending =
                "event seq " + std::to_string(seq) + " (" + where + ") does not match its hash";
            candidates = {first_calc};
            if (stored_ok) candidates.push_back(stored);
        }
        if (found == imports.end()) {
            problem("event seq " + std::to_string(seq) + " belongs to no recorded import");
            return;
        }
        ++found->second.counted;
        if (found->second.last_seq == seq &&
            !std::equal(found->second.head.begin(), found->second.head.end(), current.begin(),
                        current.end()))
            problem("the chain head recorded for " + found->second.name +
                    " does not match its events");
    });
    if (!walked) return tl::unexpected(walked.error());
    settle(": the event or its stored hash was changed after import");
    for (const auto& [id, record] : imports)
        if (record.counted != record.events)
            problem(record.name + " recorded " + std::to_string(record.events) +
                    " events but the case holds " + std::to_string(record.counted) +
                    ": events were added or deleted after import");

    for (const auto& [sql_text, message] : structural_checks) {
        auto count = db.scalar_int(sql_text);
        if (!count) return tl::unexpected(count.error());
        if (*count > 0) problem(std::to_string(*count) + " " + message);
    }
    if (auto ok = check_side_chains(db, problem); !ok) return tl::unexpected(ok.error());
    if (problems > max_listed_problems)
        report.problems.push_back("... and " + std::to_string(problems - max_listed_problems) +
                                  " more problems");
    report.head = to_hex(current);

    if (check_sources) {
        for (const auto& [id, record] : imports) {
            std::error_code ec;
            if (!std::filesystem::exists(record.path, ec)) {
                report.sources.push_back({record.path, "missing"});
                continue;
            }
            auto digest = sha256_file(record.path);
            // A table of a SQLite snapshot is recorded as "<sha256>#table=NAME".
            std::string_view recorded = record.sha256;
            recorded = recorded.substr(0, recorded.find('#'));
            report.sources.push_back(
                {record.path, digest && to_hex(*digest) == recorded ? "unchanged" : "changed"});
        }
    }
    return report;
}

} // namespace asof
