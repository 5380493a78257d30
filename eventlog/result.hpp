// Expected failures as values: an Error carries a message and the place it refers to.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace asof {

// What a failure is about: the user's input (a file, an argument) or the environment and
// asof itself (a SQLite error, a full disk, a broken invariant).
enum class ErrorKind { input, environment };

// A failure the caller is expected to handle: bad input, a missing file, a SQLite error.
// `where` names the location ("events.jsonl:42", "column 7", "case.asof"), empty when none.
struct Error {
    std::string message;
    std::string where;
    ErrorKind kind = ErrorKind::input;

    // "where: message", or just the message when there is no location.
    std::string describe() const { return where.empty() ? message : where + ": " + message; }
};

template <class T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string message, std::string where = {}) {
    return tl::unexpected<Error>(Error{std::move(message), std::move(where)});
}

} // namespace asof
