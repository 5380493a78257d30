// `asof report CASE "QUERY" -o FILE`: what a query found as a document an auditor can file
// (HTML, PDF, CSV, JSON or Markdown), with the manifest that says how it was obtained. The
// building and writing live in report/; this reads the options and reports the outcome.
#include "app/commands.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/json_text.hpp"
#include "query/executor.hpp"
#include "replay/projection_store.hpp"
#include "report/report_builder.hpp"
#include "report/report_writers.hpp"

#include <ostream>

namespace asof {

int cmd_report(const ReportArgs& args, CliContext& context) {
    int code = exit_ok;
    auto format = args.format ? report::report_format_from_name(*args.format)
                              : report::report_format_from_path(args.output);
    if (!format)
        return report_error(
            context,
            {args.format ? "unknown format \"" + *args.format + "\" (html, pdf, csv, json, md)"
                         : "cannot tell the format from the file name; name it "
                           "with --format html|pdf|csv|json|md",
             args.format ? "--format" : "-o"},
            exit_usage);
    if (args.max_events < 0)
        return report_error(context, {"must not be negative", "--max-events"}, exit_usage);
    auto pinned = pinned_clock(args.now, args.tz, context, code);
    if (!pinned) return code;
    auto prepared = query::prepare_query(args.text, *pinned);
    if (!prepared) return report_query_error(context, args.text, prepared.error());

    report::ReportRequest request;
    request.query_text = args.text;
    request.clock = *pinned;
    request.title = args.title.value_or("");
    request.max_events = args.max_events;
    if (args.at) {
        auto at = read_instant(*args.at, *pinned, "--at");
        if (!at) return report_error(context, at.error(), exit_bad_query);
        request.at = *at;
    }
    if (args.generated_at) {
        auto parsed = parse_iso8601(*args.generated_at, pinned->zone);
        if (!parsed)
            return report_error(context, {parsed.error().message, "--generated-at"},
                                exit_bad_input);
        request.generated_at = parsed->at;
    }
    if (args.max_state_mib) {
        if (*args.max_state_mib < 1)
            return report_error(context, {"must be at least 1", "--max-state-mib"}, exit_usage);
        request.limits.max_state_bytes = static_cast<std::size_t>(*args.max_state_mib) << 20;
    }
    if (args.projection) {
        auto projection = replay::read_projection_file(*args.projection);
        if (!projection)
            return report_error(context, projection.error(),
                                exit_code_for(projection.error(), context));
        request.projection = *projection;
    }

    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    request.case_path = *path;
    auto db = open_case(*path);
    if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));
    auto protected_paths = report::report_protected_paths(*db, *path);
    if (!protected_paths) return report_error(context, protected_paths.error(), exit_internal);
    // A log given as CASE is a source of the cached case: protected as typed, too.
    protected_paths->push_back(args.source.path);

    auto built = report::build_report(*db, request);
    if (!built)
        return report_error(context, built.error(),
                            built.error().where == "query" ? exit_bad_query
                                                           : exit_code_for(built.error(), context));
    auto written = report::export_report(*built, *format, args.output, *protected_paths);
    if (!written)
        return report_error(context, written.error(), exit_code_for(written.error(), context));
    for (const auto& note : built->manifest.notes)
        context.err << "asof: note: " << printable(note) << '\n';
    const auto& manifest = built->manifest;
    context.out << "wrote " << printable(written->front()) << " (" << manifest.listed_events
                << (manifest.listed_events == 1 ? " event" : " events") << ", "
                << manifest.stream_count << (manifest.stream_count == 1 ? " stream" : " streams")
                << ")\n";
    for (std::size_t i = 1; i < written->size(); ++i)
        context.out << "wrote " << printable((*written)[i]) << " (the manifest)\n";
    return exit_ok;
}

} // namespace asof
