// Streams a source file's bytes, gunzipping when it is gzip, while hashing the raw bytes.
#include "eventlog/source_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace asof {

struct SourceReader::Impl {
    std::string path;
    int fd = -1;
    bool gzip = false;
    bool raw_eof = false;
    bool stream_end = false;
    bool hashing = true;
    std::uint64_t size = 0;
    std::uint64_t consumed = 0;
    Sha256 hasher;
    Digest digest{};
    std::vector<unsigned char> raw = std::vector<unsigned char>(1 << 20);
    z_stream zs{};
    bool zs_ready = false;

    ~Impl() {
        if (zs_ready) inflateEnd(&zs);
        if (fd >= 0) ::close(fd);
    }

    // Reads raw bytes into `out`, hashing them; returns 0 at the end of the file.
    Result<std::size_t> read_raw(unsigned char* out, std::size_t capacity) {
        for (;;) {
            ssize_t got = ::read(fd, out, capacity);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return fail(std::string("read failed: ") + std::strerror(errno), path);
            auto count = static_cast<std::size_t>(got);
            if (count == 0) {
                if (!raw_eof && hashing) digest = hasher.finish();
                raw_eof = true;
            } else {
                if (hashing) hasher.update(std::span<const unsigned char>(out, count));
                consumed += count;
            }
            return count;
        }
    }

    Result<std::size_t> read_gzip(char* out, std::size_t capacity) {
        zs.next_out = reinterpret_cast<Bytef*>(out);
        zs.avail_out = static_cast<uInt>(capacity);
        while (zs.avail_out > 0) {
            if (zs.avail_in == 0 && !raw_eof) {
                auto got = read_raw(raw.data(), raw.size());
                if (!got) return tl::unexpected(got.error());
                zs.next_in = raw.data();
                zs.avail_in = static_cast<uInt>(*got);
            }
            if (zs.avail_in == 0 && raw_eof) {
                if (!stream_end) return fail("gzip data ends early (truncated file?)", path);
                break;
            }
            if (stream_end) {
                // Another gzip member follows (concatenated .gz files are one stream).
                inflateReset(&zs);
                stream_end = false;
            }
            int rc = inflate(&zs, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                stream_end = true;
                continue;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                return fail(std::string("corrupt gzip data: ") + (zs.msg ? zs.msg : "inflate"),
                            path);
        }
        return capacity - zs.avail_out;
    }
};

SourceReader::SourceReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
}
SourceReader::SourceReader(SourceReader&&) noexcept = default;
SourceReader& SourceReader::operator=(SourceReader&&) noexcept = default;
SourceReader::~SourceReader() = default;

Result<SourceReader> SourceReader::open(const std::string& path, Hashing hashing) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->hashing = hashing == Hashing::on;
    impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl->fd < 0)
        return fail(std::string("cannot open for reading: ") + std::strerror(errno), path);
    struct stat info {};
    if (::fstat(impl->fd, &info) != 0 || !S_ISREG(info.st_mode))
        return fail("not a regular file", path);
    impl->size = static_cast<std::uint64_t>(info.st_size);

    unsigned char magic[2] = {0, 0};
    ssize_t got = ::pread(impl->fd, magic, 2, 0);
    impl->gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (impl->gzip) {
        if (inflateInit2(&impl->zs, 16 + MAX_WBITS) != Z_OK)
            return fail("cannot initialise zlib", path);
        impl->zs_ready = true;
    }
    return SourceReader(std::move(impl));
}

Result<std::size_t> SourceReader::read(char* out, std::size_t capacity) {
    if (impl_->gzip) return impl_->read_gzip(out, capacity);
    return impl_->read_raw(reinterpret_cast<unsigned char*>(out), capacity);
}

std::uint64_t SourceReader::raw_size() const {
    return impl_->size;
}
std::uint64_t SourceReader::raw_consumed() const {
    return impl_->consumed;
}
Digest SourceReader::raw_digest() const {
    return impl_->digest;
}

} // namespace asof
