// Stand-ins for the HTML and PDF report writers, which the report-visual branch writes
// (report/html_writer.cpp, report/pdf_writer.cpp). DELETE THIS FILE when that branch is merged
// (and drop it from report/CMakeLists.txt).
#include "report/report_writers.hpp"

namespace asof::report {

Result<void> write_report_html(const Report&, std::string&) {
    return fail("the HTML report is not in this build", "--format");
}

Result<void> write_report_pdf(const Report&, std::string&) {
    return fail("the PDF report is not in this build", "--format");
}

} // namespace asof::report
