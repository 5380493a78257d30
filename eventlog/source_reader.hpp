// Streams a source file's bytes, gunzipping when it is gzip, while hashing the raw bytes.
#pragma once

#include "eventlog/result.hpp"
#include "eventlog/sha256.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace asof {

// Reads a source file sequentially; never opens it for writing and never holds it whole.
class SourceReader {
public:
    // Whether the raw bytes are hashed: off for a further pass over a file that another reader
    // hashes (SHA-256 is a tenth of an XML parse).
    enum class Hashing { on, off };
    // Opens `path` read-only and detects gzip by its magic bytes.
    static Result<SourceReader> open(const std::string& path, Hashing hashing = Hashing::on);
    SourceReader(SourceReader&&) noexcept;
    SourceReader& operator=(SourceReader&&) noexcept;
    ~SourceReader();

    // Fills up to `capacity` bytes of decompressed content into `out`; returns the count,
    // 0 at the end. Fails on read errors and corrupt gzip data.
    Result<std::size_t> read(char* out, std::size_t capacity);

    std::uint64_t raw_size() const;     // the file's size on disk
    std::uint64_t raw_consumed() const; // raw bytes read so far (for progress)
    // SHA-256 of the raw file bytes; valid once read() has returned 0 (all zero with
    // Hashing::off).
    Digest raw_digest() const;

private:
    struct Impl;
    explicit SourceReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace asof
