// `asof events`: lists a case's events in time order, optionally one stream and an interval.
#include "app/commands.hpp"
#include "eventlog/case_reader.hpp"
#include "report/event_writer.hpp"

#include <date/tz.h>
#include <ostream>

namespace asof {
namespace {

// Reads a --from/--to value: ISO 8601, naive values in `zone`.
Result<Timestamp> read_instant(const std::string& text, const char* option,
                               const date::time_zone* zone) {
    auto parsed = parse_iso8601(text, zone);
    if (!parsed) return tl::unexpected(Error{parsed.error().message, option});
    return parsed->at;
}

} // namespace

int cmd_events(const EventsArgs& args, CliContext& context) {
    int code = exit_ok;
    auto zone_found = zone_option(args.tz, context, code);
    if (!zone_found) return code;
    const date::time_zone* zone = *zone_found;
    EventFilter filter;
    filter.stream = args.stream;
    filter.limit = args.limit;
    if (args.from) {
        auto t = read_instant(*args.from, "--from", zone);
        if (!t) return report_error(context, t.error(), exit_bad_input);
        filter.from = *t;
    }
    if (args.to) {
        auto t = read_instant(*args.to, "--to", zone);
        if (!t) return report_error(context, t.error(), exit_bad_input);
        filter.to = *t;
    }
    if (filter.from && filter.to && *filter.from > *filter.to)
        return report_error(context,
                            {"--from (" + format_in_zone(*filter.from, zone) + ") is after --to (" +
                                 format_in_zone(*filter.to, zone) + ")",
                             "--from"},
                            exit_bad_input);

    auto path = resolve_case_argument(args.source, context, code);
    if (!path) return code;
    auto db = open_case(*path);
    if (!db) return report_error(context, db.error(), exit_code_for(db.error(), context));

    auto format = event_format_from_name(args.format);
    EventWriter writer(context.out, format.value_or(EventFormat::table), zone);
    std::string interval = "[" + (filter.from ? format_in_zone(*filter.from, zone) : "start") +
                           ", " + (filter.to ? format_in_zone(*filter.to, zone) : "end") + ")";
    writer.set_table_heading({"stream " + args.stream.value_or("(all)") + "  interval " + interval +
                              "  zone " + (zone ? zone->name() : std::string("UTC"))});
    auto count = for_each_event(*db, filter, [&](const StoredEvent& e) { writer.write(e); });
    if (!count) return report_error(context, count.error(), exit_code_for(count.error(), context));
    writer.finish();
    return exit_ok;
}

} // namespace asof
