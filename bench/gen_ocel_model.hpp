// How a generated freight-audit event becomes OCEL 2.0, and the log's objects kept between the
// two passes of write_ocel. One event (a JSON line) maps to:
//  - an OCEL event: its id, type and time; its actor as the attribute "resource" and the scalar
//    members of its data as further attributes (a money object {"value", "currency"} as two);
//  - links to objects: its stream first (qualifier "subject"; discrepancy-4721 is object D4721
//    of type discrepancy, shipment-88 S88, invoice-12 I12), then the aggregates its data names
//    (shipment, invoice, discrepancy, the shipments of an invoice's lines, the carrier by its
//    SCAC, the customer C1, C2, ... in order of appearance), which are not attributes then;
//  - object-to-object relations between them (discrepancy concerns shipment, disputes invoice,
//    claim against carrier; invoice bills shipment, billed to customer; shipment carried by
//    carrier), deduplicated over the log;
//  - object attribute values: fixed facts as initial values (a shipment's origin, an invoice's
//    number, a carrier's name) and what changes as values dated at the event (a discrepancy's
//    status, assignee, amount and claim status; a shipment's status, location and weight; an
//    invoice's status), each kept only when it differs from the object's previous value.
// Declared types: the object types and their attributes are fixed here; the event types and
// theirs are what the log holds (integer and float together make float; other mixes string).
#pragma once

#include "gen_support.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace asof_gen {

// An OCEL attribute type.
enum class Kind : std::uint8_t { string, integer, real, boolean, time };

// The OCEL 2.0 name of a kind ("string", "integer", "float", "boolean", "time").
std::string_view kind_name(Kind kind);

// A value: unescaped text for strings and times, the JSON text of a number, "true"/"false".
struct Value {
    Kind kind = Kind::string;
    std::string text;
};

struct AttributeDecl {
    std::string name;
    Kind kind = Kind::string;
};

struct TypeDecl {
    std::string name;
    std::vector<AttributeDecl> attributes;
};

// One generated event in OCEL terms (see the file comment).
struct MappedEvent {
    // An object the event names: its type and id (a customer's id is given by the model).
    struct Ref {
        std::string type, id, name;
        std::string_view qualifier;
    };
    // A relation from links[from] to links[to].
    struct Relation {
        std::size_t from = 0, to = 0;
        std::string_view qualifier;
    };
    // A value of attribute `attribute` of links[link]: initial or dated at the event.
    struct Change {
        std::size_t link = 0;
        std::string_view attribute;
        bool initial = false;
        std::string text;
    };

    std::string id, type, time;
    std::vector<std::pair<std::string, Value>> attributes;
    std::vector<Ref> links; // the event's stream first
    std::vector<Relation> relations;
    std::vector<Change> changes;
};

// Parses one line of the generator's JSON Lines and maps it; false when it is not an event
// (not JSON, or without id, type or ts).
bool map_line(std::string_view line, MappedEvent& out);

// The time of OCEL's initial attribute values.
inline constexpr std::string_view kInitialTime = "1970-01-01T00:00:00Z";

// The log's types, objects, object attribute values and relations, collected in the first pass.
class OcelModel {
public:
    struct Object {
        std::string id;
        std::uint32_t type = 0; // index into object_types()
    };
    struct StoredValue {
        std::uint32_t attribute = 0; // index into the object type's attributes
        bool initial = false;
        std::uint64_t text_at = 0, time_at = 0; // in the text arena
        std::uint32_t text_size = 0, time_size = 0;
    };
    struct StoredRelation {
        std::uint32_t to = 0;
        std::string_view qualifier;
    };

    OcelModel();

    // First pass: the event's objects, event type, relations and attribute values.
    void collect(MappedEvent& event);
    // Ends the first pass: orders objects (by type, then first appearance), their values (initial
    // ones in declared order, then dated ones in log order) and relations.
    void finish();
    // Second pass: the object indices of the event's links, in order, without repeats of an
    // (object, qualifier) pair.
    void resolve(MappedEvent& event, std::vector<std::pair<std::uint32_t, std::string_view>>& out);

    const std::vector<TypeDecl>& object_types() const { return object_types_; }
    const std::vector<TypeDecl>& event_types() const { return event_types_; }
    // The declared type of an event type's attributes, by name; nullptr if unknown.
    const TypeDecl* event_type(const std::string& name) const;

    // Objects in output order.
    const std::vector<std::uint32_t>& order() const { return order_; }
    const Object& object(std::uint32_t index) const { return objects_[index]; }
    // An object's values and relations (after finish()).
    std::span<const StoredValue> values_of(std::uint32_t index) const;
    std::span<const StoredRelation> relations_of(std::uint32_t index) const;
    std::string_view text(std::uint64_t at, std::uint32_t size) const {
        return std::string_view(arena_).substr(at, size);
    }

    std::size_t value_count() const { return sorted_values_.size(); }
    std::size_t relation_count() const { return sorted_relations_.size(); }

private:
    struct PendingValue {
        std::uint32_t object = 0;
        StoredValue value;
    };
    struct PendingRelation {
        std::uint32_t from = 0;
        StoredRelation relation;
    };

    // The object `ref` names, created on first mention when `create`; UINT32_MAX if unknown.
    std::uint32_t object_index(const MappedEvent::Ref& ref, bool create);
    std::uint64_t store(std::string_view text);

    std::vector<TypeDecl> object_types_, event_types_;
    std::unordered_map<std::string, std::uint32_t> event_type_index_;
    std::vector<Object> objects_;
    std::unordered_map<std::string, std::uint32_t> object_by_id_;
    std::unordered_map<std::string, std::string> customer_ids_; // name -> id
    std::string arena_;
    std::vector<PendingValue> values_;
    // (object << 8 | attribute) -> the latest value's place in values_
    std::unordered_map<std::uint64_t, std::size_t> latest_;
    std::vector<PendingRelation> relations_;
    std::unordered_set<std::string> seen_relations_; // from, to and qualifier as bytes
    // After finish(): objects in output order, each one's position in it, and the values and
    // relations grouped by position (start offsets per position, one more at the end).
    std::vector<std::uint32_t> order_, position_;
    std::vector<StoredValue> sorted_values_;
    std::vector<StoredRelation> sorted_relations_;
    std::vector<std::size_t> value_start_, relation_start_;
};

// A serialisation: the types and objects first, then the events one by one.
class OcelWriter {
public:
    virtual ~OcelWriter() = default;
    virtual bool begin(const OcelModel& model) = 0;
    // `links`: the event's objects (index, qualifier), its stream first.
    virtual bool event(const OcelModel& model, const MappedEvent& event,
                       const std::vector<std::pair<std::uint32_t, std::string_view>>& links) = 0;
    virtual bool end() = 0;
};

std::unique_ptr<OcelWriter> make_ocel_json_writer(Sink& sink);
std::unique_ptr<OcelWriter> make_ocel_xml_writer(Sink& sink);
// Creates the database at `path` (replacing a file there); nullptr, with a message, on failure.
std::unique_ptr<OcelWriter> make_ocel_sqlite_writer(const std::string& path);

} // namespace asof_gen
