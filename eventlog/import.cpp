// Imports source logs into a case file: atomically, never writing the source, counting every line.
// Every format is read through a RowSource (row_source.hpp). A reader thread drains it and
// numbers the events, a chaining thread extends the hash chain and the side chain, and the
// calling thread writes the rows to SQLite. Batches pass between them through small bounded
// queues, which bound memory whatever the size of the source.
#include "eventlog/import.hpp"

#include "eventlog/case_schema.hpp"
#include "eventlog/hash_chain.hpp"
#include "eventlog/integrity.hpp"
#include "eventlog/name_table.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/stream_name.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <malloc.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace asof {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t queue_batches = 4;

struct Batch {
    RowBatch rows;
    std::vector<Digest> hashes; // chain value after each of rows.events
    std::int64_t first_seq = 0; // seq of rows.events[0]
    bool last = false;
    std::optional<Error> error;
};

// A bounded single-producer, single-consumer queue of batches.
class BatchQueue {
public:
    void push(Batch batch) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return batches_.size() < queue_batches || closed_; });
        if (closed_) return;
        batches_.push_back(std::move(batch));
        ready_.notify_one();
    }
    Batch pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !batches_.empty(); });
        Batch batch = std::move(batches_.front());
        batches_.pop_front();
        space_.notify_one();
        return batch;
    }
    // Stops the producer: pending and future pushes are dropped. Only the consumer closes,
    // and it pops nothing afterwards.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        space_.notify_all();
    }
    bool closed() {
        std::lock_guard lock(mutex_);
        return closed_;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_, space_;
    std::deque<Batch> batches_;
    bool closed_ = false;
};

// What the reading and chaining threads need to know, and what they report back when done.
struct ReadJob {
    RowSource* source;
    std::int64_t first_seq;
    Digest chain;
    const std::atomic<bool>* cancel;
    std::atomic<std::uint64_t> raw_bytes{0};
    // Results, valid after the last batch:
    Digest final_chain{};
    SideChain side{};
};

// Keeps an event's further links canonical: none to its primary stream, one per stream (the
// first given), ordered by stream name, the order the side chain and verify use.
void tidy_links(EventRow& row) {
    if (row.links.empty()) return;
    std::stable_sort(row.links.begin(), row.links.end(),
                     [](const StreamLink& a, const StreamLink& b) { return a.stream < b.stream; });
    auto last =
        std::unique(row.links.begin(), row.links.end(),
                    [](const StreamLink& a, const StreamLink& b) { return a.stream == b.stream; });
    row.links.erase(last, row.links.end());
    std::erase_if(row.links, [&](const StreamLink& link) { return link.stream == row.stream; });
}

std::optional<std::string_view> view(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return std::string_view(*text);
}

// The reader thread: drains the source batch by batch and numbers the events. Parsing is the
// slow stage of formats such as XES, so it does nothing else.
void drain_source(ReadJob& job, BatchQueue& out) {
    std::int64_t next_seq = job.first_seq;
    for (;;) {
        if (out.closed()) return;
        Batch batch;
        batch.first_seq = next_seq;
        bool more = false;
        if (job.cancel && job.cancel->load()) {
            batch.error = Error{"import interrupted", ""};
        } else {
            try {
                auto got = job.source->next(batch.rows);
                if (got)
                    more = *got;
                else
                    batch.error = got.error();
            } catch (const std::exception& failure) {
                batch.error = Error{std::string("internal error while reading: ") + failure.what(),
                                    "", ErrorKind::environment};
            }
        }
        next_seq += static_cast<std::int64_t>(batch.rows.events.size());
        job.raw_bytes.store(job.source->raw_consumed(), std::memory_order_relaxed);
        batch.last = !more || batch.error;
        bool last = batch.last;
        out.push(std::move(batch));
        if (last) return;
    }
}

// The chaining thread, between the reader and the writer: extends the hash chain over each
// event and the side chain over links, attributes and relations. When the writer stops taking
// batches it stops the reader too.
void chain_batches(ReadJob& job, BatchQueue& in, BatchQueue& out) {
    Digest chain = job.chain;
    SideChain side{};
    Sha256 hasher;
    std::string canonical;
    for (;;) {
        if (out.closed()) {
            in.close();
            return;
        }
        Batch batch = in.pop();
        std::int64_t seq = batch.first_seq;
        batch.hashes.reserve(batch.rows.events.size());
        for (EventRow& row : batch.rows.events) {
            tidy_links(row);
            canonical_bytes(canonical_fields(row), canonical);
            chain = chain_next(hasher, chain, canonical);
            batch.hashes.push_back(chain);
            for (const StreamLink& link : row.links) {
                canonical_link_bytes(seq, link.stream, view(link.qualifier), canonical);
                side.links = chain_next(hasher, side.links, canonical);
                ++side.count;
            }
            ++seq;
        }
        for (const StreamAttribute& attribute : batch.rows.attributes) {
            std::optional<std::int64_t> ts;
            if (attribute.ts) ts = attribute.ts->time_since_epoch().count();
            canonical_attribute_bytes(attribute.stream, ts, attribute.name, attribute.value,
                                      canonical);
            side.attributes = chain_next(hasher, side.attributes, canonical);
            ++side.count;
        }
        for (const StreamRelation& relation : batch.rows.relations) {
            canonical_relation_bytes(relation.from, relation.to, view(relation.qualifier),
                                     canonical);
            side.relations = chain_next(hasher, side.relations, canonical);
            ++side.count;
        }
        bool last = batch.last;
        if (last) {
            job.final_chain = chain;
            job.side = side;
        }
        out.push(std::move(batch));
        if (last) return;
    }
}

constexpr const char* new_case_pragmas =
    "PRAGMA page_size = 8192; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; "
    "PRAGMA locking_mode = EXCLUSIVE; ";
constexpr const char* import_pragmas = "PRAGMA cache_size = -24576; PRAGMA threads = 2;";

// Per-stream state the writer keeps while importing.
struct StreamState {
    std::int64_t id;
    StreamVersions versions;
    bool has_kind = false; // the stored stream has a kind (derived or declared)
    // This import's events linked to the stream (primary or not) and their time span, added
    // to the stored counts at the end (write_stream_counts).
    std::int64_t events = 0;
    std::int64_t first_ts = std::numeric_limits<std::int64_t>::max();
    std::int64_t last_ts = std::numeric_limits<std::int64_t>::min();

    void count_event(std::int64_t ts) {
        ++events;
        first_ts = std::min(first_ts, ts);
        last_ts = std::max(last_ts, ts);
    }
};

// What one source added besides events, counted by the writer.
struct WriteCounts {
    std::int64_t attributes = 0, relations = 0, findings = 0;
};

// Writes one source's batches into the open case; owns the prepared statements.
class CaseWriter {
public:
    static Result<CaseWriter> open(sql::Db& db) {
        if (auto ok = db.exec("CREATE TEMP TABLE IF NOT EXISTS pending_links (stream_id INTEGER, "
                              "ts INTEGER, seq INTEGER, qualifier TEXT)");
            !ok)
            return tl::unexpected(ok.error());
        CaseWriter writer(db);
        const std::pair<std::optional<sql::Stmt>*, const char*> statements[] = {
            {&writer.insert_event_,
             "INSERT INTO events (seq, event_id, ts, recorded_ts, type, stream_id, version, "
             "actor, import_id, line, byte_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
             "?10, ?11)"},
            {&writer.insert_payload_,
             "INSERT INTO event_payloads (seq, data, meta, hash) VALUES (?1, ?2, ?3, ?4)"},
            {&writer.insert_stream_, "INSERT INTO streams (name, kind, key) VALUES (?1, ?2, ?3)"},
            {&writer.declare_stream_, "UPDATE streams SET kind = ?2, key = ?3 WHERE id = ?1"},
            {&writer.insert_reject_,
             "INSERT INTO rejects (import_id, line, byte_offset, reason, excerpt, place) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
            // Further links wait in a temporary table (appended, unindexed) and go into
            // event_streams in key order with the primary ones (finish_import): inserting
            // them there one by one, in file order, is a random walk over its B-tree.
            {&writer.insert_link_, "INSERT INTO temp.pending_links (stream_id, ts, seq, qualifier) "
                                   "VALUES (?1, ?2, ?3, ?4)"},
            {&writer.insert_attribute_,
             "INSERT INTO stream_attributes (stream_id, ts, name, value, import_id) "
             "VALUES (?1, ?2, ?3, ?4, ?5)"},
            {&writer.insert_relation_,
             "INSERT INTO stream_relations (from_stream, to_stream, qualifier, import_id) "
             "VALUES (?1, ?2, ?3, ?4)"},
            {&writer.insert_finding_,
             "INSERT INTO findings (import_id, kind, stream_id, seq, detail) "
             "VALUES (?1, ?2, ?3, ?4, ?5)"},
        };
        for (auto [slot, text] : statements) {
            auto stmt = db.prepare(text);
            if (!stmt) return tl::unexpected(stmt.error());
            slot->emplace(std::move(*stmt));
        }

        if (auto ok = writer.load_streams(); !ok) return tl::unexpected(ok.error());
        return writer;
    }

    // Reads the stored streams and their highest versions into the stream table, which it
    // replaces: at the start, and after a source is rolled back (a duplicate), whose streams and
    // versions must not outlive it.
    Result<void> load_streams() {
        streams_.clear();
        auto streams = db_->prepare("SELECT id, name, kind IS NOT NULL FROM streams");
        if (!streams) return tl::unexpected(streams.error());
        auto done = streams->each([&](const sql::Stmt& row) {
            streams_.insert(row.column_text(1),
                            StreamState{row.column_int(0), {}, row.column_int(2) != 0});
        });
        if (!done) return done;
        return seed_versions();
    }

    Result<void> write(const Batch& batch, std::int64_t import_id, WriteCounts& counts) {
        const RowBatch& rows = batch.rows;
        for (const DeclaredStream& declared : rows.streams)
            if (auto stream = stream_for(declared.name, &declared); !stream)
                return tl::unexpected(stream.error());
        sql::Stmt& events = *insert_event_;
        sql::Stmt& payloads = *insert_payload_;
        for (std::size_t i = 0; i < rows.events.size(); ++i) {
            const EventRow& row = rows.events[i];
            std::int64_t seq = batch.first_seq + static_cast<std::int64_t>(i);
            std::int64_t ts = row.ts.time_since_epoch().count();
            auto stream = stream_for(row.stream);
            if (!stream) return tl::unexpected(stream.error());
            if (row.version)
                versions_.observe((*stream)->versions, (*stream)->id, seq, *row.version, ts,
                                  row.line);
            (*stream)->count_event(ts);
            events.bind(1, seq);
            events.bind(2, row.event_id);
            events.bind(3, ts);
            if (row.recorded)
                events.bind(4, std::int64_t{row.recorded->time_since_epoch().count()});
            else
                events.bind_null(4);
            events.bind(5, row.type);
            events.bind(6, (*stream)->id);
            events.bind(7, row.version);
            events.bind(8, row.actor);
            events.bind(9, import_id);
            events.bind(10, row.line);
            events.bind(11, row.byte_offset);
            if (auto ok = events.run(); !ok) return ok;
            payloads.bind(1, seq);
            if (row.data) payloads.bind(2, std::string_view(*row.data), false);
            if (row.meta) payloads.bind(3, std::string_view(*row.meta), false);
            payloads.bind_blob(4, batch.hashes[i], false);
            if (auto ok = payloads.run(); !ok) return ok;
            for (const StreamLink& link : row.links) {
                auto linked = stream_for(link.stream);
                if (!linked) return tl::unexpected(linked.error());
                insert_link_->bind(1, (*linked)->id)
                    .bind(2, ts)
                    .bind(3, seq)
                    .bind(4, link.qualifier);
                if (auto ok = insert_link_->run(); !ok) return ok;
                (*linked)->count_event(ts);
                any_links_ = true;
            }
        }
        for (const StreamAttribute& attribute : rows.attributes) {
            auto stream = stream_for(attribute.stream);
            if (!stream) return tl::unexpected(stream.error());
            insert_attribute_->bind(1, (*stream)->id);
            if (attribute.ts)
                insert_attribute_->bind(2, std::int64_t{attribute.ts->time_since_epoch().count()});
            else
                insert_attribute_->bind_null(2);
            insert_attribute_->bind(3, attribute.name).bind(4, attribute.value).bind(5, import_id);
            if (auto ok = insert_attribute_->run(); !ok) return ok;
            ++counts.attributes;
        }
        for (const StreamRelation& relation : rows.relations) {
            auto from = stream_for(relation.from);
            if (!from) return tl::unexpected(from.error());
            auto to = stream_for(relation.to);
            if (!to) return tl::unexpected(to.error());
            insert_relation_->bind(1, (*from)->id)
                .bind(2, (*to)->id)
                .bind(3, relation.qualifier)
                .bind(4, import_id);
            if (auto ok = insert_relation_->run(); !ok) return ok;
            ++counts.relations;
        }
        for (const RejectRow& reject : rows.rejects) {
            insert_reject_->bind(1, import_id)
                .bind(2, reject.line)
                .bind(3, reject.byte_offset)
                .bind(4, reject.reason)
                .bind(5, reject.excerpt)
                .bind(6, reject.place);
            if (auto ok = insert_reject_->run(); !ok) return ok;
        }
        for (const SourceFinding& finding : rows.findings) {
            std::optional<std::int64_t> stream_id, seq;
            if (!finding.stream.empty()) {
                auto stream = stream_for(finding.stream);
                if (!stream) return tl::unexpected(stream.error());
                stream_id = (*stream)->id;
            }
            if (finding.event_index && *finding.event_index < rows.events.size())
                seq = batch.first_seq + static_cast<std::int64_t>(*finding.event_index);
            if (auto ok = add_finding(import_id, finding.kind, stream_id, seq, finding.detail); !ok)
                return ok;
            ++counts.findings;
        }
        return {};
    }

    // Stores one integrity finding of the import.
    Result<void> add_finding(std::int64_t import_id, std::string_view kind,
                             std::optional<std::int64_t> stream_id, std::optional<std::int64_t> seq,
                             std::string_view detail) {
        insert_finding_->bind(1, import_id)
            .bind(2, kind)
            .bind(3, stream_id)
            .bind(4, seq)
            .bind(5, detail);
        return insert_finding_->run();
    }

    // Whether some event written so far belongs to more than one stream.
    bool any_links() const { return any_links_; }

    // Adds the events counted since clear_stream_counts to each stream's stored count and span.
    Result<void> write_stream_counts() {
        auto update = db_->prepare(
            "UPDATE streams SET events = events + ?2, first_ts = min(coalesce(first_ts, ?3), ?3), "
            "last_ts = max(coalesce(last_ts, ?4), ?4) WHERE id = ?1");
        if (!update) return tl::unexpected(update.error());
        Result<void> written;
        streams_.for_each([&](std::string_view, StreamState& state) {
            if (state.events == 0 || !written) return;
            update->bind(1, state.id)
                .bind(2, state.events)
                .bind(3, state.first_ts)
                .bind(4, state.last_ts);
            written = update->run();
        });
        if (!written) return written;
        clear_stream_counts();
        return {};
    }

    // Forgets the events counted so far (a new source starts).
    void clear_stream_counts() {
        streams_.for_each([](std::string_view, StreamState& state) {
            state.events = 0;
            state.first_ts = std::numeric_limits<std::int64_t>::max();
            state.last_ts = std::numeric_limits<std::int64_t>::min();
        });
    }

    // Frees the per-stream state once every source is written, and gives what the heap holds
    // free back to the system, so that the index builds' sort buffers do not add to it.
    void release_streams() {
        streams_.clear();
#ifdef __GLIBC__
        ::malloc_trim(0);
#endif
    }

    // The version check of the source just written, for record_findings().
    VersionCheck take_version_check() {
        VersionCheck done = std::move(versions_);
        versions_.clear();
        streams_.for_each(
            [](std::string_view, StreamState& state) { state.versions.unordered = false; });
        return done;
    }

private:
    explicit CaseWriter(sql::Db& db) : db_(&db) {
    }

    // The stream named `name`, created on first use with the declared kind and key, else the
    // ones derived from the name. A declaration gives a kind to a stream created without one.
    Result<StreamState*> stream_for(const std::string& name,
                                    const DeclaredStream* declared = nullptr) {
        bool declares = declared && declared->kind;
        if (StreamState* found = streams_.find(name)) {
            StreamState& state = *found;
            if (declares && !state.has_kind) {
                declare_stream_->bind(1, state.id).bind(2, *declared->kind).bind(3, declared->key);
                if (auto ok = declare_stream_->run(); !ok) return tl::unexpected(ok.error());
                state.has_kind = true;
            }
            return &state;
        }
        insert_stream_->bind(1, name);
        bool has_kind = true;
        if (declares) {
            insert_stream_->bind(2, *declared->kind).bind(3, declared->key);
        } else if (auto kind_key = derive_kind_key(name)) {
            insert_stream_->bind(2, kind_key->kind).bind(3, kind_key->key);
        } else {
            insert_stream_->bind_null(2).bind_null(3);
            has_kind = false;
        }
        if (auto ok = insert_stream_->run(); !ok) return tl::unexpected(ok.error());
        std::int64_t id = sqlite3_last_insert_rowid(db_->handle());
        return &streams_.insert(name, StreamState{id, {}, has_kind});
    }

    // Starts each known stream's version check from its highest stored version, so that an
    // import into an existing case continues its streams.
    Result<void> seed_versions() {
        auto stmt = db_->prepare("SELECT s.name, max(e.version), e.ts, e.seq FROM events e "
                                 "JOIN streams s ON s.id = e.stream_id "
                                 "WHERE e.version IS NOT NULL GROUP BY e.stream_id");
        if (!stmt) return tl::unexpected(stmt.error());
        auto done = stmt->each([&](const sql::Stmt& row) {
            StreamState* found = streams_.find(row.column_text(0));
            if (!found) return;
            found->versions.last_version = row.column_int(1);
            found->versions.last_ts = row.column_int(2);
            found->versions.last_seq = row.column_int(3);
        });
        if (!done) return tl::unexpected(done.error());
        return {};
    }

    sql::Db* db_;
    std::optional<sql::Stmt> insert_event_, insert_payload_, insert_stream_, declare_stream_,
        insert_reject_, insert_link_, insert_attribute_, insert_relation_, insert_finding_;
    NameTable<StreamState> streams_; // a million streams and more: compact (name_table.hpp)
    VersionCheck versions_;
    bool any_links_ = false;
};

bool same_file(const std::string& a, const std::string& b) {
    struct stat sa {
    }, sb{};
    if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Timestamp system_now() {
    return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

// Flushes a file's data to disk (the case file before it is renamed into place).
Result<void> sync_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(std::string("cannot open to sync: ") + std::strerror(errno), path);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return fail(std::string("fsync failed: ") + std::strerror(errno), path);
    return {};
}

// The import's state across its sources.
struct ImportRun {
    sql::Db& db;
    const ImportOptions& options;
    const date::time_zone* zone;
    FieldMap map;
    Timestamp now;
    CaseWriter writer;
};

// The key a source is recognised by when imported again: the SHA-256 of its bytes, and for a
// table of a SQLite snapshot the table too ("<sha256>#table=NAME"), since one snapshot holds
// several tables.
std::string source_key(const RowSource& source, const ImportOptions& options) {
    std::string key = to_hex(source.raw_digest());
    if (source.format() == "sqlite" && options.table) key += "#table=" + *options.table;
    return key;
}

// Imports one source into the open case inside a savepoint; rolls back if the case already
// held a source with the same hash (known only once the whole source is read).
Result<SourceOutcome> import_one(ImportRun& run, const std::string& path) {
    SourceOutcome outcome;
    outcome.path = path;
    RowSourceOptions source_options;
    source_options.map = run.map;
    source_options.source_zone = run.zone;
    source_options.delimiter = run.options.delimiter;
    source_options.table = run.options.table;
    source_options.cancel = run.options.cancel;
    auto opened = run.options.open_source
                      ? run.options.open_source(path)
                      : open_row_source(path, run.options.format, source_options);
    if (!opened) {
        Error error = opened.error();
        if (error.where.empty()) error.where = path;
        return tl::unexpected(std::move(error));
    }
    RowSource& source = **opened;
    outcome.format = source.format();

    auto max_seq = run.db.scalar_int("SELECT coalesce(max(seq), 0) FROM events");
    if (!max_seq) return tl::unexpected(max_seq.error());
    Digest chain = chain_genesis;
    {
        auto last = run.db.prepare("SELECT hash FROM event_payloads ORDER BY seq DESC LIMIT 1");
        if (!last) return tl::unexpected(last.error());
        auto row = last->step();
        if (!row) return tl::unexpected(row.error());
        if (*row) {
            auto bytes = last->column_blob(0);
            if (bytes.size() == chain.size()) std::copy(bytes.begin(), bytes.end(), chain.begin());
        }
    }

    if (auto ok = run.db.exec("SAVEPOINT source"); !ok) return tl::unexpected(ok.error());
    run.writer.clear_stream_counts(); // a source rolled back (a duplicate) leaves none behind
    auto abandon = [&](Error error) -> Result<SourceOutcome> {
        (void)run.db.exec("ROLLBACK TO source; RELEASE source");
        if (error.where.empty()) error.where = path;
        return tl::unexpected(std::move(error));
    };

    auto insert_import = run.db.prepare(
        "INSERT INTO imports (source_path, source_name, source_size, source_sha256, format, "
        "mapping, source_tz, options, started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert_import) return abandon(insert_import.error());
    std::error_code ec;
    auto absolute = fs::absolute(path, ec);
    insert_import->bind(1, ec ? path : absolute.string())
        .bind(2, fs::path(path).filename().string())
        .bind(3, static_cast<std::int64_t>(source.raw_size()))
        .bind(4, "pending:" + path)
        .bind(5, outcome.format)
        .bind(6, source.mapping_json())
        .bind(7, run.options.source_tz)
        .bind(8, import_options_json(run.options))
        .bind(9, std::int64_t{run.now.time_since_epoch().count()});
    if (auto ok = insert_import->run(); !ok) return abandon(ok.error());
    std::int64_t import_id = sqlite3_last_insert_rowid(run.db.handle());

    ReadJob job{&source, *max_seq + 1, chain, run.options.cancel};
    BatchQueue parsed, queue;
    std::thread reader_thread([&] { drain_source(job, parsed); });
    std::thread chain_thread([&] { chain_batches(job, parsed, queue); });

    std::optional<Error> failure;
    WriteCounts counts;
    auto last_report = std::chrono::steady_clock::now();
    ImportProgress progress;
    progress.source = path;
    progress.raw_total = source.raw_size();
    for (;;) {
        Batch batch = queue.pop();
        if (!failure) {
            if (auto ok = run.writer.write(batch, import_id, counts); !ok) failure = ok.error();
        }
        outcome.events += static_cast<std::int64_t>(batch.rows.events.size());
        outcome.rejected += static_cast<std::int64_t>(batch.rows.rejects.size());
        outcome.lines += batch.rows.units;
        if (!failure && batch.error) failure = batch.error;
        if (!failure && run.options.strict && !batch.rows.rejects.empty()) {
            const RejectRow& first = batch.rows.rejects.front();
            failure = Error{"rejected (--strict): " + first.reason,
                            path + ":" +
                                (first.place.empty() ? std::to_string(first.line) : first.place)};
        }
        if (failure) {
            queue.close(); // the chainer, then the reader, stop at their next batch
            break;
        }
        if (batch.last) break;
        if (run.options.on_progress) {
            auto now = std::chrono::steady_clock::now();
            if (now - last_report > std::chrono::milliseconds(200)) {
                last_report = now;
                progress.raw_bytes = job.raw_bytes.load(std::memory_order_relaxed);
                progress.events = outcome.events;
                progress.rejected = outcome.rejected;
                run.options.on_progress(progress);
            }
        }
    }
    chain_thread.join();
    reader_thread.join();
    if (failure) return abandon(*failure);
    if (run.options.on_progress) {
        progress.raw_bytes = progress.raw_total;
        progress.events = outcome.events;
        progress.rejected = outcome.rejected;
        run.options.on_progress(progress);
    }

    outcome.sha256 = source_key(source, run.options);
    outcome.naive_times = source.naive_times();
    outcome.zoned_times = source.zoned_times();
    outcome.attributes = counts.attributes;
    outcome.relations = counts.relations;
    outcome.findings = counts.findings;
    auto known = run.db.prepare("SELECT count(*) FROM imports WHERE source_sha256 = ?1");
    if (!known) return abandon(known.error());
    known->bind(1, outcome.sha256);
    if (auto row = known->step(); !row) return abandon(row.error());
    if (known->column_int(0) > 0) {
        (void)run.db.exec("ROLLBACK TO source; RELEASE source");
        // Streams the duplicate created (read with another mapping, say) are gone from the case.
        if (auto ok = run.writer.load_streams(); !ok) return tl::unexpected(ok.error());
        SourceOutcome again;
        again.path = path;
        again.sha256 = outcome.sha256;
        again.format = outcome.format;
        again.already_imported = true;
        return again;
    }

    if (outcome.naive_times > 0 && outcome.zoned_times > 0) {
        std::string detail =
            std::to_string(outcome.naive_times) +
            (outcome.naive_times == 1 ? " naive time read in " : " naive times read in ") +
            run.options.source_tz + ", " + std::to_string(outcome.zoned_times) + " zoned";
        if (auto ok = run.writer.add_finding(import_id, "mixed_time_zones", std::nullopt,
                                             std::nullopt, detail);
            !ok)
            return abandon(ok.error());
        ++outcome.findings;
    }

    std::int64_t first_seq = *max_seq + 1;
    std::int64_t last_seq = *max_seq + outcome.events;
    auto update = run.db.prepare(
        "UPDATE imports SET source_sha256 = ?2, finished_at = ?3, lines = ?4, events = ?5, "
        "rejected = ?6, naive_times = ?7, first_seq = ?8, last_seq = ?9, chain_head = ?10, "
        "zoned_times = ?11, attributes = ?12, relations = ?13, side_chain_head = ?14, "
        "mapping = ?15 WHERE id = ?1");
    if (!update) return abandon(update.error());
    update->bind(1, import_id)
        .bind(2, outcome.sha256)
        .bind(3, std::int64_t{system_now().time_since_epoch().count()})
        .bind(4, outcome.lines)
        .bind(5, outcome.events)
        .bind(6, outcome.rejected)
        .bind(7, outcome.naive_times);
    if (outcome.events > 0)
        update->bind(8, first_seq).bind(9, last_seq);
    else
        update->bind_null(8).bind_null(9);
    update->bind_blob(10, job.final_chain);
    update->bind(11, outcome.zoned_times).bind(12, outcome.attributes).bind(13, outcome.relations);
    Sha256 hasher;
    if (job.side.count > 0)
        update->bind_blob(14, job.side.head(hasher));
    else
        update->bind_null(14);
    update->bind(15, source.mapping_json());
    if (auto ok = update->run(); !ok) return abandon(ok.error());
    if (auto ok = run.writer.write_stream_counts(); !ok) return abandon(ok.error());
    if (auto ok = run.db.exec("RELEASE source"); !ok) return tl::unexpected(ok.error());
    return outcome;
}

// Links each imported event to its streams (the primary one and those waiting in
// temp.pending_links) and records the import's findings.
Result<void> finish_import(ImportRun& run, SourceOutcome& outcome, VersionCheck& versions) {
    auto range =
        run.db.prepare("SELECT id, first_seq, last_seq FROM imports WHERE source_sha256 = ?1");
    if (!range) return tl::unexpected(range.error());
    range->bind(1, outcome.sha256);
    if (auto row = range->step(); !row || !*row)
        return fail("import record vanished", run.db.path());
    std::int64_t import_id = range->column_int(0);
    if (range->column_is_null(1)) return {};
    std::int64_t first = range->column_int(1), last = range->column_int(2);

    // The primary links and the further ones of this import, in key order.
    auto link =
        run.db.prepare("INSERT INTO event_streams (stream_id, ts, seq, qualifier) "
                       "SELECT stream_id, ts, seq, NULL FROM events WHERE seq BETWEEN ?1 AND ?2 "
                       "UNION ALL SELECT stream_id, ts, seq, qualifier FROM temp.pending_links "
                       "WHERE seq BETWEEN ?1 AND ?2 ORDER BY 1, 2, 3");
    if (!link) return tl::unexpected(link.error());
    link->bind(1, first).bind(2, last);
    if (auto ok = link->run(); !ok) return ok;
    auto forget = run.db.prepare("DELETE FROM temp.pending_links WHERE seq BETWEEN ?1 AND ?2");
    if (!forget) return tl::unexpected(forget.error());
    forget->bind(1, first).bind(2, last);
    if (auto ok = forget->run(); !ok) return ok;

    auto count = record_findings(run.db, import_id, first, last, run.now, versions);
    if (!count) return tl::unexpected(count.error());
    outcome.findings += *count;
    return {};
}

// Tells the progress callback, if any, that the import entered `phase`.
void report_phase(const ImportOptions& options, ImportPhase phase) {
    if (!options.on_progress) return;
    ImportProgress progress;
    progress.phase = phase;
    options.on_progress(progress);
}

} // namespace

std::string import_options_json(const ImportOptions& options) {
    auto map = FieldMap::from_overrides(options.map);
    nlohmann::ordered_json out;
    out["format"] = options.format;
    out["map"] =
        map ? nlohmann::ordered_json::parse(map->describe_json()) : nlohmann::ordered_json();
    out["source_tz"] = options.source_tz;
    out["strict"] = options.strict;
    if (options.delimiter) out["delimiter"] = std::string(1, *options.delimiter);
    if (options.table) out["table"] = *options.table;
    return out.dump();
}

Result<ImportOutcome> import_sources(const std::vector<std::string>& sources,
                                     const std::string& case_path, const ImportOptions& options) {
    if (sources.empty()) return fail("no source to import");
    for (const auto& source : sources)
        if (same_file(source, case_path) || fs::path(source) == fs::path(case_path))
            return fail("refusing to write the case file over a source log", case_path);

    auto zone = find_zone(options.source_tz);
    if (!zone) return tl::unexpected(Error{zone.error().message, "--source-tz"});
    auto map = FieldMap::from_overrides(options.map);
    if (!map) return tl::unexpected(map.error());

    std::error_code ec;
    bool existing = fs::exists(case_path, ec);
    std::string target =
        existing ? case_path : case_path + ".importing-" + std::to_string(::getpid());
    struct TempGuard {
        std::string path;
        bool keep = false;
        ~TempGuard() {
            if (keep || path.empty()) return;
            std::error_code ignored;
            fs::remove(path, ignored);
            fs::remove(path + "-journal", ignored);
        }
    } guard{existing ? std::string() : target};

    ImportOutcome result;
    {
        auto db =
            sql::Db::open(target, existing ? sql::Db::Mode::read_write : sql::Db::Mode::create);
        if (!db) return tl::unexpected(db.error());
        // A new case file is private until renamed, so durability comes from the rename, not
        // from a journal: SQLite's journal is kept in memory (savepoints still work). The page
        // cache and the sorter (one helper thread on the otherwise idle reader core during the
        // index builds: at most three sort buffers of the cache's size) keep the import's memory
        // bounded whatever the size of the source.
        std::string pragmas = std::string(existing ? "" : new_case_pragmas) + import_pragmas;
        if (auto ok = db->exec(pragmas); !ok) return tl::unexpected(ok.error());
        if (auto ok = migrate_case(*db); !ok) return tl::unexpected(ok.error());

        auto writer = CaseWriter::open(*db);
        if (!writer) return tl::unexpected(writer.error());
        ImportRun run{*db,
                      options,
                      *zone,
                      *map,
                      options.now ? *options.now : system_now(),
                      std::move(*writer)};

        auto tx = sql::Transaction::begin(*db);
        if (!tx) return tl::unexpected(tx.error());
        if (!existing)
            if (auto ok = drop_bulk_indexes(*db); !ok) return tl::unexpected(ok.error());

        std::vector<VersionCheck> version_checks;
        for (const auto& source : sources) {
            auto outcome = import_one(run, source);
            if (!outcome) return tl::unexpected(outcome.error());
            result.sources.push_back(std::move(*outcome));
            version_checks.push_back(run.writer.take_version_check());
        }
        run.writer.release_streams(); // its memory is the sorter's while the indexes are built
        // A cancel that came with the last progress report stops here, before the long steps.
        if (options.cancel && options.cancel->load()) return fail("import interrupted", case_path);
        report_phase(options, ImportPhase::indexing);
        if (!existing)
            if (auto ok = create_bulk_indexes(*db); !ok) return tl::unexpected(ok.error());
        report_phase(options, ImportPhase::checking);
        for (std::size_t i = 0; i < result.sources.size(); ++i) {
            if (result.sources[i].already_imported) continue;
            if (auto ok = finish_import(run, result.sources[i], version_checks[i]); !ok)
                return tl::unexpected(ok.error());
        }
        // Events of several streams are looked up by seq (read_event_detail).
        if (run.writer.any_links())
            if (auto ok = db->exec("CREATE INDEX IF NOT EXISTS event_streams_seq ON "
                                   "event_streams (seq)");
                !ok)
                return tl::unexpected(ok.error());
        if (options.cancel && options.cancel->load()) return fail("import interrupted", case_path);
        if (auto ok = db->exec("INSERT OR REPLACE INTO case_info (key, value) VALUES "
                               "('asof_version', '" ASOF_VERSION "')");
            !ok)
            return tl::unexpected(ok.error());
        if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
        report_phase(options, ImportPhase::done);
    }
    if (!existing) {
        if (auto ok = sync_file(target); !ok) return tl::unexpected(ok.error());
        fs::rename(target, case_path, ec);
        if (ec) return fail("cannot move the new case file into place: " + ec.message(), case_path);
        guard.keep = true;
    }
    return result;
}

} // namespace asof
