// A table of a SQLite snapshot of an event store as a RowSource (`--table NAME`). The snapshot
// is opened through a read-only, immutable URI and never changed. Columns take event roles by
// the JSON Lines aliases, the names of common event stores (Marten's mt_events, EventStoreDB,
// SqlStreamStore, Eventuous) or --map; every other column goes to `meta`. Table and column names
// are checked against the table's real columns before they are quoted into the one SELECT.
#include "eventlog/json_text.hpp"
#include "eventlog/row_source.hpp"
#include "eventlog/sqlite.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

namespace asof {
namespace {

constexpr std::int64_t batch_rows = 4096;
constexpr std::size_t none = no_column;

// Column names of event stores, compared case-insensitively, and the role each takes when no
// JSON Lines alias claims it.
const std::vector<ColumnName> store_names = {
    {"message_id", Role::id},           {"messageid", Role::id},
    {"stream_name", Role::stream},      {"streamname", Role::stream},
    {"message_type", Role::type},       {"messagetype", Role::type},
    {"created_utc", Role::ts},          {"createdutc", Role::ts},
    {"stream_version", Role::version},  {"streamversion", Role::version},
    {"stream_position", Role::version}, {"json_data", Role::data},
    {"jsondata", Role::data},           {"json_metadata", Role::meta},
    {"jsonmetadata", Role::meta},
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// An identifier already checked against the schema, quoted for SQL.
std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    return out + "\"";
}

std::string names_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names)
        out += (out.empty() ? "" : ", ") + printable_excerpt(name, 60);
    return out.empty() ? "none" : out;
}

struct Column {
    std::string name;
    std::string declared_type;
    int pk = 0;
};

class SqliteTableSource final : public RowSource {
public:
    SqliteTableSource(sql::Db db, std::string path, std::string table,
                      const RowSourceOptions& options)
        : db_(std::move(db)), path_(std::move(path)), table_(std::move(table)), map_(options.map),
          zone_(options.source_zone) {}

    Result<void> start() {
        std::error_code ec;
        size_ = std::filesystem::file_size(path_, ec);
        auto stmt = db_.prepare("SELECT name, type, pk FROM pragma_table_info(?1)");
        if (!stmt) return tl::unexpected(stmt.error());
        stmt->bind(1, table_);
        auto listed = stmt->each([&](const sql::Stmt& row) {
            columns_.push_back({std::string(row.column_text(0)), lower(row.column_text(1)),
                                static_cast<int>(row.column_int(2))});
        });
        if (!listed) return tl::unexpected(listed.error());
        if (columns_.empty()) return fail("no columns in table " + table_);
        if (auto ok = assign_roles(); !ok) return ok;

        // The location: rowid when the table has one, else its first integer key.
        auto without_rowid =
            db_.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?1 AND (type = 'view' OR "
                        "sql LIKE '%WITHOUT ROWID%')");
        if (!without_rowid) return tl::unexpected(without_rowid.error());
        without_rowid->bind(1, table_);
        if (auto row = without_rowid->step(); !row) return tl::unexpected(row.error());
        std::string location = "rowid";
        if (without_rowid->column_int(0) > 0) {
            location.clear();
            for (const auto& column : columns_)
                if (column.pk == 1 && column.declared_type.find("int") != std::string::npos)
                    location = quote_identifier(column.name);
        }
        std::string select = "SELECT " + (location.empty() ? std::string("NULL") : location);
        for (const auto& column : columns_)
            select += ", " + quote_identifier(column.name);
        select += " FROM " + quote_identifier(table_);
        if (!location.empty()) select += " ORDER BY " + location;
        auto rows = db_.prepare(select);
        if (!rows) return tl::unexpected(rows.error());
        rows_.emplace(std::move(*rows));
        return {};
    }

    Result<bool> next(RowBatch& out) override {
        for (std::int64_t n = 0; n < batch_rows; ++n) {
            auto row = rows_->step();
            if (!row) return tl::unexpected(row.error());
            if (!*row) {
                finish();
                return false;
            }
            ++counter_;
            ++out.units;
            handle_row(out);
        }
        return true;
    }

    std::string format() const override { return "sqlite"; }
    std::uint64_t raw_size() const override { return size_; }
    std::uint64_t raw_consumed() const override { return done_ ? size_ : 0; }
    Digest raw_digest() const override { return digest_; }
    std::int64_t naive_times() const override { return naive_; }
    std::int64_t zoned_times() const override { return zoned_; }
    std::string mapping_json() const override {
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        out["table"] = table_;
        for (std::size_t i = 0; i < role_count; ++i)
            out[std::string(role_name(static_cast<Role>(i)))] =
                role_column_[i] == none ? nlohmann::ordered_json()
                                        : nlohmann::ordered_json(columns_[role_column_[i]].name);
        return out.dump();
    }

private:
    void finish() {
        rows_.reset();
        auto digest = sha256_file(path_);
        if (digest) digest_ = *digest;
        done_ = true;
    }

    Result<void> assign_roles() {
        std::vector<std::string> names;
        for (const auto& column : columns_)
            names.push_back(column.name);
        auto chosen = assign_columns(map_, names, store_names, true, "table " + table_);
        if (!chosen) return tl::unexpected(chosen.error());
        role_column_ = *chosen;
        return {};
    }

    // The text of column `c` of the current row (integers and reals as SQLite prints them).
    std::optional<std::string> text_of(std::size_t c) const {
        int col = static_cast<int>(c) + 1;
        if (rows_->column_is_null(col)) return std::nullopt;
        return std::string(rows_->column_text(col));
    }

    std::optional<std::size_t> column_of(Role role) const {
        std::size_t column = role_column_[static_cast<std::size_t>(role)];
        if (column == none) return std::nullopt;
        if (rows_->column_is_null(static_cast<int>(column) + 1)) return std::nullopt;
        return column;
    }

    Result<ParsedTime> time_of(std::size_t c) const {
        int col = static_cast<int>(c) + 1;
        switch (sqlite3_column_type(rows_->handle(), col)) {
        case SQLITE_INTEGER: {
            auto at = from_epoch(rows_->column_int(col));
            if (!at) return tl::unexpected(at.error());
            return ParsedTime{*at, false};
        }
        case SQLITE_FLOAT: {
            auto at = from_epoch(rows_->column_double(col));
            if (!at) return tl::unexpected(at.error());
            return ParsedTime{*at, false};
        }
        default:
            return parse_time_text(rows_->column_text(col), zone_);
        }
    }

    // A payload column as JSON: JSON text (TEXT or BLOB) kept compacted, anything else as a
    // JSON value of its own (number or string).
    std::string json_of(std::size_t c) const {
        int col = static_cast<int>(c) + 1;
        int type = sqlite3_column_type(rows_->handle(), col);
        if (type == SQLITE_INTEGER) return std::to_string(rows_->column_int(col));
        if (type == SQLITE_FLOAT) return nlohmann::json(rows_->column_double(col)).dump();
        std::string_view text = rows_->column_text(col);
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
            if (!parsed.is_discarded()) return parsed.dump();
        }
        std::string out;
        append_json_string(out, text);
        return out;
    }

    // json_of() as a value; text that is not valid UTF-8 becomes its printable form.
    nlohmann::ordered_json json_value_of(std::size_t c) const {
        auto value = nlohmann::ordered_json::parse(json_of(c), nullptr, false);
        if (value.is_discarded()) return printable(rows_->column_text(static_cast<int>(c) + 1));
        return value;
    }

    void handle_row(RowBatch& out) {
        std::int64_t location = rows_->column_is_null(0) ? counter_ : rows_->column_int(0);
        auto reject = [&](std::string reason) {
            std::string excerpt;
            for (std::size_t c = 0; c < columns_.size() && excerpt.size() < 120; ++c)
                excerpt += (c ? "|" : "") + text_of(c).value_or("NULL");
            out.rejects.push_back({0, 0, "row " + std::to_string(location), std::move(reason),
                                   printable_excerpt(excerpt)});
        };
        EventRow row;
        row.line = location;
        auto stream = column_of(Role::stream);
        if (!stream) return reject("missing stream (no value in a stream column)");
        row.stream = *text_of(*stream);
        if (row.stream.empty()) return reject("empty stream");
        auto ts = column_of(Role::ts);
        if (!ts) return reject("missing time (no value in a time column)");
        auto parsed = time_of(*ts);
        if (!parsed) return reject("unparseable time: " + parsed.error().message);
        row.ts = parsed->at;
        row.naive_time = parsed->naive;
        if (auto recorded = column_of(Role::recorded)) {
            auto at = time_of(*recorded);
            if (!at) return reject("unparseable recorded time: " + at.error().message);
            row.recorded = at->at;
        }
        if (auto version = column_of(Role::version)) {
            int col = static_cast<int>(*version) + 1;
            if (sqlite3_column_type(rows_->handle(), col) == SQLITE_INTEGER) {
                row.version = rows_->column_int(col);
            } else {
                std::string text = *text_of(*version);
                std::int64_t number = 0;
                auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
                if (ec != std::errc() || end != text.data() + text.size())
                    return reject("version is not an integer: " + printable_excerpt(text, 40));
                row.version = number;
            }
        }
        if (auto id = column_of(Role::id)) row.event_id = text_of(*id);
        if (auto type = column_of(Role::type)) row.type = text_of(*type);
        if (auto actor = column_of(Role::actor)) row.actor = text_of(*actor);
        auto data = column_of(Role::data);
        if (data) row.data = json_of(*data);
        // Columns no role took go to meta, merged into a stored meta object as JSON Lines keeps
        // unknown fields.
        nlohmann::ordered_json meta;
        if (auto stored = column_of(Role::meta)) {
            meta = json_value_of(*stored);
            if (!meta.is_object()) meta = nlohmann::ordered_json{{"meta", std::move(meta)}};
        }
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            bool has_role = false;
            for (std::size_t column : role_column_)
                has_role = has_role || column == c;
            if (has_role || rows_->column_is_null(static_cast<int>(c) + 1)) continue;
            std::string key = columns_[c].name;
            if (meta.contains(key)) key = "top:" + key;
            meta[key] = json_value_of(c);
        }
        if (!meta.is_null()) row.meta = meta.dump();
        if (row.naive_time)
            ++naive_;
        else
            ++zoned_;
        out.events.push_back(std::move(row));
    }

    sql::Db db_;
    std::string path_, table_;
    FieldMap map_;
    const date::time_zone* zone_;
    std::vector<Column> columns_;
    std::array<std::size_t, role_count> role_column_{};
    std::optional<sql::Stmt> rows_;
    std::uint64_t size_ = 0;
    std::int64_t counter_ = 0;
    bool done_ = false;
    Digest digest_{};
    std::int64_t naive_ = 0, zoned_ = 0;
};

} // namespace

Result<std::unique_ptr<RowSource>> open_sqlite_table_source(const std::string& path,
                                                            const RowSourceOptions& options) {
    auto db = sql::Db::open(sql::immutable_uri(path), sql::Db::Mode::read_only);
    if (!db) return fail(db.error().message, path);
    // The table must be one the schema lists: its name is then quoted, never interpolated raw.
    std::vector<std::string> tables;
    auto list = db->prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND "
                            "name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!list) return fail("not a readable SQLite database: " + list.error().message, path);
    auto listed = list->each(
        [&](const sql::Stmt& row) { tables.emplace_back(std::string(row.column_text(0))); });
    if (!listed) return fail("not a readable SQLite database: " + listed.error().message, path);
    if (!options.table)
        return fail("a SQLite snapshot: choose its event table with --table (tables: " +
                        names_list(tables) + ")",
                    path);
    if (std::find(tables.begin(), tables.end(), *options.table) == tables.end())
        return fail("no table \"" + printable_excerpt(*options.table, 60) +
                        "\" (tables: " + names_list(tables) + ")",
                    path);
    auto source =
        std::make_unique<SqliteTableSource>(std::move(*db), path, *options.table, options);
    if (auto ok = source->start(); !ok) {
        Error error = ok.error();
        if (error.where.empty()) error.where = path;
        return tl::unexpected(std::move(error));
    }
    return std::unique_ptr<RowSource>(std::move(source));
}

} // namespace asof
