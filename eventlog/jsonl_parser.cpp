// Turns one JSON Lines line into an EventRow, or into the reason it cannot be one.
#include "eventlog/jsonl_parser.hpp"

#include "eventlog/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <simdjson.h>
#include <vector>

namespace asof {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view type_name(element_type type) {
    switch (type) {
    case element_type::ARRAY:
        return "an array";
    case element_type::OBJECT:
        return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
        return "a number";
    case element_type::STRING:
        return "a string";
    case element_type::BOOL:
        return "a boolean";
    case element_type::NULL_VALUE:
        return "null";
    }
    return "a value";
}

// The aliases of a role, joined for messages: "stream, stream_id, ...".
std::string alias_list(const FieldMap& map, Role role) {
    std::string joined;
    if (!map.path(role).empty()) {
        for (const auto& part : map.path(role))
            joined += (joined.empty() ? "" : ".") + part;
        return joined;
    }
    for (auto alias : role_aliases(role))
        joined += (joined.empty() ? "" : ", ") + std::string(alias);
    return joined;
}

// Text of a scalar used as an identifier (id, stream, type, actor). Objects and arrays are kept
// as compact JSON, so nothing is lost.
std::string scalar_text(element value) {
    switch (value.type()) {
    case element_type::STRING:
        return std::string(value.get_string().value_unsafe());
    case element_type::INT64:
        return std::to_string(value.get_int64().value_unsafe());
    case element_type::UINT64:
        return std::to_string(value.get_uint64().value_unsafe());
    default:
        return simdjson::minify(value);
    }
}

} // namespace

struct JsonlParser::Impl {
    FieldMap map;
    const date::time_zone* zone;
    simdjson::dom::parser parser;
    std::array<element, role_count> found;
    std::array<std::size_t, role_count> found_rank;
    std::array<std::string_view, role_count> found_key; // the field name each role took
    std::vector<std::pair<std::string_view, element>> unknown;

    Impl(FieldMap m, const date::time_zone* z) : map(std::move(m)), zone(z) {}

    // Follows an explicit dotted path from the document root.
    bool lookup(element root, const std::vector<std::string>& path, element& out) {
        element current = root;
        for (const auto& part : path) {
            simdjson::dom::object object;
            if (current.get_object().get(object)) return false;
            if (object[part].get(current)) return false;
        }
        out = current;
        return true;
    }

    Result<void> read_time(element value, std::string_view what, Timestamp& at, bool* naive) {
        switch (value.type()) {
        case element_type::INT64: {
            auto t = from_epoch(value.get_int64().value_unsafe());
            if (!t) return fail("unparseable " + std::string(what) + ": " + t.error().message);
            at = *t;
            return {};
        }
        case element_type::UINT64:
        case element_type::DOUBLE: {
            auto t = from_epoch(value.get_double().value_unsafe());
            if (!t) return fail("unparseable " + std::string(what) + ": " + t.error().message);
            at = *t;
            return {};
        }
        case element_type::STRING: {
            std::string_view text = value.get_string().value_unsafe();
            auto parsed = parse_time_text(text, zone);
            if (!parsed)
                return fail("unparseable " + std::string(what) + ": " +
                            (parsed.error().message.starts_with("\"")
                                 ? "\"" + printable_excerpt(text, 60) + "\""
                                 : parsed.error().message));
            at = parsed->at;
            if (naive) *naive = parsed->naive;
            return {};
        }
        default:
            return fail("unparseable " + std::string(what) +
                        ": expected a string or a number, found " +
                        std::string(type_name(value.type())));
        }
    }

    Result<void> read_version(element value, std::optional<std::int64_t>& out) {
        switch (value.type()) {
        case element_type::INT64:
            out = value.get_int64().value_unsafe();
            return {};
        case element_type::UINT64:
            break;
        case element_type::DOUBLE: {
            double number = value.get_double().value_unsafe();
            if (std::trunc(number) == number && std::fabs(number) < 9.0e15) {
                out = static_cast<std::int64_t>(number);
                return {};
            }
            break;
        }
        case element_type::STRING: {
            std::string_view text = value.get_string().value_unsafe();
            std::int64_t number = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
                out = number;
                return {};
            }
            break;
        }
        case element_type::NULL_VALUE:
            out.reset();
            return {};
        default:
            break;
        }
        return fail("version is not an integer: " + printable_excerpt(simdjson::minify(value), 40));
    }

    // Compact JSON of the meta role plus every top-level field no role took.
    std::string build_meta(const element* meta) {
        if (unknown.empty()) return simdjson::minify(*meta);
        std::string out = "{";
        std::vector<std::string_view> taken;
        auto add = [&](std::string_view key, element value) {
            if (out.size() > 1) out.push_back(',');
            append_json_string(out, key);
            out.push_back(':');
            out += simdjson::minify(value);
        };
        if (meta) {
            simdjson::dom::object object;
            if (meta->get_object().get(object) == simdjson::SUCCESS) {
                for (auto [key, value] : object) {
                    add(key, value);
                    taken.push_back(key);
                }
            } else {
                add("meta", *meta);
                taken.push_back("meta");
            }
        }
        for (auto& [key, value] : unknown) {
            bool clash = false;
            for (auto name : taken)
                clash = clash || name == key;
            add(clash ? "top:" + std::string(key) : std::string(key), value);
        }
        out.push_back('}');
        return out;
    }

    Result<void> parse(std::string_view line, EventRow& out) {
        element root;
        auto error = parser.parse(line.data(), line.size(), false).get(root);
        if (error == simdjson::UTF8_ERROR) return fail("invalid UTF-8");
        if (error) return fail(std::string("malformed JSON: ") + simdjson::error_message(error));
        simdjson::dom::object object;
        if (root.get_object().get(object))
            return fail("not a JSON object (found " + std::string(type_name(root.type())) + ")");

        constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
        found_rank.fill(none);
        unknown.clear();
        for (auto [key, value] : object) {
            if (auto match = map.role_of_top_level(key)) {
                auto index = static_cast<std::size_t>(match->role);
                if (match->rank < found_rank[index]) {
                    if (found_rank[index] != none)
                        unknown.emplace_back(found_key[index], found[index]);
                    found[index] = value;
                    found_key[index] = key;
                    found_rank[index] = match->rank;
                    continue;
                }
            } else if (map.is_explicit_top_level(key)) {
                continue;
            }
            unknown.emplace_back(key, value);
        }
        for (std::size_t i = 0; i < role_count; ++i) {
            const auto& path = map.path(static_cast<Role>(i));
            if (!path.empty() && lookup(root, path, found[i])) found_rank[i] = 0;
        }
        auto has = [&](Role role) {
            auto i = static_cast<std::size_t>(role);
            return found_rank[i] != none && found[i].type() != element_type::NULL_VALUE;
        };
        auto get = [&](Role role) { return found[static_cast<std::size_t>(role)]; };

        out = EventRow{};
        if (!has(Role::stream))
            return fail("missing stream (looked for " + alias_list(map, Role::stream) + ")");
        out.stream = scalar_text(get(Role::stream));
        if (out.stream.empty()) return fail("empty stream");
        if (!has(Role::ts))
            return fail("missing time (looked for " + alias_list(map, Role::ts) + ")");
        if (auto ok = read_time(get(Role::ts), "time", out.ts, &out.naive_time); !ok) return ok;
        if (has(Role::recorded)) {
            Timestamp recorded{};
            if (auto ok = read_time(get(Role::recorded), "recorded time", recorded, nullptr); !ok)
                return ok;
            out.recorded = recorded;
        }
        if (has(Role::version))
            if (auto ok = read_version(get(Role::version), out.version); !ok) return ok;
        if (has(Role::id)) out.event_id = scalar_text(get(Role::id));
        if (has(Role::type)) out.type = scalar_text(get(Role::type));
        if (has(Role::actor)) out.actor = scalar_text(get(Role::actor));
        if (found_rank[static_cast<std::size_t>(Role::data)] != none)
            out.data = simdjson::minify(get(Role::data));
        bool meta_found = found_rank[static_cast<std::size_t>(Role::meta)] != none;
        if (meta_found || !unknown.empty()) {
            element meta = get(Role::meta);
            out.meta = build_meta(meta_found ? &meta : nullptr);
        }
        return {};
    }
};

JsonlParser::JsonlParser(FieldMap map, const date::time_zone* source_zone)
    : impl_(std::make_unique<Impl>(std::move(map), source_zone)) {
}
JsonlParser::~JsonlParser() = default;
JsonlParser::JsonlParser(JsonlParser&&) noexcept = default;

Result<void> JsonlParser::parse(std::string_view line, EventRow& out) {
    return impl_->parse(line, out);
}

} // namespace asof
