// What the in-process benchmark tools share: their exit codes, reading a positive integer
// option, and a main() that prints the usage on a bad command line and turns an escaping
// exception into an internal error.
#pragma once

#include <charconv>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string_view>

namespace asof::bench {

constexpr int exit_usage = 2, exit_bad_input = 3, exit_internal = 70;

inline std::optional<std::int64_t> positive(std::string_view text) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
    return value;
}

// Parses the command line with `parse` (nothing: usage error) and runs `run` on the options.
template <class Parse, class Run>
int bench_main(int argc, char** argv, const char* name, const char* usage, Parse parse, Run run) {
    auto options = parse(argc, argv);
    if (!options) {
        std::cerr << usage;
        return exit_usage;
    }
    try {
        return run(*options);
    } catch (const std::exception& error) {
        std::cerr << name << ": internal error: " << error.what() << '\n';
        return exit_internal;
    }
}

} // namespace asof::bench
