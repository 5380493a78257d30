// The query lexer: words, quoted strings, #ids, punctuation and comparison operators.
#include "query/lexer.hpp"

namespace asof::query {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that end a word (besides spaces and "..").
bool ends_word(char c) {
    switch (c) {
    case '"':
    case '\'':
    case '(':
    case ')':
    case ',':
    case '#':
    case '=':
    case '!':
    case '<':
    case '>':
    case '~':
        return true;
    default:
        return is_space(c);
    }
}

bool is_control(char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && !is_space(c)) || byte == 0x7f;
}

std::string column_of(std::size_t offset) {
    return "column " + std::to_string(offset + 1);
}

// Reads a quoted string starting at `pos` (the quote). Inside, a backslash escapes the next
// character and a doubled quote stands for one quote.
QueryResult<Token> read_string(std::string_view text, std::size_t& pos) {
    char quote = text[pos];
    std::size_t start = pos++;
    Token token{Token::Kind::string, {}, {}};
    while (pos < text.size()) {
        char c = text[pos];
        if (c == '\\' && pos + 1 < text.size()) {
            token.text += text[pos + 1];
            pos += 2;
            continue;
        }
        if (c == quote) {
            if (pos + 1 < text.size() && text[pos + 1] == quote) {
                token.text += quote;
                pos += 2;
                continue;
            }
            ++pos;
            token.span = {start, pos};
            return token;
        }
        if (is_control(c))
            return query_fail("control character in a quoted string at " + column_of(pos),
                              {pos, pos + 1});
        token.text += c;
        ++pos;
    }
    return query_fail(std::string("unterminated string: the ") + quote +
                          " opened here is never closed",
                      {start, text.size()});
}

} // namespace

QueryResult<std::vector<Token>> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t pos = 0;
    while (pos < text.size()) {
        char c = text[pos];
        if (is_space(c)) {
            ++pos;
            continue;
        }
        if (is_control(c))
            return query_fail("control character in the query at " + column_of(pos),
                              {pos, pos + 1});
        std::size_t start = pos;
        auto single = [&](Token::Kind kind, std::size_t length) {
            tokens.push_back(
                {kind, std::string(text.substr(start, length)), {start, start + length}});
            pos += length;
        };
        switch (c) {
        case '"':
        case '\'': {
            auto token = read_string(text, pos);
            if (!token) return tl::unexpected(token.error());
            tokens.push_back(std::move(*token));
            continue;
        }
        case '(':
            single(Token::Kind::lparen, 1);
            continue;
        case ')':
            single(Token::Kind::rparen, 1);
            continue;
        case ',':
            single(Token::Kind::comma, 1);
            continue;
        case '=':
        case '~':
            single(Token::Kind::op, 1);
            continue;
        case '<':
        case '>':
            single(Token::Kind::op, pos + 1 < text.size() && text[pos + 1] == '=' ? 2 : 1);
            continue;
        case '!':
            if (pos + 1 < text.size() && text[pos + 1] == '=') {
                single(Token::Kind::op, 2);
                continue;
            }
            return query_fail("unexpected \"!\" at " + column_of(pos) + " (did you mean \"!=\"?)",
                              {pos, pos + 1});
        case '#': {
            ++pos;
            while (pos < text.size() && !ends_word(text[pos]) && !is_control(text[pos]) &&
                   text.substr(pos, 2) != "..")
                ++pos;
            if (pos == start + 1)
                return query_fail("expected an id after \"#\" at " + column_of(start),
                                  {start, start + 1});
            tokens.push_back({Token::Kind::hash,
                              std::string(text.substr(start + 1, pos - start - 1)),
                              {start, pos}});
            continue;
        }
        default:
            break;
        }
        if (text.substr(pos, 2) == "..") {
            single(Token::Kind::range, 2);
            continue;
        }
        while (pos < text.size() && !ends_word(text[pos]) && !is_control(text[pos]) &&
               text.substr(pos, 2) != "..")
            ++pos;
        tokens.push_back(
            {Token::Kind::word, std::string(text.substr(start, pos - start)), {start, pos}});
    }
    tokens.push_back({Token::Kind::end, {}, {text.size(), text.size()}});
    return tokens;
}

std::string describe(const Token& token) {
    switch (token.kind) {
    case Token::Kind::end:
        return "the end of the query";
    case Token::Kind::string:
        return "the string \"" + token.text + "\"";
    case Token::Kind::hash:
        return "\"#" + token.text + "\"";
    default:
        return "\"" + token.text + "\"";
    }
}

} // namespace asof::query
