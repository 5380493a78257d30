// SHA-256 digests (OpenSSL libcrypto) for source fingerprints and the event hash chain.
#pragma once

#include "eventlog/result.hpp"

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace asof {

using Digest = std::array<unsigned char, 32>;

// An incremental SHA-256 computation. Move-only.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::span<const unsigned char> bytes);
    void update(std::string_view text);
    // Returns the digest and resets the object for a new computation.
    Digest finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Lower-case hexadecimal of `bytes`.
std::string to_hex(std::span<const unsigned char> bytes);

// SHA-256 of a whole file's bytes, read in chunks (the file is opened read-only).
Result<Digest> sha256_file(const std::string& path);

} // namespace asof
