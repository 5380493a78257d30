// Parsing and checking a projection file into its rules (see projection.hpp and
// projection_rules.hpp): every error names the rule and the reason.
#include "eventlog/sha256.hpp"
#include "replay/merge_patch.hpp"
#include "replay/projection_rules.hpp"

#include <algorithm>
#include <utility>

namespace asof::replay {

using namespace projection_detail;

namespace {

// ---------------------------------------------------------------------------------------------
// Parsing

Result<void> bad(const std::string& where, const std::string& message) {
    return fail(where.empty() ? message : where + ": " + message);
}

// "a, b or c"
std::string one_of(const Names& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return out;
}

bool is_one_of(const std::string& key, const Names& names) {
    return std::find(names.begin(), names.end(), key) != names.end();
}

std::string in_quotes(const std::string& text) {
    return "'" + text + "'";
}

// Every member of `object` is one of `allowed`, or the error names the first that is not.
Result<void> check_members(const json& object, const std::string& where, const Names& allowed) {
    for (const auto& [key, value] : object.items())
        if (!is_one_of(key, allowed))
            return bad(where,
                       "unknown member " + in_quotes(key) + " (expected " + one_of(allowed) + ")");
    return {};
}

Path make_path(std::vector<std::string> keys, std::string text, bool dotted) {
    Path path;
    path.text = std::move(text);
    path.dotted = dotted;
    path.keys = std::move(keys);
    std::string pointer;
    for (const auto& key : path.keys) {
        pointer = child_pointer(pointer, key);
        path.pointers.push_back(pointer);
    }
    return path;
}

Result<Path> parse_dotted(const std::string& text, const std::string& shown) {
    std::vector<std::string> keys;
    if (text.empty()) return make_path({}, shown, true);
    std::size_t start = 0;
    while (true) {
        std::size_t dot = text.find('.', start);
        std::string key = text.substr(start, dot == std::string::npos ? dot : dot - start);
        if (key.empty()) return fail("empty key in path " + in_quotes(shown));
        keys.push_back(std::move(key));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return make_path(std::move(keys), shown, true);
}

Result<Path> parse_pointer(const std::string& text, const std::string& shown) {
    std::vector<std::string> keys;
    std::size_t start = 1;
    while (true) {
        std::size_t slash = text.find('/', start);
        std::string raw = text.substr(start, slash == std::string::npos ? slash : slash - start);
        std::string key;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '~') {
                key += raw[i];
            } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
                key += raw[i + 1] == '0' ? '~' : '/';
                ++i;
            } else {
                return fail("'~' not followed by 0 or 1 in path " + in_quotes(shown));
            }
        }
        keys.push_back(std::move(key));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return make_path(std::move(keys), shown, false);
}

// A dotted path ("amount.value") or a JSON pointer ("/a.b/c"); "" is the root.
Result<Path> parse_path(const std::string& text) {
    if (!text.empty() && text[0] == '/') return parse_pointer(text, text);
    return parse_dotted(text, text);
}

const char* const sources_expected =
    "(expected data, data.PATH, meta, meta.PATH, id, type, actor, ts or seq)";

// "data", "data.PATH", "data/POINTER", the same for "meta", or "id", "type", "actor", "ts",
// "seq".
Result<Source> parse_source(const std::string& text) {
    Source source;
    source.text = text;
    static const std::pair<const char*, SourceKind> fields[] = {
        {"id", SourceKind::id},    {"type", SourceKind::type}, {"actor", SourceKind::actor},
        {"ts", SourceKind::ts},    {"seq", SourceKind::seq},   {"data", SourceKind::data},
        {"meta", SourceKind::meta}};
    for (const auto& [name, kind] : fields)
        if (text == name) {
            source.kind = kind;
            return source;
        }
    for (const auto& [name, kind] :
         {std::pair{"data", SourceKind::data}, std::pair{"meta", SourceKind::meta}}) {
        std::string_view prefix = name;
        if (text.size() <= prefix.size() + 1 || text.compare(0, prefix.size(), prefix) != 0)
            continue;
        char separator = text[prefix.size()];
        if (separator != '.' && separator != '/') continue;
        auto path = separator == '.' ? parse_dotted(text.substr(prefix.size() + 1), text)
                                     : parse_pointer(text.substr(prefix.size()), text);
        if (!path) return tl::unexpected(path.error());
        source.kind = kind;
        source.path = std::move(*path);
        return source;
    }
    return fail("unknown source " + in_quotes(text) + " " + sources_expected);
}

Result<Source> parse_source_member(const json& value, const std::string& where,
                                   const std::string& member) {
    if (!value.is_string())
        return fail(where + ": " + in_quotes(member) + " must be a source string " +
                    sources_expected);
    auto source = parse_source(value.get<std::string>());
    if (!source) return fail(where + ": " + source.error().message);
    return source;
}

Result<Path> parse_path_member(const json& value, const std::string& where,
                               const std::string& member, bool allow_empty) {
    if (!value.is_string())
        return fail(where + ": " + in_quotes(member) + " must be a path string");
    auto path = parse_path(value.get<std::string>());
    if (!path) return fail(where + ": " + path.error().message);
    if (!allow_empty && path->empty())
        return fail(
            where + ": " + in_quotes(member) + " needs a non-empty path" +
            (member == "set" || member == "append" || member == "increment" || member == "unset"
                 ? std::string(" (use 'replace' for the whole state)")
                 : std::string()));
    return path;
}

template <class Spec, std::size_t N> Names names_of(const Spec (&specs)[N]) {
    Names names;
    for (const Spec& spec : specs)
        names.push_back(spec.name);
    return names;
}
const Names verbs = names_of(verb_specs);
const Names step_ops = names_of(step_specs);

// The one member of `object` named in `specs` (a verb or a step), or an error: none, an
// unknown one (a member that is no option of any), or two.
template <class Spec, std::size_t N>
Result<const Spec*> find_spec(const json& object, const std::string& where, const Spec (&specs)[N],
                              const Names& names, const char* what, const Names& options) {
    const Spec* found = nullptr;
    for (const Spec& spec : specs) {
        if (!object.contains(spec.name)) continue;
        if (found)
            return fail(where + ": more than one " + what + " (" + in_quotes(found->name) +
                        " and " + in_quotes(spec.name) + "); write one " + what + " per " +
                        (std::string(what) == "verb" ? "rule" : "object"));
        found = &spec;
    }
    if (found) return found;
    for (const auto& [key, value] : object.items())
        if (!is_one_of(key, options))
            return fail(where + ": unknown " + what + " " + in_quotes(key) + " (expected " +
                        one_of(names) + ")");
    return fail(where + ": no " + what + " (expected " + one_of(names) + ")");
}

// Every member of `object` but `name` is one of `options`.
Result<void> check_options(const json& object, const std::string& where, const std::string& name,
                           const Names& options) {
    for (const auto& [key, value] : object.items()) {
        if (key == name || is_one_of(key, options)) continue;
        return bad(where, "unknown member " + in_quotes(key) + " for " + in_quotes(name) +
                              (options.empty() ? std::string(" (it takes no other members)")
                                               : " (expected " + one_of(options) + ")"));
    }
    return {};
}

Result<Rule> parse_rule(const json& object, const std::string& where) {
    if (!object.is_object())
        return fail(where +
                    ": a rule must be an object such as {\"set\": \"status\", \"from\": "
                    "\"data.status\"}, not " +
                    object.type_name());
    auto spec = find_spec(object, where, verb_specs, verbs, "verb", {"from", "value", "by", "at"});
    if (!spec) return tl::unexpected(spec.error());
    const std::string name = (*spec)->name;
    if (auto checked = check_options(object, where, name, (*spec)->options); !checked)
        return tl::unexpected(checked.error());
    Rule rule;
    rule.verb = (*spec)->verb;
    rule.name = where;
    const json& argument = object.at(name);
    if (rule.verb == Verb::ignore) {
        if (argument != json(true))
            return fail(where + ": 'ignore' must be true (leave the rule out otherwise)");
        return rule;
    }
    if ((*spec)->takes_path) {
        auto path = parse_path_member(argument, where, name, false);
        if (!path) return tl::unexpected(path.error());
        rule.target = std::move(*path);
    } else {
        auto source = parse_source_member(argument, where, name);
        if (!source) return tl::unexpected(source.error());
        rule.from = std::move(*source);
    }
    if (object.contains("at")) {
        auto path = parse_path_member(object.at("at"), where, "at", true);
        if (!path) return tl::unexpected(path.error());
        rule.target = std::move(*path);
    }
    if (object.contains("from")) {
        auto source = parse_source_member(object.at("from"), where, "from");
        if (!source) return tl::unexpected(source.error());
        rule.from = std::move(*source);
    }
    bool has_from = object.contains("from"), has_value = object.contains("value"),
         has_by = object.contains("by");
    if ((rule.verb == Verb::set || rule.verb == Verb::append) && !has_from && !has_value)
        return fail(where + ": " + in_quotes(name) + " needs 'from' or 'value'");
    if (has_from && has_value)
        return fail(where + ": " + in_quotes(name) + " takes 'from' or 'value', not both");
    if (has_from && has_by) return fail(where + ": 'increment' takes 'from' or 'by', not both");
    if (has_by && !object.at("by").is_number())
        return fail(where + ": 'by' must be a number, not " + object.at("by").type_name());
    if (has_value) rule.value = object.at("value");
    if (rule.verb == Verb::increment) rule.value = has_by ? object.at("by") : json(1);
    return rule;
}

Result<TypeEntry> parse_type_entry(const json& value, const std::string& where) {
    TypeEntry entry;
    if (value == json("merge")) return entry;
    if (value == json("ignore")) {
        entry.handling = Handling::ignore;
        return entry;
    }
    if (!value.is_array())
        return fail(where + ": expected a list of rules, \"merge\" or \"ignore\"");
    entry.handling = Handling::rules;
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto rule = parse_rule(value[i], where + "[" + std::to_string(i) + "]");
        if (!rule) return tl::unexpected(rule.error());
        entry.rules.push_back(std::move(*rule));
    }
    return entry;
}

Result<Step> parse_step(const json& object, const std::string& where) {
    if (!object.is_object())
        return fail(where +
                    ": a step must be an object such as {\"rename\": \"amt\", \"to\": "
                    "\"amount\"}, not " +
                    object.type_name());
    auto spec = find_spec(object, where, step_specs, step_ops, "step", {"to", "value"});
    if (!spec) return tl::unexpected(spec.error());
    const std::string name = (*spec)->name;
    if (auto checked = check_options(object, where, name, (*spec)->options); !checked)
        return tl::unexpected(checked.error());
    Step step;
    step.op = (*spec)->op;
    step.name = where;
    auto path = parse_path_member(object.at(name), where, name, false);
    if (!path) return tl::unexpected(path.error());
    step.path = std::move(*path);
    if (step.op == StepOp::rename || step.op == StepOp::move) {
        if (!object.contains("to")) return fail(where + ": " + in_quotes(name) + " needs 'to'");
        auto to = parse_path_member(object.at("to"), where, "to", false);
        if (!to) return tl::unexpected(to.error());
        if (step.op == StepOp::move) {
            step.to = std::move(*to);
        } else {
            const auto& from = step.path.keys;
            bool same_parent = to->keys.size() == 1 ||
                               (to->keys.size() == from.size() &&
                                std::equal(from.begin(), from.end() - 1, to->keys.begin()));
            if (!same_parent)
                return fail(where + ": 'rename' keeps the member in its object: 'to' must be a "
                                    "key name or a path with the same parent (use 'move')");
            step.key = to->keys.back();
        }
    } else if (step.op == StepOp::set_default) {
        if (!object.contains("value")) return fail(where + ": 'default' needs 'value'");
        step.value = object.at("value");
    }
    return step;
}

Result<std::int64_t> parse_version(const json& value, const std::string& where,
                                   const char* member) {
    if (!value.is_number_integer() ||
        (value.is_number_unsigned() &&
         value.get<std::uint64_t>() >
             static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
        return fail(where + ": " + in_quotes(member) + " must be an integer (a schema version)");
    return value.get<std::int64_t>();
}

Result<void> parse_upcaster(const json& object, std::size_t index, Projection::Rules& rules) {
    std::string where = "upcasters[" + std::to_string(index) + "]";
    if (!object.is_object()) return bad(where, "an upcaster must be an object");
    auto checked = check_members(object, where, {"type", "types", "schema", "to", "steps"});
    if (!checked) return checked;
    Upcaster upcaster;
    upcaster.name = where;
    std::vector<std::string> types;
    if (object.contains("type") == object.contains("types"))
        return bad(where, object.contains("type") ? "takes 'type' or 'types', not both"
                                                  : "needs 'type' or 'types'");
    if (object.contains("type")) {
        if (!object.at("type").is_string() || object.at("type").get<std::string>().empty())
            return bad(where, "'type' must be a non-empty string");
        types.push_back(object.at("type").get<std::string>());
    } else {
        const json& list = object.at("types");
        if (!list.is_array() || list.empty())
            return bad(where, "'types' must be a non-empty array of event types");
        for (const auto& type : list) {
            if (!type.is_string() || type.get<std::string>().empty())
                return bad(where, "'types' must be a non-empty array of event types");
            types.push_back(type.get<std::string>());
        }
    }
    if (!object.contains("schema"))
        return bad(where, "needs 'schema' (the schema version it applies to)");
    auto schema = parse_version(object.at("schema"), where, "schema");
    if (!schema) return tl::unexpected(schema.error());
    upcaster.schema = *schema;
    if (object.contains("to")) {
        auto to = parse_version(object.at("to"), where, "to");
        if (!to) return tl::unexpected(to.error());
        upcaster.to = *to;
    }
    if (!object.contains("steps") || !object.at("steps").is_array() || object.at("steps").empty())
        return bad(where, "'steps' must be a non-empty array");
    const json& steps = object.at("steps");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto step = parse_step(steps[i], where + ".steps[" + std::to_string(i) + "]");
        if (!step) return tl::unexpected(step.error());
        upcaster.steps.push_back(std::move(*step));
    }
    std::size_t position = rules.upcasters.size();
    rules.upcasters.push_back(std::move(upcaster));
    for (const auto& type : types) {
        auto& list = rules.upcasters_by_type[type];
        if (list.empty() || list.back() != position) list.push_back(position);
    }
    return {};
}

Result<std::unique_ptr<Projection::Rules>> parse_rules(const json& root, std::string& name) {
    if (!root.is_object())
        return fail("a projection file must be a JSON object (with \"types\" and "
                    "\"upcasters\"), not " +
                    std::string(root.type_name()));
    auto checked = check_members(
        root, "", {"name", "description", "schema_path", "default", "upcasters", "types"});
    if (!checked) return tl::unexpected(checked.error());
    auto rules = std::make_unique<Projection::Rules>();
    rules->schema = *parse_source("meta.schema");
    if (root.contains("name")) {
        const json& value = root.at("name");
        if (!value.is_string() || value.get<std::string>().empty())
            return fail("name: expected a non-empty string");
        name = value.get<std::string>();
    }
    if (root.contains("description") && !root.at("description").is_string())
        return fail("description: expected a string");
    if (root.contains("schema_path")) {
        const json& value = root.at("schema_path");
        auto source = value.is_string() ? parse_source(value.get<std::string>())
                                        : Result<Source>(fail("not a string"));
        if (!source || source->path.empty() ||
            (source->kind != SourceKind::meta && source->kind != SourceKind::data))
            return fail("schema_path: expected meta.PATH or data.PATH" +
                        (value.is_string() ? ", got " + in_quotes(value.get<std::string>())
                                           : std::string()));
        rules->schema = std::move(*source);
    }
    if (root.contains("default")) {
        const json& value = root.at("default");
        if (value != json("merge") && value != json("ignore"))
            return fail("default: expected \"merge\" or \"ignore\"");
        rules->ignore_unlisted = value == json("ignore");
    }
    if (root.contains("upcasters")) {
        const json& list = root.at("upcasters");
        if (!list.is_array()) return fail("upcasters: expected an array");
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto upcaster = parse_upcaster(list[i], i, *rules);
            if (!upcaster) return tl::unexpected(upcaster.error());
        }
    }
    if (root.contains("types")) {
        const json& types = root.at("types");
        if (!types.is_object())
            return fail("types: expected an object (event type -> rules, \"merge\" or "
                        "\"ignore\")");
        for (const auto& [type, value] : types.items()) {
            auto entry = parse_type_entry(value, "types." + type);
            if (!entry) return tl::unexpected(entry.error());
            rules->types.emplace(type, std::move(*entry));
        }
    }
    return rules;
}

// Parses JSON text, refusing duplicate members (the later one would silently win).
Result<json> parse_json(std::string_view text) {
    std::vector<std::vector<std::string>> open; // member names of each open object
    std::string duplicate;
    auto callback = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) {
            open.emplace_back();
        } else if (event == json::parse_event_t::object_end) {
            if (!open.empty()) open.pop_back();
        } else if (event == json::parse_event_t::key && !open.empty() && duplicate.empty()) {
            const auto& key = parsed.get_ref<const std::string&>();
            auto& names = open.back();
            if (std::find(names.begin(), names.end(), key) != names.end())
                duplicate = key;
            else
                names.push_back(key);
        }
        return true;
    };
    try {
        json root = json::parse(text.begin(), text.end(), callback, true, false);
        if (!duplicate.empty())
            return fail("duplicate member " + in_quotes(duplicate) +
                        " (each name may appear once per object)");
        return root;
    } catch (const json::exception& e) {
        std::string message = e.what();
        auto end = message.find("] ");
        if (message.starts_with("[json.exception.") && end != std::string::npos)
            message.erase(0, end + 2);
        return fail("not valid JSON: " + message);
    }
}

} // namespace

Result<std::shared_ptr<const Projection>> Projection::parse(std::string_view text,
                                                            const std::string& origin) {
    auto root = parse_json(text);
    if (!root) return fail(root.error().message, origin);
    std::string name = "projection";
    auto rules = parse_rules(*root, name);
    if (!rules) return fail(rules.error().message, origin);
    std::string canonical = root->dump();
    Sha256 sha;
    sha.update(canonical);
    Digest digest = sha.finish();
    return std::make_shared<const Projection>(std::move(name), std::move(canonical), to_hex(digest),
                                              false, std::move(*rules));
}

} // namespace asof::replay
