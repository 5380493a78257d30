// SHA-256 digests (OpenSSL libcrypto) for source fingerprints and the event hash chain.
#include "eventlog/sha256.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace asof {

struct Sha256::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
    void init() {
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("OpenSSL SHA-256 initialisation failed");
    }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
    impl_->init();
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const unsigned char> bytes) {
    EVP_DigestUpdate(impl_->ctx, bytes.data(), bytes.size());
}

void Sha256::update(std::string_view text) {
    EVP_DigestUpdate(impl_->ctx, text.data(), text.size());
}

Digest Sha256::finish() {
    Digest digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(impl_->ctx, digest.data(), &length);
    impl_->init();
    return digest;
}

std::string to_hex(std::span<const unsigned char> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        hex.push_back(digits[byte >> 4]);
        hex.push_back(digits[byte & 0x0f]);
    }
    return hex;
}

Result<Digest> sha256_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(std::string("cannot open for reading: ") + std::strerror(errno), path);
    Sha256 hasher;
    std::vector<unsigned char> buffer(1 << 20);
    for (;;) {
        ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            ::close(fd);
            return fail(std::string("read failed: ") + std::strerror(saved), path);
        }
        if (got == 0) break;
        hasher.update(std::span(buffer.data(), static_cast<std::size_t>(got)));
    }
    ::close(fd);
    return hasher.finish();
}

} // namespace asof
