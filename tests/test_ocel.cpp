// OCEL 2.0 sources: the same hand-written log in JSON, XML and SQLite yields the same rows
// (objects, events with their links, attribute values, relations, findings), and the traps
// (tied times, empty values, mixed integer and text ids, an empty event-type table, dangling
// links, entity declarations) are handled.
#include "test_support.hpp"

#include "eventlog/ocel_rows.hpp"
#include "eventlog/sha256.hpp"
#include "eventlog/sqlite.hpp"
#include "replay/replayer.hpp"

using namespace asof;
using namespace asof::test;

namespace {

std::string fixture(const std::string& name) {
    return std::string(ASOF_TEST_DIR) + "/fixtures/" + name;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every row a source gives, as comparable text lines per kind.
struct Drained {
    std::vector<std::string> streams, events, attributes, relations, findings, rejects;
    std::int64_t units = 0;
};

std::string opt(const std::optional<std::string>& value) {
    return value ? *value : "<none>";
}

Drained drain(RowSource& source) {
    Drained out;
    for (bool more = true; more;) {
        RowBatch batch;
        auto next = source.next(batch);
        REQUIRE(next);
        more = *next;
        out.units += batch.units;
        for (const auto& s : batch.streams)
            out.streams.push_back(s.name + " kind=" + opt(s.kind) + " key=" + opt(s.key));
        for (const auto& e : batch.events) {
            std::string line = opt(e.event_id) + " " + format_utc(e.ts) + " " + opt(e.type) + " @" +
                               e.stream + " data=" + opt(e.data) + " meta=" + opt(e.meta);
            for (const auto& link : e.links)
                line += " +" + link.stream + "(" + opt(link.qualifier) + ")";
            out.events.push_back(line);
        }
        for (const auto& a : batch.attributes)
            out.attributes.push_back(a.stream + " " + (a.ts ? format_utc(*a.ts) : "initial") + " " +
                                     a.name + "=" + a.value);
        for (const auto& r : batch.relations)
            out.relations.push_back(r.from + " -> " + r.to + " (" + opt(r.qualifier) + ")");
        for (const auto& f : batch.findings)
            out.findings.push_back(
                f.kind + " " + f.stream + " " +
                (f.event_index ? opt(batch.events.at(*f.event_index).event_id) : "-") + ": " +
                f.detail);
        for (const auto& r : batch.rejects)
            out.rejects.push_back(r.place + ": " + r.reason);
    }
    return out;
}

// Every batch's events and rejects, in order; the source must read to its end.
struct Rows {
    std::vector<EventRow> events;
    std::vector<RejectRow> rejects;
};

Rows drain_rows(RowSource& source) {
    Rows rows;
    for (bool more = true; more;) {
        RowBatch batch;
        auto next = source.next(batch);
        REQUIRE(next);
        more = *next;
        rows.events.insert(rows.events.end(), batch.events.begin(), batch.events.end());
        rows.rejects.insert(rows.rejects.end(), batch.rejects.begin(), batch.rejects.end());
    }
    return rows;
}

// The error a source stops with while it is read (none when it reads to its end).
std::optional<Error> read_failure(RowSource& source) {
    for (;;) {
        RowBatch batch;
        auto next = source.next(batch);
        if (!next) return next.error();
        if (!*next) return std::nullopt;
    }
}

// The SQLite form of the small log, built from the SQL text in the repository.
std::string make_sqlite(const TempDir& dir) {
    std::string path = dir.file("ocel-small.sqlite");
    auto db = sql::Db::open(path, sql::Db::Mode::create);
    REQUIRE(db);
    REQUIRE(db->exec(read_text(fixture("ocel-small.sql"))));
    return path;
}

Drained drain_path(const std::string& path,
                   Result<std::unique_ptr<RowSource>> (*open)(const std::string&,
                                                              const RowSourceOptions&)) {
    auto source = open(path, RowSourceOptions{});
    INFO(path);
    REQUIRE(source);
    return drain(**source);
}

} // namespace

TEST_CASE("OCEL 2.0: the small log's rows, from JSON", "[ocel]") {
    Drained rows = drain_path(fixture("ocel-small.jsonocel"), open_ocel_json_source);
    CHECK(rows.streams == std::vector<std::string>{"Order-o1 kind=order key=o1",
                                                   "Item-1 kind=item key=1",
                                                   "Customer-c7 kind=customer key=c7"});
    CHECK(rows.events ==
          std::vector<std::string>{
              "e1 2024-01-01T09:00:00Z Place Order @Order-o1 data={\"channel\":\"web\"} "
              "meta={\"ocel:qualifier\":\"placed\"} +Customer-c7(by) +Item-1(contains)",
              "e2 2024-01-02T10:00:00Z Pay @Order-o1 data={\"amount\":12.5} "
              "meta={\"ocel:qualifier\":\"paid\"}",
              "3 2024-01-02T10:00:00Z Ship @Item-1 data={} meta={\"ocel:qualifier\":\"shipped\"}",
              "e4 2024-01-04T08:00:00Z Note @ocel-unlinked data={} meta=<none>"});
    CHECK(rows.attributes == std::vector<std::string>{
                                 "Order-o1 initial status=\"open\"",
                                 "Order-o1 initial amount=12.5",
                                 "Order-o1 2024-01-02T10:00:00Z status=\"paid\"",
                                 "Order-o1 2024-01-03T00:00:00Z note=\"\"",
                                 "Item-1 initial weight=3",
                             });
    CHECK(rows.relations == std::vector<std::string>{"Item-1 -> Order-o1 (part of)"});
    CHECK(rows.findings ==
          std::vector<std::string>{
              "dangling_link Item-1 3: event 3 links object ghost, which the log does not "
              "declare (link dropped)",
              "dangling_link ocel-unlinked e4: event e4 links object ghost, which the log does "
              "not declare (link dropped)"});
    CHECK(rows.rejects.empty());
    CHECK(rows.units == 7); // 3 objects + 4 events
}

TEST_CASE("OCEL 2.0: JSON, XML and SQLite give the same rows", "[ocel]") {
    TempDir dir;
    Drained json = drain_path(fixture("ocel-small.jsonocel"), open_ocel_json_source);
    Drained xml = drain_path(fixture("ocel-small.xmlocel"), open_ocel_xml_source);
    Drained sqlite = drain_path(make_sqlite(dir), open_ocel_sqlite_source);
    for (Drained* rows : {&json, &xml, &sqlite}) // per object in source order
        std::stable_sort(rows->attributes.begin(), rows->attributes.end(),
                         [](const std::string& a, const std::string& b) {
                             return a.substr(0, a.find(' ')) < b.substr(0, b.find(' '));
                         });
    for (const Drained* other : {&xml, &sqlite}) {
        CHECK(other->streams == json.streams);
        CHECK(other->events == json.events);
        CHECK(other->attributes == json.attributes);
        CHECK(other->relations == json.relations);
        CHECK(other->findings == json.findings);
        CHECK(other->rejects == json.rejects);
        CHECK(other->units == json.units);
    }
}

TEST_CASE("OCEL 2.0 XML: entity declarations are refused", "[ocel]") {
    TempDir dir;
    std::string path = dir.file("bomb.xmlocel");
    write_file(path, "<?xml version=\"1.0\"?>\n<!DOCTYPE log [<!ENTITY a \"aaaaaaaaaa\">"
                     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                     "<log><events><event id=\"&b;\" type=\"t\" time=\"2024-01-01\"/></events>"
                     "</log>\n");
    auto source = open_ocel_xml_source(path, {});
    REQUIRE(source);
    RowBatch batch;
    auto next = (*source)->next(batch);
    REQUIRE_FALSE(next);
    CHECK_THAT(next.error().message, Catch::Contains("refused") && Catch::Contains("entity"));
}

TEST_CASE("OCEL 2.0: a file of another kind is named", "[ocel]") {
    TempDir dir;
    std::string xes = dir.file("log.xmlocel");
    write_file(xes, "<?xml version=\"1.0\"?><log xes.version=\"1.0\"><trace/></log>");
    auto source = open_ocel_xml_source(xes, {});
    REQUIRE(source);
    RowBatch batch;
    auto next = (*source)->next(batch);
    REQUIRE_FALSE(next);
    CHECK_THAT(next.error().message, Catch::Contains("XES"));

    std::string jsonl = dir.file("log.jsonocel");
    write_file(jsonl, "{\"id\":1}\n{\"id\":2}\n");
    auto json = open_ocel_json_source(jsonl, {});
    REQUIRE_FALSE(json);
    CHECK_THAT(json.error().message, Catch::Contains("not OCEL 2.0 JSON"));

    std::string other = dir.file("other.sqlite");
    {
        auto db = sql::Db::open(other, sql::Db::Mode::create);
        REQUIRE(db);
        REQUIRE(db->exec("CREATE TABLE mt_events (seq_id INTEGER)"));
    }
    auto sqlite = open_ocel_sqlite_source(other, {});
    REQUIRE_FALSE(sqlite);
    CHECK_THAT(sqlite.error().message, Catch::Contains("no table 'event'"));
}

TEST_CASE("OCEL 2.0 SQLite: a BOOLEAN column's 0 and 1 are false and true", "[ocel]") {
    TempDir dir;
    std::string path = make_sqlite(dir);
    {
        auto db = sql::Db::open(path, sql::Db::Mode::read_write);
        REQUIRE(db);
        REQUIRE(
            db->exec("CREATE TABLE \"event_Check\" (ocel_id, ocel_time TIMESTAMP, passed BOOLEAN, "
                     "tries INTEGER);"
                     "INSERT INTO event_map_type VALUES ('Check', 'Check');"
                     "INSERT INTO event VALUES ('e5', 'Check'), ('e6', 'Check');"
                     "INSERT INTO \"event_Check\" VALUES ('e5', '2024-01-05 10:00:00Z', 1, 1), "
                     "('e6', '2024-01-05 11:00:00Z', 0, 0);"));
    }
    Drained rows = drain_path(path, open_ocel_sqlite_source);
    REQUIRE(rows.events.size() == 6);
    CHECK_THAT(rows.events[4], Catch::Contains("data={\"passed\":true,\"tries\":1}"));
    CHECK_THAT(rows.events[5], Catch::Contains("data={\"passed\":false,\"tries\":0}"));
    CHECK(rows.rejects.empty());
}

TEST_CASE("OCEL 2.0 SQLite: bad rows are rejects located by table and rowid", "[ocel]") {
    TempDir dir;
    std::string path = make_sqlite(dir);
    {
        auto db = sql::Db::open(path, sql::Db::Mode::read_write);
        REQUIRE(db);
        REQUIRE(db->exec("INSERT INTO event VALUES ('e5', 'Pay'), ('e6', 'Unknown');"
                         "INSERT INTO \"event_Pay\" VALUES ('e2', '2024-01-02 11:00:00Z', 1.0);"));
    }
    Drained rows = drain_path(path, open_ocel_sqlite_source);
    CHECK(rows.events.size() == 4);
    CHECK(rows.rejects ==
          std::vector<std::string>{"event_Pay rowid 2: a second row for event e2 (ignored)",
                                   "event rowid 5: event e5 has no row in event_Pay",
                                   "event rowid 6: event type 'Unknown' has no table in "
                                   "event_map_type"});
}

namespace {

// A case whose stream Order-o1 has three events from an "OCEL" import and attribute values:
// status "open" and amount 12.5 initially, status "paid" at 2024-01-02T10:00Z (the instant of
// the Pay event), note "" at 2024-01-03, status removed at 2024-01-05.
struct AttributeCase {
    TempDir dir;
    std::string path = dir.file("ocel.asof");
    std::int64_t stream = 0;

    AttributeCase() {
        std::string log = dir.file("o.jsonl");
        write_file(
            log,
            R"({"id":"e1","stream":"Order-o1","type":"Place","ts":"2024-01-01T09:00:00Z","data":{"channel":"web"}})"
            "\n"
            R"({"id":"e2","stream":"Order-o1","type":"Pay","ts":"2024-01-02T10:00:00Z","data":{"amount":99}})"
            "\n"
            R"({"id":"e3","stream":"Order-o1","type":"Note","ts":"2024-01-04T08:00:00Z","data":{"x":1}})"
            "\n");
        import_ok({log}, path);
        auto db = sql::Db::open(path, sql::Db::Mode::read_write);
        REQUIRE(db);
        stream = db->scalar_int("SELECT id FROM streams WHERE name = 'Order-o1'").value();
        REQUIRE(db->exec("UPDATE imports SET format = 'ocel-json'"));
        auto insert = db->prepare("INSERT INTO stream_attributes (id, stream_id, ts, name, "
                                  "value, import_id) VALUES (?1, ?2, ?3, ?4, ?5, 1)");
        REQUIRE(insert);
        auto add = [&](std::int64_t id, std::optional<Timestamp> ts, const char* name,
                       const char* value) {
            insert->reset();
            insert->bind(1, id).bind(2, stream);
            if (ts)
                insert->bind(3, static_cast<std::int64_t>(ts->time_since_epoch().count()));
            else
                insert->bind_null(3);
            insert->bind(4, std::string_view(name)).bind(5, std::string_view(value));
            REQUIRE(insert->run());
        };
        add(1, std::nullopt, "status", "\"open\"");
        add(2, std::nullopt, "amount", "12.5");
        add(3, utc(2024, 1, 2, 10), "status", "\"paid\"");
        add(4, utc(2024, 1, 3), "note", "\"\"");
        add(5, utc(2024, 1, 5), "status", "null");
    }
};

} // namespace

TEST_CASE("OCEL 2.0: an object's state as of T is its attribute values at T", "[ocel][replay]") {
    AttributeCase c;
    auto db = open_ok(c.path);
    auto replayer =
        replay::Replayer::open(db, c.stream, "Order-o1", replay::Projection::merge_default());
    REQUIRE(replayer);
    using nlohmann::json;

    auto before = replayer->state_at(utc(2024, 1, 1));
    REQUIRE(before);
    CHECK(before->state == json::parse(R"({"status":"open","amount":12.5})"));
    CHECK(before->applied == 0);
    CHECK(before->blame.at("/status") == -1);

    auto just_before = replayer->state_at(utc(2024, 1, 2, 9, 59, 59));
    REQUIRE(just_before);
    CHECK(just_before->state["status"] == "open");
    CHECK(just_before->applied == 1); // e1 folded, its data not merged (OCEL)

    auto paid = replayer->state_at(utc(2024, 1, 2, 10));
    REQUIRE(paid);
    CHECK(paid->state == json::parse(R"({"status":"paid","amount":12.5})"));
    CHECK(paid->blame.at("/status") == -3);
    REQUIRE(replayer->name_events(*paid));
    CHECK(replay::describe_ref(paid->events.at(-3)) ==
          "attribute status set at 2024-01-02T10:00:00Z");
    CHECK(replay::describe_ref(paid->events.at(-2)) == "attribute amount (initial value)");

    auto noted = replayer->state_at(utc(2024, 1, 3));
    REQUIRE(noted);
    CHECK(noted->state == json::parse(R"({"status":"paid","amount":12.5,"note":""})"));

    auto removed = replayer->state_at(utc(2024, 1, 6));
    REQUIRE(removed);
    CHECK(removed->state == json::parse(R"({"amount":12.5,"note":""})"));
    CHECK(removed->blame.count("/status") == 0);
    CHECK(removed->applied == 3);

    // Changes: the Pay event (which changes nothing in an OCEL object's state) comes before the
    // attribute value dated at its instant; attribute values are listed with negative seqs.
    auto changes = replayer->changes(utc(2024, 1, 2), utc(2024, 1, 3, 12));
    REQUIRE(changes);
    REQUIRE(changes->timeline.size() == 3);
    CHECK(changes->timeline[0].seq == 2);
    CHECK(changes->timeline[0].changes.empty());
    CHECK(changes->timeline[1].seq == -3);
    REQUIRE(changes->timeline[1].changes.size() == 1);
    CHECK(changes->timeline[1].changes[0].pointer == "/status");
    CHECK(changes->timeline[1].changes[0].before == json("open"));
    CHECK(changes->timeline[1].changes[0].after == json("paid"));
    CHECK(changes->timeline[2].seq == -4);

    auto diff = replayer->diff(utc(2024, 1, 1, 12), utc(2024, 1, 5, 12));
    REQUIRE(diff);
    REQUIRE(diff->entries.size() == 2);
    std::map<std::string, std::vector<std::int64_t>> causes;
    for (const auto& entry : diff->entries)
        causes[entry.change.pointer] = entry.causes;
    CHECK(causes ==
          std::map<std::string, std::vector<std::int64_t>>{{"/note", {-4}}, {"/status", {-3, -5}}});
}

TEST_CASE("OCEL 2.0: events of other formats still merge into the state", "[ocel][replay]") {
    AttributeCase c;
    {
        auto db = sql::Db::open(c.path, sql::Db::Mode::read_write);
        REQUIRE(db);
        REQUIRE(db->exec("UPDATE imports SET format = 'jsonl'"));
    }
    auto db = open_ok(c.path);
    auto replayer =
        replay::Replayer::open(db, c.stream, "Order-o1", replay::Projection::merge_default());
    REQUIRE(replayer);
    auto paid = replayer->state_at(utc(2024, 1, 2, 10));
    REQUIRE(paid);
    // The Pay event's amount (99) is folded, then the attribute dated at the same instant.
    CHECK(paid->state == nlohmann::json::parse(R"({"status":"paid","amount":99,"channel":"web"})"));
    CHECK(paid->blame.at("/amount") == 2);
}

TEST_CASE("OCEL 2.0 JSON is read element by element: a bad element is a reject", "[ocel]") {
    TempDir dir;
    std::string path = dir.file("log.jsonocel");
    write_file(path,
               "{\"objectTypes\": [], \"eventTypes\": [],\n"
               " \"events\": [\n"
               "  {\"id\": \"e1\", \"type\": \"load\", \"time\": \"2026-01-01T08:00:00Z\",\n"
               "   \"relationships\": [{\"objectId\": \"c1\", \"qualifier\": \"in\"}]},\n"
               "  {\"id\": \"e2\", \"type\": tru},\n"
               "  {\"id\": \"e3\", \"type\": \"unload\", \"time\": \"2026-01-01T09:00:00Z\",\n"
               "   \"relationships\": [{\"objectId\": \"c1\"}]}\n"
               " ],\n"
               " \"objects\": [{\"id\": \"c1\", \"type\": \"container\"}]}\n");
    Drained rows = drain_path(path, open_ocel_json_source);
    CHECK(rows.events.size() == 2); // objects after events: still linked, nothing dangling
    CHECK(rows.findings.empty());
    REQUIRE(rows.rejects.size() == 1);
    CHECK(rows.rejects[0].starts_with("events[1]: malformed JSON"));

    std::string cut = dir.file("cut.jsonocel");
    write_file(cut, "{\"objects\": [{\"id\": \"c1\", \"type\": \"container\"}], \"events\": [");
    auto truncated = open_ocel_json_source(cut, {});
    REQUIRE_FALSE(truncated);
    CHECK_THAT(truncated.error().message,
               Catch::Contains("not OCEL 2.0 JSON") && Catch::Contains("ends early"));
}

TEST_CASE("OCEL 2.0 JSON: brackets, quotes and escapes inside strings do not confuse the walk",
          "[ocel][json]") {
    // The walk skips the insides of strings and elements quickly; what it skips must not be
    // structure. Rejects keep their line.
    TempDir dir;
    std::string path = dir.file("log.jsonocel");
    write_file(
        path,
        "{\"objectTypes\": [{\"name\": \"box\", \"attributes\": []}],\n"
        " \"eventTypes\": [{\"name\": \"load\", \"attributes\": [{\"name\": \"note\", "
        "\"type\": \"string\"}]}],\n"
        " \"objects\": [{\"id\": \"b]1\", \"type\": \"box\"}],\n"
        " \"events\": [\n"
        "  {\"id\": \"e1\", \"type\": \"load\", \"time\": \"2026-01-01T08:00:00Z\",\n"
        "   \"attributes\": [{\"name\": \"note\", \"value\": \"a \\\"q\\\" ] } [ { \\\\\"}],\n"
        "   \"relationships\": [{\"objectId\": \"b]1\", \"qualifier\": \"[in}\"}]},\n"
        "  {\"id\": \"e2\", \"type\": tru},\n"
        "  {\"id\": \"e3\", \"type\": \"load\", \"time\": \"2026-01-01T09:00:00Z\",\n"
        "   \"attributes\": [{\"name\": \"note\", \"value\": \"\\\\\"}], \"relationships\": "
        "[]}\n"
        " ]}\n");
    auto source = open_ocel_json_source(path, {});
    REQUIRE(source);
    auto [events, rejects] = drain_rows(**source);
    REQUIRE(events.size() == 2);
    CHECK(events[0].data == std::optional<std::string>(R"({"note":"a \"q\" ] } [ { \\"})"));
    CHECK(events[0].stream == "box-b]1"); // the first linked object is the primary stream
    CHECK(events[0].meta == std::optional<std::string>(R"({"ocel:qualifier":"[in}"})"));
    CHECK(events[1].data == std::optional<std::string>(R"({"note":"\\"})"));
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].place == "events[1]");
    CHECK(rejects[0].line == 8);
}

TEST_CASE("OCEL 2.0 JSON: a document cut after its declarations fails while read, named",
          "[ocel][json]") {
    // The declarations pass stops at "objects"; the events pass checks the rest.
    TempDir dir;
    std::string path = dir.file("cut.jsonocel");
    write_file(path, "{\"objectTypes\": [], \"eventTypes\": [],\n \"objects\": [],\n"
                     " \"events\": [{\"id\": \"e1\", \"type\": \"load\", \"time\": "
                     "\"2026-01-01T08:00:00Z\"},\n");
    auto source = open_ocel_json_source(path, {});
    REQUIRE(source);
    std::optional<Error> failure = read_failure(**source);
    REQUIRE(failure);
    CHECK_THAT(failure->message, Catch::Contains("ends early"));
}

TEST_CASE("OCEL 2.0 XML: the events pass starts at <events>, with the file's lines and offsets",
          "[ocel]") {
    // The objects pass stops at <events>; the events pass skips what it already read, but its
    // rejects are located as in the file.
    TempDir dir;
    std::string path = dir.file("log.xmlocel");
    const std::string text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<log>\n"
                             "  <object-types><object-type name=\"box\"/></object-types>\n"
                             "  <event-types><event-type name=\"load\"/></event-types>\n"
                             "  <objects>\n"
                             "    <object id=\"b1\" type=\"box\"/>\n"
                             "  </objects>\n"
                             "  <events>\n"
                             "    <event id=\"e1\" type=\"load\" time=\"2026-01-01T08:00:00Z\">"
                             "<objects><relationship object-id=\"b1\" qualifier=\"in\"/></objects>"
                             "</event>\n"
                             "    <event id=\"e2\" type=\"load\"/>\n"
                             "    <event id=\"e3\" type=\"load\" time=\"2026-01-01T09:00:00Z\"/>\n"
                             "  </events>\n"
                             "</log>\n";
    write_file(path, text);
    auto source = open_ocel_xml_source(path, {});
    REQUIRE(source);
    auto [events, rejects] = drain_rows(**source);
    REQUIRE(events.size() == 2);
    CHECK(events[0].stream == "box-b1");
    CHECK(events[0].line == 9);
    CHECK(events[0].byte_offset == static_cast<std::int64_t>(text.find("<event id=\"e1\"")));
    CHECK(events[1].line == 11);
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].place == "/log/events[1]/event[2]");
    CHECK(rejects[0].line == 10);
    CHECK(rejects[0].byte_offset == static_cast<std::int64_t>(text.find("<event id=\"e2\"")));
    // The file's digest still covers every byte.
    CHECK(to_hex((*source)->raw_digest()) == to_hex(*sha256_file(path)));

    // Another declared encoding: both passes parse the whole file; the same places.
    std::string latin = text;
    latin.replace(latin.find("UTF-8"), 5, "ISO-8859-1");
    write_file(dir.file("latin.xmlocel"), latin);
    auto whole = open_ocel_xml_source(dir.file("latin.xmlocel"), {});
    REQUIRE(whole);
    std::vector<RejectRow> whole_rejects = drain_rows(**whole).rejects;
    REQUIRE(whole_rejects.size() == 1);
    CHECK(whole_rejects[0].place == rejects[0].place);
    CHECK(whole_rejects[0].line == rejects[0].line);
    CHECK(whole_rejects[0].byte_offset ==
          static_cast<std::int64_t>(latin.find("<event id=\"e2\"")));

    // A file cut inside the events fails, with the file's line.
    std::string cut = dir.file("cut.xmlocel");
    write_file(cut, text.substr(0, text.find("    <event id=\"e3\"")));
    auto cut_source = open_ocel_xml_source(cut, {});
    REQUIRE(cut_source);
    std::optional<Error> failure = read_failure(**cut_source);
    REQUIRE(failure);
    CHECK_THAT(failure->message, Catch::Contains("malformed XML"));
    CHECK_THAT(failure->where, Catch::EndsWith(":11"));
}

TEST_CASE("OCEL 2.0 XML: the chunked events pass gives exactly what the expat pass gives",
          "[ocel][xml]") {
    // The same log twice: declared UTF-8 (the events are read in chunks with pugixml) and
    // declared ISO-8859-1, all ASCII, the same length (expat reads the whole file). Enough
    // objects and events for several chunks, each with a trap: CDATA, entities, white space only,
    // mixed and nested text, a comment holding markup, '>' in a value, CR LF, a reject, an element
    // that is not an event, and a second <events> section.
    std::string body =
        "<log>\n"
        "  <object-types><object-type name=\"box\"><attributes>"
        "<attribute name=\"n\" type=\"integer\"/></attributes></object-type></object-types>\n"
        "  <event-types><event-type name=\"load\"><attributes>"
        "<attribute name=\"n\" type=\"integer\"/></attributes></event-type></event-types>\n"
        "  <objects>\n"
        "    <object id=\"b1\" type=\"box\"/><object id=\"b2\" type=\"box\"/>\n";
    // Objects with the same traps, and rejects: a bad time, a repeated id, a missing type.
    for (int i = 0; i < 2000; ++i) {
        std::string n = std::to_string(i);
        body += "    <object id=\"o" + n +
                "\" type=\"box\">\n"
                "      <attributes><attribute name=\"n\" time=\"1970-01-01T00:00:00Z\">" +
                n +
                "</attribute><attribute name=\"note\" time=\"2026-01-01T07:00:00Z\">"
                "<![CDATA[a <b>]]> &amp; <i>c</i></attribute>"
                "<attribute name=\"n\" time=\"" +
                (i % 400 == 0 ? "soon" : "2026-01-01T07:30:00Z") + "\">" + n +
                "</attribute></attributes>\n"
                "      <objects><relationship object-id=\"b1\" qualifier=\"in > " +
                n +
                "\"/>"
                "<relationship object-id=\"nowhere\"/></objects>\n"
                "    </object>\n"
                "    <!-- <object id=\"fake\" type=\"box\"/> -->\n";
        if (i % 600 == 0)
            body += "    <object id=\"o" + n + "\" type=\"box\"/><object id=\"t" + n + "\"/>\n";
    }
    body += "  </objects>\n"
            "  <events>\n";
    for (int i = 0; i < 3000; ++i) {
        std::string n = std::to_string(i);
        std::string time = "2026-01-01T08:00:00Z";
        body += "    <event id=\"e" + n + "\" type=\"load\" time=\"" + time +
                "\">\n"
                "      <attributes><attribute name=\"n\">" +
                n +
                "</attribute>"
                "<attribute name=\"note\"><![CDATA[a <b> & c]]></attribute>"
                "<attribute name=\"esc\">&amp; &#x41;&#66; &lt;</attribute>"
                "<attribute name=\"blank\">   </attribute>"
                "<attribute name=\"mixed\"> x <![CDATA[y]]> z<!-- c --> w\r\n</attribute>"
                "<attribute name=\"nested\">a<b>c</b>d</attribute></attributes>\n"
                "      <objects><relationship object-id=\"b" +
                std::to_string(1 + i % 2) + "\" qualifier=\"q > " + n +
                "\"/><relationship object-id=\"b9\"/>"
                "<relationship object-id=\"b2\"/></objects>\n"
                "    </event>\n"
                "    <!-- <event id=\"fake\" type=\"load\" time=\"" +
                time + "\"/> -->\n";
        if (i % 500 == 0) body += "    <event id=\"x" + n + "\" type=\"load\"/>\n    <note/>\n";
        if (i % 700 == 0)
            body += "    <event id=\"s" + n + "\" type=\"load\" time=\"2026-01-01T09:00:00Z\"/>\n";
    }
    body += "  </events>\n  <events>\n"
            "    <event id=\"late\" type=\"load\" time=\"2026-01-02T08:00:00Z\" a=\"x\tz\"/>\n"
            "  </events>\n</log>\n";
    TempDir dir;
    write_file(dir.file("utf8.xmlocel"),
               "<?xml version=\"1.0\" encoding=\"UTF-8\"     ?>\n" + body);
    write_file(dir.file("latin.xmlocel"),
               "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + body);
    REQUIRE(body.size() > 3 * 512 * 1024);

    Drained fast = drain_path(dir.file("utf8.xmlocel"), open_ocel_xml_source);
    Drained whole = drain_path(dir.file("latin.xmlocel"), open_ocel_xml_source);
    CHECK(fast.events.size() == 3000 + 5 + 1);
    CHECK(fast.events == whole.events);
    CHECK(fast.streams == whole.streams);
    CHECK(fast.attributes == whole.attributes);
    CHECK(fast.relations == whole.relations);
    CHECK(fast.streams.size() == 2002);
    CHECK(fast.attributes.size() == 6000 - 5);
    CHECK(fast.relations.size() == 2000);
    CHECK(fast.findings == whole.findings);
    CHECK(fast.rejects == whole.rejects);
    CHECK(fast.units == whole.units);
    CHECK(fast.rejects.size() == 5 + 4 + 4 + 6);
    CHECK(fast.rejects.front() ==
          "/log/objects[1]/object[3]/attributes[1]/attribute[3]: attribute n of o0: bad time: "
          "expected a 4-digit year at character 1 in \"soon\"");
    CHECK(fast.rejects[1] == "/log/objects[1]/object[4]: object id o0 is declared twice");
    CHECK(fast.rejects[2] == "/log/objects[1]/object[5]: an object needs id and type");
    CHECK(fast.rejects.back() == "/log/events[1]/event[2511]: an event needs id, type and time");
    CHECK(fast.events[0] ==
          "e0 2026-01-01T08:00:00Z load @box-b1 data={\"n\":0,\"note\":\"a <b> & c\","
          "\"esc\":\"& AB <\",\"blank\":\"   \",\"mixed\":\" x y z w\\n\",\"nested\":\"acd\"} "
          "meta={\"ocel:qualifier\":\"q > 0\"} +box-b2(<none>)");

    // Lines and byte offsets of every event and reject agree too.
    auto fast_source = open_ocel_xml_source(dir.file("utf8.xmlocel"), {});
    auto whole_source = open_ocel_xml_source(dir.file("latin.xmlocel"), {});
    REQUIRE(fast_source);
    REQUIRE(whole_source);
    Rows fast_rows = drain_rows(**fast_source), whole_rows = drain_rows(**whole_source);
    auto locations = [](const auto& rows) {
        std::vector<std::pair<std::int64_t, std::int64_t>> out; // line, byte offset
        for (const auto& row : rows)
            out.emplace_back(row.line, row.byte_offset);
        return out;
    };
    CHECK(fast_rows.events.size() == 3000 + 5 + 1);
    CHECK(locations(fast_rows.events) == locations(whole_rows.events));
    CHECK(locations(fast_rows.rejects) == locations(whole_rows.rejects));
}

TEST_CASE("OCEL 2.0 XML: the chunked events pass refuses what expat refuses", "[ocel][xml]") {
    const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n"
                             "  <objects><object id=\"b1\" type=\"box\"/></objects>\n"
                             "  <events>\n"
                             "    <event id=\"e1\" type=\"load\" time=\"2026-01-01T08:00:00Z\"/>\n";
    TempDir dir;
    auto failure = [&](const std::string& events) {
        std::string path = dir.file("bad.xmlocel");
        write_file(path, head + events);
        auto source = open_ocel_xml_source(path, {});
        REQUIRE(source);
        std::optional<Error> error = read_failure(**source);
        REQUIRE(error);
        return *error;
    };
    Error entity =
        failure("    <event id=\"e2\" type=\"&bomb;\" time=\"t\"/>\n  </events>\n</log>\n");
    CHECK_THAT(entity.message, Catch::Contains("undefined entity"));
    CHECK_THAT(entity.where, Catch::EndsWith(":6"));
    Error utf8 =
        failure("    <event id=\"e\xff\" type=\"load\" time=\"t\"/>\n  </events>\n</log>\n");
    CHECK_THAT(utf8.message, Catch::Contains("not valid UTF-8"));
    CHECK_THAT(utf8.where, Catch::EndsWith(":6"));
    Error tags = failure("    <event id=\"e2\"><a></b></event>\n  </events>\n</log>\n");
    CHECK_THAT(tags.message, Catch::Contains("malformed XML"));
    CHECK_THAT(tags.where, Catch::EndsWith(":6"));
    // An ampersand inside a comment, CDATA section or processing instruction is not a
    // reference.
    std::string path = dir.file("good.xmlocel");
    write_file(path, head +
                         "    <!-- a & b --><?note x & y?><event id=\"e2\" type=\"load\" "
                         "time=\"2026-01-01T08:00:00Z\"><attributes><attribute name=\"v\">"
                         "<![CDATA[&x]]></attribute></attributes></event>\n  </events>\n</log>\n");
    auto source = open_ocel_xml_source(path, {});
    REQUIRE(source);
    Rows rows = drain_rows(**source);
    REQUIRE(rows.events.size() == 2);
    CHECK(rows.events[1].data == std::optional<std::string>("{\"v\":\"&x\"}"));
}

TEST_CASE("OCEL 2.0 XML: events before the objects are read as well as events after them",
          "[ocel][xml]") {
    // The objects pass stops at the <events> after </objects>; an earlier <events> section
    // means the events pass must read the whole file rather than start there.
    TempDir dir;
    std::string path = dir.file("split.xmlocel");
    write_file(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n"
                     "  <events><event id=\"e1\" type=\"load\" time=\"2026-01-01T08:00:00Z\">"
                     "<objects><relationship object-id=\"b1\"/></objects></event></events>\n"
                     "  <objects><object id=\"b1\" type=\"box\"/></objects>\n"
                     "  <events><event id=\"e2\" type=\"load\" time=\"2026-01-01T09:00:00Z\"/>"
                     "</events>\n</log>\n");
    auto source = open_ocel_xml_source(path, {});
    REQUIRE(source);
    Rows rows = drain_rows(**source);
    REQUIRE(rows.events.size() == 2);
    CHECK(rows.events[0].event_id == std::optional<std::string>("e1"));
    CHECK(rows.events[0].stream == "box-b1");
    CHECK(rows.events[1].event_id == std::optional<std::string>("e2"));
}

TEST_CASE("OCEL 2.0 XML: objects after the events are rejects, not dropped in silence",
          "[ocel][xml]") {
    // In a UTF-8 file the objects and events are read in one forward pass; an object that only
    // comes after the events cannot be linked to them, so it is a reject with its place.
    TempDir dir;
    std::string path = dir.file("late.xmlocel");
    write_file(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n"
                     "  <object-types/><event-types/>\n"
                     "  <objects><object id=\"b1\" type=\"box\"/></objects>\n"
                     "  <events><event id=\"e1\" type=\"load\" time=\"2026-01-01T08:00:00Z\">"
                     "<objects><relationship object-id=\"b2\"/></objects></event></events>\n"
                     "  <objects><object id=\"b2\" type=\"box\"/></objects>\n</log>\n");
    auto source = open_ocel_xml_source(path, {});
    REQUIRE(source);
    Drained rows = drain(**source);
    REQUIRE(rows.events.size() == 1);
    CHECK_THAT(rows.findings.at(0), Catch::Contains("links object b2"));
    REQUIRE(rows.rejects.size() == 1);
    CHECK(rows.rejects[0] == "/log/objects[2]/object[1]: object b2 comes after the events and is "
                             "not read (OCEL 2.0 puts the objects before the events)");
}
