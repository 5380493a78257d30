// Walks one large JSON document whose root is an object of arrays (OCEL 2.0 JSON: objectTypes,
// eventTypes, objects, events) chunk by chunk, never holding it whole: it checks the document's
// structure and hands each element of the arrays it is asked for as its own text, with its byte
// offset and line, so that each can be parsed alone.
#pragma once

#include "eventlog/result.hpp"
#include "eventlog/source_reader.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace asof {

class JsonSections {
public:
    // One element of a wanted array: the member name of its array, its index in it, and where
    // it starts.
    struct Element {
        std::string_view member;
        std::size_t index = 0;
        std::int64_t byte_offset = 0, line = 0;
        std::string_view text;
    };
    // Called for each element; returning false pauses the walk after it (run() returns true).
    using OnElement = std::function<bool(const Element&)>;

    explicit JsonSections(SourceReader reader) : reader_(std::move(reader)) {}

    // Walks on from where the last call paused, handing the elements of the root members named
    // in `wanted`; stops early, as at the end, once `stop_before` starts (when not empty) after
    // every wanted member was seen. Returns false at the end. Fails, naming the line, on a
    // document that is not one JSON value, or whose root is not an object.
    Result<bool> run(const std::vector<std::string>& wanted, const std::string& stop_before,
                     const OnElement& on_element);

    // The root members seen so far, in order.
    const std::vector<std::string>& members() const { return members_; }
    const SourceReader& reader() const { return reader_; }

private:
    Result<bool> refill();

    SourceReader reader_;
    std::vector<char> buffer_ = std::vector<char>(std::size_t{1} << 20);
    std::size_t pos_ = 0, end_ = 0;
    std::int64_t offset_ = 0; // file offset of buffer_[0]
    std::int64_t line_ = 1;
    bool eof_ = false, done_ = false;
    // Structure.
    int depth_ = 0;
    bool in_string_ = false, escape_ = false, root_closed_ = false;
    bool expect_key_ = false, reading_key_ = false;
    std::string key_, member_;
    std::vector<std::string> members_;
    // The element being read (depth 2, inside a root member's array).
    bool in_array_ = false, element_open_ = false, element_scalar_ = false;
    std::size_t element_begin_ = 0, element_index_ = 0;
    std::int64_t element_line_ = 0;
};

} // namespace asof
