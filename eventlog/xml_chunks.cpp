// Cuts an XML stream into chunks of whole elements (see xml_chunks.hpp). The scan looks only at
// markup: it finds each '<' with memchr, skips comments, CDATA sections and processing
// instructions whole, and reads a tag's end past quoted attribute values (which may hold '>').
#include "eventlog/xml_chunks.hpp"

#include <algorithm>
#include <cstring>

namespace asof {
namespace {

bool is_xml_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::int64_t count_newlines(const char* from, const char* to) {
    std::int64_t count = 0;
    while (from < to) {
        auto* newline =
            static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(to - from)));
        if (!newline) break;
        ++count;
        from = newline + 1;
    }
    return count;
}

std::int64_t NameCounts::add(std::string_view name) {
    auto seen = std::find_if(counts_.begin(), counts_.end(),
                             [&](const auto& count) { return count.first == name; });
    if (seen == counts_.end()) seen = counts_.insert(seen, {std::string(name), 0});
    return ++seen->second;
}

std::int64_t LineCounter::line_at(std::size_t position) {
    line_ += count_newlines(text_.data() + counted_, text_.data() + position);
    counted_ = position;
    return line_;
}

XmlChunker::XmlChunker(SourceReader& reader, std::string path, std::string root,
                       std::int64_t offset, std::int64_t line, std::size_t chunk_bytes,
                       std::size_t read_bytes)
    : reader_(reader), path_(std::move(path)), root_(std::move(root)),
      chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)),
      read_bytes_(std::max<std::size_t>(read_bytes, 1)), buffer_offset_(offset),
      counted_line_(line) {
}

std::string XmlChunker::where(std::size_t position) {
    // Counted without moving the counter (a failure ends the scan anyway).
    const std::size_t end = std::min(position, buffer_.size());
    const std::int64_t line =
        counted_line_ +
        (end > counted_ ? count_newlines(buffer_.data() + counted_, buffer_.data() + end) : 0);
    return path_ + ":" + std::to_string(line);
}

tl::unexpected<Error> XmlChunker::malformed(const std::string& what, std::size_t position) {
    return fail("malformed XML: " + what, where(position));
}

XmlChunker::Chunk XmlChunker::make_chunk(std::size_t from, std::size_t to) {
    counted_line_ += count_newlines(buffer_.data() + counted_, buffer_.data() + from);
    counted_ = from;
    return {section_, section_index_, std::string_view(buffer_).substr(from, to - from),
            buffer_offset_ + static_cast<std::int64_t>(from), counted_line_};
}

void XmlChunker::drop_consumed() {
    if (begin_ < 64 * 1024 && begin_ < buffer_.size()) return;
    make_chunk(begin_, begin_); // counts the lines of what is dropped
    buffer_.erase(0, begin_);
    buffer_offset_ += static_cast<std::int64_t>(begin_);
    counted_ -= begin_;
    scan_ -= begin_;
    cut_ = cut_ > begin_ ? cut_ - begin_ : 0;
    begin_ = 0;
}

Result<void> XmlChunker::read_more() {
    const std::size_t old = buffer_.size();
    buffer_.resize(old + read_bytes_);
    auto got = reader_.read(buffer_.data() + old, read_bytes_);
    if (!got) {
        buffer_.resize(old);
        return tl::unexpected(got.error());
    }
    buffer_.resize(old + *got);
    eof_ = *got == 0;
    return {};
}

Result<std::optional<XmlChunker::Chunk>> XmlChunker::next() {
    drop_consumed();
    for (;;) {
        // A section's chunk is full: hand out its whole children so far.
        if (depth_ >= 1 && cut_ > begin_ && cut_ - begin_ >= chunk_bytes_) {
            Chunk chunk = make_chunk(begin_, cut_);
            begin_ = cut_;
            return chunk;
        }
        // More bytes: at the end of the buffer, or inside a construct it does not yet hold.
        auto need_more = [&](const char* inside) -> Result<void> {
            if (eof_) return malformed(std::string("the file ends inside ") + inside, scan_);
            return read_more();
        };
        if (scan_ >= buffer_.size()) {
            if (eof_) {
                if (root_closed_) return std::nullopt;
                return malformed("the file ends inside <" + (depth_ >= 1 ? section_ : root_) + ">",
                                 buffer_.size());
            }
            if (auto ok = read_more(); !ok) return tl::unexpected(ok.error());
            continue;
        }
        const std::string_view text(buffer_);
        const char* data = buffer_.data();
        auto* lt = static_cast<const char*>(std::memchr(data + scan_, '<', text.size() - scan_));
        const std::size_t text_end = lt ? static_cast<std::size_t>(lt - data) : text.size();
        if (root_closed_)
            for (std::size_t i = scan_; i < text_end; ++i)
                if (!is_xml_space(data[i]))
                    return malformed("text after the root element </" + root_ + ">", i);
        scan_ = text_end;
        if (depth_ == 0) begin_ = scan_; // nothing is kept between sections
        if (!lt) continue;

        const std::size_t at = scan_;
        if (text.size() - at < 2) {
            if (auto ok = need_more("a tag"); !ok) return tl::unexpected(ok.error());
            continue;
        }
        const char kind = data[at + 1];
        std::size_t end = std::string_view::npos; // one past the construct
        if ((kind == '!' || kind == '?') && text.size() - at < 9 && !eof_) {
            // Too short to tell a comment from a CDATA section yet.
            if (auto ok = read_more(); !ok) return tl::unexpected(ok.error());
            continue;
        }
        if (kind == '!' || kind == '?') {
            std::string_view opener = text.substr(at, 9), closer;
            const char* inside = "a comment";
            if (kind == '?') {
                closer = "?>";
                inside = "a processing instruction";
            } else if (opener.substr(0, 4) == "<!--") {
                closer = "-->";
            } else if (opener == "<![CDATA[") {
                closer = "]]>";
                inside = "a CDATA section";
                if (root_closed_) return malformed("a CDATA section after the root element", at);
            } else {
                return malformed("a markup declaration inside the root element", at);
            }
            std::size_t close = text.find(closer, at + 2);
            if (close == std::string_view::npos) {
                if (auto ok = need_more(inside); !ok) return tl::unexpected(ok.error());
                continue;
            }
            end = close + closer.size();
        } else {
            const bool closing = kind == '/';
            const std::size_t name_begin = at + (closing ? 2 : 1);
            std::size_t i = name_begin;
            while (i < text.size() && data[i] != '>') {
                if (data[i] == '"' || data[i] == '\'') {
                    auto* quote = static_cast<const char*>(
                        std::memchr(data + i + 1, data[i], text.size() - i - 1));
                    if (!quote) {
                        i = text.size();
                        break;
                    }
                    i = static_cast<std::size_t>(quote - data);
                }
                ++i;
            }
            if (i >= text.size()) {
                if (auto ok = need_more("a tag"); !ok) return tl::unexpected(ok.error());
                continue;
            }
            end = i + 1;
            std::size_t name_end = name_begin;
            while (name_end < i && !is_xml_space(data[name_end]) && data[name_end] != '/')
                ++name_end;
            const std::string_view name = text.substr(name_begin, name_end - name_begin);
            const bool self_closing = !closing && data[i - 1] == '/';
            if (root_closed_) return malformed("an element after the root element", at);
            if (closing && depth_ >= 2) {
                if (--depth_ == 1) cut_ = end;
            } else if (closing && depth_ == 1) {
                if (name != section_)
                    return malformed(
                        "</" + std::string(name) + "> where </" + section_ + "> was expected", at);
                depth_ = 0;
                scan_ = end;
                if (at > begin_) {
                    Chunk chunk = make_chunk(begin_, at);
                    begin_ = end;
                    return chunk;
                }
                begin_ = end;
                continue;
            } else if (closing) {
                if (name != root_)
                    return malformed(
                        "</" + std::string(name) + "> where </" + root_ + "> was expected", at);
                root_closed_ = true;
            } else if (depth_ >= 1) {
                if (!self_closing)
                    ++depth_;
                else if (depth_ == 1)
                    cut_ = end;
            } else {
                section_.assign(name);
                section_index_ = section_counts_.add(name);
                if (!self_closing) {
                    depth_ = 1;
                    begin_ = cut_ = end;
                }
            }
        }
        scan_ = end;
        if (depth_ == 0) begin_ = scan_;
    }
}

} // namespace asof
