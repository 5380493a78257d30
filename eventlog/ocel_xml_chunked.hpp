// The OCEL 2.0 XML pass on its fast path: from the <objects> (or <events>) start tag on, the
// file is cut into chunks of whole <object> and <event> elements (XmlChunker) and each chunk is
// parsed with pugixml, four to five times faster than expat's callbacks. Used when the objects
// come before the events in a UTF-8 file, as the schema orders them: then one forward pass sees
// every object before the first event. Otherwise the expat passes read the file.
#pragma once

#include "eventlog/ocel_rows.hpp"
#include "eventlog/result.hpp"
#include "eventlog/source_reader.hpp"
#include "eventlog/xml_chunks.hpp"

#include <pugixml.hpp>

#include <memory>
#include <string>

namespace asof {

class OcelXmlChunked {
public:
    // Opens `path` again (hashing every byte) and reads up to byte `offset` (line `line`), where
    // <objects> or <events> starts directly inside the root element <log>. `objects_done`: the
    // objects were read already (by the expat pass), so the pass starts at <events>.
    static Result<std::unique_ptr<OcelXmlChunked>> open(OcelMapper& mapper, const std::string& path,
                                                        std::int64_t offset, std::int64_t line,
                                                        bool objects_done,
                                                        std::size_t chunk_bytes = 512 * 1024);
    ~OcelXmlChunked();

    // Maps the next objects and events into `out` (about a batch); the relations go out once the
    // objects are read (finish_objects) before the first event. False once the file is read.
    // Fails, located, on malformed XML. Objects after the events are rejects (their events were
    // mapped without them).
    Result<bool> fill(RowBatch& out);

    const SourceReader& reader() const { return reader_; }

private:
    struct Parsed;
    OcelXmlChunked(OcelMapper& mapper, SourceReader reader, std::string path, bool objects_done);
    Result<bool> load_chunk();
    void read_object(pugi::xml_node element, std::int64_t index, RowBatch& out);
    void read_event(pugi::xml_node element, std::int64_t index, RowBatch& out);
    std::string place_of(pugi::xml_node node) const;

    OcelMapper& mapper_;
    SourceReader reader_;
    std::string path_;
    std::unique_ptr<XmlChunker> chunker_;
    std::unique_ptr<Parsed> parsed_; // the current chunk's document and where reading it is
    bool objects_done_;              // every object is read and the relations are out
};

} // namespace asof
