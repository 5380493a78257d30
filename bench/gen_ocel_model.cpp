// The mapping of generated events to OCEL 2.0 and the model of the log's objects (see
// gen_ocel_model.hpp).
#include "gen_ocel_model.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace asof_gen {
namespace {

using std::string_view;

// ---------------------------------------------------------------------------------------------
// A JSON value tree of one line (the generator's own JSON: small and valid).

struct Json {
    enum class Type : std::uint8_t { null, boolean, number, string, object, array };
    Type type = Type::null;
    std::string text;              // a string (unescaped), a number's text, "true" / "false"
    std::vector<std::string> keys; // an object's member names
    std::vector<Json> items;       // an object's member values or an array's elements

    const Json* find(string_view key) const {
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) return &items[i];
        return nullptr;
    }
    const std::string* string_member(string_view key) const {
        const Json* member = find(key);
        return member && member->type == Type::string ? &member->text : nullptr;
    }
};

bool parse_value(JsonScan& scan, Json& out, int depth) {
    scan.ws();
    if (scan.at >= scan.in.size() || depth > 32) return false;
    const char c = scan.in[scan.at];
    if (c == '"') {
        scan.string();
        out.type = Json::Type::string;
        out.text = scan.text;
        return scan.ok;
    }
    if (c == '{' || c == '[') {
        const bool object = c == '{';
        ++scan.at;
        out.type = object ? Json::Type::object : Json::Type::array;
        if (scan.eat(object ? '}' : ']')) return true;
        do {
            if (object) {
                scan.string();
                out.keys.push_back(scan.text);
                if (!scan.ok || !scan.eat(':')) return false;
            }
            out.items.emplace_back();
            if (!parse_value(scan, out.items.back(), depth + 1)) return false;
        } while (scan.eat(','));
        return scan.eat(object ? '}' : ']');
    }
    for (string_view literal : {"true", "false", "null"}) {
        if (scan.in.substr(scan.at, literal.size()) == literal) {
            scan.at += literal.size();
            out.type = literal == "null" ? Json::Type::null : Json::Type::boolean;
            out.text = std::string(literal);
            return true;
        }
    }
    const std::size_t begin = scan.at;
    while (scan.at < scan.in.size() && std::strchr("0123456789+-.eE", scan.in[scan.at]))
        ++scan.at;
    if (scan.at == begin) return false;
    out.type = Json::Type::number;
    out.text = std::string(scan.in.substr(begin, scan.at - begin));
    return true;
}

// ---------------------------------------------------------------------------------------------
// The mapping's tables.

// The object a stream or a reference names: discrepancy-4721 is D4721 of type discrepancy;
// another kind keeps the whole name as its id.
MappedEvent::Ref named_object(string_view name) {
    static constexpr std::array<std::pair<string_view, string_view>, 3> prefixes = {
        {{"discrepancy", "D"}, {"shipment", "S"}, {"invoice", "I"}}};
    const auto dash = name.rfind('-');
    if (dash == string_view::npos || dash == 0) return {"stream", std::string(name), "", ""};
    const string_view kind = name.substr(0, dash);
    for (const auto& [known, prefix] : prefixes)
        if (kind == known)
            return {std::string(kind), std::string(prefix) + std::string(name.substr(dash + 1)), "",
                    ""};
    return {std::string(kind), std::string(name), "", ""};
}

// A member of `data` that names another object: the link's qualifier, and the relation between
// the event's own object (of type `subject`) and the named one.
struct RefRule {
    string_view subject, member, qualifier, relation;
    bool from_subject; // the relation goes from the event's object to the named one
};
constexpr RefRule kRefRules[] = {
    {"discrepancy", "shipment", "shipment", "concerns", true},
    {"discrepancy", "invoice", "invoice", "disputes", true},
    {"discrepancy", "carrier", "carrier", "claim against", true},
    {"shipment", "carrier", "carrier", "carried by", true},
    {"invoice", "customer", "customer", "billed to", true},
    {"invoice", "lines", "shipment", "bills", true},
    {"invoice", "discrepancy", "discrepancy", "disputes", false},
};

// A value an event gives its own object: attribute `attribute` takes the event attribute `from`
// or the fixed text `fixed`; initial values are facts fixed from the start.
struct ValueRule {
    string_view event_type, attribute, from, fixed;
    bool initial;
};
constexpr ValueRule kValueRules[] = {
    {"DiscrepancyOpened", "reason", "reason", "", true},
    {"DiscrepancyOpened", "currency", "currency", "", true},
    {"DiscrepancyOpened", "status", "status", "", false},
    {"DiscrepancyOpened", "amount", "amount", "", false},
    {"AssigneeChanged", "assignee", "assignee", "", false},
    {"StatusChanged", "status", "status", "", false},
    {"AmountAdjusted", "amount", "amount", "", false},
    {"DiscrepancyResolved", "status", "status", "", false},
    {"CarrierUpdated", "claim_status", "status", "", false},
    {"ShipmentCreated", "origin", "origin", "", true},
    {"ShipmentCreated", "destination", "destination", "", true},
    {"ShipmentCreated", "service", "service", "", true},
    {"ShipmentCreated", "pieces", "pieces", "", true},
    {"ShipmentCreated", "declared_value", "declared_value", "", true},
    {"ShipmentCreated", "currency", "currency", "", true},
    {"ShipmentCreated", "weight_kg", "weight_kg", "", false},
    {"ShipmentCreated", "status", "", "booked", false},
    {"ShipmentPickedUp", "status", "", "picked_up", false},
    {"ShipmentPickedUp", "location", "location", "", false},
    {"ShipmentInTransit", "status", "", "in_transit", false},
    {"ShipmentInTransit", "location", "location", "", false},
    {"ShipmentDelivered", "status", "", "delivered", false},
    {"ShipmentDelivered", "location", "location", "", false},
    {"ShipmentWeightCorrected", "weight_kg", "weight_kg", "", false},
    {"InvoiceIssued", "number", "number", "", true},
    {"InvoiceIssued", "due", "due", "", true},
    {"InvoiceIssued", "currency", "currency", "", true},
    {"InvoiceIssued", "total", "total", "", true},
    {"InvoiceIssued", "status", "", "issued", false},
    {"InvoiceLineDisputed", "status", "", "disputed", false},
    {"CreditNoteIssued", "status", "", "credited", false},
    {"InvoicePaid", "status", "", "paid", false}, // "partially_paid" for a partial payment
};

// The object types and their attributes, in output order.
std::vector<TypeDecl> fixed_object_types() {
    using K = Kind;
    return {
        {"discrepancy",
         {{"reason", K::string},
          {"currency", K::string},
          {"status", K::string},
          {"assignee", K::string},
          {"amount", K::real},
          {"claim_status", K::string}}},
        {"shipment",
         {{"origin", K::string},
          {"destination", K::string},
          {"service", K::string},
          {"pieces", K::integer},
          {"declared_value", K::real},
          {"currency", K::string},
          {"weight_kg", K::real},
          {"status", K::string},
          {"location", K::string}}},
        {"invoice",
         {{"number", K::string},
          {"due", K::time},
          {"currency", K::string},
          {"total", K::real},
          {"status", K::string}}},
        {"carrier", {{"name", K::string}}},
        {"customer", {{"name", K::string}}},
    };
}

bool digits(string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return false;
    for (std::size_t i = at; i < at + count; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    return true;
}

// "2026-04-02" or "2026-04-02T10:00:00[.ffffff]Z": the generator's dates and times.
bool looks_like_time(string_view text) {
    if (!(digits(text, 0, 4) && text.size() >= 10 && text[4] == '-' && digits(text, 5, 2) &&
          text[7] == '-' && digits(text, 8, 2)))
        return false;
    if (text.size() == 10) return true;
    if (text.size() < 20 || text[10] != 'T' || !digits(text, 11, 2) || text[13] != ':' ||
        !digits(text, 14, 2) || text[16] != ':' || !digits(text, 17, 2) || text.back() != 'Z')
        return false;
    const string_view fraction = text.substr(19, text.size() - 20);
    return fraction.empty() ||
           (fraction[0] == '.' && digits(fraction, 1, fraction.size() - 1) && fraction.size() > 1);
}

// A scalar JSON value as an attribute value; false for null, objects and arrays.
bool scalar(const Json& json, Value& out) {
    switch (json.type) {
    case Json::Type::string:
        out = {looks_like_time(json.text) ? Kind::time : Kind::string, json.text};
        return true;
    case Json::Type::number:
        out = {json.text.find_first_of(".eE") == std::string::npos ? Kind::integer : Kind::real,
               json.text};
        return true;
    case Json::Type::boolean:
        out = {Kind::boolean, json.text};
        return true;
    default:
        return false;
    }
}

// Adds the link to `ref` (qualified by the rule for `member`) and its relation to the subject.
void add_ref(MappedEvent& out, string_view member, MappedEvent::Ref ref) {
    const string_view subject = out.links.front().type;
    ref.qualifier = member;
    const RefRule* rule = nullptr;
    for (const auto& r : kRefRules)
        if (r.subject == subject && r.member == member) rule = &r;
    if (rule) ref.qualifier = rule->qualifier;
    out.links.push_back(std::move(ref));
    if (rule) {
        const std::size_t named = out.links.size() - 1;
        out.relations.push_back(
            {rule->from_subject ? 0 : named, rule->from_subject ? named : 0, rule->relation});
    }
}

const Value* attribute(const MappedEvent& event, string_view name) {
    for (const auto& [key, value] : event.attributes)
        if (key == name) return &value;
    return nullptr;
}

} // namespace

std::string_view kind_name(Kind kind) {
    switch (kind) {
    case Kind::string:
        return "string";
    case Kind::integer:
        return "integer";
    case Kind::real:
        return "float";
    case Kind::boolean:
        return "boolean";
    case Kind::time:
        return "time";
    }
    return "string";
}

bool map_line(std::string_view line, MappedEvent& out) {
    out = MappedEvent{};
    JsonScan scan;
    scan.in = line;
    Json root;
    if (!parse_value(scan, root, 0) || root.type != Json::Type::object) return false;
    const std::string* id = root.string_member("id");
    const std::string* type = root.string_member("type");
    const std::string* ts = root.string_member("ts");
    if (!id || !type || !ts) return false;
    out.id = *id;
    out.type = *type;
    out.time = *ts;
    const std::string* stream = root.string_member("stream");
    out.links.push_back(named_object(stream ? *stream : "unknown"));
    out.links.back().qualifier = "subject";
    if (const std::string* actor = root.string_member("actor"))
        out.attributes.emplace_back("resource", Value{Kind::string, *actor});

    const Json* data = root.find("data");
    if (data && data->type == Json::Type::object) {
        for (std::size_t i = 0; i < data->keys.size(); ++i) {
            const std::string& key = data->keys[i];
            const Json& member = data->items[i];
            Value value;
            if ((key == "shipment" || key == "invoice" || key == "discrepancy") &&
                member.type == Json::Type::string) {
                add_ref(out, key, named_object(member.text));
            } else if (key == "carrier" && member.type == Json::Type::string) {
                const std::string* scac = data->string_member("scac");
                add_ref(out, key, {"carrier", scac ? *scac : member.text, member.text, ""});
                out.changes.push_back({out.links.size() - 1, "name", true, member.text});
            } else if (key == "customer" && member.type == Json::Type::string) {
                add_ref(out, key, {"customer", "", member.text, ""});
                out.changes.push_back({out.links.size() - 1, "name", true, member.text});
            } else if (key == "scac") {
                // the carrier's id (above)
            } else if (key == "lines" && member.type == Json::Type::array) {
                for (const Json& item : member.items)
                    if (const std::string* shipment = item.string_member("shipment"))
                        add_ref(out, key, named_object(*shipment));
            } else if (member.type == Json::Type::object && member.find("value")) {
                // Money {"value": 12.5, "currency": "EUR"}: the value under the member's name,
                // the other members (the currency) under theirs, once.
                if (scalar(*member.find("value"), value)) out.attributes.emplace_back(key, value);
                for (std::size_t j = 0; j < member.keys.size(); ++j)
                    if (member.keys[j] != "value" && !attribute(out, member.keys[j]) &&
                        scalar(member.items[j], value))
                        out.attributes.emplace_back(member.keys[j], value);
            } else if (scalar(member, value) && !attribute(out, key)) {
                out.attributes.emplace_back(key, value);
            }
        }
    }

    for (const auto& rule : kValueRules) {
        if (rule.event_type != out.type) continue;
        std::string text(rule.fixed);
        if (!rule.from.empty()) {
            const Value* value = attribute(out, rule.from);
            if (!value) continue;
            text = value->text;
        }
        if (rule.fixed == "paid") {
            const Value* partial = attribute(out, "partial");
            if (partial && partial->text == "true") text = "partially_paid";
        }
        out.changes.push_back({0, rule.attribute, rule.initial, std::move(text)});
    }
    return true;
}

// ---------------------------------------------------------------------------------------------

OcelModel::OcelModel() : object_types_(fixed_object_types()) {
}

const TypeDecl* OcelModel::event_type(const std::string& name) const {
    auto found = event_type_index_.find(name);
    return found == event_type_index_.end() ? nullptr : &event_types_[found->second];
}

std::uint64_t OcelModel::store(std::string_view text) {
    const std::uint64_t at = arena_.size();
    arena_ += text;
    return at;
}

std::uint32_t OcelModel::object_index(const MappedEvent::Ref& ref, bool create) {
    std::string id = ref.id;
    if (ref.type == "customer") {
        auto found = customer_ids_.find(ref.name);
        if (found == customer_ids_.end()) {
            if (!create) return UINT32_MAX;
            found = customer_ids_.emplace(ref.name, "C" + std::to_string(customer_ids_.size() + 1))
                        .first;
        }
        id = found->second;
    }
    auto found = object_by_id_.find(id);
    if (found != object_by_id_.end()) return found->second;
    if (!create) return UINT32_MAX;
    std::uint32_t type = 0;
    while (type < object_types_.size() && object_types_[type].name != ref.type)
        ++type;
    if (type == object_types_.size()) object_types_.push_back({ref.type, {}});
    const auto index = static_cast<std::uint32_t>(objects_.size());
    objects_.push_back({id, type});
    object_by_id_.emplace(std::move(id), index);
    return index;
}

void OcelModel::collect(MappedEvent& event) {
    // The event type and its attributes' declared kinds.
    auto [entry, fresh] =
        event_type_index_.try_emplace(event.type, static_cast<std::uint32_t>(event_types_.size()));
    if (fresh) event_types_.push_back({event.type, {}});
    auto& declared = event_types_[entry->second].attributes;
    for (const auto& [name, value] : event.attributes) {
        auto found = std::find_if(declared.begin(), declared.end(),
                                  [&](const AttributeDecl& d) { return d.name == name; });
        if (found == declared.end()) {
            declared.push_back({name, value.kind});
        } else if (found->kind != value.kind) {
            const bool numbers = (found->kind == Kind::integer || found->kind == Kind::real) &&
                                 (value.kind == Kind::integer || value.kind == Kind::real);
            found->kind = numbers ? Kind::real : Kind::string;
        }
    }

    std::vector<std::uint32_t> objects;
    for (const auto& ref : event.links)
        objects.push_back(object_index(ref, true));

    for (const auto& relation : event.relations) {
        const std::uint32_t from = objects[relation.from], to = objects[relation.to];
        std::string key(reinterpret_cast<const char*>(&from), sizeof from);
        key.append(reinterpret_cast<const char*>(&to), sizeof to);
        key += relation.qualifier;
        if (seen_relations_.insert(std::move(key)).second)
            relations_.push_back({from, {to, relation.qualifier}});
    }

    std::uint64_t time_at = UINT64_MAX;
    for (const auto& change : event.changes) {
        const std::uint32_t object = objects[change.link];
        const auto& attributes = object_types_[objects_[object].type].attributes;
        std::uint32_t attribute = 0;
        while (attribute < attributes.size() && attributes[attribute].name != change.attribute)
            ++attribute;
        if (attribute == attributes.size()) continue;
        const std::uint64_t key = std::uint64_t{object} << 8 | attribute;
        auto latest = latest_.find(key);
        if (latest != latest_.end()) {
            const StoredValue& last = values_[latest->second].value;
            if (change.initial || text(last.text_at, last.text_size) == change.text) continue;
        }
        StoredValue value;
        value.attribute = attribute;
        value.initial = change.initial;
        value.text_at = store(change.text);
        value.text_size = static_cast<std::uint32_t>(change.text.size());
        if (!change.initial) {
            if (time_at == UINT64_MAX) time_at = store(event.time);
            value.time_at = time_at;
            value.time_size = static_cast<std::uint32_t>(event.time.size());
        }
        latest_[key] = values_.size();
        values_.push_back({object, value});
    }
}

void OcelModel::finish() {
    // Objects by type (in the declared types' order), then in order of first mention.
    order_.clear();
    for (std::uint32_t type = 0; type < object_types_.size(); ++type)
        for (std::uint32_t i = 0; i < objects_.size(); ++i)
            if (objects_[i].type == type) order_.push_back(i);
    position_.assign(objects_.size(), 0);
    for (std::uint32_t p = 0; p < order_.size(); ++p)
        position_[order_[p]] = p;

    // Values: per object, the initial ones in declared order, then the dated ones in log order.
    std::stable_sort(values_.begin(), values_.end(),
                     [&](const PendingValue& a, const PendingValue& b) {
                         const std::uint32_t pa = position_[a.object], pb = position_[b.object];
                         if (pa != pb) return pa < pb;
                         if (a.value.initial != b.value.initial) return a.value.initial;
                         return a.value.initial && a.value.attribute < b.value.attribute;
                     });
    value_start_.assign(objects_.size() + 1, 0);
    for (const auto& v : values_)
        ++value_start_[position_[v.object] + 1];
    for (std::size_t p = 1; p < value_start_.size(); ++p)
        value_start_[p] += value_start_[p - 1];
    sorted_values_.clear();
    sorted_values_.reserve(values_.size());
    for (const auto& v : values_)
        sorted_values_.push_back(v.value);

    std::stable_sort(relations_.begin(), relations_.end(),
                     [&](const PendingRelation& a, const PendingRelation& b) {
                         return position_[a.from] < position_[b.from];
                     });
    relation_start_.assign(objects_.size() + 1, 0);
    for (const auto& r : relations_)
        ++relation_start_[position_[r.from] + 1];
    for (std::size_t p = 1; p < relation_start_.size(); ++p)
        relation_start_[p] += relation_start_[p - 1];
    sorted_relations_.clear();
    sorted_relations_.reserve(relations_.size());
    for (const auto& r : relations_)
        sorted_relations_.push_back(r.relation);

    // What only the first pass needed.
    values_ = {};
    relations_ = {};
    latest_ = {};
    seen_relations_ = {};
}

std::span<const OcelModel::StoredValue> OcelModel::values_of(std::uint32_t index) const {
    const std::uint32_t p = position_[index];
    return std::span(sorted_values_)
        .subspan(value_start_[p], value_start_[p + 1] - value_start_[p]);
}

std::span<const OcelModel::StoredRelation> OcelModel::relations_of(std::uint32_t index) const {
    const std::uint32_t p = position_[index];
    return std::span(sorted_relations_)
        .subspan(relation_start_[p], relation_start_[p + 1] - relation_start_[p]);
}

void OcelModel::resolve(MappedEvent& event,
                        std::vector<std::pair<std::uint32_t, std::string_view>>& out) {
    out.clear();
    for (const auto& ref : event.links) {
        const std::uint32_t object = object_index(ref, false);
        if (object == UINT32_MAX) continue;
        const std::pair<std::uint32_t, std::string_view> link{object, ref.qualifier};
        if (std::find(out.begin(), out.end(), link) == out.end()) out.push_back(link);
    }
}

} // namespace asof_gen
