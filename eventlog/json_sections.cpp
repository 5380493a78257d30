// Walks a JSON document's root arrays element by element (see json_sections.hpp). A byte-level
// state machine: strings (with escapes) are skipped, brackets counted; an element of a root
// member's array is the text between the separators at depth 2.
#include "eventlog/json_sections.hpp"

#include <algorithm>
#include <cstring>

namespace asof {
namespace {

constexpr std::size_t max_buffer = std::size_t{512} << 20; // the longest element, and then some

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Bytes the walk must look at: inside a string, its end, an escape and a line break (counted
// for locations); between strings deep inside an element, brackets, quotes and line breaks.
// Everything else is skipped by a tight loop: most of an OCEL file is the inside of elements.
struct ByteClasses {
    bool in_string[256] = {};
    bool in_element[256] = {};
    constexpr ByteClasses() {
        for (char c : {'"', '\\', '\n'})
            in_string[static_cast<unsigned char>(c)] = true;
        for (char c : {'"', '{', '}', '[', ']', '\n'})
            in_element[static_cast<unsigned char>(c)] = true;
    }
};
constexpr ByteClasses byte_classes;

// The first position in [from, to) whose byte is marked in `stop`, else `to`.
std::size_t skip_to(const std::vector<char>& buffer, std::size_t from, std::size_t to,
                    const bool (&stop)[256]) {
    const char* data = buffer.data();
    while (from < to && !stop[static_cast<unsigned char>(data[from])])
        ++from;
    return from;
}

} // namespace

Result<bool> JsonSections::refill() {
    std::size_t keep = element_open_ ? element_begin_ : pos_;
    std::memmove(buffer_.data(), buffer_.data() + keep, end_ - keep);
    offset_ += static_cast<std::int64_t>(keep);
    end_ -= keep;
    pos_ -= keep;
    if (element_open_) element_begin_ -= keep;
    if (buffer_.size() - end_ < buffer_.size() / 4) {
        if (buffer_.size() * 2 > max_buffer)
            return fail("an element of the document is longer than 256 MiB",
                        "line " + std::to_string(element_line_));
        buffer_.resize(buffer_.size() * 2);
    }
    auto got = reader_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) eof_ = true;
    end_ += *got;
    return true;
}

Result<bool> JsonSections::run(const std::vector<std::string>& wanted,
                               const std::string& stop_before, const OnElement& on_element) {
    if (done_) return false;
    auto here = [&] { return "line " + std::to_string(line_); };
    auto seen = [&](const std::string& name) {
        return std::find(members_.begin(), members_.end(), name) != members_.end();
    };
    bool deliver_wanted = std::find(wanted.begin(), wanted.end(), member_) != wanted.end();
    // Hands the open element, ending before buffer_[end], on; false to pause.
    auto deliver = [&](std::size_t end) {
        element_open_ = false;
        std::size_t index = element_index_++;
        if (!deliver_wanted) return true;
        Element element{member_, index, offset_ + static_cast<std::int64_t>(element_begin_),
                        element_line_,
                        std::string_view(buffer_.data() + element_begin_, end - element_begin_)};
        return on_element(element);
    };
    for (;;) {
        if (pos_ == end_) {
            if (eof_) break;
            auto more = refill();
            if (!more) return tl::unexpected(more.error());
            continue;
        }
        // Fast paths: the bulk of a string, and of an element between its strings.
        if (in_string_ && !escape_ && !reading_key_) {
            pos_ = skip_to(buffer_, pos_, end_, byte_classes.in_string);
            if (pos_ == end_) continue;
        } else if (!in_string_ && depth_ >= 3) {
            pos_ = skip_to(buffer_, pos_, end_, byte_classes.in_element);
            if (pos_ == end_) continue;
        }
        char c = buffer_[pos_];
        if (c == '\n') ++line_;
        if (in_string_) {
            if (escape_)
                escape_ = false;
            else if (c == '\\')
                escape_ = true;
            else if (c == '"')
                in_string_ = reading_key_ = false;
            else if (reading_key_)
                key_.push_back(c);
            ++pos_;
            continue;
        }
        if (root_closed_) {
            if (!is_space(c))
                return fail("not one JSON document: more follows the root object", here());
            ++pos_;
            continue;
        }
        if (depth_ == 0) {
            if (!is_space(c) && c != '{') return fail("the root is not a JSON object", here());
            if (c == '{') depth_ = 1, expect_key_ = true;
            ++pos_;
            continue;
        }
        if (depth_ == 1) {
            ++pos_;
            if (is_space(c)) continue;
            if (c == ',') {
                expect_key_ = true;
            } else if (c == '"' && expect_key_) {
                in_string_ = reading_key_ = true;
                expect_key_ = false;
                key_.clear();
            } else if (c == ':') {
                member_ = key_;
                bool wanted_seen = std::all_of(wanted.begin(), wanted.end(), seen);
                members_.push_back(member_);
                deliver_wanted = std::find(wanted.begin(), wanted.end(), member_) != wanted.end();
                if (!stop_before.empty() && member_ == stop_before && wanted_seen) {
                    done_ = true;
                    return false;
                }
            } else if (c == '}') {
                depth_ = 0;
                root_closed_ = true;
            } else if (c == '[' || c == '{') {
                depth_ = 2;
                in_array_ = c == '[';
                element_index_ = 0;
            } else if (c == '"') {
                in_string_ = true;
            } else if (c == ']') {
                return fail("malformed JSON: unbalanced ']'", here());
            }
            continue;
        }
        if (depth_ == 2 && in_array_) {
            if (!element_open_) {
                if (is_space(c) || c == ',') {
                    ++pos_;
                    continue;
                }
                if (c == ']') {
                    depth_ = 1;
                    in_array_ = false;
                    ++pos_;
                    continue;
                }
                element_open_ = true;
                element_begin_ = pos_;
                element_line_ = line_;
                element_scalar_ = c != '{' && c != '[';
            } else if (element_scalar_ && (c == ',' || c == ']' || is_space(c))) {
                if (c == '\n') --line_; // counted again when the loop comes back to it
                if (!deliver(pos_)) return true;
                continue;
            }
        }
        switch (c) {
        case '"':
            in_string_ = true;
            break;
        case '{':
        case '[':
            ++depth_;
            break;
        case '}':
        case ']':
            if (--depth_ < 2)
                if (depth_ < 1 || in_array_)
                    return fail("malformed JSON: unbalanced brackets", here());
            break;
        default:
            break;
        }
        ++pos_;
        if (depth_ == 2 && in_array_ && element_open_ && !element_scalar_ && (c == '}' || c == ']'))
            if (!deliver(pos_)) return true;
    }
    if (!root_closed_)
        return fail(depth_ == 0 ? "empty document" : "malformed JSON: the document ends early",
                    here());
    done_ = true;
    return false;
}

} // namespace asof
