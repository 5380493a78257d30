// NameTable (eventlog/name_table.hpp): the import's compact map of stream names, held to the
// behaviour of std::unordered_map on many names, with stable references and empty names.
#include "eventlog/name_table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <unordered_map>
#include <vector>

using asof::NameTable;

TEST_CASE("name table: finds what was inserted and nothing else, like unordered_map",
          "[name_table]") {
    NameTable<std::int64_t> table;
    std::unordered_map<std::string, std::int64_t> expected;
    CHECK(table.find("discrepancy-1") == nullptr);
    // Enough names to grow the index many times and fill several name blocks (1 MiB each).
    for (std::int64_t i = 0; i < 150000; ++i) {
        std::string name = (i % 3 == 0   ? "discrepancy-"
                            : i % 3 == 1 ? "shipment-"
                                         : "x") +
                           std::to_string(i) + std::string(static_cast<std::size_t>(i % 17), 'z');
        table.insert(name, i);
        expected.emplace(name, i);
    }
    REQUIRE(table.size() == expected.size());
    for (const auto& [name, value] : expected) {
        std::int64_t* found = table.find(name);
        REQUIRE(found);
        CHECK(*found == value);
    }
    CHECK(table.find("discrepancy-150000") == nullptr);
    CHECK(table.find("discrepancy-") == nullptr);
    CHECK(table.find("") == nullptr);

    // for_each visits every entry once, in insertion order.
    std::int64_t next = 0;
    bool in_order = true;
    table.for_each([&](std::string_view name, std::int64_t& value) {
        in_order = in_order && value == next++ && expected.at(std::string(name)) == value;
    });
    CHECK(in_order);
    CHECK(next == 150000);

    table.clear();
    CHECK(table.size() == 0);
    CHECK(table.find("x2") == nullptr);
    table.insert("x2", 7);
    CHECK(*table.find("x2") == 7);
}

TEST_CASE("name table: references stay valid while the table grows, and names are copied",
          "[name_table]") {
    NameTable<std::vector<int>> table;
    std::string name = "stream-0";
    std::vector<int>* first = &table.insert(name, {1, 2, 3});
    name = "changed"; // the table keeps its own copy
    for (int i = 1; i < 5000; ++i)
        table.insert("stream-" + std::to_string(i), {i});
    CHECK(table.find("stream-0") == first);
    CHECK(*first == std::vector<int>{1, 2, 3});
    CHECK(table.find("changed") == nullptr);
    // An empty name and a name longer than a block are names like any other.
    table.insert("", {-1});
    std::string long_name(3 << 20, 'n');
    table.insert(long_name, {-2});
    CHECK(table.find("")->at(0) == -1);
    CHECK(table.find(long_name)->at(0) == -2);
    CHECK(table.find("stream-4999")->at(0) == 4999);
}
