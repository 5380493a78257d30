// Imports source logs into a case file: atomically, never writing the source, counting every line.
// A reader thread splits and parses lines and extends the hash chain; the calling thread
// writes the rows to SQLite. Batches pass between them through a small bounded queue, which
// bounds memory whatever the size of the source.
#include "eventlog/import.hpp"

#include "eventlog/case_schema.hpp"
#include "eventlog/hash_chain.hpp"
#include "eventlog/integrity.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/jsonl_parser.hpp"
#include "eventlog/source_reader.hpp"
#include "eventlog/stream_name.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace asof {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t batch_lines = 4096;
constexpr std::size_t queue_batches = 4;
constexpr std::size_t read_chunk = std::size_t{4} << 20;

struct RejectRow {
    std::int64_t line;
    std::int64_t byte_offset;
    std::string reason;
    std::string excerpt;
};

struct Batch {
    std::vector<EventRow> events; // seq = first_seq + index
    std::vector<Digest> hashes;
    std::vector<RejectRow> rejects;
    std::int64_t first_seq = 0;
    std::int64_t lines = 0; // non-empty lines in this batch
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

// What the reader thread needs to know, and what it reports back when done.
struct ReadJob {
    SourceReader* reader;
    JsonlParser* parser;
    std::int64_t first_seq;
    Digest chain;
    bool strict;
    const std::atomic<bool>* cancel;
    std::atomic<std::uint64_t> raw_bytes{0};
    // Results, valid after the last batch:
    Digest final_chain{};
    std::int64_t naive_times = 0;
};

// Names what a file looks like when it is clearly not JSON Lines, from its first bytes.
std::string sniff_not_jsonl(std::string_view head) {
    if (head.starts_with(std::string_view("SQLite format 3\0", 16)))
        return "a SQLite database (SQLite snapshots are not supported by this version)";
    std::size_t i = 0;
    if (head.starts_with("\xEF\xBB\xBF")) i = 3;
    while (i < head.size() &&
           (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    if (i < head.size() && head[i] == '<')
        return "XML (XES and OCEL XML are not supported by this version)";
    if (head.starts_with("PK\x03\x04")) return "a ZIP archive";
    if (head.starts_with("\x7f"
                         "ELF"))
        return "an executable (ELF)";
    if (head.starts_with("%PDF-")) return "a PDF document";
    if (head.starts_with(std::string_view("\x28\xb5\x2f\xfd", 4))) return "zstd-compressed data";
    if (head.starts_with("BZh")) return "bzip2-compressed data";
    return {};
}

bool is_blank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

// The reader thread: splits the source into lines, parses each, and emits batches.
void read_source(ReadJob& job, BatchQueue& queue) {
    std::vector<char> buffer(read_chunk + JsonlParser::padding);
    std::size_t begin = 0, end = 0;
    std::int64_t buffer_offset = 0; // decompressed offset of buffer[0]
    std::int64_t line_number = 0;
    std::int64_t next_seq = job.first_seq;
    bool eof = false, skipping_long = false, first_chunk = true;
    Digest chain = job.chain;
    Sha256 hasher;
    std::string canonical;

    Batch batch;
    batch.first_seq = next_seq;
    auto flush = [&](bool last) {
        batch.last = last;
        std::int64_t first = next_seq;
        queue.push(std::move(batch));
        batch = Batch{};
        batch.first_seq = first;
    };
    auto reject = [&](std::int64_t line, std::int64_t offset, std::string reason,
                      std::string_view text) {
        batch.rejects.push_back({line, offset, std::move(reason), printable_excerpt(text)});
        ++batch.lines;
    };
    auto handle_line = [&](std::string_view line, std::int64_t offset) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) return;
        if (line.size() > JsonlParser::max_line_bytes) {
            reject(line_number, offset, "line longer than 16 MiB", line);
            return;
        }
        EventRow& row = batch.events.emplace_back();
        auto parsed = job.parser->parse(line, row);
        if (!parsed) {
            batch.events.pop_back();
            reject(line_number, offset, std::move(parsed.error().message), line);
            return;
        }
        ++batch.lines;
        row.line = line_number;
        row.byte_offset = offset;
        if (row.naive_time) ++job.naive_times;
        canonical_bytes(canonical_fields(row), canonical);
        chain = chain_next(hasher, chain, canonical);
        batch.hashes.push_back(chain);
        ++next_seq;
    };

    try {
        for (;;) {
            if (job.cancel && job.cancel->load()) {
                batch.error = Error{"import interrupted", ""};
                break;
            }
            if (queue.closed()) return;
            // Lines wholly inside [begin, end).
            while (begin < end) {
                auto* start = buffer.data() + begin;
                auto* newline = static_cast<char*>(std::memchr(start, '\n', end - begin));
                if (!newline) break;
                std::size_t length = static_cast<std::size_t>(newline - start);
                std::int64_t offset = buffer_offset + static_cast<std::int64_t>(begin);
                if (skipping_long) {
                    skipping_long = false;
                } else {
                    handle_line(std::string_view(start, length), offset);
                }
                begin += length + 1;
                if (batch.lines >= static_cast<std::int64_t>(batch_lines)) flush(false);
                if (job.strict && !batch.rejects.empty()) break;
            }
            if (job.strict && !batch.rejects.empty()) break;
            if (eof) {
                if (begin < end && !skipping_long)
                    handle_line(std::string_view(buffer.data() + begin, end - begin),
                                buffer_offset + static_cast<std::int64_t>(begin));
                break;
            }
            // Keep the partial line, then read more after it.
            std::size_t partial = end - begin;
            if (skipping_long) {
                buffer_offset += static_cast<std::int64_t>(end);
                begin = end = 0;
            } else if (partial > JsonlParser::max_line_bytes) {
                ++line_number;
                reject(line_number, buffer_offset + static_cast<std::int64_t>(begin),
                       "line longer than 16 MiB", std::string_view(buffer.data() + begin, partial));
                skipping_long = true;
                buffer_offset += static_cast<std::int64_t>(end);
                begin = end = 0;
                if (job.strict) break;
            } else {
                std::memmove(buffer.data(), buffer.data() + begin, partial);
                buffer_offset += static_cast<std::int64_t>(begin);
                begin = 0;
                end = partial;
                if (buffer.size() - JsonlParser::padding - end < read_chunk / 2)
                    buffer.resize(buffer.size() * 2);
            }
            auto got =
                job.reader->read(buffer.data() + end, buffer.size() - JsonlParser::padding - end);
            if (!got) {
                batch.error = got.error();
                break;
            }
            if (first_chunk && *got > 0) {
                first_chunk = false;
                std::string what = sniff_not_jsonl(std::string_view(buffer.data(), *got));
                if (!what.empty()) {
                    batch.error = Error{"not JSON Lines: the file is " + what, ""};
                    break;
                }
                if (std::string_view(buffer.data(), *got).starts_with("\xEF\xBB\xBF")) begin = 3;
            }
            end += *got;
            eof = *got == 0;
            job.raw_bytes.store(job.reader->raw_consumed(), std::memory_order_relaxed);
        }
    } catch (const std::exception& failure) {
        batch.error = Error{std::string("internal error while reading: ") + failure.what(), "",
                            ErrorKind::environment};
    }
    job.final_chain = chain;
    flush(true);
}

constexpr const char* new_case_pragmas =
    "PRAGMA page_size = 8192; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; "
    "PRAGMA locking_mode = EXCLUSIVE; ";
constexpr const char* import_pragmas = "PRAGMA cache_size = -24576; PRAGMA threads = 2;";

// Per-stream state the writer keeps while importing.
struct StreamState {
    std::int64_t id;
    StreamVersions versions;
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

// Writes one source's batches into the open case; owns the prepared statements.
class CaseWriter {
public:
    static Result<CaseWriter> open(sql::Db& db) {
        CaseWriter writer(db);
        auto insert_event = db.prepare(
            "INSERT INTO events (seq, event_id, ts, recorded_ts, type, stream_id, version, actor, "
            "import_id, line, byte_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        auto insert_payload = db.prepare(
            "INSERT INTO event_payloads (seq, data, meta, hash) VALUES (?1, ?2, ?3, ?4)");
        auto insert_stream =
            db.prepare("INSERT INTO streams (name, kind, key) VALUES (?1, ?2, ?3)");
        auto insert_reject =
            db.prepare("INSERT INTO rejects (import_id, line, byte_offset, reason, excerpt) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
        for (auto* stmt : {&insert_event, &insert_payload, &insert_stream, &insert_reject})
            if (!*stmt) return tl::unexpected(stmt->error());
        writer.insert_event_.emplace(std::move(*insert_event));
        writer.insert_payload_.emplace(std::move(*insert_payload));
        writer.insert_stream_.emplace(std::move(*insert_stream));
        writer.insert_reject_.emplace(std::move(*insert_reject));

        auto streams = db.prepare("SELECT id, name FROM streams");
        if (!streams) return tl::unexpected(streams.error());
        auto done = streams->each([&](const sql::Stmt& row) {
            writer.streams_.emplace(std::string(row.column_text(1)),
                                    StreamState{row.column_int(0), {}});
        });
        if (!done) return tl::unexpected(done.error());
        if (auto ok = writer.seed_versions(); !ok) return tl::unexpected(ok.error());
        return writer;
    }

    Result<void> write(const Batch& batch, std::int64_t import_id) {
        sql::Stmt& events = *insert_event_;
        sql::Stmt& payloads = *insert_payload_;
        for (std::size_t i = 0; i < batch.events.size(); ++i) {
            const EventRow& row = batch.events[i];
            std::int64_t seq = batch.first_seq + static_cast<std::int64_t>(i);
            auto stream = stream_for(row.stream);
            if (!stream) return tl::unexpected(stream.error());
            if (row.version)
                versions_.observe((*stream)->versions, (*stream)->id, seq, *row.version,
                                  row.ts.time_since_epoch().count(), row.line);
            events.bind(1, seq);
            events.bind(2, row.event_id);
            events.bind(3, std::int64_t{row.ts.time_since_epoch().count()});
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
        }
        for (const RejectRow& reject : batch.rejects) {
            insert_reject_->bind(1, import_id)
                .bind(2, reject.line)
                .bind(3, reject.byte_offset)
                .bind(4, reject.reason)
                .bind(5, reject.excerpt);
            if (auto ok = insert_reject_->run(); !ok) return ok;
        }
        return {};
    }

    // Frees the per-stream state once every source is written.
    void release_streams() {
        decltype(streams_) empty;
        streams_.swap(empty);
    }

    // The version check of the source just written, for record_findings().
    VersionCheck take_version_check() {
        VersionCheck done = std::move(versions_);
        versions_.clear();
        for (auto& [name, state] : streams_)
            state.versions.unordered = false;
        return done;
    }

private:
    explicit CaseWriter(sql::Db& db) : db_(&db) {}

    Result<StreamState*> stream_for(const std::string& name) {
        auto found = streams_.find(std::string_view(name));
        if (found != streams_.end()) return &found->second;
        auto kind_key = derive_kind_key(name);
        insert_stream_->bind(1, name);
        if (kind_key)
            insert_stream_->bind(2, kind_key->kind).bind(3, kind_key->key);
        else
            insert_stream_->bind_null(2).bind_null(3);
        if (auto ok = insert_stream_->run(); !ok) return tl::unexpected(ok.error());
        std::int64_t id = sqlite3_last_insert_rowid(db_->handle());
        return &streams_.emplace(name, StreamState{id, {}}).first->second;
    }

    // Starts each known stream's version check from its highest stored version, so that an
    // import into an existing case continues its streams.
    Result<void> seed_versions() {
        auto stmt = db_->prepare("SELECT s.name, max(e.version), e.ts, e.seq FROM events e "
                                 "JOIN streams s ON s.id = e.stream_id "
                                 "WHERE e.version IS NOT NULL GROUP BY e.stream_id");
        if (!stmt) return tl::unexpected(stmt.error());
        auto done = stmt->each([&](const sql::Stmt& row) {
            auto found = streams_.find(row.column_text(0));
            if (found == streams_.end()) return;
            found->second.versions.last_version = row.column_int(1);
            found->second.versions.last_ts = row.column_int(2);
            found->second.versions.last_seq = row.column_int(3);
        });
        if (!done) return tl::unexpected(done.error());
        return {};
    }

    sql::Db* db_;
    std::optional<sql::Stmt> insert_event_, insert_payload_, insert_stream_, insert_reject_;
    std::unordered_map<std::string, StreamState, StringHash, std::equal_to<>> streams_;
    VersionCheck versions_;
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

// The format to read a source as. JSON Lines is the only format of this version; whatever the
// extension, the content is checked while reading and other formats are named in the error.
std::string detect_format(const std::string& requested) {
    return requested == "auto" ? "jsonl" : requested;
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

// Imports one source into the open case inside a savepoint; rolls back if the case already
// held a source with the same hash (known only once the whole source is read).
Result<SourceOutcome> import_one(ImportRun& run, const std::string& path) {
    SourceOutcome outcome;
    outcome.path = path;
    outcome.format = detect_format(run.options.format);
    if (outcome.format != "jsonl")
        return fail("unsupported format \"" + outcome.format + "\" (this version reads jsonl)",
                    path);

    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());

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
        .bind(3, static_cast<std::int64_t>(reader->raw_size()))
        .bind(4, "pending:" + path)
        .bind(5, outcome.format)
        .bind(6, run.map.describe_json())
        .bind(7, run.options.source_tz)
        .bind(8, import_options_json(run.options))
        .bind(9, std::int64_t{run.now.time_since_epoch().count()});
    if (auto ok = insert_import->run(); !ok) return abandon(ok.error());
    std::int64_t import_id = sqlite3_last_insert_rowid(run.db.handle());

    JsonlParser parser(run.map, run.zone);
    ReadJob job{&*reader, &parser, *max_seq + 1, chain, run.options.strict, run.options.cancel};
    BatchQueue queue;
    std::thread reader_thread([&] { read_source(job, queue); });

    std::optional<Error> failure;
    auto last_report = std::chrono::steady_clock::now();
    ImportProgress progress;
    progress.source = path;
    progress.raw_total = reader->raw_size();
    for (;;) {
        Batch batch = queue.pop();
        if (!failure) {
            if (auto ok = run.writer.write(batch, import_id); !ok) failure = ok.error();
        }
        outcome.events += static_cast<std::int64_t>(batch.events.size());
        outcome.rejected += static_cast<std::int64_t>(batch.rejects.size());
        outcome.lines += batch.lines;
        if (!failure && batch.error) failure = batch.error;
        if (!failure && run.options.strict && !batch.rejects.empty()) {
            const RejectRow& first = batch.rejects.front();
            failure = Error{"rejected (--strict): " + first.reason,
                            path + ":" + std::to_string(first.line)};
        }
        if (failure) {
            queue.close(); // the reader stops at its next push or chunk; nothing more is read
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
    reader_thread.join();
    if (failure) return abandon(*failure);
    if (run.options.on_progress) {
        progress.raw_bytes = progress.raw_total;
        progress.events = outcome.events;
        progress.rejected = outcome.rejected;
        run.options.on_progress(progress);
    }

    outcome.sha256 = to_hex(reader->raw_digest());
    outcome.naive_times = job.naive_times;
    auto known = run.db.prepare("SELECT count(*) FROM imports WHERE source_sha256 = ?1");
    if (!known) return abandon(known.error());
    known->bind(1, outcome.sha256);
    if (auto row = known->step(); !row) return abandon(row.error());
    if (known->column_int(0) > 0) {
        (void)run.db.exec("ROLLBACK TO source; RELEASE source");
        return SourceOutcome{path, outcome.sha256, outcome.format, 0, 0, 0, 0, 0, true};
    }

    std::int64_t first_seq = *max_seq + 1;
    std::int64_t last_seq = *max_seq + outcome.events;
    auto update = run.db.prepare(
        "UPDATE imports SET source_sha256 = ?2, finished_at = ?3, lines = ?4, events = ?5, "
        "rejected = ?6, naive_times = ?7, first_seq = ?8, last_seq = ?9, chain_head = ?10 "
        "WHERE id = ?1");
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
    if (auto ok = update->run(); !ok) return abandon(ok.error());
    if (auto ok = run.db.exec("RELEASE source"); !ok) return tl::unexpected(ok.error());
    return outcome;
}

// Links each imported event to its primary stream and records the import's findings.
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

    auto link =
        run.db.prepare("INSERT INTO event_streams (stream_id, ts, seq, qualifier) "
                       "SELECT stream_id, ts, seq, NULL FROM events WHERE seq BETWEEN ?1 AND ?2 "
                       "ORDER BY stream_id, ts, seq");
    if (!link) return tl::unexpected(link.error());
    link->bind(1, first).bind(2, last);
    if (auto ok = link->run(); !ok) return ok;

    auto count = record_findings(run.db, import_id, first, last, run.now, versions);
    if (!count) return tl::unexpected(count.error());
    outcome.findings = *count;
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
            if (auto ok = drop_event_indexes(*db); !ok) return tl::unexpected(ok.error());

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
            if (auto ok = create_event_indexes(*db); !ok) return tl::unexpected(ok.error());
        report_phase(options, ImportPhase::checking);
        for (std::size_t i = 0; i < result.sources.size(); ++i) {
            if (result.sources[i].already_imported) continue;
            if (auto ok = finish_import(run, result.sources[i], version_checks[i]); !ok)
                return tl::unexpected(ok.error());
        }
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
