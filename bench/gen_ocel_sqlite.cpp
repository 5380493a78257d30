// The OCEL 2.0 SQLite writer: tables event, object, event_object, object_object,
// event_map_type, object_map_type, one event_<Type> table per event type (ocel_id, ocel_time,
// its attributes) and one object_<Type> table per object type (ocel_id, ocel_time,
// ocel_changed_field, its attributes: a row without ocel_changed_field holds the initial values,
// dated 1970-01-01; each later value is a row naming the field it changes). Column types follow
// the declared kinds (TEXT, INTEGER, REAL, BOOLEAN as 0/1, TIMESTAMP as ISO text). Every value is
// a bound parameter; table and column names come from the model's types, quoted.
#include "gen_ocel_model.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace asof_gen {
namespace {

using Links = std::vector<std::pair<std::uint32_t, std::string_view>>;

std::string quoted(std::string_view name) {
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The per-type table name's suffix: the type with characters other than letters, digits and
// '_' turned into '_'.
std::string table_suffix(std::string_view type) {
    std::string out;
    for (char c : type) {
        const bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        out += plain ? c : '_';
    }
    return out;
}

std::string_view sql_type(Kind kind) {
    switch (kind) {
    case Kind::string:
        return "TEXT";
    case Kind::integer:
        return "INTEGER";
    case Kind::real:
        return "REAL";
    case Kind::boolean:
        return "BOOLEAN";
    case Kind::time:
        return "TIMESTAMP";
    }
    return "TEXT";
}

class SqliteWriter final : public OcelWriter {
public:
    ~SqliteWriter() override {
        for (auto* stmt : statements_)
            sqlite3_finalize(stmt);
        if (db_) sqlite3_close(db_);
    }

    bool open(const std::string& path) {
        path_ = path;
        std::remove(path.c_str());
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK)
            return fail("cannot create");
        return exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN");
    }

    bool begin(const OcelModel& model) override {
        if (!exec("CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);"
                  "CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);"
                  "CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);"
                  "CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);"
                  "CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, "
                  "ocel_qualifier TEXT, PRIMARY KEY (ocel_event_id, ocel_object_id, "
                  "ocel_qualifier));"
                  "CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT, "
                  "ocel_qualifier TEXT, PRIMARY KEY (ocel_source_id, ocel_target_id, "
                  "ocel_qualifier))"))
            return false;
        insert_event_ = prepare("INSERT INTO event VALUES (?1, ?2)");
        insert_object_ = prepare("INSERT INTO object VALUES (?1, ?2)");
        insert_link_ = prepare("INSERT INTO event_object VALUES (?1, ?2, ?3)");
        insert_relation_ = prepare("INSERT INTO object_object VALUES (?1, ?2, ?3)");
        sqlite3_stmt* event_map = prepare("INSERT INTO event_map_type VALUES (?1, ?2)");
        sqlite3_stmt* object_map = prepare("INSERT INTO object_map_type VALUES (?1, ?2)");
        if (!insert_event_ || !insert_object_ || !insert_link_ || !insert_relation_ || !event_map ||
            !object_map)
            return false;

        for (const auto& type : model.object_types()) {
            auto insert = type_table("object_", type, true);
            if (!insert || !map_type(object_map, type.name)) return false;
            object_tables_.push_back(insert);
        }
        for (const auto& type : model.event_types()) {
            auto insert = type_table("event_", type, false);
            if (!insert || !map_type(event_map, type.name)) return false;
            event_tables_.emplace(type.name, insert);
        }

        for (std::uint32_t index : model.order()) {
            const auto& object = model.object(index);
            const TypeDecl& type = model.object_types()[object.type];
            if (!run(insert_object_, {object.id, type.name})) return false;
            if (!object_values(model, index, type, object_tables_[object.type])) return false;
            for (const auto& relation : model.relations_of(index))
                if (!run(insert_relation_,
                         {object.id, model.object(relation.to).id, relation.qualifier}))
                    return false;
        }
        return true;
    }

    bool event(const OcelModel& model, const MappedEvent& event, const Links& links) override {
        if (!run(insert_event_, {event.id, event.type})) return false;
        const TypeDecl* type = model.event_type(event.type);
        auto table = event_tables_.find(event.type);
        if (!type || table == event_tables_.end()) return fail("undeclared event type");
        sqlite3_stmt* insert = table->second;
        sqlite3_reset(insert);
        sqlite3_clear_bindings(insert);
        bind_text(insert, 1, event.id);
        bind_text(insert, 2, event.time);
        for (std::size_t a = 0; a < type->attributes.size(); ++a)
            for (const auto& [name, value] : event.attributes)
                if (name == type->attributes[a].name) {
                    bind_value(insert, static_cast<int>(a) + 3, type->attributes[a].kind,
                               value.text);
                    break;
                }
        if (!step(insert)) return false;
        for (const auto& [object, qualifier] : links)
            if (!run(insert_link_, {event.id, model.object(object).id, qualifier})) return false;
        return true;
    }

    bool end() override {
        if (!exec("COMMIT")) return false;
        for (auto* stmt : statements_)
            sqlite3_finalize(stmt);
        statements_.clear();
        const bool closed = sqlite3_close(db_) == SQLITE_OK;
        db_ = nullptr;
        return closed || fail("cannot close");
    }

private:
    bool fail(const char* what) {
        std::fprintf(stderr, "asof-gen: %s %s: %s\n", what, path_.c_str(),
                     db_ ? sqlite3_errmsg(db_) : "out of memory");
        return false;
    }

    bool exec(const char* sql) {
        return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK || fail("SQL on");
    }

    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            fail("SQL on");
            return nullptr;
        }
        statements_.push_back(stmt);
        return stmt;
    }

    static void bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
        sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
    }

    // `text` as a value of declared kind `kind`.
    static void bind_value(sqlite3_stmt* stmt, int index, Kind kind, std::string_view text) {
        const std::string copy(text);
        switch (kind) {
        case Kind::integer:
            sqlite3_bind_int64(stmt, index, std::strtoll(copy.c_str(), nullptr, 10));
            return;
        case Kind::real:
            sqlite3_bind_double(stmt, index, std::strtod(copy.c_str(), nullptr));
            return;
        case Kind::boolean:
            sqlite3_bind_int(stmt, index, text == "true" ? 1 : 0);
            return;
        case Kind::string:
        case Kind::time:
            bind_text(stmt, index, text);
            return;
        }
    }

    bool step(sqlite3_stmt* stmt) {
        return sqlite3_step(stmt) == SQLITE_DONE || fail("insert into");
    }

    bool run(sqlite3_stmt* stmt, std::initializer_list<std::string_view> values) {
        sqlite3_reset(stmt);
        int index = 0;
        for (std::string_view value : values)
            bind_text(stmt, ++index, value);
        return step(stmt);
    }

    bool map_type(sqlite3_stmt* insert, const std::string& type) {
        return run(insert, {type, table_suffix(type)});
    }

    // Creates the per-type table of `type`; returns its insert statement.
    sqlite3_stmt* type_table(const char* prefix, const TypeDecl& type, bool object) {
        const std::string name = quoted(prefix + table_suffix(type.name));
        std::string create = "CREATE TABLE " + name + " (ocel_id TEXT, ocel_time TIMESTAMP";
        std::string insert = "INSERT INTO " + name + " VALUES (?, ?";
        if (object) {
            create += ", ocel_changed_field TEXT";
            insert += ", ?";
        }
        for (const auto& attribute : type.attributes) {
            create += ", " + quoted(attribute.name) + " ";
            create += sql_type(attribute.kind);
            insert += ", ?";
        }
        if (!object) create += ", PRIMARY KEY (ocel_id)"; // one row per event
        if (!exec((create + ")").c_str())) return nullptr;
        return prepare(insert + ")");
    }

    // The object's rows in its type's table: one with the initial values, one per later value.
    bool object_values(const OcelModel& model, std::uint32_t index, const TypeDecl& type,
                       sqlite3_stmt* insert) {
        const std::string& id = model.object(index).id;
        auto values = model.values_of(index);
        std::size_t i = 0;
        if (i < values.size() && values[i].initial) {
            sqlite3_reset(insert);
            sqlite3_clear_bindings(insert);
            bind_text(insert, 1, id);
            bind_text(insert, 2, kInitialTime);
            for (; i < values.size() && values[i].initial; ++i)
                bind_value(insert, static_cast<int>(values[i].attribute) + 4,
                           type.attributes[values[i].attribute].kind,
                           model.text(values[i].text_at, values[i].text_size));
            if (!step(insert)) return false;
        }
        for (; i < values.size(); ++i) {
            const auto& value = values[i];
            const AttributeDecl& decl = type.attributes[value.attribute];
            sqlite3_reset(insert);
            sqlite3_clear_bindings(insert);
            bind_text(insert, 1, id);
            bind_text(insert, 2, model.text(value.time_at, value.time_size));
            bind_text(insert, 3, decl.name);
            bind_value(insert, static_cast<int>(value.attribute) + 4, decl.kind,
                       model.text(value.text_at, value.text_size));
            if (!step(insert)) return false;
        }
        return true;
    }

    std::string path_;
    sqlite3* db_ = nullptr;
    std::vector<sqlite3_stmt*> statements_;
    sqlite3_stmt* insert_event_ = nullptr;
    sqlite3_stmt* insert_object_ = nullptr;
    sqlite3_stmt* insert_link_ = nullptr;
    sqlite3_stmt* insert_relation_ = nullptr;
    std::vector<sqlite3_stmt*> object_tables_; // by object type index
    std::unordered_map<std::string, sqlite3_stmt*> event_tables_;
};

} // namespace

std::unique_ptr<OcelWriter> make_ocel_sqlite_writer(const std::string& path) {
    auto writer = std::make_unique<SqliteWriter>();
    if (!writer->open(path)) return nullptr;
    return writer;
}

} // namespace asof_gen
