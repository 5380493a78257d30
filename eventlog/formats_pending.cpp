// Placeholders for the formats other branches implement (XES, OCEL JSON/XML/SQLite), so that
// this branch links on its own. The lead deletes this file when merging those branches.
#include "eventlog/row_source.hpp"

namespace asof {
namespace {

Result<std::unique_ptr<RowSource>> not_in_build(const char* what, const std::string& path) {
    return fail(std::string(what) + " import is not in this build", path);
}

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_json_source(const std::string& path,
                                                         const RowSourceOptions&) {
    return not_in_build("OCEL JSON", path);
}
Result<std::unique_ptr<RowSource>> open_ocel_xml_source(const std::string& path,
                                                        const RowSourceOptions&) {
    return not_in_build("OCEL XML", path);
}
Result<std::unique_ptr<RowSource>> open_ocel_sqlite_source(const std::string& path,
                                                           const RowSourceOptions&) {
    return not_in_build("OCEL SQLite", path);
}

} // namespace asof
