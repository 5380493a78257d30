// The case file's hash chain: each event's hash covers the previous hash and its canonical bytes.
#include "eventlog/hash_chain.hpp"

#include <chrono>

namespace asof {
namespace {

constexpr std::string_view canonical_tag{"asof-event-v1", 14}; // includes the trailing NUL

void put_u64(std::string& out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void put_text(std::string& out, const std::optional<std::string_view>& text) {
    if (!text) {
        out.push_back('\0');
        return;
    }
    out.push_back('\1');
    put_u64(out, text->size());
    out.append(*text);
}

void put_int(std::string& out, const std::optional<std::int64_t>& value) {
    if (!value) {
        out.push_back('\0');
        return;
    }
    out.push_back('\1');
    put_u64(out, static_cast<std::uint64_t>(*value));
}

std::optional<std::string_view> view(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return std::string_view(*text);
}

} // namespace

CanonicalFields canonical_fields(const EventRow& event) {
    CanonicalFields fields;
    fields.event_id = view(event.event_id);
    fields.ts = event.ts.time_since_epoch().count();
    if (event.recorded) fields.recorded_ts = event.recorded->time_since_epoch().count();
    fields.type = view(event.type);
    fields.stream = event.stream;
    fields.version = event.version;
    fields.actor = view(event.actor);
    fields.data = view(event.data);
    fields.meta = view(event.meta);
    return fields;
}

void canonical_bytes(const CanonicalFields& fields, std::string& out) {
    out.clear();
    out.append(canonical_tag);
    put_text(out, fields.event_id);
    put_int(out, fields.ts);
    put_int(out, fields.recorded_ts);
    put_text(out, fields.type);
    put_text(out, fields.stream);
    put_int(out, fields.version);
    put_text(out, fields.actor);
    put_text(out, fields.data);
    put_text(out, fields.meta);
}

Digest chain_next(Sha256& hasher, const Digest& previous, std::string_view canonical) {
    hasher.update(std::span<const unsigned char>(previous));
    hasher.update(canonical);
    return hasher.finish();
}

void canonical_link_bytes(std::int64_t seq, std::string_view stream,
                          std::optional<std::string_view> qualifier, std::string& out) {
    out.clear();
    out.append(std::string_view{"asof-link-v1", 13});
    put_int(out, seq);
    put_text(out, stream);
    put_text(out, qualifier);
}

void canonical_attribute_bytes(std::string_view stream, std::optional<std::int64_t> ts,
                               std::string_view name, std::string_view value, std::string& out) {
    out.clear();
    out.append(std::string_view{"asof-attribute-v1", 18});
    put_text(out, stream);
    put_int(out, ts);
    put_text(out, name);
    put_text(out, value);
}

void canonical_relation_bytes(std::string_view from, std::string_view to,
                              std::optional<std::string_view> qualifier, std::string& out) {
    out.clear();
    out.append(std::string_view{"asof-relation-v1", 17});
    put_text(out, from);
    put_text(out, to);
    put_text(out, qualifier);
}

Digest SideChain::head(Sha256& hasher) const {
    hasher.update(std::string_view{"asof-side-v1", 13});
    hasher.update(std::span<const unsigned char>(links));
    hasher.update(std::span<const unsigned char>(attributes));
    hasher.update(std::span<const unsigned char>(relations));
    return hasher.finish();
}

} // namespace asof
