// The asof subcommands, each a function from parsed options to an exit code.
#pragma once

#include "app/cli.hpp"
#include "eventlog/import.hpp"
#include "query/time_resolve.hpp"

#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace asof {

// Options every command that takes a CASE shares: how a log given instead is imported.
struct CaseArgument {
    std::string path;
    std::vector<std::string> map;
    std::string source_tz = "UTC";
};

struct ImportArgs {
    std::vector<std::string> logs;
    std::string output;
    std::string format = "auto";
    std::vector<std::string> map;
    std::string source_tz = "UTC";
    bool strict = false;
    bool quiet = false;
    std::optional<std::string> table;     // SQLite snapshot: the event table
    std::optional<std::string> delimiter; // CSV: one character, or "tab"
};

struct EventsArgs {
    CaseArgument source;
    std::optional<std::string> stream, from, to, tz;
    std::optional<std::int64_t> limit;
    std::string format = "table";
};

struct QueryArgs {
    CaseArgument source;
    std::string text;
    std::optional<std::string> now, tz;
    std::optional<std::int64_t> limit;
    std::string format = "table";
    bool explain = false;
};

// Options replay, diff and changes share.
struct TimeTravelArgs {
    CaseArgument source;
    std::string target;
    std::optional<std::string> now, tz, projection;
    std::optional<std::int64_t> max_state_mib;
    bool json = false;
};

struct ReplayArgs {
    TimeTravelArgs common;
    std::optional<std::string> at;
    bool blame = false;
};

struct DiffArgs {
    TimeTravelArgs common;
    std::string from, to; // instants
};

struct ChangesArgs {
    TimeTravelArgs common;
    std::optional<std::string> range; // a time range phrase; all time when absent
};

struct ReportArgs {
    CaseArgument source;
    std::string text, output;
    std::optional<std::string> format, at, title, now, tz, generated_at, projection;
    std::int64_t max_events = 100000;
    std::optional<std::int64_t> max_state_mib;
};

struct ProjectionArgs {
    CaseArgument source;
    std::optional<std::string> file;
    bool clear = false;
    bool json = false;
};

struct SnapshotArgs {
    CaseArgument source;
    std::optional<std::string> target, projection;
    std::int64_t every = 0; // 0: the default spacing
    std::optional<std::int64_t> max_state_mib;
    bool list = false;
};

int cmd_import(const ImportArgs& args, CliContext& context);
int cmd_info(const CaseArgument& source, bool json, CliContext& context);
int cmd_rejects(const CaseArgument& source, bool json, CliContext& context);
int cmd_verify(const CaseArgument& source, bool json, CliContext& context);
// `asof upgrade CASE`: migrates a case file written by an older asof to this schema, in place.
int cmd_upgrade(const std::string& path, CliContext& context);
int cmd_events(const EventsArgs& args, CliContext& context);
int cmd_query(const QueryArgs& args, CliContext& context);
int cmd_replay(const ReplayArgs& args, CliContext& context);
int cmd_diff(const DiffArgs& args, CliContext& context);
int cmd_changes(const ChangesArgs& args, CliContext& context);
int cmd_projection(const ProjectionArgs& args, CliContext& context);
int cmd_report(const ReportArgs& args, CliContext& context);
int cmd_snapshot(const SnapshotArgs& args, CliContext& context);

// The instant a replay's time phrase stands for: a day or longer means its last moment, an
// instant or time of day that moment.
Result<Timestamp> replay_instant(const query::TimePoint& point, const query::Clock& clock);

// An instant typed by the user (--at, diff's T1 and T2), read as replay_instant says.
Result<Timestamp> read_instant(const std::string& text, const query::Clock& clock,
                               const std::string& where);

// Reports a failure to open a target's stream: exit 5 for a target that names no stream.
int report_stream_error(CliContext& context, const Error& error);

// Replays each target of the case at `at` and prints the states (text or JSON, per `args`).
int replay_targets(const std::string& case_path, const std::vector<query::Target>& targets,
                   Timestamp at, const ReplayArgs& args, const date::time_zone* zone,
                   CliContext& context);

// Prints, for each target, the changes each of its events dated in `interval` made.
int changes_targets(const std::string& case_path, const std::vector<query::Target>& targets,
                    const query::Interval& interval, const TimeTravelArgs& args,
                    const date::time_zone* zone, CliContext& context);

// The exit code for a failed command: interrupted, bad input or internal (environment).
int exit_code_for(const Error& error, const CliContext& context);

// The zone named by a --tz option (the system zone when absent); prints the error and sets
// `exit_code` when the name is unknown.
std::optional<const date::time_zone*> zone_option(const std::optional<std::string>& tz,
                                                  CliContext& context, int& exit_code);

// The clock a query or replay runs with: the zone of --tz (see zone_option) and --now (ISO
// 8601, naive values read in that zone) or the current time, pinned once. Prints the error and
// sets `exit_code` when either option is wrong.
std::optional<query::Clock> pinned_clock(const std::optional<std::string>& now,
                                         const std::optional<std::string>& tz, CliContext& context,
                                         int& exit_code);

// Prints a query error with its column and a caret line under the query and returns exit 5:
//   asof: query: column 27: expected "and" after the start of the range, found ...
//     discrepancy #4721 between tuesday
//                               ^^^^^^^
int report_query_error(CliContext& context, std::string_view text, const query::QueryError& error);

// Prints an error as "asof: where: message" and returns `code`.
int report_error(CliContext& context, const Error& error, int code);

// Resolves `source` to an open read-only case, printing the error when it cannot.
std::optional<std::string> resolve_case_argument(const CaseArgument& source, CliContext& context,
                                                 int& exit_code);

} // namespace asof
