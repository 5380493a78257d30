// OCEL 2.0 SQLite as a RowSource, opened read-only and immutable (never changed). Objects come
// first (table `object`, per-type tables object_<Type> for attribute values, `object_object`),
// then events in the order of the `event` table (its rowid: the file's order, as JSON and XML
// keep document order; ties in time keep it). Per-type table names come from event_map_type /
// object_map_type and are used only after sqlite_schema confirms them, quoted.
#include "eventlog/json_text.hpp"
#include "eventlog/ocel_rows.hpp"
#include "eventlog/sha256.hpp"
#include "eventlog/sqlite.hpp"

#include <charconv>
#include <map>
#include <sys/stat.h>

namespace asof {
namespace {

constexpr std::int64_t batch_units = 4096;

// A file: URI for `path` with the characters URIs reserve percent-encoded.
std::string file_uri(const std::string& path) {
    std::string out = "file:";
    const char* hex = "0123456789ABCDEF";
    for (char raw : path) {
        auto c = static_cast<unsigned char>(raw);
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "?mode=ro&immutable=1";
}

// An identifier quoted for SQL ("" doubles quotes). Used only on names sqlite_schema confirmed.
std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The declared OCEL type of a column from its SQLite declared type.
std::string ocel_type_of(std::string declared) {
    for (char& c : declared)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (declared.find("INT") != std::string::npos) return "integer";
    if (declared.find("REAL") != std::string::npos || declared.find("FLOA") != std::string::npos ||
        declared.find("DOUB") != std::string::npos)
        return "float";
    if (declared.find("BOOL") != std::string::npos) return "boolean";
    if (declared.find("TIME") != std::string::npos || declared.find("DATE") != std::string::npos)
        return "time";
    return "string";
}

// A column's value as OCEL reads it: text typed later, numbers and NULL as JSON literals.
OcelValue value_of(const sql::Stmt& row, int col) {
    switch (sqlite3_column_type(row.handle(), col)) {
    case SQLITE_NULL:
        return {false, "null"};
    case SQLITE_INTEGER:
        return {false, std::to_string(row.column_int(col))};
    case SQLITE_FLOAT: {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, row.column_double(col));
        return {false, ec == std::errc() ? std::string(buffer, end) : "null"};
    }
    default:
        return {true, std::string(row.column_text(col))};
    }
}

// A time column's text: ISO text as stored, an epoch number as UTC ISO text.
std::string time_text(const sql::Stmt& row, int col) {
    int kind = sqlite3_column_type(row.handle(), col);
    if (kind == SQLITE_INTEGER)
        if (auto t = from_epoch(row.column_int(col))) return format_utc(*t);
    if (kind == SQLITE_FLOAT)
        if (auto t = from_epoch(row.column_double(col))) return format_utc(*t);
    return std::string(row.column_text(col));
}

struct Column {
    std::string name, type;
};

// A per-type table, confirmed to exist, with its columns.
struct TypeTable {
    std::string name;
    std::vector<Column> columns;
    int id = -1, time = -1, changed = -1; // indices of ocel_id, ocel_time, ocel_changed_field
};

class OcelSqliteSource final : public RowSource {
public:
    OcelSqliteSource(sql::Db db, std::string path, const RowSourceOptions& options)
        : db_(std::move(db)), path_(std::move(path)), mapper_(options.source_zone),
          cancel_(options.cancel) {}

    Result<void> open() {
        struct stat info {};
        if (::stat(path_.c_str(), &info) == 0) size_ = static_cast<std::uint64_t>(info.st_size);
        for (const char* table : {"event", "object", "event_object", "object_object",
                                  "event_map_type", "object_map_type"}) {
            auto exists = table_exists(table);
            if (!exists) return tl::unexpected(exists.error());
            if (!*exists)
                return fail(std::string("not an OCEL 2.0 SQLite log: it has no table '") + table +
                                "'",
                            path_);
        }
        for (bool objects : {true, false}) {
            auto types = db_.prepare(
                objects ? "SELECT ocel_type, ocel_type_map FROM object_map_type ORDER BY rowid"
                        : "SELECT ocel_type, ocel_type_map FROM event_map_type ORDER BY rowid");
            if (!types) return tl::unexpected(types.error());
            std::vector<std::pair<std::string, std::string>> names;
            auto done = types->each([&](const sql::Stmt& row) {
                names.emplace_back(row.column_text(0), row.column_text(1));
            });
            if (!done) return tl::unexpected(done.error());
            for (const auto& [type, map] : names) {
                auto table = type_table((objects ? "object_" : "event_") + map);
                if (!table) return tl::unexpected(table.error());
                if (!*table) continue; // a type without a table has no values; events reject
                for (const auto& column : (*table)->columns)
                    if (column.name.rfind("ocel_", 0) != 0)
                        mapper_.declare_attribute(objects, type, column.name,
                                                  ocel_type_of(column.type));
                if (objects)
                    object_tables_.emplace_back(type, std::move(**table));
                else
                    event_tables_.emplace(type, std::move(**table));
            }
        }
        return {};
    }

    Result<bool> next(RowBatch& out) override {
        if (cancel_ && cancel_->load()) return fail("cancelled");
        sql::ReadScope scope(db_);
        for (std::int64_t rows = 0; phase_ != Phase::done && rows < batch_units; ++rows) {
            auto more = step(out);
            if (!more) return tl::unexpected(more.error());
            if (!*more) advance();
        }
        if (phase_ == Phase::done && !digest_) {
            auto digest = sha256_file(path_);
            if (!digest) return tl::unexpected(digest.error());
            digest_ = *digest;
        }
        return phase_ != Phase::done;
    }

    std::string format() const override { return "ocel-sqlite"; }
    std::uint64_t raw_size() const override { return size_; }
    std::uint64_t raw_consumed() const override { return phase_ == Phase::done ? size_ : 0; }
    Digest raw_digest() const override { return digest_.value_or(Digest{}); }
    std::int64_t naive_times() const override { return mapper_.naive_times(); }
    std::int64_t zoned_times() const override { return mapper_.zoned_times(); }
    std::string mapping_json() const override { return R"({"model":"ocel2"})"; }

private:
    enum class Phase { objects, attributes, relations, events, done };

    Result<bool> table_exists(const std::string& name) {
        auto stmt = db_.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
        if (!stmt) return tl::unexpected(stmt.error());
        stmt->bind(1, name);
        return stmt->step();
    }

    Result<std::optional<TypeTable>> type_table(const std::string& name) {
        auto exists = table_exists(name);
        if (!exists) return tl::unexpected(exists.error());
        if (!*exists) return std::nullopt;
        TypeTable table;
        table.name = name;
        auto stmt = db_.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
        if (!stmt) return tl::unexpected(stmt.error());
        stmt->bind(1, name);
        auto done = stmt->each([&](const sql::Stmt& row) {
            table.columns.push_back(
                {std::string(row.column_text(0)), std::string(row.column_text(1))});
        });
        if (!done) return tl::unexpected(done.error());
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const std::string& column = table.columns[i].name;
            int index = static_cast<int>(i);
            if (column == "ocel_id") table.id = index;
            if (column == "ocel_time") table.time = index;
            if (column == "ocel_changed_field") table.changed = index;
        }
        return table;
    }

    std::string select_columns(const TypeTable& table) const {
        std::string columns;
        for (const auto& column : table.columns)
            columns += ", t." + quote_identifier(column.name);
        return columns;
    }

    void advance() {
        current_.reset();
        phase_ = static_cast<Phase>(static_cast<int>(phase_) + 1);
    }

    // Reads one row of the current phase into `out`; false when the phase has no more rows.
    Result<bool> step(RowBatch& out) {
        switch (phase_) {
        case Phase::objects:
            return step_objects(out);
        case Phase::attributes:
            return step_attributes(out);
        case Phase::relations:
            return step_relations(out);
        case Phase::events:
            return step_events(out);
        case Phase::done:
            break;
        }
        return false;
    }

    Result<bool> prepare_once(const std::string& text) {
        if (current_) return true;
        auto stmt = db_.prepare(text);
        if (!stmt) return tl::unexpected(stmt.error());
        current_.emplace(std::move(*stmt));
        return true;
    }

    Result<bool> step_objects(RowBatch& out) {
        if (auto ok = prepare_once("SELECT rowid, ocel_id, ocel_type FROM object ORDER BY rowid");
            !ok)
            return ok;
        auto row = current_->step();
        if (!row || !*row) return row;
        ++out.units;
        OcelPlace place = [rowid = current_->column_int(0)] {
            return "object rowid " + std::to_string(rowid);
        };
        if (current_->column_is_null(1) || current_->column_is_null(2)) {
            out.rejects.push_back({0, 0, place(), "an object needs ocel_id and ocel_type", ""});
            return true;
        }
        mapper_.add_object(std::string(current_->column_text(1)),
                           std::string(current_->column_text(2)), place, out);
        return true;
    }

    // Object attribute values, one per-type table after the other.
    Result<bool> step_attributes(RowBatch& out) {
        for (;;) {
            if (!current_) {
                if (attribute_table_open_) ++attribute_table_;
                attribute_table_open_ = true;
                if (attribute_table_ >= object_tables_.size()) return false;
                const TypeTable& table = object_tables_[attribute_table_].second;
                if (table.id < 0) continue;
                auto ok = prepare_once("SELECT t.rowid" + select_columns(table) + " FROM " +
                                       quote_identifier(table.name) + " t ORDER BY t.rowid");
                if (!ok) return ok;
            }
            auto row = current_->step();
            if (!row) return row;
            if (*row) break;
            current_.reset();
        }
        const TypeTable& table = object_tables_[attribute_table_].second;
        OcelPlace place = [&table, rowid = current_->column_int(0)] {
            return table.name + " rowid " + std::to_string(rowid);
        };
        std::string id(current_->column_text(table.id + 1));
        std::string time = table.time < 0 ? std::string() : time_text(*current_, table.time + 1);
        std::string changed = table.changed < 0
                                  ? std::string()
                                  : std::string(current_->column_text(table.changed + 1));
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const std::string& name = table.columns[i].name;
            if (name.rfind("ocel_", 0) == 0) continue;
            int col = static_cast<int>(i) + 1;
            // A row without ocel_changed_field states every value it has (NULL: none); a change
            // row only the field it names (NULL there: the value was removed).
            if (changed.empty() ? current_->column_is_null(col) : name != changed) continue;
            mapper_.add_object_attribute(id, name, time, value_of(*current_, col), place, out);
        }
        return true;
    }

    Result<bool> step_relations(RowBatch& out) {
        if (auto ok = prepare_once("SELECT ocel_source_id, ocel_target_id, ocel_qualifier FROM "
                                   "object_object ORDER BY rowid");
            !ok)
            return ok;
        auto row = current_->step();
        if (!row) return row;
        if (!*row) {
            mapper_.finish_objects(out);
            return false;
        }
        mapper_.add_relation(std::string(current_->column_text(0)),
                             std::string(current_->column_text(1)), current_->column_opt_text(2));
        return true;
    }

    // The cursor over one event type's table, in the order of the `event` table.
    struct TypeCursor {
        const TypeTable* table = nullptr;
        std::optional<sql::Stmt> stmt;
        bool has_row = false, exhausted = false;
    };

    Result<void> advance_cursor(TypeCursor& cursor) {
        auto row = cursor.stmt->step();
        if (!row) return tl::unexpected(row.error());
        cursor.has_row = *row;
        cursor.exhausted = !*row;
        return {};
    }

    Result<TypeCursor*> cursor_for(const std::string& type) {
        auto found = cursors_.find(type);
        if (found != cursors_.end()) return &found->second;
        TypeCursor cursor;
        auto table = event_tables_.find(type);
        if (table != event_tables_.end() && table->second.id >= 0 && table->second.time >= 0) {
            cursor.table = &table->second;
            // The type's table drives the join (CROSS JOIN keeps that order): left to itself,
            // SQLite scans every event once per type and looks each up in the type's table.
            auto stmt = db_.prepare("SELECT e.rowid, t.rowid" + select_columns(table->second) +
                                    " FROM " + quote_identifier(table->second.name) +
                                    " t CROSS JOIN event e ON e.ocel_id = t.ocel_id ORDER BY "
                                    "e.rowid, t.rowid");
            if (!stmt) return tl::unexpected(stmt.error());
            cursor.stmt.emplace(std::move(*stmt));
            if (auto ok = advance_cursor(cursor); !ok) return tl::unexpected(ok.error());
        }
        return &cursors_.emplace(type, std::move(cursor)).first->second;
    }

    // Takes the links of the event at `rowid` from the ordered links cursor.
    Result<void> read_links(std::int64_t rowid, OcelEvent& event) {
        sql::Stmt& links = *links_.stmt;
        while (links_.has_row && links.column_int(0) <= rowid) {
            if (links.column_int(0) == rowid)
                event.links.emplace_back(std::string(links.column_text(1)),
                                         links.column_opt_text(2));
            if (auto ok = advance_cursor(links_); !ok) return ok;
        }
        return {};
    }

    Result<bool> step_events(RowBatch& out) {
        if (auto ok = prepare_once("SELECT rowid, ocel_id, ocel_type FROM event ORDER BY rowid");
            !ok)
            return ok;
        if (!links_.stmt) {
            // One ordered pass over all links (event_object often has no index on the event
            // id, so a lookup per event would scan the table each time).
            auto stmt = db_.prepare("SELECT e.rowid, l.ocel_object_id, l.ocel_qualifier FROM "
                                    "event_object l JOIN event e ON e.ocel_id = l.ocel_event_id "
                                    "ORDER BY e.rowid, l.rowid");
            if (!stmt) return tl::unexpected(stmt.error());
            links_.stmt.emplace(std::move(*stmt));
            if (auto ok = advance_cursor(links_); !ok) return tl::unexpected(ok.error());
        }
        auto row = current_->step();
        if (!row || !*row) return row;
        ++out.units;
        std::int64_t rowid = current_->column_int(0);
        OcelEvent event;
        event.line = rowid;
        event.place = [rowid] { return "event rowid " + std::to_string(rowid); };
        event.id = std::string(current_->column_text(1));
        event.type = std::string(current_->column_text(2));
        auto cursor = cursor_for(event.type);
        if (!cursor) return tl::unexpected(cursor.error());
        TypeCursor& types = **cursor;
        if (!types.table) {
            out.rejects.push_back({rowid, 0, event.place(),
                                   "event type '" + event.type + "' has no table in event_map_type",
                                   printable_excerpt(event.id)});
            return true;
        }
        const TypeTable& table = *types.table;
        // Rows of the type table joined to earlier events were read with them; skip leftovers.
        while (types.has_row && types.stmt->column_int(0) < rowid)
            if (auto ok = advance_cursor(types); !ok) return tl::unexpected(ok.error());
        if (!types.has_row || types.stmt->column_int(0) != rowid) {
            out.rejects.push_back({rowid, 0, event.place(),
                                   "event " + event.id + " has no row in " + table.name,
                                   printable_excerpt(event.id)});
            return true;
        }
        sql::Stmt& values = *types.stmt;
        event.time = time_text(values, table.time + 2);
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const std::string& name = table.columns[i].name;
            int col = static_cast<int>(i) + 2;
            if (name.rfind("ocel_", 0) == 0 || values.column_is_null(col)) continue;
            event.attributes.emplace_back(name, value_of(values, col));
        }
        if (auto ok = advance_cursor(types); !ok) return tl::unexpected(ok.error());
        while (types.has_row && types.stmt->column_int(0) == rowid) {
            out.rejects.push_back(
                {rowid, 0, table.name + " rowid " + std::to_string(types.stmt->column_int(1)),
                 "a second row for event " + event.id + " (ignored)", printable_excerpt(event.id)});
            if (auto ok = advance_cursor(types); !ok) return tl::unexpected(ok.error());
        }
        if (auto ok = read_links(rowid, event); !ok) return tl::unexpected(ok.error());
        mapper_.add_event(event, out);
        return true;
    }

    sql::Db db_;
    std::string path_;
    OcelMapper mapper_;
    const std::atomic<bool>* cancel_;
    std::uint64_t size_ = 0;
    std::optional<Digest> digest_;
    // Per-type tables by OCEL type; object ones in object_map_type order (attribute rows are
    // emitted table by table, each in row order).
    std::vector<std::pair<std::string, TypeTable>> object_tables_;
    std::map<std::string, TypeTable> event_tables_;
    Phase phase_ = Phase::objects;
    std::optional<sql::Stmt> current_;
    TypeCursor links_;                // every event's links, in event order
    std::size_t attribute_table_ = 0; // the object table being read, during Phase::attributes
    bool attribute_table_open_ = false;
    std::map<std::string, TypeCursor> cursors_;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_ocel_sqlite_source(const std::string& path,
                                                           const RowSourceOptions& options) {
    auto db = sql::Db::open(file_uri(path), sql::Db::Mode::read_only);
    if (!db) return tl::unexpected(db.error());
    if (auto probe = db->scalar_int("SELECT count(*) FROM sqlite_schema"); !probe)
        return fail("not an OCEL 2.0 SQLite log: " + probe.error().message, path);
    auto source = std::make_unique<OcelSqliteSource>(std::move(*db), path, options);
    if (auto ok = source->open(); !ok) return tl::unexpected(ok.error());
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
