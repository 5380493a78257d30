// JSON Lines as a RowSource: splits the (possibly gzipped) source into lines with memchr over a
// large buffer and parses each with JsonlParser; blank lines are skipped, over-long lines and
// lines that are not events become rejects with their line number and byte offset.
#include "eventlog/format_sniff.hpp"
#include "eventlog/json_text.hpp"
#include "eventlog/jsonl_parser.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/source_reader.hpp"

#include <cstring>

namespace asof {
namespace {

constexpr std::int64_t batch_lines = 4096;
constexpr std::size_t read_chunk = std::size_t{4} << 20;

bool is_blank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

class JsonlSource final : public RowSource {
public:
    JsonlSource(SourceReader reader, const RowSourceOptions& options)
        : reader_(std::move(reader)), parser_(options.map, options.source_zone),
          mapping_(options.map.describe_json()), buffer_(read_chunk + JsonlParser::padding) {}

    Result<bool> next(RowBatch& out) override {
        const std::int64_t units_before = out.units;
        for (;;) {
            // Lines wholly inside [begin_, end_).
            while (begin_ < end_) {
                auto* start = buffer_.data() + begin_;
                auto* newline = static_cast<char*>(std::memchr(start, '\n', end_ - begin_));
                if (!newline) break;
                auto length = static_cast<std::size_t>(newline - start);
                std::int64_t offset = buffer_offset_ + static_cast<std::int64_t>(begin_);
                if (skipping_long_)
                    skipping_long_ = false;
                else
                    handle_line(std::string_view(start, length), offset, out);
                begin_ += length + 1;
                if (out.units - units_before >= batch_lines) return true;
            }
            if (eof_) {
                if (begin_ < end_ && !skipping_long_)
                    handle_line(std::string_view(buffer_.data() + begin_, end_ - begin_),
                                buffer_offset_ + static_cast<std::int64_t>(begin_), out);
                begin_ = end_;
                return false;
            }
            // Keep the partial line, then read more after it.
            std::size_t partial = end_ - begin_;
            if (skipping_long_) {
                buffer_offset_ += static_cast<std::int64_t>(end_);
                begin_ = end_ = 0;
            } else if (partial > JsonlParser::max_line_bytes) {
                ++line_number_;
                reject(out, line_number_, buffer_offset_ + static_cast<std::int64_t>(begin_),
                       "line longer than 16 MiB",
                       std::string_view(buffer_.data() + begin_, partial));
                skipping_long_ = true;
                buffer_offset_ += static_cast<std::int64_t>(end_);
                begin_ = end_ = 0;
            } else {
                std::memmove(buffer_.data(), buffer_.data() + begin_, partial);
                buffer_offset_ += static_cast<std::int64_t>(begin_);
                begin_ = 0;
                end_ = partial;
                if (buffer_.size() - JsonlParser::padding - end_ < read_chunk / 2)
                    buffer_.resize(buffer_.size() * 2);
            }
            auto got =
                reader_.read(buffer_.data() + end_, buffer_.size() - JsonlParser::padding - end_);
            if (!got) return tl::unexpected(got.error());
            if (first_chunk_ && *got > 0) {
                first_chunk_ = false;
                std::string_view head(buffer_.data(), *got);
                std::string what = describe_foreign_content(head);
                if (!what.empty()) return fail("not JSON Lines: the file is " + what);
                if (head.starts_with("\xEF\xBB\xBF")) begin_ = 3;
            }
            end_ += *got;
            eof_ = *got == 0;
        }
    }

    std::string format() const override { return "jsonl"; }
    std::uint64_t raw_size() const override { return reader_.raw_size(); }
    std::uint64_t raw_consumed() const override { return reader_.raw_consumed(); }
    Digest raw_digest() const override { return reader_.raw_digest(); }
    std::int64_t naive_times() const override { return naive_; }
    std::int64_t zoned_times() const override { return zoned_; }
    std::string mapping_json() const override { return mapping_; }

private:
    void reject(RowBatch& out, std::int64_t line, std::int64_t offset, std::string reason,
                std::string_view text) {
        out.rejects.push_back({line, offset, {}, std::move(reason), printable_excerpt(text)});
        ++out.units;
    }

    void handle_line(std::string_view line, std::int64_t offset, RowBatch& out) {
        ++line_number_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) return;
        if (line.size() > JsonlParser::max_line_bytes) {
            reject(out, line_number_, offset, "line longer than 16 MiB", line);
            return;
        }
        EventRow& row = out.events.emplace_back();
        auto parsed = parser_.parse(line, row);
        if (!parsed) {
            out.events.pop_back();
            reject(out, line_number_, offset, std::move(parsed.error().message), line);
            return;
        }
        ++out.units;
        row.line = line_number_;
        row.byte_offset = offset;
        if (row.naive_time)
            ++naive_;
        else
            ++zoned_;
    }

    SourceReader reader_;
    JsonlParser parser_;
    std::string mapping_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0, end_ = 0;
    std::int64_t buffer_offset_ = 0; // decompressed offset of buffer_[0]
    std::int64_t line_number_ = 0;
    bool eof_ = false, skipping_long_ = false, first_chunk_ = true;
    std::int64_t naive_ = 0, zoned_ = 0;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_jsonl_source(const std::string& path,
                                                     const RowSourceOptions& options) {
    auto reader = SourceReader::open(path);
    if (!reader) return tl::unexpected(reader.error());
    return std::make_unique<JsonlSource>(std::move(*reader), options);
}

} // namespace asof
