// The report format names, the dispatcher to the writers, and the atomic file writer that
// refuses to overwrite the case file or a source log (see report_writers.hpp).
#include "report/report_writers.hpp"

#include "report/report_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace asof::report {
namespace fs = std::filesystem;

std::optional<ReportFormat> report_format_from_name(std::string_view name) {
    if (name == "html") return ReportFormat::html;
    if (name == "pdf") return ReportFormat::pdf;
    if (name == "csv") return ReportFormat::csv;
    if (name == "json") return ReportFormat::json;
    if (name == "md" || name == "markdown") return ReportFormat::md;
    return std::nullopt;
}

std::optional<ReportFormat> report_format_from_path(const std::string& path) {
    std::string extension = fs::path(path).extension().string();
    if (extension.empty()) return std::nullopt;
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".htm") return ReportFormat::html;
    return report_format_from_name(std::string_view(extension).substr(1));
}

Result<void> write_report(const Report& report, ReportFormat format, std::string& out) {
    switch (format) {
    case ReportFormat::html:
        return write_report_html(report, out);
    case ReportFormat::pdf:
        return write_report_pdf(report, out);
    case ReportFormat::csv:
        return write_report_csv(report, out);
    case ReportFormat::json:
        return write_report_json(report, out);
    case ReportFormat::md:
        return write_report_md(report, out);
    }
    return fail("unknown report format", "--format");
}

namespace {

// Whether `a` and `b` name the same file: the same path once made absolute and normal (with
// symbolic links resolved where they exist), or, both existing, the same file (hard links).
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    auto canonical_a = fs::weakly_canonical(fs::absolute(a, ec), ec);
    auto canonical_b = fs::weakly_canonical(fs::absolute(b, ec), ec);
    if (!ec && canonical_a == canonical_b) return true;
    if (fs::absolute(a, ec).lexically_normal() == fs::absolute(b, ec).lexically_normal())
        return true;
    std::error_code ea, eb;
    return fs::exists(a, ea) && fs::exists(b, eb) && fs::equivalent(a, b, ec) && !ec;
}

Result<void> refuse_protected(const std::string& path,
                              const std::vector<std::string>& protected_paths) {
    for (std::size_t i = 0; i < protected_paths.size(); ++i)
        if (same_file(path, protected_paths[i]))
            return fail(std::string("refusing to write the report over ") +
                            (i == 0 ? "the case file" : "a source log of the case") + " (" +
                            protected_paths[i] + "); choose another file name",
                        path);
    return {};
}

Error system_error(const std::string& what, const std::string& path) {
    Error error{what + ": " + std::strerror(errno), path};
    error.kind = ErrorKind::environment;
    return error;
}

} // namespace

Result<void> write_file_atomically(const std::string& path, std::string_view bytes,
                                   const std::vector<std::string>& protected_paths) {
    if (auto refused = refuse_protected(path, protected_paths); !refused) return refused;
    fs::path target(path);
    fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string temporary = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(temporary.data());
    if (fd < 0) return tl::unexpected(system_error("cannot create a temporary file", path));
    auto abandon = [&](const std::string& what) -> Result<void> {
        Error error = system_error(what, path);
        ::close(fd);
        ::unlink(temporary.c_str());
        return tl::unexpected(error);
    };
    for (std::size_t written = 0; written < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return abandon("cannot write (disk full?)");
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) return abandon("cannot set the permissions");
    if (::fsync(fd) != 0) return abandon("cannot sync");
    if (::close(fd) != 0) {
        Error error = system_error("cannot close", path);
        ::unlink(temporary.c_str());
        return tl::unexpected(error);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        Error error = system_error("cannot rename the temporary file into place", path);
        ::unlink(temporary.c_str());
        return tl::unexpected(error);
    }
    // The rename itself is durable once the folder is synced.
    int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

std::string csv_manifest_path(const std::string& path) {
    return path + ".manifest.json";
}

Result<std::vector<std::string>> export_report(const Report& report, ReportFormat format,
                                               const std::string& path,
                                               const std::vector<std::string>& protected_paths) {
    std::vector<std::string> paths{path};
    if (format == ReportFormat::csv) paths.push_back(csv_manifest_path(path));
    for (const auto& each : paths)
        if (auto refused = refuse_protected(each, protected_paths); !refused)
            return tl::unexpected(refused.error());
    std::string bytes;
    if (auto written = write_report(report, format, bytes); !written)
        return tl::unexpected(written.error());
    if (format == ReportFormat::csv) {
        std::string manifest;
        if (auto written = write_report_csv_manifest(report, manifest); !written)
            return tl::unexpected(written.error());
        if (auto stored = write_file_atomically(paths[1], manifest, protected_paths); !stored)
            return tl::unexpected(stored.error());
    }
    if (auto stored = write_file_atomically(path, bytes, protected_paths); !stored)
        return tl::unexpected(stored.error());
    return paths;
}

} // namespace asof::report
