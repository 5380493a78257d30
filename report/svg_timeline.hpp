// A report's timeline as inline SVG text (for the HTML report): lanes by type with a legend,
// marks or density bins, the axis ticks, the interval's ends and the as-of instant. Bounded in
// size whatever the number of events (see timeline_layout.hpp).
#pragma once

#include "report/report_model.hpp"

#include <string>

namespace asof::report {

// Appends one <svg> element (no xmlns: it is meant to be inlined in HTML, where the parser puts
// it in the SVG namespace). Every text from the log is escaped and wrapped visibly (no bidi or
// control character passes). Deterministic.
void append_svg_timeline(std::string& out, const Report& report);

} // namespace asof::report
