// Cuts an XML stream, from a point directly inside its root element, into chunks of whole
// elements that each parse on their own as an XML fragment: the children of the root's children
// (the "sections", such as OCEL's <events>), a few hundred KiB at a time. This lets a fast
// in-memory parser (pugixml) read a file of any size in bounded memory. The chunker checks only
// what lies between chunks (the section tags and the root's end tag); what is inside a chunk is
// left to the chunk's parser.
#pragma once

#include "eventlog/result.hpp"
#include "eventlog/source_reader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asof {

// The number of '\n' in [from, to).
std::int64_t count_newlines(const char* from, const char* to);

// How many elements of each name were seen among one parent's children: the index of a child
// in an element path ("event[12]"). Few distinct names, so a flat list.
class NameCounts {
public:
    // Counts one more element named `name`; returns its index among those, from 1.
    std::int64_t add(std::string_view name);
    void clear() { counts_.clear(); }

private:
    std::vector<std::pair<std::string, std::int64_t>> counts_;
};

// Lines of positions in a text, counted incrementally: positions asked for must not decrease.
class LineCounter {
public:
    LineCounter(std::string_view text, std::int64_t first_line) : text_(text), line_(first_line) {}
    // The line of text[position] (position <= text.size()).
    std::int64_t line_at(std::size_t position);

private:
    std::string_view text_;
    std::size_t counted_ = 0;
    std::int64_t line_;
};

class XmlChunker {
public:
    struct Chunk {
        std::string_view section;          // the name of the section element it lies in
        std::int64_t section_index = 0;    // among the root's children of that name, from 1
        std::string_view text;             // whole child elements and the text between them
        std::int64_t offset = 0, line = 1; // where text[0] is in the file
    };

    // `reader` is positioned at byte `offset`, line `line` of the file, directly inside the
    // root element `root` (its start tag already read). A chunk is cut once it holds at least
    // `chunk_bytes` (or at a section's end); the file is read `read_bytes` at a time.
    XmlChunker(SourceReader& reader, std::string path, std::string root, std::int64_t offset,
               std::int64_t line, std::size_t chunk_bytes = 512 * 1024,
               std::size_t read_bytes = 1024 * 1024);

    // The next chunk (valid until the next call), or nullopt once the root has ended and the
    // file has been read to its end. Fails, located, on a file that ends inside the root or a
    // section, on mismatched section or root end tags, and on content after the root.
    Result<std::optional<Chunk>> next();

private:
    Result<void> read_more();
    void drop_consumed();
    Chunk make_chunk(std::size_t from, std::size_t to);
    std::string where(std::size_t position);
    tl::unexpected<Error> malformed(const std::string& what, std::size_t position);

    SourceReader& reader_;
    std::string path_, root_;
    std::size_t chunk_bytes_, read_bytes_;
    std::string buffer_;
    std::int64_t buffer_offset_; // the file offset of buffer_[0]
    // Lines: counted_ bytes of the buffer are counted, and counted_line_ is the line there.
    std::size_t counted_ = 0;
    std::int64_t counted_line_;
    std::size_t begin_ = 0; // the first byte not yet handed out or skipped
    std::size_t scan_ = 0;  // where scanning goes on (an incomplete construct starts here)
    std::size_t cut_ = 0;   // after the last whole child of the current section
    int depth_ = 0;         // 0 in the root, 1 in a section, 2 and more in a section's child
    std::string section_;
    std::int64_t section_index_ = 0;
    NameCounts section_counts_;
    bool root_closed_ = false, eof_ = false;
};

} // namespace asof
