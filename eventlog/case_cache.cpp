// The cache of imported logs (see case_cache.hpp).
#include "eventlog/case_cache.hpp"

#include "eventlog/case_reader.hpp"
#include "eventlog/case_schema.hpp"
#include "eventlog/sha256.hpp"

#include <cstdlib>

namespace asof {

std::string cache_directory() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg) return std::string(xdg) + "/asof";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.cache/asof";
}

Result<std::string> cached_case_path(const std::string& log, const ImportOptions& options) {
    auto digest = sha256_file(log);
    if (!digest) return tl::unexpected(digest.error());
    Sha256 key;
    key.update(to_hex(*digest));
    key.update("\n");
    key.update(import_options_json(options));
    return cache_directory() + "/" + to_hex(key.finish()).substr(0, 32) + ".asof";
}

Result<bool> reuse_cached_case(const std::string& path) {
    if (!is_case_file(path)) return false;
    auto db = sql::Db::open(path, sql::Db::Mode::read_write);
    if (!db) return tl::unexpected(db.error());
    if (auto ok = migrate_case(*db); !ok) return tl::unexpected(ok.error());
    return true;
}

} // namespace asof
