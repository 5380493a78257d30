// Splits query text into tokens, each with its byte span. Words are kept as written; the parser
// decides whether a word is a keyword, a time, a number, a path or a name.
#pragma once

#include "query/ast.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace asof::query {

struct Token {
    enum class Kind {
        word,   // a run of anything but spaces, quotes, parentheses, commas and operators
        string, // "quoted" or 'quoted'; `text` holds the unescaped content
        hash,   // #4721; `text` holds what follows the '#'
        lparen, // (
        rparen, // )
        comma,  // ,
        range,  // ..
        op,     // = != < <= > >= ~
        end,    // after the last token
    };
    Kind kind = Kind::end;
    std::string text;
    Span span;
};

// Tokenizes `text`. Fails on an unterminated string, a control character or a stray '!',
// naming the column.
QueryResult<std::vector<Token>> tokenize(std::string_view text);

// A short description of a token for error messages: "\"between\"", "the end of the query".
std::string describe(const Token& token);

} // namespace asof::query
