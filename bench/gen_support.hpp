// What the parts of asof-gen share (gen_freight.cpp, the OCEL writers gen_ocel*.cpp): the
// buffered output Sink (file, stdout or gzip), XML and JSON text escaping, a reader of the
// generator's own JSON strings, and the iteration over the lines of the intermediate JSON Lines
// file. Header-only: asof-gen stays one standalone executable (zlib, SQLite).
#pragma once

#include <sys/types.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace asof_gen {

using u32 = std::uint32_t;
using u64 = std::uint64_t;

// A large buffer flushed to a FILE* or a gzip stream (zlib writes mtime 0, no name).
class Sink {
public:
    bool open(const std::string& path, bool gz) {
        buf_.reserve(kCapacity);
        if (gz) {
            gz_ = path.empty() ? gzdopen(fileno(stdout), "wb6") : gzopen(path.c_str(), "wb6");
            if (gz_) gzbuffer(gz_, 1u << 20);
            return gz_ != nullptr;
        }
        file_ = path.empty() ? stdout : std::fopen(path.c_str(), "wb");
        return file_ != nullptr;
    }

    // Writes to an already open file (the intermediate JSON Lines), which stays open.
    void open_file(FILE* file) {
        buf_.reserve(kCapacity);
        file_ = file;
        borrowed_ = true;
    }

    void write(std::string_view text) {
        if (buf_.size() + text.size() > kCapacity) flush();
        buf_ += text;
        bytes_ += text.size();
    }

    bool close() {
        flush();
        bool ok = !failed_;
        if (gz_) ok = gzclose(gz_) == Z_OK && ok;
        if (file_)
            ok =
                (file_ == stdout || borrowed_ ? std::fflush(file_) : std::fclose(file_)) == 0 && ok;
        gz_ = nullptr;
        file_ = nullptr;
        return ok;
    }

    u64 bytes() const { return bytes_; }

private:
    static constexpr std::size_t kCapacity = 8u << 20;

    void flush() {
        if (buf_.empty()) return;
        if (gz_) {
            if (gzwrite(gz_, buf_.data(), static_cast<unsigned>(buf_.size())) !=
                static_cast<int>(buf_.size()))
                failed_ = true;
        } else if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
            failed_ = true;
        }
        buf_.clear();
    }

    std::string buf_;
    FILE* file_ = nullptr;
    gzFile gz_ = nullptr;
    u64 bytes_ = 0;
    bool failed_ = false;
    bool borrowed_ = false;
};

// Text for an XML attribute value or element content (line breaks and tabs as character
// references, so that they survive attribute-value normalisation).
inline void put_xml_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\n':
            out += "&#10;";
            break;
        case '\t':
            out += "&#9;";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            out += c;
        }
    }
}

// `text` as a JSON string literal, quotes included (UTF-8 passes through).
inline void put_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 15];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

inline void put_utf8(std::string& out, u32 cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// A cursor over the generator's own JSON (valid, no surprises): white space, punctuation and
// strings. `ok` turns false on anything else.
struct JsonScan {
    std::string_view in;
    std::size_t at = 0;
    bool ok = true;
    std::string text; // scratch: the last string read, unescaped

    void ws() {
        while (at < in.size() && (in[at] == ' ' || in[at] == '\t'))
            ++at;
    }
    bool eat(char c) {
        ws();
        if (at < in.size() && in[at] == c) {
            ++at;
            return true;
        }
        return false;
    }
    u32 hex4() {
        u32 v = 0;
        for (int i = 0; i < 4 && at < in.size(); ++i) {
            const char c = in[at++];
            v = v * 16 + static_cast<u32>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }
    // Reads a JSON string into `text`.
    void string() {
        text.clear();
        if (!eat('"')) {
            ok = false;
            return;
        }
        while (at < in.size() && in[at] != '"') {
            char c = in[at++];
            if (c != '\\') {
                text += c;
                continue;
            }
            if (at >= in.size()) break;
            c = in[at++];
            switch (c) {
            case 'n':
                text += '\n';
                break;
            case 't':
                text += '\t';
                break;
            case 'r':
                text += '\r';
                break;
            case 'b':
                text += '\b';
                break;
            case 'f':
                text += '\f';
                break;
            case 'u': {
                u32 cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00 && at + 1 < in.size() && in[at] == '\\') {
                    at += 2;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
                }
                put_utf8(text, cp);
                break;
            }
            default:
                text += c;
            }
        }
        ok = ok && eat('"');
    }
};

// Calls `fn(line, offset, length)` for each line of `file` from its start: the line without its
// line break, its byte offset in the file and its length with the break. False when the file
// cannot be rewound.
template <class Fn> bool for_each_line(FILE* file, Fn&& fn) {
    if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0) return false;
    char* buffer = nullptr;
    std::size_t capacity = 0;
    u64 offset = 0;
    for (ssize_t got; (got = ::getline(&buffer, &capacity, file)) > 0;) {
        std::string_view line(buffer, static_cast<std::size_t>(got));
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.remove_suffix(1);
        fn(line, offset, static_cast<std::size_t>(got));
        offset += static_cast<u64>(got);
    }
    std::free(buffer);
    return true;
}

} // namespace asof_gen
