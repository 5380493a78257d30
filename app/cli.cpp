// The asof command line, callable in-process: parses arguments with CLI11 and dispatches.
#include "app/cli.hpp"

#include "app/commands.hpp"
#include "eventlog/json_text.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

namespace asof {
namespace {

void add_case_options(CLI::App* command, CaseArgument& source) {
    command->add_option("CASE", source.path, "Case file, or a log to import into the cache")
        ->required();
    command->add_option("--map", source.map, "When CASE is a log: KEY=FIELD field mapping");
    command->add_option("--source-tz", source.source_tz,
                        "When CASE is a log: zone of naive times (default UTC)");
}

} // namespace

int exit_code_for(const Error& error, const CliContext& context) {
    if (context.cancel && context.cancel->load()) return exit_interrupted;
    return error.kind == ErrorKind::environment ? exit_internal : exit_bad_input;
}

std::optional<const date::time_zone*> zone_option(const std::optional<std::string>& tz,
                                                  CliContext& context, int& exit_code) {
    if (!tz) return system_zone();
    auto found = find_zone(*tz);
    if (found) return *found;
    exit_code = report_error(context, {found.error().message, "--tz"}, exit_bad_input);
    return std::nullopt;
}

std::optional<query::Clock> pinned_clock(const std::optional<std::string>& now,
                                         const std::optional<std::string>& tz, CliContext& context,
                                         int& exit_code) {
    auto zone = zone_option(tz, context, exit_code);
    if (!zone) return std::nullopt;
    query::Clock clock{std::chrono::floor<Micros>(std::chrono::system_clock::now()), *zone};
    if (now) {
        auto parsed = parse_iso8601(*now, *zone);
        if (!parsed) {
            exit_code = report_error(context, {parsed.error().message, "--now"}, exit_bad_input);
            return std::nullopt;
        }
        clock.now = parsed->at;
    }
    return clock;
}

int report_error(CliContext& context, const Error& error, int code) {
    if (context.err_is_terminal) context.err << "\r\x1b[K"; // a progress line may be showing
    context.err << "asof: " << printable(error.describe()) << '\n';
    return code;
}

int run_cli(const std::vector<std::string>& args, CliContext& context) {
    CLI::App app{"asof: an audit and time-travel console for event logs", "asof"};
    app.set_version_flag("--version", std::string("asof ") + ASOF_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);

    ImportArgs import_args;
    auto* import = app.add_subcommand("import", "Import logs into a case file");
    import
        ->add_option("LOG", import_args.logs,
                     "Logs: JSON Lines, CSV, XES, OCEL 2.0, SQLite snapshots (.gz for text)")
        ->required();
    import->add_option("-o,--output", import_args.output,
                       "Case file to create or add to (default: first LOG's name + .asof)");
    import->add_option("--format", import_args.format, "Source format")
        ->check(CLI::IsMember(
            {"auto", "jsonl", "csv", "xes", "ocel-json", "ocel-xml", "ocel-sqlite", "sqlite"}));
    import->add_option("--table", import_args.table,
                       "SQLite snapshot: the table holding the events");
    import->add_option("--delimiter", import_args.delimiter,
                       "CSV: the field delimiter, one character or \"tab\" (default: from the "
                       "header row)");
    import->add_option("--map", import_args.map,
                       "KEY=FIELD: take KEY (id, stream, type, ts, "
                       "recorded, version, actor, data, meta) from FIELD");
    import->add_option("--source-tz", import_args.source_tz, "Zone of naive times (default UTC)");
    import->add_flag("--strict", import_args.strict, "Stop at the first rejected line");
    import->add_flag("-q,--quiet", import_args.quiet, "No progress line");

    CaseArgument info_source;
    bool info_json = false;
    auto* info = app.add_subcommand("info", "Summarise a case: counts, sources, integrity");
    add_case_options(info, info_source);
    info->add_flag("--json", info_json, "Machine-readable output");

    CaseArgument rejects_source;
    bool rejects_json = false;
    auto* rejects = app.add_subcommand("rejects", "List the lines that did not become events");
    add_case_options(rejects, rejects_source);
    rejects->add_flag("--json", rejects_json, "Machine-readable output");

    EventsArgs events_args;
    auto* events = app.add_subcommand("events", "List events in time order");
    add_case_options(events, events_args.source);
    events->add_option("--stream", events_args.stream, "Only this stream (exact name)");
    events->add_option("--from", events_args.from, "From this instant (inclusive), ISO 8601");
    events->add_option("--to", events_args.to, "To this instant (exclusive), ISO 8601");
    events->add_option("--tz", events_args.tz,
                       "Zone for showing times and reading naive --from/--to (default: system)");
    events->add_option("--limit", events_args.limit, "At most N events")
        ->check(CLI::NonNegativeNumber);
    events->add_option("--format", events_args.format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "json", "jsonl"}));

    QueryArgs query_args;
    auto* query = app.add_subcommand("query", "Answer a question in the query language");
    add_case_options(query, query_args.source);
    query
        ->add_option("QUERY", query_args.text,
                     "The question, e.g. \"discrepancy #4721 tuesday to thursday\"")
        ->required();
    query->add_option("--now", query_args.now,
                      "Pin the clock (ISO 8601; default: the current time)");
    query->add_option("--tz", query_args.tz,
                      "Zone for reading dates and times of day and for showing times "
                      "(default: system)");
    query->add_option("--format", query_args.format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "json", "jsonl"}));
    query->add_option("--limit", query_args.limit, "At most N events")
        ->check(CLI::NonNegativeNumber);
    query->add_flag("--explain", query_args.explain,
                    "Print the SQL, its parameters and SQLite's query plan instead of running it");

    // Options replay, diff and changes share.
    auto add_time_travel = [&](CLI::App* command, TimeTravelArgs& common) {
        add_case_options(command, common.source);
        command
            ->add_option("TARGET", common.target,
                         "The stream: discrepancy #4721, stream:NAME or a stream name")
            ->required();
    };
    auto add_time_travel_options = [&](CLI::App* command, TimeTravelArgs& common) {
        command->add_option("--now", common.now, "Pin the clock (ISO 8601)");
        command->add_option("--tz", common.tz, "Zone for reading times and showing them");
        command->add_option("--projection", common.projection,
                            "Fold with this projection file (default: the case's projection)");
        command->add_option("--max-state-mib", common.max_state_mib,
                            "Refuse states larger than this (default: a quarter of memory)");
        command->add_flag("--json", common.json, "Machine-readable output");
    };

    ReplayArgs replay_args;
    auto* replay = app.add_subcommand("replay", "The state of one stream as of an instant");
    add_time_travel(replay, replay_args.common);
    replay->add_option("--at", replay_args.at,
                       "The instant, as in queries (\"wednesday 14:00\", \"2026-04-15\"; "
                       "default: now)");
    add_time_travel_options(replay, replay_args.common);
    replay->add_flag("--blame", replay_args.blame, "Name the event that set each field");

    DiffArgs diff_args;
    auto* diff = app.add_subcommand("diff", "What changed in one stream between two instants");
    add_time_travel(diff, diff_args.common);
    diff->add_option("T1", diff_args.from, "The first instant, as in queries")->required();
    diff->add_option("T2", diff_args.to, "The second instant (not before T1)")->required();
    add_time_travel_options(diff, diff_args.common);

    ChangesArgs changes_args;
    auto* changes =
        app.add_subcommand("changes", "Each event of one stream with the fields it changed");
    add_time_travel(changes, changes_args.common);
    changes->add_option("RANGE", changes_args.range,
                        "A time range, as in queries (\"between tuesday and thursday\"; "
                        "default: all time)");
    add_time_travel_options(changes, changes_args.common);

    ProjectionArgs projection_args;
    auto* projection =
        app.add_subcommand("projection", "Show or set the projection the case replays with");
    add_case_options(projection, projection_args.source);
    projection->add_option("FILE", projection_args.file,
                           "A projection file (JSON) to store in the case and use from now on");
    projection->add_flag("--clear", projection_args.clear,
                         "Go back to the default (merge each event's data)");
    projection->add_flag("--json", projection_args.json, "Machine-readable output");

    SnapshotArgs snapshot_args;
    auto* snapshot = app.add_subcommand(
        "snapshot", "Store replay snapshots so that any instant replays in bounded time");
    add_case_options(snapshot, snapshot_args.source);
    snapshot->add_option("TARGET", snapshot_args.target,
                         "Only this stream (default: every stream longer than --every)");
    snapshot->add_option("--every", snapshot_args.every, "Events between snapshots")
        ->check(CLI::PositiveNumber);
    snapshot->add_option("--projection", snapshot_args.projection,
                         "For this projection file (default: the case's projection)");
    snapshot->add_option("--max-state-mib", snapshot_args.max_state_mib,
                         "Refuse states larger than this (default: a quarter of memory)");
    snapshot->add_flag("--list", snapshot_args.list, "List the stored snapshots instead");

    ReportArgs report_args;
    auto* report = app.add_subcommand(
        "report", "Write what a query found as a report (HTML, PDF, CSV, JSON, Markdown)");
    add_case_options(report, report_args.source);
    report->add_option("QUERY", report_args.text, "The question, as for asof query")->required();
    report->add_option("-o,--output", report_args.output, "The report file to write")->required();
    report->add_option("--format", report_args.format,
                       "html, pdf, csv, json or md (default: from the file's extension)");
    report->add_option("--at", report_args.at,
                       "Also show each stream's state as of this instant (as in queries)");
    report->add_option("--title", report_args.title, "The report's title");
    report->add_option("--now", report_args.now,
                       "Pin the clock (ISO 8601; default: the current time)");
    report->add_option("--tz", report_args.tz,
                       "Zone for reading dates and times of day and for showing times "
                       "(default: system)");
    report->add_option("--generated-at", report_args.generated_at,
                       "Pin the report's generation time (ISO 8601; default: now), for "
                       "byte-identical re-runs");
    report->add_option("--projection", report_args.projection,
                       "Replay with this projection file (default: the case's projection)");
    report->add_option("--max-events", report_args.max_events,
                       "List at most N events (default 100000; the report says what it cut)");
    report->add_option("--max-state-mib", report_args.max_state_mib,
                       "Refuse states larger than this (default: a quarter of memory)");

    CaseArgument verify_source;
    bool verify_json = false;
    auto* verify = app.add_subcommand(
        "verify", "Recompute the hash chain: has the case changed since import?");
    add_case_options(verify, verify_source);
    verify->add_flag("--json", verify_json, "Machine-readable output");

    std::string upgrade_path;
    auto* upgrade = app.add_subcommand(
        "upgrade", "Migrate a case file written by an older asof to this version, in place");
    upgrade->add_option("CASE", upgrade_path, "Case file")->required();

    if (!args.empty() && !args.front().starts_with("-")) {
        std::string names;
        bool known = false;
        for (const auto* command : app.get_subcommands({})) {
            names += (names.empty() ? "" : ", ") + command->get_name();
            known = known || command->get_name() == args.front();
        }
        if (!known) {
            context.err << "asof: unknown command \"" << args.front() << "\" (commands: " << names
                        << "; see asof --help)\n";
            return exit_usage;
        }
    }
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& error) {
        std::ostringstream out, err;
        int code = app.exit(error, out, err);
        context.out << out.str();
        context.err << err.str();
        return code == 0 ? exit_ok : exit_usage;
    }

    try {
        if (*import) return cmd_import(import_args, context);
        if (*info) return cmd_info(info_source, info_json, context);
        if (*rejects) return cmd_rejects(rejects_source, rejects_json, context);
        if (*events) return cmd_events(events_args, context);
        if (*verify) return cmd_verify(verify_source, verify_json, context);
        if (*upgrade) return cmd_upgrade(upgrade_path, context);
        if (*query) return cmd_query(query_args, context);
        if (*replay) return cmd_replay(replay_args, context);
        if (*diff) return cmd_diff(diff_args, context);
        if (*changes) return cmd_changes(changes_args, context);
        if (*projection) return cmd_projection(projection_args, context);
        if (*snapshot) return cmd_snapshot(snapshot_args, context);
        if (*report) return cmd_report(report_args, context);
    } catch (const std::exception& failure) {
        context.err << "asof: internal error: " << failure.what() << '\n';
        return exit_internal;
    }
    return exit_usage;
}

} // namespace asof
