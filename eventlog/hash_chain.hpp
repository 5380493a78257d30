// The case file's hash chain: each event's hash covers the previous hash and its canonical bytes.
#pragma once

#include "eventlog/event.hpp"
#include "eventlog/sha256.hpp"

#include <string>
#include <string_view>

namespace asof {

// The fields of a stored event that the chain covers, as they are stored.
struct CanonicalFields {
    std::optional<std::string_view> event_id;
    std::int64_t ts = 0;
    std::optional<std::int64_t> recorded_ts;
    std::optional<std::string_view> type;
    std::string_view stream;
    std::optional<std::int64_t> version;
    std::optional<std::string_view> actor;
    std::optional<std::string_view> data;
    std::optional<std::string_view> meta;
};

CanonicalFields canonical_fields(const EventRow& event);

// Writes the canonical bytes of an event into `out` (cleared first): a version tag, then each
// field in a fixed order as a presence byte followed, when present, by a little-endian length
// and the bytes (strings) or a little-endian 64-bit value (integers).
void canonical_bytes(const CanonicalFields& fields, std::string& out);

// The chain value after an event: SHA-256(previous || canonical bytes).
Digest chain_next(Sha256& hasher, const Digest& previous, std::string_view canonical);

// Canonical bytes of what an import's side chain covers besides its events: each further stream
// link of an event (the primary one is covered by the event itself), each stream attribute and
// each object-to-object relation, with full stream names as stored.
void canonical_link_bytes(std::int64_t seq, std::string_view stream,
                          std::optional<std::string_view> qualifier, std::string& out);
void canonical_attribute_bytes(std::string_view stream, std::optional<std::int64_t> ts,
                               std::string_view name, std::string_view value, std::string& out);
void canonical_relation_bytes(std::string_view from, std::string_view to,
                              std::optional<std::string_view> qualifier, std::string& out);

// An import's side chain: three chains (links in (seq, stream name) order, attributes in
// stored order, relations in stored order) folded into one head.
struct SideChain {
    Digest links = {}, attributes = {}, relations = {};
    std::int64_t count = 0; // items chained; the head is stored only when nonzero
    Digest head(Sha256& hasher) const;
};

// The chain value before the first event of a case.
inline constexpr Digest chain_genesis{};

} // namespace asof
