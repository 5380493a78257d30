// `asof info`, `asof rejects` and `asof verify`: what a case holds and whether it is intact.
#include "app/case_source.hpp"
#include "app/commands.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/case_schema.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/verify.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace asof {
namespace {

using ordered_json = nlohmann::ordered_json;

std::optional<sql::Db> open_resolved(const CaseArgument& source, CliContext& context, int& code) {
    auto path = resolve_case_argument(source, context, code);
    if (!path) return std::nullopt;
    auto db = open_case(*path);
    if (!db) {
        code = report_error(context, db.error(), exit_bad_input);
        return std::nullopt;
    }
    return std::move(*db);
}

ordered_json opt_time(const std::optional<Timestamp>& t) {
    return t ? ordered_json(format_utc(*t)) : ordered_json();
}

} // namespace

std::optional<std::string> resolve_case_argument(const CaseArgument& source, CliContext& context,
                                                 int& exit_code) {
    ImportOptions options;
    options.map = source.map;
    options.source_tz = source.source_tz;
    auto path = resolve_case(source.path, options, context);
    if (!path) {
        exit_code = report_error(context, path.error(), exit_code_for(path.error(), context));
        return std::nullopt;
    }
    return *path;
}

int cmd_info(const CaseArgument& source, bool json, CliContext& context) {
    int code = exit_ok;
    auto db = open_resolved(source, context, code);
    if (!db) return code;
    auto info = read_case_info(*db);
    if (!info) return report_error(context, info.error(), exit_internal);

    if (json) {
        ordered_json out;
        out["events"] = info->events;
        out["streams"] = info->streams;
        out["rejected"] = info->rejected;
        out["relations"] = info->relations;
        out["span"] = {{"from", opt_time(info->first)}, {"to", opt_time(info->last)}};
        out["sources"] = ordered_json::array();
        for (const auto& s : info->sources)
            out["sources"].push_back({{"path", s.path},
                                      {"name", s.name},
                                      {"sha256", s.sha256},
                                      {"size", s.size},
                                      {"format", s.format},
                                      {"lines", s.lines},
                                      {"events", s.events},
                                      {"rejected", s.rejected},
                                      {"source_tz", s.source_tz},
                                      {"naive_times", s.naive_times},
                                      {"zoned_times", s.zoned_times},
                                      {"attributes", s.attributes},
                                      {"relations", s.relations},
                                      {"mapping", ordered_json::parse(s.mapping)},
                                      {"imported_at", format_utc(s.started_at)},
                                      {"chain_head", s.chain_head}});
        out["integrity"] = ordered_json::array();
        for (const auto& f : info->findings)
            out["integrity"].push_back({{"kind", f.kind},
                                        {"stream", f.stream},
                                        {"seq", f.seq ? ordered_json(*f.seq) : ordered_json()},
                                        {"detail", f.detail}});
        context.out << out.dump(2) << '\n';
        return exit_ok;
    }

    context.out << "case       " << db->path() << '\n';
    context.out << "events     " << info->events << " in " << info->streams << " streams, "
                << info->rejected << " rejected lines\n";
    if (info->relations) context.out << "relations  " << info->relations << " object-to-object\n";
    if (info->first)
        context.out << "span       " << format_utc(*info->first) << " to "
                    << format_utc(*info->last) << '\n';
    for (const auto& s : info->sources) {
        context.out << "source     " << printable(s.name) << " (" << s.format << ", " << s.size
                    << " bytes)\n";
        context.out << "  path     " << printable(s.path) << '\n';
        context.out << "  sha256   " << s.sha256 << '\n';
        context.out << "  lines    " << s.lines << ": " << s.events << " events, " << s.rejected
                    << " rejected\n";
        context.out << "  times    " << s.naive_times << " without zone, read in " << s.source_tz
                    << ", " << s.zoned_times << " with zone\n";
        if (s.attributes || s.relations)
            context.out << "  objects  " << s.attributes << " attribute values, " << s.relations
                        << " object-to-object relations\n";
        context.out << "  imported " << format_utc(s.started_at) << '\n';
        context.out << "  chain    " << s.chain_head << '\n';
    }
    context.out << "integrity  " << info->findings.size()
                << (info->findings.size() == 1 ? " finding\n" : " findings\n");
    for (const auto& f : info->findings) {
        context.out << "  " << f.kind << "  " << (f.stream.empty() ? "-" : printable(f.stream));
        if (f.seq) context.out << "  seq " << *f.seq;
        context.out << "  " << printable(f.detail) << '\n';
    }
    return exit_ok;
}

int cmd_rejects(const CaseArgument& source, bool json, CliContext& context) {
    int code = exit_ok;
    auto db = open_resolved(source, context, code);
    if (!db) return code;
    auto rejects = read_rejects(*db);
    if (!rejects) return report_error(context, rejects.error(), exit_internal);
    if (json) {
        ordered_json out = ordered_json::array();
        for (const auto& r : *rejects) {
            out.push_back({{"source", r.source},
                           {"line", r.line},
                           {"byte_offset", r.byte_offset},
                           {"reason", r.reason},
                           {"excerpt", r.excerpt}});
            if (!r.place.empty()) out.back()["place"] = r.place;
        }
        context.out << out.dump(2) << '\n';
        return exit_ok;
    }
    for (const auto& r : *rejects)
        context.out << printable(r.source) << ':'
                    << (r.place.empty() ? std::to_string(r.line)
                        : r.line > 0 ? printable(r.place) + " (line " + std::to_string(r.line) + ")"
                                     : printable(r.place))
                    << ": " << printable(r.reason) << "\n    " << r.excerpt << '\n';
    context.out << rejects->size()
                << (rejects->size() == 1 ? " rejected line\n" : " rejected lines\n");
    return exit_ok;
}

int cmd_upgrade(const std::string& path, CliContext& context) {
    if (!is_case_file(path))
        return report_error(context, {"not an asof case file", path}, exit_bad_input);
    auto db = sql::Db::open(path, sql::Db::Mode::read_write);
    if (!db) return report_error(context, db.error(), exit_bad_input);
    auto before = db->scalar_int("PRAGMA user_version");
    if (!before) return report_error(context, before.error(), exit_internal);
    if (auto ok = migrate_case(*db); !ok) return report_error(context, ok.error(), exit_bad_input);
    if (*before == case_schema_version)
        context.out << path << ": already at schema version " << case_schema_version << '\n';
    else
        context.out << path << ": upgraded from schema version " << *before << " to "
                    << case_schema_version << '\n';
    return exit_ok;
}

int cmd_verify(const CaseArgument& source, bool json, CliContext& context) {
    int code = exit_ok;
    auto db = open_resolved(source, context, code);
    if (!db) return code;
    auto report = verify_case(*db, true);
    if (!report) return report_error(context, report.error(), exit_internal);
    if (json) {
        ordered_json out;
        out["ok"] = report->ok();
        out["events_checked"] = report->events_checked;
        out["chain_head"] = report->head;
        out["problems"] = report->problems;
        out["sources"] = ordered_json::array();
        for (const auto& s : report->sources)
            out["sources"].push_back({{"path", s.path}, {"status", s.status}});
        context.out << out.dump(2) << '\n';
    } else {
        for (const auto& problem : report->problems)
            context.out << "CHANGED  " << problem << '\n';
        for (const auto& s : report->sources)
            context.out << "source   " << s.path << ": " << s.status << '\n';
        context.out << (report->ok() ? "OK  " : "FAILED  ") << report->events_checked
                    << " events checked, chain head " << report->head << '\n';
    }
    return report->ok() ? exit_ok : exit_verify_failed;
}

} // namespace asof
