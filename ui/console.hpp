// The console: opens a case and draws every panel each frame (menu, query bar, streams,
// timeline, results, inspector tabs, status bar, help). The window, the backends and the main
// loop are the app's; the console only needs an ImGui frame in progress.
#pragma once

#include "eventlog/result.hpp"
#include "ui/console_state.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asof::ui {

struct ConsoleOptions {
    std::string case_path;
    std::string query;                  // run at start
    std::optional<std::string> now, tz; // the pinned clock and the zone (default: system)
    std::optional<std::string> at;      // cursor A (a time phrase; default: the last result)
    std::optional<std::int64_t> select; // a seq to select
    bool background = false;            // queries and counts on threads (the app's mode)
    std::function<void()> wake;         // called from a thread when background work is done
};

// What the app should do after a frame.
struct FrameRequests {
    bool quit = false;
    bool screenshot = false;              // File > Export timeline image
    bool browse = false;                  // File > Open...
    std::optional<std::string> open_path; // File > Recent > path
};

// The panel sizes the user dragged, remembered between runs.
struct Layout {
    float left_width = 380, right_width = 420, timeline_height = 260;
};

class Console {
public:
    // Opens the case read-only, runs the initial query and places the cursors.
    static Result<std::unique_ptr<Console>> open(const ConsoleOptions& options);

    // Draws one frame of the whole console (between ImGui::NewFrame and ImGui::Render).
    FrameRequests frame();

    ConsoleState& state() { return state_; }
    // Whether the first answer (or a later one) is still being read.
    bool busy() const { return asof::ui::busy(state_); }
    Layout& layout() { return layout_; }
    // Recent files for File > Recent, newest first (the app keeps them).
    void set_recent(std::vector<std::string> recent) { recent_ = std::move(recent); }

    // Applies the theme (dark or light) to the current ImGui style.
    static void apply_theme(bool dark);

private:
    explicit Console(ConsoleState state) : state_(std::move(state)) {}
    void draw_menu(FrameRequests& requests);
    void draw_layout();

    ConsoleState state_;
    Layout layout_;
    std::vector<std::string> recent_;
};

} // namespace asof::ui
