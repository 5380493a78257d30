// The OCEL 2.0 XML events pass on its fast path: from the <events> start tag on, the file is cut
// into chunks of whole <event> elements (XmlChunker) and each chunk is parsed with pugixml,
// four to five times faster than expat's callbacks. Used when the objects came before the events
// in a UTF-8 file (as the schema orders them); otherwise the expat pass reads the events.
#pragma once

#include "eventlog/ocel_rows.hpp"
#include "eventlog/result.hpp"
#include "eventlog/source_reader.hpp"
#include "eventlog/xml_chunks.hpp"

#include <memory>
#include <string>

namespace asof {

class OcelXmlEvents {
public:
    // Opens `path` again (hashing every byte) and reads up to byte `offset` (line `line`), where
    // <events> starts directly inside the root element <log>.
    static Result<std::unique_ptr<OcelXmlEvents>> open(OcelMapper& mapper, const std::string& path,
                                                       std::int64_t offset, std::int64_t line,
                                                       std::size_t chunk_bytes = 512 * 1024);
    ~OcelXmlEvents();

    // Maps the next events into `out` (about a batch); false once the file is read. Fails,
    // located, on malformed XML.
    Result<bool> fill(RowBatch& out);

    const SourceReader& reader() const { return reader_; }

private:
    struct Parsed;
    OcelXmlEvents(OcelMapper& mapper, SourceReader reader, std::string path);
    Result<bool> load_chunk();

    OcelMapper& mapper_;
    SourceReader reader_;
    std::string path_;
    std::unique_ptr<XmlChunker> chunker_;
    std::unique_ptr<Parsed> parsed_; // the current chunk's document and where reading it is
};

} // namespace asof
