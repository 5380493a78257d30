// Read-only access to a case file: its summary, sources, rejects, findings and events.
#include "eventlog/case_reader.hpp"

#include "eventlog/case_schema.hpp"
#include "eventlog/sha256.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace asof {
namespace {

Timestamp from_micros(std::int64_t value) {
    return Timestamp(Micros(value));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

bool is_case_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char header[72] = {};
    if (!in.read(header, sizeof header)) return false;
    if (std::string_view(header, 16) != std::string_view("SQLite format 3\0", 16)) return false;
    // The application id is the big-endian 32-bit integer at offset 68 of the header.
    std::uint32_t id = 0;
    for (int i = 68; i < 72; ++i)
        id = (id << 8) | static_cast<unsigned char>(header[i]);
    return id == static_cast<std::uint32_t>(case_application_id);
}

Result<sql::Db> open_case(const std::string& path) {
    if (!is_case_file(path)) return fail("not an asof case file", path);
    auto db = sql::Db::open(path, sql::Db::Mode::read_only);
    if (!db) return db;
    auto version = db->scalar_int("PRAGMA user_version");
    if (!version) return tl::unexpected(version.error());
    if (*version < case_schema_version)
        return fail("case file has schema version " + std::to_string(*version) +
                        ", older than this asof's " + std::to_string(case_schema_version) +
                        "; it is opened read-only here, so upgrade it first: `asof upgrade " +
                        path + "` (or upgrade a copy and keep the original)",
                    path);
    if (*version != case_schema_version)
        return fail("case file has schema version " + std::to_string(*version) +
                        " and this asof reads version " + std::to_string(case_schema_version) +
                        "; upgrade asof",
                    path);
    // Reads map the file instead of copying pages through read(): random lookups of events
    // and payloads (a listing joins them by seq) then cost no system call each.
    if (auto ok = db->exec("PRAGMA mmap_size = 1073741824"); !ok) return tl::unexpected(ok.error());
    return db;
}

Result<CaseInfo> read_case_info(sql::Db& db) {
    CaseInfo info;
    auto totals =
        db.prepare("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM streams), "
                   "(SELECT count(*) FROM rejects), (SELECT min(ts) FROM events), (SELECT max(ts) "
                   "FROM events)");
    if (!totals) return tl::unexpected(totals.error());
    if (auto row = totals->step(); !row) return tl::unexpected(row.error());
    info.events = totals->column_int(0);
    info.streams = totals->column_int(1);
    info.rejected = totals->column_int(2);
    auto relations = db.scalar_int("SELECT count(*) FROM stream_relations");
    if (!relations) return tl::unexpected(relations.error());
    info.relations = *relations;
    if (!totals->column_is_null(3)) info.first = from_micros(totals->column_int(3));
    if (!totals->column_is_null(4)) info.last = from_micros(totals->column_int(4));

    auto sources = db.prepare(
        "SELECT id, source_path, source_name, source_sha256, format, mapping, source_tz, "
        "source_size, lines, events, rejected, naive_times, started_at, finished_at, chain_head, "
        "zoned_times, attributes, relations FROM imports ORDER BY id");
    if (!sources) return tl::unexpected(sources.error());
    auto listed = sources->each([&](const sql::Stmt& row) {
        SourceInfo source;
        source.id = row.column_int(0);
        source.path = row.column_text(1);
        source.name = row.column_text(2);
        source.sha256 = row.column_text(3);
        source.format = row.column_text(4);
        source.mapping = row.column_text(5);
        source.source_tz = row.column_text(6);
        source.size = row.column_int(7);
        source.lines = row.column_int(8);
        source.events = row.column_int(9);
        source.rejected = row.column_int(10);
        source.naive_times = row.column_int(11);
        source.started_at = from_micros(row.column_int(12));
        if (!row.column_is_null(13)) source.finished_at = from_micros(row.column_int(13));
        source.chain_head = to_hex(row.column_blob(14));
        source.zoned_times = row.column_int(15);
        source.attributes = row.column_int(16);
        source.relations = row.column_int(17);
        info.sources.push_back(std::move(source));
    });
    if (!listed) return tl::unexpected(listed.error());

    auto findings =
        db.prepare("SELECT f.kind, coalesce(s.name, ''), f.seq, f.detail FROM findings f "
                   "LEFT JOIN streams s ON s.id = f.stream_id ORDER BY f.seq, f.id");
    if (!findings) return tl::unexpected(findings.error());
    listed = findings->each([&](const sql::Stmt& row) {
        info.findings.push_back({std::string(row.column_text(0)), std::string(row.column_text(1)),
                                 row.column_opt_int(2), std::string(row.column_text(3))});
    });
    if (!listed) return tl::unexpected(listed.error());
    return info;
}

Result<std::vector<RejectInfo>> read_rejects(sql::Db& db) {
    auto stmt = db.prepare(
        "SELECT i.source_name, r.line, r.byte_offset, r.reason, r.excerpt, r.place FROM rejects r "
        "JOIN imports i ON i.id = r.import_id ORDER BY r.import_id, r.line, r.id");
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<RejectInfo> rejects;
    auto done = stmt->each([&](const sql::Stmt& row) {
        rejects.push_back({std::string(row.column_text(0)), row.column_int(1), row.column_int(2),
                           std::string(row.column_text(3)), std::string(row.column_text(4)),
                           std::string(row.column_text(5))});
    });
    if (!done) return tl::unexpected(done.error());
    return rejects;
}

Result<std::vector<std::string>> nearest_names(sql::Db& db, std::string_view select_names,
                                               std::string_view name, std::size_t count) {
    auto stmt = db.prepare(select_names);
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<std::pair<std::size_t, std::string>> scored;
    auto done = stmt->each([&](const sql::Stmt& row) {
        if (row.column_is_null(0)) return;
        std::string candidate(row.column_text(0));
        scored.emplace_back(edit_distance(name, candidate), std::move(candidate));
    });
    if (!done) return tl::unexpected(done.error());
    std::size_t keep = std::min(count, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep),
                      scored.end());
    std::vector<std::string> names;
    for (std::size_t i = 0; i < keep; ++i)
        names.push_back(std::move(scored[i].second));
    return names;
}

std::string quoted_names(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i ? ", \"" : "\"") + names[i] + "\"";
    return text;
}

Result<std::vector<std::string>> nearest_stream_names(sql::Db& db, std::string_view name,
                                                      std::size_t count) {
    return nearest_names(db, "SELECT name FROM streams", name, count);
}

void read_stored_event(const sql::Stmt& row, StoredEvent& event) {
    event.seq = row.column_int(0);
    event.event_id = row.column_opt_text(1);
    event.stream = row.column_text(2);
    event.type = row.column_opt_text(3);
    event.version = row.column_opt_int(4);
    event.ts = from_micros(row.column_int(5));
    event.actor = row.column_opt_text(6);
    event.data = row.column_opt_text(7);
    event.meta = row.column_opt_text(8);
}

Result<std::int64_t> for_each_event(sql::Db& db, const EventFilter& filter,
                                    const std::function<void(const StoredEvent&)>& visit) {
    std::optional<std::int64_t> stream_id;
    if (filter.stream) {
        auto lookup = db.prepare("SELECT id FROM streams WHERE name = ?1");
        if (!lookup) return tl::unexpected(lookup.error());
        lookup->bind(1, *filter.stream);
        auto row = lookup->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) {
            auto near = nearest_stream_names(db, *filter.stream);
            std::string hint;
            if (near && !near->empty()) hint = "; did you mean " + quoted_names(*near) + "?";
            return fail("unknown stream \"" + *filter.stream + "\"" + hint, "--stream");
        }
        stream_id = lookup->column_int(0);
    }

    // Fixed statement shapes; every value is bound (NULL bounds are open).
    const char* sql_text =
        stream_id
            ? "SELECT e.seq, e.event_id, s.name, e.type, e.version, e.ts, e.actor, p.data, p.meta "
              "FROM event_streams l JOIN events e ON e.seq = l.seq "
              "JOIN streams s ON s.id = e.stream_id JOIN event_payloads p ON p.seq = e.seq "
              "WHERE l.stream_id = ?1 AND l.ts >= coalesce(?2, -9223372036854775807) "
              "AND l.ts < coalesce(?3, 9223372036854775807) ORDER BY l.ts, l.seq LIMIT ?4"
            : "SELECT e.seq, e.event_id, s.name, e.type, e.version, e.ts, e.actor, p.data, p.meta "
              "FROM events e JOIN streams s ON s.id = e.stream_id "
              "JOIN event_payloads p ON p.seq = e.seq "
              "WHERE e.ts >= coalesce(?2, -9223372036854775807) "
              "AND e.ts < coalesce(?3, 9223372036854775807) ORDER BY e.ts, e.seq LIMIT ?4";
    auto stmt = db.prepare(sql_text);
    if (!stmt) return tl::unexpected(stmt.error());
    if (stream_id) stmt->bind(1, *stream_id);
    if (filter.from) stmt->bind(2, std::int64_t{filter.from->time_since_epoch().count()});
    if (filter.to) stmt->bind(3, std::int64_t{filter.to->time_since_epoch().count()});
    stmt->bind(4, filter.limit ? *filter.limit : std::int64_t{-1});

    std::int64_t count = 0;
    StoredEvent event;
    auto done = stmt->each([&](const sql::Stmt& row) {
        read_stored_event(row, event);
        visit(event);
        ++count;
    });
    if (!done) return tl::unexpected(done.error());
    return count;
}

Result<std::optional<EventDetail>> read_event_detail(sql::Db& db, std::int64_t seq) {
    sql::ReadScope scope(db);
    auto stmt = db.prepare("SELECT e.seq, e.event_id, s.name, e.type, e.version, e.ts, e.actor, "
                           "p.data, p.meta, e.recorded_ts, i.source_name, e.line, e.byte_offset "
                           "FROM events e JOIN streams s ON s.id = e.stream_id "
                           "LEFT JOIN event_payloads p ON p.seq = e.seq "
                           "JOIN imports i ON i.id = e.import_id WHERE e.seq = ?1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, seq);
    auto found = stmt->step();
    if (!found) return tl::unexpected(found.error());
    if (!*found) return std::nullopt;
    EventDetail detail;
    read_stored_event(*stmt, detail.event);
    if (auto recorded = stmt->column_opt_int(9)) detail.recorded_at = from_micros(*recorded);
    detail.source = stmt->column_text(10);
    detail.line = stmt->column_int(11);
    detail.byte_offset = stmt->column_int(12);

    // Every stream the event is linked to needs an index by seq, which cases whose events
    // belong to several streams have; elsewhere the primary stream is the only one.
    auto indexed = db.scalar_int("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                                 "name = 'event_streams_seq'");
    if (!indexed) return tl::unexpected(indexed.error());
    if (*indexed == 0) {
        detail.streams.emplace_back(detail.event.stream, std::nullopt);
    } else {
        auto streams = db.prepare("SELECT s.name, l.qualifier FROM event_streams l JOIN streams "
                                  "s ON s.id = l.stream_id WHERE l.seq = ?1 ORDER BY s.name");
        if (!streams) return tl::unexpected(streams.error());
        streams->bind(1, seq);
        auto listed = streams->each([&](const sql::Stmt& row) {
            detail.streams.emplace_back(std::string(row.column_text(0)), row.column_opt_text(1));
        });
        if (!listed) return tl::unexpected(listed.error());
    }

    auto relations = db.prepare(
        "SELECT f.name, t.name, r.qualifier FROM stream_relations r JOIN streams f ON f.id = "
        "r.from_stream JOIN streams t ON t.id = r.to_stream WHERE r.from_stream = (SELECT id FROM "
        "streams WHERE name = ?1) OR r.to_stream = (SELECT id FROM streams WHERE name = ?1) "
        "ORDER BY 1, 2, 3 LIMIT ?2");
    if (!relations) return tl::unexpected(relations.error());
    for (const auto& [name, qualifier] : detail.streams) {
        std::size_t room = EventDetail::max_relations + 1 - detail.relations.size();
        relations->reset();
        relations->bind(1, name).bind(2, static_cast<std::int64_t>(room));
        auto listed = relations->each([&](const sql::Stmt& row) {
            EventDetail::Relation relation{std::string(row.column_text(0)),
                                           std::string(row.column_text(1)), row.column_opt_text(2)};
            auto same = [&](const EventDetail::Relation& known) {
                return known.from == relation.from && known.to == relation.to &&
                       known.qualifier == relation.qualifier;
            };
            // A relation between two of the event's streams is met from both ends.
            if (std::none_of(detail.relations.begin(), detail.relations.end(), same))
                detail.relations.push_back(std::move(relation));
        });
        if (!listed) return tl::unexpected(listed.error());
        if (detail.relations.size() > EventDetail::max_relations) {
            detail.relations.pop_back();
            detail.more_relations = true;
            break;
        }
    }

    auto findings = db.prepare("SELECT f.kind, coalesce(s.name, ''), f.detail FROM findings f "
                               "LEFT JOIN streams s ON s.id = f.stream_id WHERE f.seq = ?1 "
                               "ORDER BY f.id");
    if (!findings) return tl::unexpected(findings.error());
    findings->bind(1, seq);
    auto read = findings->each([&](const sql::Stmt& row) {
        detail.findings.push_back({std::string(row.column_text(0)), std::string(row.column_text(1)),
                                   seq, std::string(row.column_text(2))});
    });
    if (!read) return tl::unexpected(read.error());
    return detail;
}

Result<std::vector<StreamSummary>> read_stream_summaries(sql::Db& db) {
    // The counts are the import's (schema 3); streams without events (declared objects) are
    // left out, as a listing of events never shows them.
    auto stmt = db.prepare("SELECT id, name, kind, key, events, first_ts, last_ts FROM streams "
                           "WHERE events > 0 ORDER BY name");
    if (!stmt) return tl::unexpected(stmt.error());
    std::vector<StreamSummary> out;
    auto done = stmt->each([&](const sql::Stmt& row) {
        out.push_back({row.column_int(0), std::string(row.column_text(1)), row.column_opt_text(2),
                       row.column_opt_text(3), row.column_int(4), from_micros(row.column_int(5)),
                       from_micros(row.column_int(6))});
    });
    if (!done) return tl::unexpected(done.error());
    return out;
}

} // namespace asof
