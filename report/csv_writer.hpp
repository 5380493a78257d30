// RFC 4180 CSV output that spreadsheets cannot turn into formulas.
#pragma once

#include <string>
#include <string_view>

namespace asof {

// Appends one CSV field to `out`: quoted when it holds a comma, quote, CR or LF (quotes
// doubled). A field that starts with '=', '+', '-', '@', a tab or a carriage return is
// prefixed with a single quote so that spreadsheets show it as text instead of running it;
// plain numbers such as "-12.5" are left alone.
void append_csv_field(std::string& out, std::string_view field);

} // namespace asof
