// Builds a Report from a case and a query (see report_builder.hpp).
#include "report/report_builder.hpp"

#include "eventlog/case_reader.hpp"
#include "eventlog/text_index.hpp"
#include "eventlog/verify.hpp"
#include "query/executor.hpp"
#include "replay/replay_session.hpp"

#include <algorithm>
#include <date/tz.h>
#include <filesystem>
#include <map>
#include <set>

namespace asof::report {
namespace {

std::string zone_name(const date::time_zone* zone) {
    return zone ? zone->name() : std::string("UTC");
}

std::string file_name(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

ReportChange report_change(const replay::Change& change) {
    return {change.pointer, change.kind(),
            change.before ? replay::compact_json(*change.before) : "",
            change.after ? replay::compact_json(*change.after) : ""};
}

std::string count_text(std::int64_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

// "A .. B" with each side formatted by `format`, "start"/"end" for an unbounded side.
template <class Format>
std::string interval_text(const query::Interval& interval, bool has_time, Format format) {
    if (!has_time) return "all time";
    return (interval.from ? format(*interval.from) : std::string("start")) + " .. " +
           (interval.to ? format(*interval.to) : std::string("end"));
}

Result<void> fill_case_facts(sql::Db& db, const std::vector<ReportEvent>& events,
                             ReportManifest& manifest) {
    auto info = read_case_info(db);
    if (!info) return tl::unexpected(info.error());
    for (const auto& source : info->sources)
        manifest.sources.push_back({source.name, source.size, source.sha256, source.format,
                                    source.source_tz, source.events, source.rejected});
    if (!info->sources.empty()) manifest.chain_head = info->sources.back().chain_head;

    auto verified = verify_case(db, false);
    if (!verified) return tl::unexpected(verified.error());
    if (manifest.chain_head.empty()) manifest.chain_head = verified->head;
    manifest.verified = verified->ok();
    manifest.verify_summary =
        verified->ok()
            ? "passes: " + count_text(verified->events_checked, "event", "events") + " checked"
            : "fails: " + verified->problems.front() +
                  (verified->problems.size() > 1
                       ? " (and " + std::to_string(verified->problems.size() - 1) + " more)"
                       : std::string());

    // The findings that touch the listed events: about one of them, or about one of their
    // streams as a whole.
    std::set<std::int64_t> seqs;
    std::set<std::string> streams;
    for (const auto& event : events) {
        seqs.insert(event.seq);
        streams.insert(event.stream);
    }
    for (const auto& finding : info->findings) {
        bool touches = finding.seq ? seqs.contains(*finding.seq)
                                   : !finding.stream.empty() && streams.contains(finding.stream);
        if (touches)
            manifest.findings.push_back(
                {finding.kind, finding.stream, finding.seq, finding.detail});
    }
    return {};
}

ReportEvent report_event(const StoredEvent& stored, const date::time_zone* zone) {
    ReportEvent event;
    event.seq = stored.seq;
    event.event_id = stored.event_id;
    event.ts = stored.ts;
    event.time_utc = format_utc(stored.ts);
    event.time_local = format_in_zone(stored.ts, zone);
    event.stream = stored.stream;
    event.type = stored.type;
    event.actor = stored.actor;
    event.version = stored.version;
    event.data = stored.data.value_or("");
    return event;
}

// Replays one stream: the changes of its listed events, its states at the interval's ends (and
// at --at). A failure of the replay (a state over the size limit, ...) becomes a warning of
// the stream and a note, not a failure of the report.
Result<void> replay_stream(sql::Db& db, const ReportRequest& request,
                           const std::shared_ptr<const replay::Projection>& projection,
                           const query::Interval& interval, ReportStream& stream,
                           std::vector<ReportEvent*>& listed, ReportManifest& manifest) {
    auto refs =
        query::streams_of(db, query::Target{query::Target::Kind::name, {}, {}, stream.name, {}}, 1);
    if (!refs) return tl::unexpected(refs.error());
    if (refs->empty()) return fail("no stream named " + stream.name, "report");
    auto replayer =
        replay::open_stream_replayer(db, request.case_path, refs->front().id, stream.name,
                                     projection, request.limits, manifest.notes);
    if (!replayer) return tl::unexpected(replayer.error());
    std::set<std::string> warnings;
    auto failed = [&](const Error& error) -> Result<void> {
        std::string note = "the replay of " + stream.name + " failed: " + error.message;
        stream.warnings.push_back(note);
        manifest.notes.push_back(note);
        return {};
    };

    Timestamp first = Timestamp::max(), last = Timestamp::min();
    for (const ReportEvent* event : listed) {
        first = std::min(first, event->ts);
        last = std::max(last, event->ts);
    }
    auto changes = replayer->changes(first, last);
    if (!changes) return failed(changes.error());
    std::map<std::int64_t, const std::vector<replay::Change>*> by_seq;
    for (const auto& entry : changes->timeline)
        by_seq[entry.seq] = &entry.changes;
    for (ReportEvent* event : listed) {
        auto found = by_seq.find(event->seq);
        if (found == by_seq.end()) continue;
        for (const auto& change : *found->second)
            event->changes.push_back(report_change(change));
    }
    warnings.insert(changes->warnings.begin(), changes->warnings.end());

    // The state at the start holds the events before the interval; at the end, those before
    // its end (all of them for an unbounded side).
    Timestamp start = interval.from ? *interval.from - Micros{1} : Timestamp::min();
    Timestamp end = interval.to ? *interval.to - Micros{1} : Timestamp::max();
    stream.start_label =
        interval.from ? format_utc(*interval.from) : std::string("before the first event");
    stream.end_label = interval.to ? format_utc(*interval.to) : std::string("after the last event");
    auto diff = replayer->diff(start, end);
    if (!diff) return failed(diff.error());
    stream.state_start = diff->from.state;
    stream.state_end = diff->to.state;
    for (const auto& entry : diff->entries)
        stream.diff.push_back(report_change(entry.change));
    warnings.insert(diff->to.warnings.begin(), diff->to.warnings.end());

    if (request.at) {
        auto at = replayer->state_at(*request.at);
        if (!at) return failed(at.error());
        stream.state_at = at->state;
    }
    stream.warnings.insert(stream.warnings.end(), warnings.begin(), warnings.end());
    return {};
}

} // namespace

Result<Report> build_report(sql::Db& db, const ReportRequest& request) {
    const date::time_zone* zone = request.clock.zone;
    auto prepared = query::prepare_query(request.query_text, request.clock);
    if (!prepared)
        return fail("column " + std::to_string(prepared.error().span.begin + 1) + ": " +
                        prepared.error().message,
                    "query");
    if (prepared->query.count_by)
        return fail("a report lists events; \"count by\" gives no events to list", "query");
    if (prepared->query.mode == query::Query::Mode::as_of)
        return fail("a report lists events; for the state as of an instant, list the target's "
                    "events and pass --at",
                    "query");
    // "TARGET changes between A and B" lists the target's events in the interval, which is
    // what a report shows with the changes of each.
    prepared->query.mode = query::Query::Mode::list;

    auto text_index = text_index_current(db);
    if (!text_index) return tl::unexpected(text_index.error());
    query::Executor executor(db, *text_index);
    auto problem = executor.check_names(*prepared);
    if (!problem) return tl::unexpected(problem.error());
    if (*problem)
        return fail("column " + std::to_string((*problem)->span.begin + 1) + ": " +
                        (*problem)->message,
                    "query");

    Report report;
    ReportManifest& manifest = report.manifest;
    if (!request.title.empty())
        manifest.title = request.title;
    else
        manifest.title = "asof report: " + (prepared->canonical.empty() ? std::string("all events")
                                                                        : prepared->canonical);
    manifest.case_name = file_name(request.case_path);
    manifest.query_text = request.query_text;
    manifest.query_canonical = prepared->canonical;
    manifest.zone = zone_name(zone);
    const query::Interval& interval = prepared->interval;
    manifest.from = interval.from;
    manifest.to = interval.to;
    bool has_time = prepared->query.time.has_value();
    manifest.interval_utc = interval_text(interval, has_time, format_utc);
    manifest.interval_zone =
        interval_text(interval, has_time, [&](Timestamp t) { return format_in_zone(t, zone); });
    manifest.now = request.clock.now;
    manifest.now_text = format_utc(request.clock.now);
    manifest.as_of = request.at;
    if (request.at) manifest.as_of_text = format_utc(*request.at);
    manifest.asof_version = ASOF_VERSION;
    manifest.generated_at =
        request.generated_at.value_or(std::chrono::floor<Micros>(std::chrono::system_clock::now()));
    manifest.generated_at_text = format_utc(manifest.generated_at);

    auto projection = request.projection;
    if (!projection) {
        auto settled = replay::settle_projection(db, std::nullopt);
        if (!settled) return tl::unexpected(settled.error());
        projection = settled->projection;
    }
    manifest.projection_name = projection->name();
    manifest.projection_sha256 = projection->hash();

    // The events: at most max_events (and the query's own limit), every cut said in the notes.
    auto matching = executor.count(*prepared);
    if (!matching) return tl::unexpected(matching.error());
    auto query_limit = query::effective_limit(prepared->query, std::nullopt);
    std::int64_t max_events = std::max<std::int64_t>(request.max_events, 0);
    std::optional<std::int64_t> limit =
        query_limit ? std::min(*query_limit, max_events) : max_events;
    auto listed = executor.each_event(*prepared, limit, [&](const StoredEvent& event) {
        report.events.push_back(report_event(event, zone));
    });
    if (!listed) return tl::unexpected(listed.error());
    manifest.matching_events = *matching;
    manifest.listed_events = *listed;
    if (*listed < *matching) {
        bool by_query = query_limit && *query_limit <= max_events;
        manifest.notes.push_back(
            "lists " + std::to_string(*listed) + " of " +
            count_text(*matching, "matching event", "matching events") +
            (by_query ? " (the query's limit " + std::to_string(*query_limit) + ")"
                      : " (at most " + std::to_string(max_events) +
                            " events per report; narrow the query or raise --max-events)"));
    }

    // The streams of the listed events, by name; the first max_streams are replayed.
    std::map<std::string, std::vector<ReportEvent*>> by_stream;
    std::set<std::string> types;
    for (auto& event : report.events) {
        by_stream[event.stream].push_back(&event);
        if (event.type) types.insert(*event.type);
    }
    report.types.assign(types.begin(), types.end());
    manifest.stream_count = static_cast<std::int64_t>(by_stream.size());
    std::int64_t max_streams = std::max<std::int64_t>(request.max_streams, 0);
    if (manifest.stream_count > max_streams)
        manifest.notes.push_back("the changes and states of the first " +
                                 std::to_string(max_streams) +
                                 " streams by name are included; the other " +
                                 std::to_string(manifest.stream_count - max_streams) +
                                 " streams' events are listed without their changes");
    for (auto& [name, events] : by_stream) {
        if (static_cast<std::int64_t>(report.streams.size()) >= max_streams) break;
        ReportStream stream;
        stream.name = name;
        stream.listed_events = static_cast<std::int64_t>(events.size());
        auto replayed = replay_stream(db, request, projection, interval, stream, events, manifest);
        if (!replayed) return tl::unexpected(replayed.error());
        report.streams.push_back(std::move(stream));
    }

    auto facts = fill_case_facts(db, report.events, manifest);
    if (!facts) return tl::unexpected(facts.error());
    return report;
}

Result<std::vector<std::string>> report_protected_paths(sql::Db& db, const std::string& case_path) {
    auto info = read_case_info(db);
    if (!info) return tl::unexpected(info.error());
    std::vector<std::string> paths{case_path};
    for (const auto& source : info->sources)
        paths.push_back(source.path);
    return paths;
}

} // namespace asof::report
