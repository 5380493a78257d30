// Shared helpers for the asof tests: temporary folders, files, gzip, imports and case queries.
#pragma once

#include "eventlog/case_reader.hpp"
#include "eventlog/import.hpp"
#include "eventlog/time.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>
#include <zlib.h>

namespace asof::test {

namespace fs = std::filesystem;

// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "asof-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // The names of the entries in the folder, sorted.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(path_))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    std::string path_;
};

// Sets an environment variable for the lifetime of the guard, then restores it.
class EnvGuard {
public:
    EnvGuard(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) saved_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~EnvGuard() {
        if (saved_)
            ::setenv(name_, saved_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    std::optional<std::string> saved_;
};

inline void write_file(const std::string& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Compares `actual` with tests/golden/NAME; with ASOF_UPDATE_GOLDEN=1 writes it instead.
inline void check_golden_file(const std::string& name, const std::string& actual) {
    const std::string path = std::string(ASOF_TEST_DIR) + "/golden/" + name;
    const char* update = std::getenv("ASOF_UPDATE_GOLDEN");
    if (update && std::string_view(update) == "1") {
        write_file(path, actual);
        WARN("wrote " << path);
        return;
    }
    INFO("golden file " << path << " (regenerate with ASOF_UPDATE_GOLDEN=1)");
    REQUIRE(fs::exists(path));
    CHECK(actual == read_file(path));
}

// The output of a poppler tool run on the PDF bytes `pdf` ("pdftotext" or "pdffonts"), or
// nullopt (with a warning) when poppler-utils is not installed.
inline std::optional<std::string> poppler(const char* tool, const std::string& pdf) {
    if (std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) != 0) {
        WARN(std::string(tool) + " (poppler-utils) is not installed: PDF text not checked");
        return std::nullopt;
    }
    TempDir dir;
    write_file(dir.file("report.pdf"), pdf);
    std::string command = std::string(tool) + " " + dir.file("report.pdf") +
                          (std::string(tool) == "pdftotext" ? " " + dir.file("out.txt")
                                                            : " > " + dir.file("out.txt"));
    REQUIRE(std::system(command.c_str()) == 0);
    return read_file(dir.file("out.txt"));
}

// One complete gzip member holding `content`.
inline std::string gzip(std::string_view content) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, static_cast<uLong>(content.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    zs.avail_in = static_cast<uInt>(content.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

// The UTC instant y-mo-d h:mi:s + us, computed with date's calendar.
inline Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0,
                     std::int64_t us = 0) {
    return Timestamp{date::sys_days{date::year{y} / date::month{mo} / date::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} +
           std::chrono::microseconds{us};
}

// Imports `sources` into `case_path`, requiring success.
inline ImportOutcome import_ok(const std::vector<std::string>& sources,
                               const std::string& case_path, const ImportOptions& options = {}) {
    auto outcome = import_sources(sources, case_path, options);
    INFO((outcome ? std::string() : outcome.error().describe()));
    REQUIRE(outcome.has_value());
    return *outcome;
}

inline sql::Db open_ok(const std::string& case_path) {
    auto db = open_case(case_path);
    INFO((db ? std::string() : db.error().describe()));
    REQUIRE(db.has_value());
    return std::move(*db);
}

inline CaseInfo case_info(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto info = read_case_info(db);
    REQUIRE(info.has_value());
    return *info;
}

inline std::vector<RejectInfo> case_rejects(const std::string& case_path) {
    auto db = open_ok(case_path);
    auto rejects = read_rejects(db);
    REQUIRE(rejects.has_value());
    return *rejects;
}

// The events for_each_event lists for `filter`, in its order.
inline std::vector<StoredEvent> listed_events(const std::string& case_path,
                                              const EventFilter& filter = {}) {
    auto db = open_ok(case_path);
    std::vector<StoredEvent> events;
    auto count = for_each_event(db, filter, [&](const StoredEvent& e) { events.push_back(e); });
    INFO((count ? std::string() : count.error().describe()));
    REQUIRE(count.has_value());
    REQUIRE(*count == static_cast<std::int64_t>(events.size()));
    return events;
}

// Every event of the case in seq (import) order.
inline std::vector<StoredEvent> events_by_seq(const std::string& case_path) {
    auto events = listed_events(case_path);
    std::sort(events.begin(), events.end(),
              [](const StoredEvent& a, const StoredEvent& b) { return a.seq < b.seq; });
    return events;
}

} // namespace asof::test
