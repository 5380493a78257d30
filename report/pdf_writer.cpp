// The PDF report (write_report_pdf), drawn with cairo on A4 pages: the manifest, the timeline as
// vectors (the layout the SVG uses), the events table with its header repeated on every page,
// each stream's states, and "page N of M" footers. Layout runs first into a list of pages of
// drawing steps (so the page count is known), then the pages are drawn. Text uses DejaVu Sans
// and DejaVu Sans Mono through cairo's toy font API; cairo embeds the subsets it uses. Long
// values are wrapped, never cut: a row taller than a page continues on the next.
#include "report/report_writers.hpp"
#include "report/timeline_layout.hpp"
#include "report/visible_text.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <tuple>

namespace asof::report {

namespace {

constexpr double page_width = 595.276; // A4 in points
constexpr double page_height = 841.89;
constexpr double margin_x = 40;
constexpr double margin_top = 42;
constexpr double margin_bottom = 52;
constexpr double content_width = page_width - 2 * margin_x;
constexpr double body_bottom = page_height - margin_bottom;

enum class Font { sans, bold, mono };

constexpr Rgb black{0.07, 0.07, 0.07};
constexpr Rgb grey{0.35, 0.35, 0.35};
constexpr Rgb red{0.65, 0.0, 0.0};
constexpr Rgb green{0.0, 0.4, 0.0};
constexpr Rgb rule{0.72, 0.72, 0.72};
constexpr Rgb header_fill{0.92, 0.92, 0.92};
constexpr Rgb note_fill{1.0, 0.96, 0.9};

void select_font(cairo_t* cr, Font font, double size) {
    cairo_select_font_face(cr, font == Font::mono ? "DejaVu Sans Mono" : "DejaVu Sans",
                           CAIRO_FONT_SLANT_NORMAL,
                           font == Font::bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

void set_colour(cairo_t* cr, const Rgb& c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void draw_text(cairo_t* cr, double x, double y, const std::string& text, Font font, double size,
               const Rgb& colour) {
    select_font(cr, font, size);
    set_colour(cr, colour);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text.c_str());
}

void fill_rect(cairo_t* cr, double x, double y, double w, double h, const Rgb& colour) {
    set_colour(cr, colour);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

void stroke_line(cairo_t* cr, double x0, double y0, double x1, double y1, const Rgb& colour,
                 double width) {
    set_colour(cr, colour);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

// Text measurement with per-code-point advances cached per font and size (cairo's toy API does
// not kern, so a line's width is the sum of its characters' advances).
class Measurer {
public:
    explicit Measurer(cairo_t* cr) : cr_(cr) {}

    double width(std::string_view text, Font font, double size) {
        double w = 0;
        for (std::size_t i = 0; i < text.size();) {
            std::size_t next = next_code_point(text, i);
            w += advance(text.substr(i, next - i), font, size);
            i = next;
        }
        return w;
    }

    // Valid UTF-8 `text` broken into lines at most `max_width` wide: at the last space that
    // fits, else between characters. Never drops a character.
    std::vector<std::string> wrap(std::string_view text, Font font, double size, double max_width) {
        std::vector<std::string> lines;
        std::size_t start = 0, last_space = std::string_view::npos;
        double w = 0, w_at_space = 0;
        for (std::size_t i = 0; i < text.size();) {
            std::size_t next = next_code_point(text, i);
            double a = advance(text.substr(i, next - i), font, size);
            while (w + a > max_width && i > start) {
                if (last_space != std::string_view::npos && last_space > start) {
                    lines.emplace_back(text.substr(start, last_space - start));
                    start = last_space + 1;
                    w -= w_at_space;
                } else {
                    lines.emplace_back(text.substr(start, i - start));
                    start = i;
                    w = 0;
                }
                last_space = std::string_view::npos;
            }
            if (text[i] == ' ') {
                last_space = i;
                w_at_space = w + a;
            }
            w += a;
            i = next;
        }
        lines.emplace_back(text.substr(start));
        return lines;
    }

private:
    double advance(std::string_view ch, Font font, double size) {
        auto key = std::make_tuple(static_cast<int>(font), size, std::string(ch));
        auto found = cache_.find(key);
        if (found != cache_.end()) return found->second;
        select_font(cr_, font, size);
        cairo_text_extents_t extents{};
        std::string s(ch);
        cairo_text_extents(cr_, s.c_str(), &extents);
        cache_.emplace(std::move(key), extents.x_advance);
        return extents.x_advance;
    }

    cairo_t* cr_;
    std::map<std::tuple<int, double, std::string>, double> cache_;
};

using Step = std::function<void(cairo_t*)>;

// One table column: its header and width.
struct Column {
    std::string header;
    double width;
};

// A table cell: its wrapped lines, in one font and colour.
struct Cell {
    std::vector<std::string> lines;
    Font font = Font::sans;
    Rgb colour = black;
};

// Lays the report out into pages of drawing steps.
class Pager {
public:
    explicit Pager(Measurer& measure) : measure_(measure) { new_page(); }

    std::vector<std::vector<Step>> pages;

    void new_page() {
        pages.emplace_back();
        y_ = margin_top;
        if (table_header_) table_header_();
    }

    // Moves to a new page unless `height` more points fit on this one.
    void need(double height) {
        if (y_ + height > body_bottom && y_ > margin_top + header_height_ + 0.5) new_page();
    }

    void add(Step step) { pages.back().push_back(std::move(step)); }
    double y() const { return y_; }
    void advance(double dy) { y_ += dy; }

    // Wrapped text over `width` from `x`, each line starting a new page when needed.
    void paragraph(std::string_view raw, Font font, double size, double x = margin_x,
                   double width = content_width, Rgb colour = black) {
        const double line = size * 1.3;
        for (std::string& text : measure_.wrap(visible_text(raw), font, size, width)) {
            need(line);
            double baseline = y_ + size;
            add([=, text = std::move(text)](cairo_t* cr) {
                draw_text(cr, x, baseline, text, font, size, colour);
            });
            y_ += line;
        }
    }

    // "Label: value" with the value wrapped beside the label.
    void field(std::string_view label, std::string_view value, Font value_font = Font::sans,
               Rgb colour = black) {
        constexpr double size = 8.5, label_width = 120;
        const double line = size * 1.35;
        std::vector<std::string> lines =
            measure_.wrap(visible_text(value), value_font, size, content_width - label_width);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            need(line);
            double baseline = y_ + size;
            std::string label_text = i == 0 ? std::string(label) : std::string();
            add([=, text = std::move(lines[i])](cairo_t* cr) {
                if (!label_text.empty())
                    draw_text(cr, margin_x, baseline, label_text, Font::bold, size, grey);
                draw_text(cr, margin_x + label_width, baseline, text, value_font, size, colour);
            });
            y_ += line;
        }
    }

    void heading(std::string_view text, double size) {
        need(size * 1.6 + 30); // keep a heading with what follows
        y_ += size * 0.6;
        paragraph(text, Font::bold, size);
        add([y = y_](cairo_t* cr) {
            stroke_line(cr, margin_x, y, margin_x + content_width, y, rule, 0.6);
        });
        y_ += 4;
    }

    // Starts a table: its header is drawn now and again at the top of every further page
    // until end_table().
    void begin_table(std::vector<Column> columns, double size) {
        columns_ = std::move(columns);
        size_ = size;
        header_height_ = size * 1.3 + 4;
        need(header_height_ + size * 3);
        table_header_ = [this] {
            double top = y_;
            std::vector<Column> cols = columns_;
            double h = header_height_, text_size = size_;
            add([=](cairo_t* cr) {
                fill_rect(cr, margin_x, top, content_width, h, header_fill);
                double x = margin_x;
                for (const Column& c : cols) {
                    draw_text(cr, x + 2, top + 2 + text_size, c.header, Font::bold, text_size,
                              black);
                    x += c.width;
                }
            });
            y_ += h;
        };
        table_header_();
    }

    void end_table() {
        table_header_ = nullptr;
        header_height_ = 0;
        y_ += 6;
    }

    // One row; moved whole to the next page when it does not fit here but fits on a page,
    // otherwise split line by line across pages.
    void row(std::vector<Cell> cells) {
        const double line = size_ * 1.25;
        std::size_t rows = 1;
        for (const Cell& c : cells)
            rows = std::max(rows, c.lines.size());
        const double full = static_cast<double>(rows) * line + 4;
        const double page_room = body_bottom - margin_top - header_height_;
        if (y_ + full > body_bottom && full <= page_room) new_page();
        std::size_t first = 0;
        while (first < rows) {
            auto fit = static_cast<std::size_t>(std::max(0.0, (body_bottom - y_ - 4) / line));
            if (fit == 0) {
                new_page();
                continue;
            }
            std::size_t last = std::min(rows, first + fit);
            double top = y_;
            double height = static_cast<double>(last - first) * line + 4;
            std::vector<Cell> slice;
            for (const Cell& c : cells) {
                Cell part{{}, c.font, c.colour};
                for (std::size_t i = first; i < std::min(last, c.lines.size()); ++i)
                    part.lines.push_back(c.lines[i]);
                slice.push_back(std::move(part));
            }
            std::vector<double> widths;
            for (const Column& c : columns_)
                widths.push_back(c.width);
            double size = size_;
            add([=, slice = std::move(slice)](cairo_t* cr) {
                double x = margin_x;
                for (std::size_t k = 0; k < slice.size(); ++k) {
                    double baseline = top + 2 + size;
                    for (const std::string& text : slice[k].lines) {
                        draw_text(cr, x + 2, baseline, text, slice[k].font, size, slice[k].colour);
                        baseline += size * 1.25;
                    }
                    x += widths[k];
                }
                stroke_line(cr, margin_x, top + height, margin_x + content_width, top + height,
                            rule, 0.4);
            });
            y_ += height;
            first = last;
            if (first < rows) new_page();
        }
    }

    // Wraps one cell's text (several paragraphs, one per entry) to a column's width.
    Cell cell(const std::vector<std::string>& texts, std::size_t column, Font font = Font::sans,
              Rgb colour = black) {
        Cell c{{}, font, colour};
        for (const std::string& t : texts)
            for (std::string& l :
                 measure_.wrap(visible_text(t), font, size_, columns_[column].width - 4))
                c.lines.push_back(std::move(l));
        return c;
    }

    Measurer& measure() { return measure_; }

private:
    Measurer& measure_;
    double y_ = margin_top;
    std::vector<Column> columns_;
    double size_ = 7;
    double header_height_ = 0;
    std::function<void()> table_header_;
};

std::string count_text(std::int64_t n) {
    return std::to_string(n);
}

void manifest_pages(Pager& p, const ReportManifest& m) {
    p.paragraph(m.title, Font::bold, 16);
    p.paragraph("Timeline report generated by asof " + m.asof_version + " at " +
                    m.generated_at_text,
                Font::sans, 8, margin_x, content_width, grey);
    p.advance(6);
    if (!m.notes.empty()) {
        p.paragraph("Notes: what this report leaves out", Font::bold, 9, margin_x, content_width,
                    red);
        for (const std::string& note : m.notes)
            p.paragraph("\xE2\x80\xA2 " + note, Font::sans, 8.5, margin_x + 8, content_width - 8,
                        black);
        p.advance(4);
    }
    p.heading("Manifest", 12);
    p.field("Title", m.title);
    p.field("Case file", m.case_name);
    p.field("Query", m.query_text, Font::mono);
    p.field("Canonical query", m.query_canonical, Font::mono);
    p.field("Interval (UTC)", m.interval_utc);
    p.field("Interval (in the zone)", m.interval_zone);
    p.field("Zone", m.zone);
    p.field("Now (pinned)", m.now_text);
    if (m.as_of) p.field("As of", m.as_of_text);
    p.field("Hash-chain head", m.chain_head, Font::mono);
    p.field("Verify", (m.verified ? "" : "does not pass: ") + m.verify_summary, Font::sans,
            m.verified ? green : red);
    p.field("Projection", m.projection_name + " " + m.projection_sha256);
    p.field("asof version", m.asof_version);
    p.field("Generated at", m.generated_at_text);
    p.field("Matching events", count_text(m.matching_events));
    p.field("Listed events", count_text(m.listed_events));
    p.field("Streams", count_text(m.stream_count));
    for (std::size_t i = 0; i < m.sources.size(); ++i) {
        const ReportSource& s = m.sources[i];
        std::string label = "Source " + std::to_string(i + 1);
        p.field(label, s.name);
        p.field("  size, format", count_text(s.size) + " bytes, " + s.format +
                                      (s.source_tz.empty() ? "" : ", zone " + s.source_tz));
        p.field("  SHA-256 of the source", s.sha256, Font::mono);
        p.field("  events, rejected", count_text(s.events) + ", " + count_text(s.rejected));
    }
    if (m.sources.empty()) p.field("Sources", "(none recorded)");
    p.heading("Integrity findings touching the listed events", 10);
    if (m.findings.empty()) p.paragraph("None.", Font::sans, 8.5);
    for (const ReportFinding& f : m.findings)
        p.paragraph(f.kind + "  " + f.stream + (f.seq ? "  #" + std::to_string(*f.seq) : "") +
                        "  " + f.detail,
                    Font::sans, 8.5);
}

// The timeline drawn at the pager's position (on one page).
void timeline_block(Pager& p, const Report& report) {
    TimelineMetrics metrics;
    metrics.label_width = 90;
    metrics.plot_width = content_width - metrics.label_width - 6;
    metrics.lane_height = 10;
    metrics.lane_gap = 2.5;
    metrics.axis_height = 22;
    metrics.font_size = 6.5;
    auto layout = std::make_shared<TimelineLayout>(layout_timeline(report, metrics));
    Measurer& measure = p.measure();
    // Legend entries placed left to right, wrapping.
    struct Entry {
        double x, y;
        std::string label;
    };
    auto entries = std::make_shared<std::vector<Entry>>();
    double lx = 0, ly = 0;
    for (const TimelineLane& lane : layout->lanes) {
        std::string label =
            shortened(visible_text(lane.label), 40) + " (" + std::to_string(lane.events) + ")";
        double w = 12 + measure.width(label, Font::sans, metrics.font_size) + 10;
        if (lx > 0 && lx + w > content_width) {
            lx = 0;
            ly += 11;
        }
        entries->push_back(Entry{lx, ly, std::move(label)});
        lx += w;
    }
    std::vector<std::string> lane_labels;
    for (const TimelineLane& lane : layout->lanes) {
        std::string label = visible_text(lane.label);
        std::size_t chars = 24;
        std::string shown = shortened(label, chars);
        while (chars > 4 &&
               measure.width(shown, Font::sans, metrics.font_size) > metrics.label_width - 6)
            shown = shortened(label, --chars);
        lane_labels.push_back(std::move(shown));
    }
    const double as_of_room = layout->as_of_x ? 10 : 0;
    const double height =
        as_of_room + layout->plot_height() + metrics.axis_height + 8 + ly + 11 + 14;
    p.need(height);
    const double top = p.y() + as_of_room;
    const std::string as_of_text = "as of " + report.manifest.as_of_text;
    p.add([=](cairo_t* cr) {
        const TimelineMetrics& mt = layout->metrics;
        const double left = margin_x + mt.label_width + 6;
        const double bottom = top + layout->plot_height();
        auto lane_y = [&](std::size_t lane) {
            return top + static_cast<double>(lane) * (mt.lane_height + mt.lane_gap);
        };
        fill_rect(cr, left, top, mt.plot_width, layout->plot_height(), Rgb{0.98, 0.98, 0.98});
        for (std::size_t lane = 0; lane < lane_labels.size(); ++lane) {
            select_font(cr, Font::sans, mt.font_size);
            cairo_text_extents_t ext{};
            cairo_text_extents(cr, lane_labels[lane].c_str(), &ext);
            draw_text(cr, left - 4 - ext.x_advance, lane_y(lane) + mt.lane_height * 0.75,
                      lane_labels[lane], Font::sans, mt.font_size, black);
        }
        for (const TimelineTick& tick : layout->ticks) {
            double x = left + tick.x;
            stroke_line(cr, x, top, x, bottom + (tick.major ? 6 : 3),
                        tick.major ? Rgb{0.5, 0.5, 0.5} : Rgb{0.8, 0.8, 0.8}, 0.4);
            Font font = tick.major ? Font::bold : Font::sans;
            select_font(cr, font, mt.font_size);
            cairo_text_extents_t ext{};
            cairo_text_extents(cr, tick.label.c_str(), &ext);
            draw_text(cr, x - ext.x_advance / 2, bottom + 13, tick.label, font, mt.font_size,
                      black);
        }
        if (!layout->binned) {
            for (const TimelineMark& mark : layout->marks)
                fill_rect(cr, left + mark.x - 0.6, lane_y(mark.lane), 1.2, mt.lane_height,
                          layout->lanes[mark.lane].colour);
        } else {
            for (const TimelineBin& bin : layout->bins) {
                double fraction =
                    static_cast<double>(bin.count) /
                    static_cast<double>(std::max<std::int64_t>(layout->max_bin_count, 1));
                double h = std::max(0.8, mt.lane_height * std::sqrt(fraction));
                fill_rect(cr, left + bin.x0, lane_y(bin.lane) + mt.lane_height - h, bin.x1 - bin.x0,
                          h, layout->lanes[bin.lane].colour);
            }
        }
        set_colour(cr, Rgb{0.6, 0.6, 0.6});
        cairo_set_line_width(cr, 0.5);
        cairo_rectangle(cr, left, top, mt.plot_width, layout->plot_height());
        cairo_stroke(cr);
        if (layout->as_of_x) {
            double x = left + *layout->as_of_x;
            const std::array<double, 2> dash = {3, 1.5};
            cairo_set_dash(cr, dash.data(), 2, 0);
            stroke_line(cr, x, top - 3, x, bottom, red, 1.0);
            cairo_set_dash(cr, nullptr, 0, 0);
            select_font(cr, Font::sans, mt.font_size);
            cairo_text_extents_t ext{};
            cairo_text_extents(cr, as_of_text.c_str(), &ext);
            draw_text(
                cr,
                std::clamp(x - ext.x_advance / 2, margin_x, page_width - margin_x - ext.x_advance),
                top - 4, as_of_text, Font::sans, mt.font_size, red);
        }
        double ends = bottom + mt.axis_height;
        draw_text(cr, left, ends, layout->from_label, Font::sans, mt.font_size, grey);
        select_font(cr, Font::sans, mt.font_size);
        cairo_text_extents_t ext{};
        cairo_text_extents(cr, layout->to_label.c_str(), &ext);
        draw_text(cr, left + mt.plot_width - ext.x_advance, ends, layout->to_label, Font::sans,
                  mt.font_size, grey);
        double legend_top = ends + 8;
        for (std::size_t i = 0; i < entries->size(); ++i) {
            const Entry& e = (*entries)[i];
            fill_rect(cr, margin_x + e.x, legend_top + e.y, 8, 8, layout->lanes[i].colour);
            draw_text(cr, margin_x + e.x + 11, legend_top + e.y + 7, e.label, Font::sans,
                      mt.font_size, black);
        }
    });
    p.advance(height - 14);
    p.paragraph(layout->caption, Font::sans, 7, margin_x, content_width, grey);
}

std::string change_text(const ReportChange& c) {
    if (c.kind == "added") return c.pointer + ": + " + c.after;
    if (c.kind == "removed") return c.pointer + ": \xE2\x88\x92 " + c.before;
    return c.pointer + ": " + c.before + " \xE2\x86\x92 " + c.after;
}

void events_table(Pager& p, const Report& report) {
    p.heading("Events", 12);
    if (report.events.empty()) {
        p.paragraph("No event matches the query.", Font::sans, 8.5);
        return;
    }
    // The time column fits "2026-03-03 14:05:00.123456 +01:00" in mono on one line.
    p.begin_table({{"Time (" + shortened(visible_text(report.manifest.zone), 24) + ")", 134},
                   {"Stream", 72},
                   {"Type", 66},
                   {"Ver.", 26},
                   {"Actor", 54},
                   {"Changed fields (old \xE2\x86\x92 new)", content_width - 352}},
                  6.5);
    for (const ReportEvent& e : report.events) {
        std::vector<std::string> changes;
        for (const ReportChange& c : e.changes)
            changes.push_back(change_text(c));
        p.row({p.cell({e.time_local}, 0, Font::mono), p.cell({e.stream}, 1),
               p.cell({e.type.value_or("")}, 2),
               p.cell({e.version ? std::to_string(*e.version) : std::string()}, 3),
               p.cell({e.actor.value_or("")}, 4), p.cell(changes, 5, Font::mono)});
    }
    p.end_table();
}

// A JSON value pretty-printed in mono, line by line (its line breaks are its own; strings in
// it have theirs escaped).
void json_block(Pager& p, const nlohmann::json& value) {
    std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        p.paragraph(std::string_view(text).substr(start, end - start), Font::mono, 7, margin_x + 8,
                    content_width - 8);
        start = end + 1;
    }
}

void streams_pages(Pager& p, const Report& report) {
    p.heading("Streams", 12);
    if (report.streams.empty()) p.paragraph("No stream.", Font::sans, 8.5);
    for (const ReportStream& s : report.streams) {
        p.advance(4);
        p.need(40);
        p.paragraph(s.name + "  (" + std::to_string(s.listed_events) + " listed events)",
                    Font::bold, 9.5);
        for (const std::string& w : s.warnings)
            p.paragraph(w, Font::sans, 8, margin_x, content_width, red);
        p.paragraph("State at the start, " + s.start_label, Font::bold, 8);
        json_block(p, s.state_start);
        p.paragraph("State at the end, " + s.end_label, Font::bold, 8);
        json_block(p, s.state_end);
        p.paragraph("Diff, start \xE2\x86\x92 end", Font::bold, 8);
        if (s.diff.empty()) p.paragraph("No change.", Font::sans, 8, margin_x + 8);
        for (const ReportChange& c : s.diff)
            p.paragraph(change_text(c) + "  (" + c.kind + ")", Font::mono, 7, margin_x + 8,
                        content_width - 8);
        if (s.state_at) {
            p.paragraph("State as of " + report.manifest.as_of_text, Font::bold, 8);
            json_block(p, *s.state_at);
        }
    }
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// "2026-03-03T14:05:00Z": the whole-second UTC form cairo accepts for the PDF dates.
std::string pdf_date(Timestamp t) {
    std::string text = format_utc(std::chrono::floor<std::chrono::seconds>(t));
    return text;
}

} // namespace

Result<void> write_report_pdf(const Report& report, std::string& out) {
    std::string bytes;
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(append_bytes, &bytes, page_width, page_height);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_owner(
        surface, cairo_surface_destroy);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cannot create the PDF: ") +
                    cairo_status_to_string(cairo_surface_status(surface)));
    const ReportManifest& m = report.manifest;
    const std::string date = pdf_date(m.generated_at);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   visible_text(m.title).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT,
                                   visible_text(m.query_canonical).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   ("asof " + visible_text(m.asof_version)).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());

    cairo_t* cr = cairo_create(surface);
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr_owner(cr, cairo_destroy);
    Measurer measure(cr);
    Pager pager(measure);
    manifest_pages(pager, m);
    pager.heading("Timeline", 12);
    timeline_block(pager, report);
    events_table(pager, report);
    streams_pages(pager, report);

    const std::string footer_title = shortened(visible_text(m.title), 60);
    const std::size_t total = pager.pages.size();
    for (std::size_t i = 0; i < total; ++i) {
        for (const Step& step : pager.pages[i])
            step(cr);
        std::string number = "page " + std::to_string(i + 1) + " of " + std::to_string(total);
        draw_text(cr, margin_x, page_height - 26, footer_title, Font::sans, 7, grey);
        select_font(cr, Font::sans, 7);
        cairo_text_extents_t ext{};
        cairo_text_extents(cr, number.c_str(), &ext);
        draw_text(cr, page_width - margin_x - ext.x_advance, page_height - 26, number, Font::sans,
                  7, grey);
        cairo_show_page(cr);
    }
    cairo_status_t status = cairo_status(cr);
    cr_owner.reset();
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cannot write the PDF: ") + cairo_status_to_string(status));
    out += bytes;
    return {};
}

} // namespace asof::report
