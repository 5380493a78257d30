// The query parser: a recursive-descent reader over the lexer's tokens (grammar in README
// "Query language").
#include "query/parser.hpp"

#include "query/lexer.hpp"
#include "query/words.hpp"

#include <array>
#include <date/date.h>

namespace asof::query {
namespace {

// Filler accepted at the start of a query, longest first; it carries no meaning.
constexpr std::array<std::array<const char*, 4>, 22> fillers = {{
    {"show", "me", "everything", "on"},      {"show", "me", "everything", "for"},
    {"show", "me", "everything", nullptr},   {"what", "happened", "to", nullptr},
    {"what", "happened", "on", nullptr},     {"what", "happened", "in", nullptr},
    {"all", "events", "on", nullptr},        {"all", "events", "for", nullptr},
    {"all", "events", "of", nullptr},        {"everything", "on", nullptr, nullptr},
    {"everything", "for", nullptr, nullptr}, {"everything", "about", nullptr, nullptr},
    {"everything", "in", nullptr, nullptr},  {"what", "happened", nullptr, nullptr},
    {"show", "me", nullptr, nullptr},        {"show", "all", nullptr, nullptr},
    {"events", "on", nullptr, nullptr},      {"events", "for", nullptr, nullptr},
    {"all", "events", nullptr, nullptr},     {"everything", nullptr, nullptr, nullptr},
    {"show", nullptr, nullptr, nullptr},     {"list", nullptr, nullptr, nullptr},
}};

bool all_letters(std::string_view word) {
    if (word.empty()) return false;
    for (char c : word)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    return true;
}

bool starts_with_ci(std::string_view word, std::string_view prefix) {
    return word.size() >= prefix.size() && lower_ascii(word.substr(0, prefix.size())) == prefix;
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    // One time phrase and nothing after it (the --at of replay).
    QueryResult<TimePoint> parse_point() {
        if (!starts_point()) return expected("a time (a date, weekday, time of day, now, ...)");
        auto point = time_point();
        if (!point) return point;
        if (!at_end()) return expected("the end of the time");
        return point;
    }

    QueryResult<Query> parse() {
        skip_filler();
        while (!at_end()) {
            auto ok = clause();
            if (!ok) return tl::unexpected(ok.error());
        }
        if (query_.mode == Query::Mode::as_of && query_.time)
            return query_fail("\"as of\" asks for one instant; it cannot be combined with a time "
                              "range",
                              query_.time->span);
        return std::move(query_);
    }

private:
    // --- token access ---------------------------------------------------------------------
    const Token& peek(std::size_t ahead = 0) const {
        std::size_t at = std::min(pos_ + ahead, tokens_.size() - 1);
        return tokens_[at];
    }
    const Token& take() {
        const Token& token = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) ++pos_;
        return token;
    }
    bool at_end() const { return peek().kind == Token::Kind::end; }
    bool is_word(const Token& token, std::string_view lowered) const {
        return token.kind == Token::Kind::word && lower_ascii(token.text) == lowered;
    }
    bool peek_word(std::string_view lowered, std::size_t ahead = 0) const {
        return is_word(peek(ahead), lowered);
    }
    tl::unexpected<QueryError> expected(std::string what) const {
        return query_fail("expected " + what + ", found " + describe(peek()), peek().span);
    }
    Span span_from(std::size_t begin) const {
        std::size_t end = pos_ > 0 ? tokens_[pos_ - 1].span.end : begin;
        return {begin, std::max(begin, end)};
    }

    void skip_filler() {
        for (const auto& phrase : fillers) {
            std::size_t n = 0;
            while (n < phrase.size() && phrase[n] && peek_word(phrase[n], n))
                ++n;
            if (n == phrase.size() || (n < phrase.size() && !phrase[n])) {
                pos_ += n;
                return;
            }
        }
    }

    // --- clauses -------------------------------------------------------------------------
    QueryResult<void> clause() {
        const Token& token = peek();
        if (token.kind == Token::Kind::comma) {
            if (query_.targets.empty()) return expected("a target before \",\"");
            take();
            return target();
        }
        if (peek_word("or") && !query_.targets.empty() && last_was_target_) {
            take();
            return target();
        }
        last_was_target_ = false;
        if (peek_word("and")) {
            take();
            if (starts_filter() || starts_time()) return clause();
            return expected("a filter or a time after \"and\" (join targets with \"or\" or \",\")");
        }
        if (peek_word("where")) {
            take();
            if (!starts_filter()) return expected("a filter after \"where\"");
            return add_filter();
        }
        if (peek_word("count")) return count_by();
        if ((peek_word("newest") || peek_word("oldest")) && peek_word("first", 1)) {
            query_.newest_first = peek_word("newest");
            pos_ += 2;
            return {};
        }
        if (peek_word("limit")) return limit();
        if (peek_word("as") && peek_word("of", 1)) return as_of();
        if (peek_word("changes")) {
            take();
            if (query_.mode != Query::Mode::list)
                return query_fail("\"changes\" given twice or with \"as of\"",
                                  tokens_[pos_ - 1].span);
            query_.mode = Query::Mode::changes;
            return {};
        }
        if (starts_filter()) return add_filter();
        if (starts_time()) return time_clause();
        if (token.kind == Token::Kind::word) return target();
        return expected("a target, a time, a filter or \"where\"");
    }

    QueryResult<void> count_by() {
        take();
        if (!peek_word("by")) return expected("\"by\" after \"count\"");
        take();
        static constexpr std::array<std::pair<const char*, CountBy>, 6> keys = {
            {{"type", CountBy::type},
             {"actor", CountBy::actor},
             {"stream", CountBy::stream},
             {"day", CountBy::day},
             {"hour", CountBy::hour},
             {"week", CountBy::week}}};
        for (const auto& [name, key] : keys)
            if (peek_word(name)) {
                if (query_.count_by) return query_fail("\"count by\" given twice", peek().span);
                take();
                query_.count_by = key;
                return {};
            }
        return expected("type, actor, stream, day, hour or week after \"count by\"");
    }

    QueryResult<void> limit() {
        take();
        auto value = peek().kind == Token::Kind::word ? integer_word(peek().text) : std::nullopt;
        if (!value) return expected("a whole number after \"limit\"");
        if (query_.limit) return query_fail("\"limit\" given twice", peek().span);
        take();
        query_.limit = *value;
        return {};
    }

    QueryResult<void> as_of() {
        std::size_t begin = peek().span.begin;
        pos_ += 2;
        if (query_.mode != Query::Mode::list)
            return query_fail("\"as of\" given twice or with \"changes\"", span_from(begin));
        if (!starts_point()) return expected("an instant after \"as of\"");
        auto point = time_point();
        if (!point) return tl::unexpected(point.error());
        query_.mode = Query::Mode::as_of;
        query_.as_of = *point;
        return {};
    }

    // --- targets -------------------------------------------------------------------------
    QueryResult<void> target() {
        const Token& token = peek();
        if (token.kind != Token::Kind::word || is_keyword(token.text))
            return expected("a target (discrepancy #4721, stream:NAME or a stream name)");
        Target target;
        std::size_t begin = token.span.begin;
        if (starts_with_ci(token.text, "stream:")) {
            std::string name = token.text.substr(7);
            take();
            if (name.empty()) {
                if (peek().kind != Token::Kind::string)
                    return expected("a stream name after \"stream:\"");
                name = take().text;
            }
            if (name.empty()) return query_fail("empty stream name", span_from(begin));
            target.kind = Target::Kind::name;
            target.name = name;
        } else if (all_letters(token.text) && peek(1).kind == Token::Kind::hash) {
            target.kind = Target::Kind::kind_key;
            target.stream_kind = lower_ascii(take().text);
            target.key = take().text;
        } else if (all_letters(token.text) && peek(1).kind == Token::Kind::word &&
                   !is_keyword(peek(1).text) && !starts_filter(1) &&
                   !looks_like_time(peek(1).text)) {
            target.kind = Target::Kind::kind_key;
            target.stream_kind = lower_ascii(take().text);
            target.key = take().text;
        } else {
            target.kind = Target::Kind::name;
            target.name = take().text;
        }
        target.span = span_from(begin);
        query_.targets.push_back(std::move(target));
        last_was_target_ = true;
        return {};
    }

    // --- filters -------------------------------------------------------------------------
    bool starts_filter(std::size_t ahead = 0) const {
        const Token& token = peek(ahead);
        if (token.kind == Token::Kind::string || token.kind == Token::Kind::lparen) return true;
        if (token.kind != Token::Kind::word) return false;
        std::string word = lower_ascii(token.text);
        if (word == "not") return true;
        if (word.starts_with("type:") || word.starts_with("actor:")) return true;
        if ((word == "type" || word == "actor") &&
            (peek(ahead + 1).kind == Token::Kind::op || is_word(peek(ahead + 1), "in")))
            return true;
        return word == "data" || word == "meta" || word.starts_with("data.") ||
               word.starts_with("meta.") || word.starts_with("data[") || word.starts_with("meta[");
    }

    QueryResult<void> add_filter() {
        auto filter = or_expression(0);
        if (!filter) return tl::unexpected(filter.error());
        if (!query_.filter) {
            query_.filter = std::move(*filter);
            return {};
        }
        if (query_.filter->kind != Filter::Kind::all_of) {
            Filter both;
            both.kind = Filter::Kind::all_of;
            both.span = query_.filter->span;
            both.children.push_back(std::move(*query_.filter));
            query_.filter = std::move(both);
        }
        query_.filter->span.end = filter->span.end;
        if (filter->kind == Filter::Kind::all_of) {
            for (auto& child : filter->children)
                query_.filter->children.push_back(std::move(child));
        } else {
            query_.filter->children.push_back(std::move(*filter));
        }
        return {};
    }

    static Filter combine(Filter::Kind kind, std::vector<Filter> parts) {
        if (parts.size() == 1) return std::move(parts.front());
        Filter combined;
        combined.kind = kind;
        combined.span = {parts.front().span.begin, parts.back().span.end};
        combined.children = std::move(parts);
        return combined;
    }

    QueryResult<Filter> or_expression(int depth) {
        std::vector<Filter> parts;
        for (;;) {
            auto part = and_expression(depth);
            if (!part) return part;
            parts.push_back(std::move(*part));
            if (!(peek_word("or") && starts_filter(1))) break;
            take();
        }
        return combine(Filter::Kind::any_of, std::move(parts));
    }

    QueryResult<Filter> and_expression(int depth) {
        std::vector<Filter> parts;
        for (;;) {
            auto part = unary(depth);
            if (!part) return part;
            parts.push_back(std::move(*part));
            if (peek_word("and") && starts_filter(1)) {
                take();
                continue;
            }
            if (!starts_filter()) break; // adjacent filters are joined by "and"
        }
        return combine(Filter::Kind::all_of, std::move(parts));
    }

    QueryResult<Filter> unary(int depth) {
        if (depth >= max_query_depth)
            return query_fail("the query nests parentheses or \"not\" more than " +
                                  std::to_string(max_query_depth) + " deep",
                              peek().span);
        if (peek_word("not")) {
            std::size_t begin = take().span.begin;
            if (!starts_filter()) return expected("a filter after \"not\"");
            auto inner = unary(depth + 1);
            if (!inner) return inner;
            Filter negated;
            negated.kind = Filter::Kind::negate;
            negated.children.push_back(std::move(*inner));
            negated.span = span_from(begin);
            return negated;
        }
        if (peek().kind == Token::Kind::lparen) {
            std::size_t begin = take().span.begin;
            if (!starts_filter()) return expected("a filter after \"(\"");
            auto inner = or_expression(depth + 1);
            if (!inner) return inner;
            if (peek().kind != Token::Kind::rparen)
                return expected("\")\" to close the \"(\" at column " + std::to_string(begin + 1));
            take();
            return inner;
        }
        return primary();
    }

    QueryResult<Filter> primary() {
        const Token& token = peek();
        std::size_t begin = token.span.begin;
        Filter filter;
        if (token.kind == Token::Kind::string) {
            if (token.text.empty()) return query_fail("empty search text", token.span);
            filter.kind = Filter::Kind::text_search;
            filter.name = take().text;
            filter.span = span_from(begin);
            return filter;
        }
        std::string word = lower_ascii(token.text);
        for (const auto& [prefix, kind] : {std::pair{"type", Filter::Kind::type_is},
                                           std::pair{"actor", Filter::Kind::actor_is}}) {
            std::string field = prefix;
            if (word.starts_with(field + ":")) {
                std::string name = token.text.substr(field.size() + 1);
                take();
                if (name.empty()) {
                    if (peek().kind != Token::Kind::string)
                        return expected("a " + field + " name after \"" + field + ":\"");
                    name = take().text;
                }
                if (name.empty()) return query_fail("empty " + field + " name", span_from(begin));
                filter.kind = kind;
                filter.name = name;
                filter.span = span_from(begin);
                return filter;
            }
            if (word == field) return name_comparison(kind, field);
        }
        auto path = field_path();
        if (!path) return tl::unexpected(path.error());
        filter.path = *path;
        if (peek_word("exists")) {
            take();
            filter.kind = Filter::Kind::exists;
        } else if (peek_word("in")) {
            take();
            auto values = literal_list();
            if (!values) return tl::unexpected(values.error());
            filter.kind = Filter::Kind::in_list;
            filter.values = std::move(*values);
        } else if (peek().kind == Token::Kind::op) {
            filter.kind = Filter::Kind::compare;
            filter.op = operator_of(take().text);
            auto value = literal();
            if (!value) return tl::unexpected(value.error());
            filter.values.push_back(std::move(*value));
        } else {
            return expected("a comparison (=, !=, <, <=, >, >=, ~), \"in (...)\" or \"exists\" "
                            "after " +
                            describe(tokens_[pos_ - 1]));
        }
        filter.span = span_from(begin);
        return filter;
    }

    // "type = X", "type != X", "type in (X, Y)" (and the same for actor).
    QueryResult<Filter> name_comparison(Filter::Kind kind, const std::string& field) {
        std::size_t begin = take().span.begin;
        auto single = [&](std::string name) {
            Filter filter;
            filter.kind = kind;
            filter.name = std::move(name);
            filter.span = span_from(begin);
            return filter;
        };
        std::vector<Filter> names;
        bool negate = false;
        if (peek_word("in")) {
            take();
            auto values = literal_list();
            if (!values) return tl::unexpected(values.error());
            for (auto& value : *values)
                names.push_back(single(value.text));
        } else {
            std::string op = peek().text;
            if (peek().kind != Token::Kind::op || (op != "=" && op != "!="))
                return expected("=, != or \"in\" after \"" + field + "\"");
            take();
            negate = op == "!=";
            auto value = literal();
            if (!value) return tl::unexpected(value.error());
            names.push_back(single(value->text));
        }
        Filter result = combine(Filter::Kind::any_of, std::move(names));
        result.span = span_from(begin);
        if (!negate) return result;
        Filter negated;
        negated.kind = Filter::Kind::negate;
        negated.span = result.span;
        negated.children.push_back(std::move(result));
        return negated;
    }

    static CompareOp operator_of(std::string_view op) {
        if (op == "=") return CompareOp::eq;
        if (op == "!=") return CompareOp::ne;
        if (op == "<") return CompareOp::lt;
        if (op == "<=") return CompareOp::le;
        if (op == ">") return CompareOp::gt;
        if (op == ">=") return CompareOp::ge;
        return CompareOp::contains;
    }

    // data.amount.value, meta.schema, data.items[0].sku
    QueryResult<FieldPath> field_path() {
        const Token& token = peek();
        if (token.kind != Token::Kind::word) return expected("a payload path such as data.amount");
        std::string_view text = token.text;
        FieldPath path;
        path.span = token.span;
        std::string root = lower_ascii(text.substr(0, 4));
        if (root != "data" && root != "meta") return expected("a payload path such as data.amount");
        path.root = root == "data" ? FieldPath::Root::data : FieldPath::Root::meta;
        std::size_t pos = 4;
        while (pos < text.size()) {
            if (text[pos] == '.') {
                std::size_t start = ++pos;
                while (pos < text.size() && text[pos] != '.' && text[pos] != '[')
                    ++pos;
                if (pos == start)
                    return query_fail("empty key in the path \"" + token.text + "\"", token.span);
                std::string key(text.substr(start, pos - start));
                if (key.find('"') != std::string::npos)
                    return query_fail("a path key cannot contain '\"'", token.span);
                path.steps.push_back({key, std::nullopt});
            } else if (text[pos] == '[') {
                std::size_t close = text.find(']', pos);
                auto index = close == std::string_view::npos
                                 ? std::nullopt
                                 : integer_word(text.substr(pos + 1, close - pos - 1));
                if (!index)
                    return query_fail("expected an array index such as [0] in the path \"" +
                                          token.text + "\"",
                                      token.span);
                path.steps.push_back({{}, *index});
                pos = close + 1;
            } else {
                return query_fail("expected \".\" or \"[\" in the path \"" + token.text +
                                      "\" at column " + std::to_string(token.span.begin + pos + 1),
                                  token.span);
            }
        }
        take();
        return path;
    }

    QueryResult<Literal> literal() {
        const Token& token = peek();
        Literal value;
        value.span = token.span;
        if (token.kind == Token::Kind::string) {
            value.kind = Literal::Kind::string;
            value.text = take().text;
            return value;
        }
        if (token.kind != Token::Kind::word)
            return expected("a value (a number, \"text\", true, false or null)");
        value.text = token.text;
        if (auto number = number_word(token.text)) {
            value.kind = Literal::Kind::number;
            value.number = *number;
        } else if (lower_ascii(token.text) == "true" || lower_ascii(token.text) == "false") {
            value.kind = Literal::Kind::boolean;
            value.boolean = lower_ascii(token.text) == "true";
        } else if (lower_ascii(token.text) == "null") {
            value.kind = Literal::Kind::null;
        } else {
            value.kind = Literal::Kind::string; // a bare word is text: data.status = open
        }
        take();
        return value;
    }

    QueryResult<std::vector<Literal>> literal_list() {
        if (peek().kind != Token::Kind::lparen) return expected("\"(\" after \"in\"");
        std::size_t open = take().span.begin;
        std::vector<Literal> values;
        for (;;) {
            auto value = literal();
            if (!value) return tl::unexpected(value.error());
            values.push_back(std::move(*value));
            if (peek().kind == Token::Kind::comma) {
                take();
                continue;
            }
            if (peek().kind == Token::Kind::rparen) {
                take();
                return values;
            }
            return expected("\",\" or \")\" to close the list opened at column " +
                            std::to_string(open + 1));
        }
    }

    // --- time ----------------------------------------------------------------------------
    // Whether a word could begin an instant or a calendar phrase.
    static bool looks_like_time(std::string_view word) {
        if (weekday_number(word) || month_number(word)) return true;
        // An impossible time ("25:00", "13pm") counts, so that it is reported as one.
        if (auto tod = time_of_day(word, {}); !tod || *tod) return true;
        return word.size() >= 7 && integer_word(word.substr(0, 4)) && word[4] == '-';
    }

    bool starts_point(std::size_t ahead = 0) const {
        const Token& token = peek(ahead);
        if (token.kind != Token::Kind::word) return false;
        std::string word = lower_ascii(token.text);
        if (word == "now" || word == "today" || word == "yesterday" || word == "tomorrow")
            return true;
        if ((word == "this" || word == "last") && unit_word(peek(ahead + 1).text)) return true;
        if (looks_like_time(token.text)) return true;
        if (integer_word(word)) {
            const Token& next = peek(ahead + 1);
            if (next.kind == Token::Kind::word &&
                (unit_word(next.text) || month_number(next.text) || is_word(next, "am") ||
                 is_word(next, "pm")))
                return true;
            return word.size() == 4; // a year
        }
        return false;
    }

    // Whether a time clause starts here. Its opening words ("since", "between", ...) are
    // reserved, so they start one even when no valid time follows (the error then says so).
    bool starts_time() const {
        static constexpr std::array<const char*, 12> openers = {
            "between", "from",   "on",    "in",   "since", "until",
            "till",    "before", "after", "past", "last",  "at"};
        for (const char* opener : openers)
            if (peek_word(opener)) return true;
        return starts_point();
    }

    QueryResult<void> time_clause() {
        std::size_t begin = peek().span.begin;
        if (query_.time)
            return query_fail("a second time clause; the query already has one (at column " +
                                  std::to_string(query_.time->span.begin + 1) + ")",
                              peek().span);
        TimeRange range;
        std::string word = lower_ascii(peek().text);
        auto one_point = [&](TimeRange::Kind kind) -> QueryResult<void> {
            take();
            if (!starts_point()) return expected("a time after \"" + word + "\"");
            auto point = time_point();
            if (!point) return tl::unexpected(point.error());
            range.kind = kind;
            range.a = *point;
            return {};
        };
        QueryResult<void> ok;
        if (word == "between" || word == "from") {
            take();
            if (!starts_point()) return expected("a time after \"" + word + "\"");
            auto a = time_point();
            if (!a) return tl::unexpected(a.error());
            range.a = *a;
            if (word == "between" && !peek_word("and"))
                return expected("\"and\" after the start of the range");
            if (word == "from" && !ends_range_word()) {
                range.kind = TimeRange::Kind::since; // "from monday": since monday
            } else {
                take();
                if (!starts_point()) return expected("the end of the range");
                auto b = time_point();
                if (!b) return tl::unexpected(b.error());
                range.kind = TimeRange::Kind::between;
                range.b = *b;
            }
        } else if (word == "on" || word == "in" || word == "at") {
            ok = one_point(TimeRange::Kind::point);
        } else if (word == "since") {
            ok = one_point(TimeRange::Kind::since);
        } else if (word == "until" || word == "till") {
            ok = one_point(TimeRange::Kind::until);
        } else if (word == "before") {
            ok = one_point(TimeRange::Kind::before);
        } else if (word == "after") {
            ok = one_point(TimeRange::Kind::after);
        } else if ((word == "last" || word == "past") && !unit_word(peek(1).text)) {
            take();
            auto count =
                peek().kind == Token::Kind::word ? integer_word(peek().text) : std::nullopt;
            if (!count) return expected("a number or week, month, year after \"" + word + "\"");
            if (*count < 1 || *count > 100000)
                return query_fail("\"" + word + " N\" needs N from 1 to 100000", peek().span);
            take();
            auto unit = peek().kind == Token::Kind::word ? unit_word(peek().text) : std::nullopt;
            if (!unit) return expected("minutes, hours, days, weeks, months or years");
            take();
            range.kind = TimeRange::Kind::last_n;
            range.count = static_cast<int>(*count);
            range.unit = *unit;
        } else {
            auto a = time_point();
            if (!a) return tl::unexpected(a.error());
            range.a = *a;
            range.kind = TimeRange::Kind::point;
            if (ends_range_word()) {
                take();
                if (!starts_point()) return expected("the end of the range");
                auto b = time_point();
                if (!b) return tl::unexpected(b.error());
                range.kind = TimeRange::Kind::between;
                range.b = *b;
            }
        }
        if (!ok) return ok;
        range.span = span_from(begin);
        query_.time = range;
        return {};
    }

    bool ends_range_word() const {
        return peek().kind == Token::Kind::range || peek_word("to") || peek_word("until") ||
               peek_word("till") || peek_word("through") || peek_word("thru");
    }

    // A time phrase: a day (today, tuesday, 2026-04-14, april 14, 14 april 2026, ...), optionally
    // with a time of day before or after it, or a time of day alone, or a coarser unit.
    QueryResult<TimePoint> time_point() {
        std::size_t begin = peek().span.begin;
        TimePoint point;
        auto time = clock_time();
        if (!time) return tl::unexpected(time.error());
        if (*time) {
            // "2pm yesterday", "9:30 today", "14:00 on tuesday", or a time alone.
            if (peek_word("on") && starts_day(1)) take();
            if (starts_day()) {
                auto day = day_phrase();
                if (!day) return day;
                point = *day;
            } else {
                point.kind = TimePoint::Kind::time_only;
            }
            point.time = **time;
        } else {
            auto day = day_phrase();
            if (!day) return day;
            point = *day;
            bool can_take_time =
                point.kind == TimePoint::Kind::today || point.kind == TimePoint::Kind::yesterday ||
                point.kind == TimePoint::Kind::tomorrow || point.kind == TimePoint::Kind::weekday ||
                (point.kind == TimePoint::Kind::date && !point.time);
            if (can_take_time) {
                std::size_t mark = pos_;
                if (peek_word("at")) take();
                auto after = clock_time();
                if (!after) return tl::unexpected(after.error());
                if (*after)
                    point.time = **after;
                else
                    pos_ = mark;
            }
        }
        point.span = span_from(begin);
        return point;
    }

    // A time of day at the cursor ("14:30", "2pm", "2 pm"), consumed when found.
    QueryResult<std::optional<TimeOfDay>> clock_time() {
        const Token& token = peek();
        if (token.kind != Token::Kind::word) return std::optional<TimeOfDay>{};
        if (integer_word(token.text) && (peek_word("am", 1) || peek_word("pm", 1))) {
            Span span{token.span.begin, peek(1).span.end};
            auto time = time_of_day(token.text, span, peek(1).text);
            if (time && *time) pos_ += 2;
            return time;
        }
        auto time = time_of_day(token.text, token.span);
        if (time && *time) take();
        return time;
    }

    bool starts_day(std::size_t ahead = 0) const {
        const Token& token = peek(ahead);
        if (token.kind != Token::Kind::word) return false;
        std::string word = lower_ascii(token.text);
        if (word == "today" || word == "yesterday" || word == "tomorrow") return true;
        if (weekday_number(word) || month_number(word)) return true;
        if (integer_word(word) && month_number(peek(ahead + 1).text)) return true;
        return word.size() >= 10 && integer_word(word.substr(0, 4)) && word[4] == '-';
    }

    QueryResult<TimePoint> day_phrase() {
        const Token& token = peek();
        TimePoint point;
        point.span = token.span;
        std::string word = lower_ascii(token.text);
        if (token.kind != Token::Kind::word) return expected("a time");
        if (word == "now" || word == "today" || word == "yesterday" || word == "tomorrow") {
            take();
            point.kind = word == "now"         ? TimePoint::Kind::now
                         : word == "today"     ? TimePoint::Kind::today
                         : word == "yesterday" ? TimePoint::Kind::yesterday
                                               : TimePoint::Kind::tomorrow;
            return point;
        }
        if (auto weekday = weekday_number(word)) {
            take();
            point.kind = TimePoint::Kind::weekday;
            point.weekday = *weekday;
            return point;
        }
        if (word == "this" || word == "last") {
            auto unit = unit_word(peek(1).text);
            if (!unit) return expected("week, month or year after \"" + word + "\"");
            pos_ += 2;
            point.kind = word == "this" ? TimePoint::Kind::this_unit : TimePoint::Kind::last_unit;
            point.unit = *unit;
            return point;
        }
        auto iso = iso_word(token.text, token.span);
        if (!iso) return tl::unexpected(iso.error());
        if (*iso) {
            take();
            return **iso;
        }
        if (auto month = month_number(word)) {
            // "april", "april 14", "april 2026", "april 14 2026", "april 14, 2026"
            take();
            point.kind = TimePoint::Kind::month;
            point.month = *month;
            if (auto day = integer_word(peek().text);
                day && *day >= 1 && *day <= 31 && !peek_word("am", 1) && !peek_word("pm", 1)) {
                take();
                point.kind = TimePoint::Kind::date;
                point.day = static_cast<int>(*day);
                if (peek().kind == Token::Kind::comma && peek(1).kind == Token::Kind::word &&
                    peek(1).text.size() == 4 && integer_word(peek(1).text))
                    take();
            }
            return with_optional_year(point);
        }
        if (auto number = integer_word(word)) {
            const Token& next = peek(1);
            if (auto unit = unit_word(next.text); unit && peek_word("ago", 2)) {
                if (*number > 100000) return query_fail("too many units ago", token.span);
                pos_ += 3;
                point.kind = TimePoint::Kind::ago;
                point.count = static_cast<int>(*number);
                point.unit = *unit;
                return point;
            }
            if (auto month = month_number(next.text); month && *number >= 1 && *number <= 31) {
                pos_ += 2;
                point.kind = TimePoint::Kind::date;
                point.day = static_cast<int>(*number);
                point.month = *month;
                return with_optional_year(point);
            }
            if (word.size() == 4) {
                take();
                point.kind = TimePoint::Kind::year;
                point.year = static_cast<int>(*number);
                point.has_year = true;
                if (point.year < 1) return query_fail("year 0000 is out of range", token.span);
                return point;
            }
            if (unit_word(next.text))
                return expected("\"ago\" after \"" + token.text + " " + next.text + "\"");
        }
        return expected("a time (a date, weekday, month, today, yesterday, a time of day, ...)");
    }

    QueryResult<TimePoint> with_optional_year(TimePoint point) {
        if (peek().kind == Token::Kind::word && peek().text.size() == 4) {
            if (auto year = integer_word(peek().text)) {
                if (*year < 1) return query_fail("year 0000 is out of range", peek().span);
                take();
                point.year = static_cast<int>(*year);
                point.has_year = true;
            }
        }
        if (point.kind == TimePoint::Kind::date) {
            int year = point.has_year ? point.year : 2000; // 2000 is a leap year: Feb 29 may exist
            date::year_month_day ymd{date::year{year},
                                     date::month{static_cast<unsigned>(point.month)},
                                     date::day{static_cast<unsigned>(point.day)}};
            if (!ymd.ok())
                return query_fail("that day does not exist", span_from(point.span.begin));
        }
        point.span = span_from(point.span.begin);
        return point;
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    Query query_;
    bool last_was_target_ = false;
};

} // namespace

QueryResult<Query> parse_query(std::string_view text) {
    // A question mark or full stop closing the question is not part of it.
    while (!text.empty() && (text.back() == '?' || text.back() == '.' || text.back() == ' '))
        text.remove_suffix(1);
    auto tokens = tokenize(text);
    if (!tokens) return tl::unexpected(tokens.error());
    return Parser(std::move(*tokens)).parse();
}

QueryResult<TimePoint> parse_time_point(std::string_view text) {
    auto tokens = tokenize(text);
    if (!tokens) return tl::unexpected(tokens.error());
    return Parser(std::move(*tokens)).parse_point();
}

} // namespace asof::query
