// The results table, virtualised with ImGuiListClipper, and the payload summaries it shows
// (see panels.hpp).
#include "eventlog/json_text.hpp"
#include "ui/panels.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace asof::ui {

std::string payload_summary(const std::optional<std::string>& data, std::size_t max_chars) {
    if (!data) return {};
    auto value = nlohmann::json::parse(*data, nullptr, false);
    std::string out;
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            if (!out.empty()) out += "  ";
            out += key + "=" +
                   (member.is_string()
                        ? member.get<std::string>()
                        : member.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            if (out.size() > max_chars) break;
        }
    } else {
        out = value.is_discarded()
                  ? *data
                  : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    out = printable(out);
    if (out.size() > max_chars) {
        std::size_t cut = max_chars;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        out = out.substr(0, cut) + "…";
    }
    return out;
}

namespace {

enum Column { col_time, col_stream, col_type, col_version, col_actor, col_summary };

// The display order of the rows: identity (time order) or sorted by a column.
struct RowOrder {
    const query::ResultSet* results = nullptr;
    std::size_t size = 0;
    std::uint64_t generation = 0; // of the results sorted
    int column = col_time;
    bool descending = false;
    std::vector<std::uint32_t> order;    // empty: identity
    std::vector<std::uint32_t> position; // the inverse of `order`: a row's display index
};

RowOrder& row_order() {
    static RowOrder order;
    return order;
}

void sort_rows(const query::ResultSet& results, RowOrder& order, int column, bool descending) {
    order.results = &results;
    order.size = results.rows.size();
    order.column = column;
    order.descending = descending;
    order.order.clear();
    order.position.clear();
    if (column == col_time && !descending) return;
    order.order.resize(results.rows.size());
    std::iota(order.order.begin(), order.order.end(), 0u);
    auto key_text = [&](const std::string* name) { return name ? *name : std::string(); };
    auto less = [&](std::uint32_t a, std::uint32_t b) {
        const auto& x = results.rows[a];
        const auto& y = results.rows[b];
        switch (column) {
        case col_stream:
            if (x.stream != y.stream) return results.stream_name(x) < results.stream_name(y);
            break;
        case col_type:
            if (x.type != y.type)
                return key_text(results.type_name(x)) < key_text(results.type_name(y));
            break;
        case col_version:
            if (x.version != y.version) return x.version < y.version;
            break;
        case col_actor:
            if (x.actor != y.actor)
                return key_text(results.actor_name(x)) < key_text(results.actor_name(y));
            break;
        default:
            break;
        }
        return a < b; // time order (the rows' own order) breaks ties
    };
    std::stable_sort(order.order.begin(), order.order.end(), less);
    if (descending) std::reverse(order.order.begin(), order.order.end());
    order.position.assign(order.order.size(), 0);
    for (std::size_t i = 0; i < order.order.size(); ++i)
        order.position[order.order[i]] = static_cast<std::uint32_t>(i);
}

std::size_t row_at(const RowOrder& order, std::size_t display) {
    return order.order.empty() ? display : order.order[display];
}

std::size_t display_of(const RowOrder& order, std::size_t row) {
    return order.order.empty() ? row : order.position[row];
}

// The selected event as one JSON document, for the clipboard.
std::string event_json(ConsoleState& state, std::int64_t seq) {
    const EventDetail* detail = event_detail(state, seq);
    if (!detail) return {};
    const StoredEvent& e = detail->event;
    nlohmann::ordered_json doc;
    doc["seq"] = e.seq;
    doc["id"] = e.event_id ? nlohmann::ordered_json(*e.event_id) : nlohmann::ordered_json();
    doc["stream"] = e.stream;
    doc["type"] = e.type ? nlohmann::ordered_json(*e.type) : nlohmann::ordered_json();
    doc["version"] = e.version ? nlohmann::ordered_json(*e.version) : nlohmann::ordered_json();
    doc["ts"] = format_utc(e.ts);
    doc["actor"] = e.actor ? nlohmann::ordered_json(*e.actor) : nlohmann::ordered_json();
    doc["data"] =
        e.data ? nlohmann::ordered_json::parse(*e.data, nullptr, false) : nlohmann::ordered_json();
    doc["meta"] =
        e.meta ? nlohmann::ordered_json::parse(*e.meta, nullptr, false) : nlohmann::ordered_json();
    return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Moves the selection by keyboard; returns the new display index, if any.
std::optional<std::size_t> keyboard_move(std::size_t current, std::size_t count, int page) {
    if (count == 0) return std::nullopt;
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    long long at = static_cast<long long>(current), last = static_cast<long long>(count) - 1;
    if (pressed(ImGuiKey_DownArrow))
        at += 1;
    else if (pressed(ImGuiKey_UpArrow))
        at -= 1;
    else if (pressed(ImGuiKey_PageDown))
        at += page;
    else if (pressed(ImGuiKey_PageUp))
        at -= page;
    else if (pressed(ImGuiKey_Home))
        at = 0;
    else if (pressed(ImGuiKey_End))
        at = last;
    else
        return std::nullopt;
    return static_cast<std::size_t>(std::clamp(at, 0LL, last));
}

} // namespace

void draw_results_table(ConsoleState& state) {
    const query::ResultSet& results = state.results;
    RowOrder& order = row_order();
    // New results keep the column and direction the user chose.
    if (order.results != &results || order.size != results.rows.size() ||
        order.generation != state.results_generation) {
        sort_rows(results, order, order.column, order.descending);
        order.generation = state.results_generation;
    }

    // No row stripes (here and in the streams list): each filled pixel costs a software
    // renderer frame time (1.5 to 3 ms of p95 at 1600x1000 under llvmpipe); the column borders
    // and the selection keep rows readable.
    ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                            ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable;
    // Widths from typical content, not from the first rows (which may not have arrived yet).
    auto width = [](const char* sample) { return ImGui::CalcTextSize(sample).x; };
    const float time_width = width("2026-04-15 11:30:00.500000 +02:00");
    const float stream_width = width("discrepancy-4721__");
    const float type_width = width("DiscrepancyResolved_");
    const float version_width = width("version__");
    const float actor_width = width("billing-batch_");
    // The summary keeps room for a readable start in a narrow pane: the table scrolls
    // sideways instead of squeezing it to a few letters.
    const float summary_min = width("amount=1840 currency=\"EUR\" assignee=\"bob\"");
    const float fixed = time_width + stream_width + type_width + version_width + actor_width;
    const float inner_width =
        std::max(ImGui::GetContentRegionAvail().x,
                 fixed + summary_min + 6 * ImGui::GetStyle().CellPadding.x * 2);
    if (!ImGui::BeginTable("results", 6, flags, ImVec2(0, 0), inner_width)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(
        "time", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthFixed, time_width);
    ImGui::TableSetupColumn("stream", ImGuiTableColumnFlags_WidthFixed, stream_width);
    ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthFixed, type_width);
    ImGui::TableSetupColumn("version", ImGuiTableColumnFlags_WidthFixed, version_width);
    ImGui::TableSetupColumn("actor", ImGuiTableColumnFlags_WidthFixed, actor_width);
    ImGui::TableSetupColumn("summary",
                            ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort);
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0)
            sort_rows(results, order, specs->Specs[0].ColumnIndex,
                      specs->Specs[0].SortDirection == ImGuiSortDirection_Descending);
        specs->SpecsDirty = false;
    }

    // Keyboard: move the selection when the table has focus.
    std::optional<std::size_t> selected_display;
    if (state.selected_seq)
        if (auto row = results.find_seq(*state.selected_seq))
            selected_display = display_of(order, *row);
    float row_height = ImGui::GetTextLineHeightWithSpacing();
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
        !ImGui::GetIO().WantTextInput) {
        int page = std::max(1, static_cast<int>(ImGui::GetWindowHeight() / row_height) - 2);
        if (auto moved = keyboard_move(selected_display.value_or(0), results.rows.size(), page)) {
            state.selected_seq = results.rows[row_at(order, *moved)].seq;
            selected_display = moved;
            state.scroll_to_selection = true;
        }
        if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('C') && state.selected_seq)
            ImGui::SetClipboardText(event_json(state, *state.selected_seq).c_str());
    }
    if (state.scroll_to_selection && selected_display) {
        float target = static_cast<float>(*selected_display) * row_height;
        float top = ImGui::GetScrollY(), height = ImGui::GetWindowHeight() - 2 * row_height;
        if (target < top || target > top + height)
            ImGui::SetScrollY(std::max(0.0f, target - height / 2));
        state.scroll_to_selection = false;
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(results.rows.size()), row_height);
    while (clipper.Step()) {
        for (int display = clipper.DisplayStart; display < clipper.DisplayEnd; ++display) {
            const query::ResultRow& row =
                results.rows[row_at(order, static_cast<std::size_t>(display))];
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(col_time);
            bool selected = state.selected_seq == row.seq;
            std::string time = format_in_zone(Timestamp{Micros{row.ts}}, state.zone);
            ImGui::PushID(display);
            if (ImGui::Selectable(time.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) {
                state.selected_seq = row.seq;
                state.cursor_a = row.ts; // the state as of the selected event
            }
            ImGui::PopID();
            ImGui::TableSetColumnIndex(col_stream);
            ImGui::TextUnformatted(printable(results.stream_name(row)).c_str());
            ImGui::TableSetColumnIndex(col_type);
            if (const auto* type = results.type_name(row)) {
                ImGui::PushStyleColor(ImGuiCol_Text, type_colour(row.type));
                ImGui::TextUnformatted(printable(*type).c_str());
                ImGui::PopStyleColor();
            }
            ImGui::TableSetColumnIndex(col_version);
            if (row.version >= 0) ImGui::Text("%lld", static_cast<long long>(row.version));
            ImGui::TableSetColumnIndex(col_actor);
            if (const auto* actor = results.actor_name(row))
                ImGui::TextUnformatted(printable(*actor).c_str());
            ImGui::TableSetColumnIndex(col_summary);
            if (const EventDetail* detail = event_detail(state, row.seq))
                ImGui::TextUnformatted(payload_summary(detail->event.data).c_str());
        }
    }
    ImGui::EndTable();
}

void draw_streams_panel(ConsoleState& state) {
    static ImGuiTextFilter filter;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##filter", "filter streams (discrepancy, -invoice)",
                                 filter.InputBuf, IM_ARRAYSIZE(filter.InputBuf)))
        filter.Build();
    ImGuiTableFlags flags =
        ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("streams", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    const float date_width = ImGui::CalcTextSize("2026-04-14").x;
    ImGui::TableSetupColumn("stream", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("events", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("000000").x);
    ImGui::TableSetupColumn("first", ImGuiTableColumnFlags_WidthFixed, date_width);
    ImGui::TableSetupColumn("last", ImGuiTableColumnFlags_WidthFixed, date_width);
    ImGui::TableHeadersRow();
    // The filtered list is rebuilt when the filter changes (a cheap pass over names).
    static std::vector<std::size_t> shown;
    static std::string last_filter = "\x01";
    static std::size_t last_size = 0;
    if (last_filter != filter.InputBuf || last_size != state.streams.size()) {
        shown.clear();
        for (std::size_t i = 0; i < state.streams.size(); ++i)
            if (filter.PassFilter(state.streams[i].name.c_str())) shown.push_back(i);
        last_filter = filter.InputBuf;
        last_size = state.streams.size();
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(shown.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const StreamSummary& stream = state.streams[shown[static_cast<std::size_t>(i)]];
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::PushID(i);
            if (ImGui::Selectable(printable(stream.name).c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                state.query_text = stream_query(stream.name);
                run_query(state);
            }
            ImGui::PopID();
            if (ImGui::IsItemHovered() && stream.kind)
                ImGui::SetTooltip("kind %s, key %s", printable(*stream.kind).c_str(),
                                  printable(stream.key.value_or("")).c_str());
            ImGui::TableSetColumnIndex(1);
            ImGui::Text("%lld", static_cast<long long>(stream.events));
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(format_in_zone(stream.first, state.zone).substr(0, 10).c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("first event %s",
                                  format_in_zone(stream.first, state.zone).c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(format_in_zone(stream.last, state.zone).substr(0, 10).c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("last event %s", format_in_zone(stream.last, state.zone).c_str());
        }
    }
    ImGui::EndTable();
}

} // namespace asof::ui
