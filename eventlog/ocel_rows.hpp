// The one OCEL 2.0 model -> rows mapping shared by the three OCEL serialisations (JSON, XML,
// SQLite): objects become declared streams, object attribute values become stream attributes
// (initial or dated), object-to-object relations stream relations, events EventRows linked to
// their objects. The serialisations only read their syntax and call this mapper; every decision
// (names, typing of values, dangling links) lives here. See README.md, "OCEL 2.0".
#pragma once

#include "eventlog/row_source.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace asof {

// The stream an event with no (existing) object belongs to.
inline constexpr std::string_view ocel_unlinked_stream = "ocel-unlinked";

// Where a row was read ("/log/events/event[3]", "events[3]", "event rowid 3"), made only when a
// reject names it: building it for every row cost more than a tenth of an XML import.
using OcelPlace = std::function<std::string()>;

// A value as a serialisation read it: text (XML text, a TEXT column, a JSON string) that is
// typed by the attribute's declared type, or a JSON literal already typed (a JSON number,
// boolean or null; an INTEGER or REAL column).
struct OcelValue {
    bool is_text = true;
    std::string text; // the text, or the JSON literal
};

// An event as a serialisation read it.
struct OcelEvent {
    std::string id, type, time;
    std::vector<std::pair<std::string, OcelValue>> attributes;             // in source order
    std::vector<std::pair<std::string, std::optional<std::string>>> links; // object id, qualifier
    std::int64_t line = 0, byte_offset = 0;
    OcelPlace place;
};

class OcelMapper {
public:
    explicit OcelMapper(const date::time_zone* zone) : zone_(zone) {}

    // The declared type ("string", "integer", "float", "boolean", "time") of an attribute of an
    // object type (`of_object`) or event type.
    void declare_attribute(bool of_object, const std::string& type, const std::string& name,
                           const std::string& declared);

    // Declares an object; a repeated id is a reject. Must precede the events (dangling-link
    // detection needs every object).
    void add_object(const std::string& id, const std::string& type, const OcelPlace& place,
                    RowBatch& out);
    // An attribute value of object `id` at `time` (text; empty or a time on 1970-01-01: the
    // initial value). A bad time is a reject located at `place`.
    void add_object_attribute(const std::string& id, const std::string& name, std::string_view time,
                              const OcelValue& value, const OcelPlace& place, RowBatch& out);
    // An object-to-object relation; kept until finish_objects() (its target may come later).
    void add_relation(const std::string& from, const std::string& to,
                      std::optional<std::string> qualifier);
    // Emits the relations (a dangling end is a finding, and the relation is dropped).
    void finish_objects(RowBatch& out);

    // Maps one event: primary stream = its first existing object in source order, the others
    // links with their qualifiers; the primary link's qualifier goes into meta
    // {"ocel:qualifier": ...}; a link to an undeclared object is a "dangling_link" finding and
    // is dropped (the event is kept). A bad time is a reject. Takes the event's id and
    // attribute texts (moved into the row); `event` may be reused after clearing its lists.
    void add_event(OcelEvent& event, RowBatch& out);

    bool knows_object(const std::string& id) const { return objects_.count(id) != 0; }
    std::size_t object_count() const { return objects_.size(); }
    std::int64_t naive_times() const { return naive_; }
    std::int64_t zoned_times() const { return zoned_; }

    // The JSON text of `value` for attribute `name` of `type`: text is typed by the declared
    // type (integer/float -> number when it reads as one, boolean -> true/false, time ->
    // normalised UTC ISO text when it parses; otherwise kept as a string); literals stay, but
    // for a declared boolean the integers 0 and 1 (SQLite's booleans) become false and true.
    std::string typed_value(bool of_object, const std::string& type, const std::string& name,
                            const OcelValue& value) const;
    // The same, appended to `out`.
    void append_typed_value(std::string& out, bool of_object, const std::string& type,
                            const std::string& name, const OcelValue& value) const;

    // The stream name of an object: its type with white space removed, '-', its id
    // ("PurchaseOrder-PO1"); kind = that type lower-cased, key = the id.
    static DeclaredStream object_stream(const std::string& type, const std::string& id);

private:
    struct Relation {
        std::string from, to;
        std::optional<std::string> qualifier;
    };
    // How a declared attribute type reads its values.
    enum class Declared : unsigned char { text, number, boolean, time };
    using Readings = std::unordered_map<std::string, Declared>; // attribute name -> reading
    // The reading of `name` of `type` (text when undeclared).
    Declared declared(bool of_object, const std::string& type, const std::string& name) const;
    const date::time_zone* zone_;
    std::unordered_map<std::string, Readings> declared_[2]; // [of_object][type]
    // The last type looked up, whose readings the next value most often needs again.
    mutable bool last_of_object_ = false;
    mutable std::string last_type_;
    mutable const Readings* last_readings_ = nullptr;
    struct Object {
        std::string stream, type; // its stream's name and its OCEL type
    };
    std::unordered_map<std::string, Object> objects_; // by id
    std::vector<Relation> relations_;
    std::int64_t naive_ = 0, zoned_ = 0;
};

} // namespace asof
