// `asof import`: builds or extends a case file from logs and prints what became of every line.
#include "app/case_source.hpp"
#include "app/commands.hpp"

#include <filesystem>
#include <ostream>

namespace asof {
namespace {

// "logs/orders.jsonl.gz" -> "orders.asof" in the current folder.
std::string default_case_name(const std::string& log) {
    std::string name = std::filesystem::path(log).filename().string();
    for (const char* suffix : {".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".xes",
                               ".jsonocel", ".xmlocel", ".sqlite", ".sqlite3", ".db"})
        if (name.size() > std::string_view(suffix).size() && name.ends_with(suffix))
            name.resize(name.size() - std::string_view(suffix).size());
    return name + ".asof";
}

} // namespace

int cmd_import(const ImportArgs& args, CliContext& context) {
    ImportOptions options;
    options.format = args.format;
    options.map = args.map;
    options.source_tz = args.source_tz;
    options.strict = args.strict;
    options.table = args.table;
    if (args.delimiter) {
        if (*args.delimiter == "tab" || *args.delimiter == "\\t")
            options.delimiter = '\t';
        else if (args.delimiter->size() == 1 && (*args.delimiter)[0] != '"' &&
                 (*args.delimiter)[0] != '\n' && (*args.delimiter)[0] != '\r')
            options.delimiter = (*args.delimiter)[0];
        else
            return report_error(
                context,
                {"expected one character (not a quote or line break) or \"tab\"", "--delimiter"},
                exit_usage);
    }
    options.cancel = context.cancel;
    if (context.err_is_terminal && !args.quiet) options.on_progress = terminal_progress(context);

    std::string output = args.output.empty() ? default_case_name(args.logs.front()) : args.output;
    auto outcome = import_sources(args.logs, output, options);
    if (!outcome)
        return report_error(context, outcome.error(), exit_code_for(outcome.error(), context));
    std::int64_t imported = 0, rejected = 0;
    for (const auto& source : outcome->sources) {
        if (source.already_imported) {
            context.out << source.path << ": already in the case (sha256 " << source.sha256
                        << "), nothing added\n";
            continue;
        }
        context.out << source.path << ": " << source.events << " imported, " << source.rejected
                    << " rejected";
        if (source.findings) context.out << ", " << source.findings << " integrity findings";
        if (source.naive_times)
            context.out << ", " << source.naive_times
                        << (source.naive_times == 1 ? " time" : " times")
                        << " without zone read in " << args.source_tz;
        if (source.attributes) context.out << ", " << source.attributes << " attribute values";
        if (source.relations) context.out << ", " << source.relations << " relations";
        context.out << '\n';
        if (source.events == 0 && source.rejected > 0)
            context.err << "asof: warning: no line of " << source.path
                        << " became an event; the rejects say why (a field mapping, --map, may "
                           "be needed)\n";
        imported += source.events;
        rejected += source.rejected;
    }
    if (outcome->sources.size() > 1)
        context.out << "total: " << imported << " imported, " << rejected << " rejected\n";
    context.out << "case file: " << output << '\n';
    if (rejected) context.out << "see the rejected lines with: asof rejects " << output << '\n';
    return exit_ok;
}

} // namespace asof
