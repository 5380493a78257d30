// asof-gui: the desktop console. Opens a window (GLFW, OpenGL 3), sets up Dear ImGui with
// DejaVu Sans at the monitor's content scale, and runs the console frame by frame, waiting for
// input when nothing changes. Also renders one state to a PNG (--screenshot) and measures frame
// times while panning, zooming and scrubbing (--bench-frames), for tests and the benchmark.
#include "app/gui_image.hpp"
#include "app/gui_settings.hpp"
#include "eventlog/case_reader.hpp"
#include "eventlog/import_job.hpp"
#include "ui/console.hpp"
#include "ui/open_panels.hpp"

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

namespace {

using namespace asof;

constexpr const char* dejavu_sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

bool input_seen = true; // set by the GLFW callbacks; the loop draws a few frames after input
std::vector<std::string> dropped; // files dropped on the window, handled by the loop
float new_content_scale = 0;      // set when the window moves to a monitor of another scale

void note_input(GLFWwindow*) {
    input_seen = true;
}

void install_input_watch(GLFWwindow* window) {
    // Installed before ImGui's backend, which chains to them.
    glfwSetCursorPosCallback(window, [](GLFWwindow* w, double, double) { note_input(w); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int, int, int) { note_input(w); });
    glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { note_input(w); });
    glfwSetKeyCallback(window, [](GLFWwindow* w, int, int, int, int) { note_input(w); });
    glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int) { note_input(w); });
    glfwSetWindowSizeCallback(window, [](GLFWwindow* w, int, int) { note_input(w); });
    glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { note_input(w); });
    glfwSetWindowContentScaleCallback(window, [](GLFWwindow* w, float x, float) {
        new_content_scale = x;
        note_input(w);
    });
    glfwSetDropCallback(window, [](GLFWwindow* w, int count, const char** paths) {
        for (int i = 0; i < count; ++i)
            dropped.emplace_back(paths[i]);
        note_input(w);
    });
}

float clamp_scale(float scale) {
    return std::clamp(scale, 1.0f, 4.0f);
}

void load_fonts(float scale);

// Sets the style (theme colours, sizes) and fonts for a content scale, from scratch.
void apply_scale(float scale, bool dark) {
    ImGui::GetStyle() = ImGuiStyle();
    ui::Console::apply_theme(dark);
    ImGui::GetStyle().ScaleAllSizes(scale);
    load_fonts(scale);
}

// DejaVu Sans with the ranges an audit log needs (Latin, Greek, Cyrillic, punctuation,
// arrows, symbols), or the built-in font with a warning.
void load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
        builder.AddRanges(io.Fonts->GetGlyphRangesCyrillic());
        static const ImWchar extra[] = {0x0100, 0x024F, 0x0370, 0x03FF, 0x2000, 0x206F,
                                        0x20A0, 0x20CF, 0x2190, 0x21FF, 0x2200, 0x22FF,
                                        0x2500, 0x25FF, 0x2600, 0x26FF, 0};
        builder.AddRanges(extra);
        builder.BuildRanges(&ranges);
    }
    if (std::filesystem::exists(dejavu_sans) &&
        io.Fonts->AddFontFromFileTTF(dejavu_sans, 15.0f * scale, nullptr, ranges.Data)) {
        return;
    }
    std::cerr << "asof-gui: warning: " << dejavu_sans
              << " not found (install fonts-dejavu-core); using the built-in font, which shows "
                 "ASCII only\n";
    ImFontConfig config;
    config.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&config);
}

// Whether GLFW is initialised: background work may end, and wake the loop, before or after.
std::atomic<bool> glfw_ready{false};

// What the window holds: the open console (if any), an import in progress, the file browser,
// messages for the error dialog, and the settings.
struct Session {
    std::unique_ptr<ui::Console> console;
    std::unique_ptr<ImportJob> job;
    ui::FileBrowser browser;
    std::deque<std::string> messages;
    app::GuiSettings settings;
    ui::ConsoleOptions first; // --query, --now, --tz, --at, --select: for the first case only
    bool first_used = false;
    int frames_open = 0; // frames drawn since the console opened

    // Opens a case file at once; imports a log on a background thread first.
    void open(const std::string& path) {
        if (is_case_file(path)) return open_case(path);
        job = std::make_unique<ImportJob>(path, ImportOptions{});
    }

    void open_case(const std::string& path) {
        ui::ConsoleOptions options;
        if (!first_used) options = first;
        first_used = true;
        options.case_path = path;
        options.background = true; // the window keeps drawing while rows are read
        // Thread-safe: ends glfwWaitEvents*; work may end before the window exists.
        options.wake = [] {
            if (glfw_ready) glfwPostEmptyEvent();
        };
        auto opened = ui::Console::open(options);
        if (!opened) {
            messages.push_back("Cannot open " + path + ":\n" + opened.error().describe());
            return;
        }
        console = std::move(*opened);
        console->layout() = settings.layout;
        console->state().dark = settings.dark;
        settings.add_recent(path);
        console->set_recent(settings.recent);
        frames_open = 0;
    }

    // Finishes an import that ended: opens its case or says why not.
    void poll_job() {
        if (!job) return;
        auto snapshot = job->snapshot();
        if (!snapshot.finished) {
            if (ui::draw_import_progress(snapshot, job->log())) job->cancel();
            return;
        }
        std::string log = job->log();
        job.reset();
        if (snapshot.outcome && *snapshot.outcome)
            open_case(**snapshot.outcome);
        else if (snapshot.outcome)
            messages.push_back("Cannot import " + log + ":\n" +
                               snapshot.outcome->error().describe());
    }
};

struct Options {
    ui::ConsoleOptions console;
    std::optional<std::string> screenshot;
    std::string size = "1600x1000";
    int bench_frames = 0;
};

std::optional<std::pair<int, int>> parse_size(const std::string& text) {
    int width = 0, height = 0;
    if (std::sscanf(text.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 240 ||
        width > 16384 || height > 16384)
        return std::nullopt;
    return std::make_pair(width, height);
}

// Frame times of scripted panning, zooming and scrubbing, printed as p50/p95/max.
void report_frame_times(std::vector<double> times) {
    if (times.empty()) return;
    std::sort(times.begin(), times.end());
    auto at = [&](double q) {
        return times[static_cast<std::size_t>(q * static_cast<double>(times.size() - 1))];
    };
    std::printf("frame_ms p50=%.2f p95=%.2f max=%.2f frames=%zu\n", at(0.5), at(0.95), times.back(),
                times.size());
}

// Moves the view and the cursor as a user would, frame `i` of `n`.
void script_frame(ui::ConsoleState& state, int i, int n) {
    auto& view = state.timeline;
    std::int64_t width = std::max<std::int64_t>(view.view_to - view.view_from, 1000);
    int phase = (i * 3) / std::max(n, 1);
    if (phase == 0) { // pan right
        view.view_from += width / 100;
        view.view_to += width / 100;
    } else if (phase == 1) { // zoom in then out around the middle
        std::int64_t middle = view.view_from + width / 2;
        double factor = (i % 40) < 20 ? 0.9 : 1.0 / 0.9;
        auto half = static_cast<std::int64_t>(static_cast<double>(width) * factor / 2);
        view.view_from = middle - half;
        view.view_to = middle + half;
    } else { // scrub cursor A across the view
        state.cursor_a = view.view_from + width * (i % 100) / 100;
    }
}

// ImGui draws glyphs at whole pixels and fills from one white texel, so nearest sampling of the
// font atlas looks the same as bilinear; a software renderer (llvmpipe, no GPU) runs it much
// faster.
void sample_font_texture_nearest() {
    GLuint texture =
        static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(ImGui::GetIO().Fonts->TexID));
    if (texture == 0) return;
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
}

// Screenshots and benchmarks leave the user's settings alone.
bool scripted_run(const Options& options) {
    return options.screenshot.has_value() || options.bench_frames > 0;
}

int run(const Options& options) {
    Session session;
    std::string settings_file = app::settings_path();
    session.settings = app::load_settings(settings_file);
    bool offscreen = options.screenshot.has_value();
    auto size =
        offscreen || options.bench_frames > 0
            ? parse_size(options.size)
            : std::make_optional(std::make_pair(session.settings.width, session.settings.height));
    if (!size) {
        std::cerr << "asof-gui: --size: expected WIDTHxHEIGHT, e.g. 1600x1000\n";
        return 2;
    }
    // The case opens first: its rows, stream counts (or an import) run on their threads while
    // the window, the GL context and the fonts are made, about a third of a second here.
    session.first = options.console;
    if (!options.console.case_path.empty()) session.open(options.console.case_path);
    if ((offscreen || options.bench_frames > 0) && !session.console && !session.job) {
        std::cerr << "asof-gui: "
                  << (session.messages.empty()
                          ? std::string("--screenshot and --bench-frames need a CASE")
                          : session.messages.front())
                  << '\n';
        return 3;
    }
    glfwSetErrorCallback([](int code, const char* text) {
        std::cerr << "asof-gui: GLFW error " << code << ": " << text << '\n';
    });
    if (!glfwInit()) {
        std::cerr << "asof-gui: cannot open a window (no display? set DISPLAY or use xvfb-run)\n";
        return 3;
    }
    glfw_ready = true;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    if (offscreen) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(size->first, size->second, "asof", nullptr, nullptr);
    if (!window) {
        session.job.reset();
        session.console.reset();
        glfw_ready = false;
        glfwTerminate();
        return 3;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(options.bench_frames > 0 ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // the layout is the console's own (gui.json)
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    float scale = 1.0f;
    glfwGetWindowContentScale(window, &scale, nullptr);
    scale = clamp_scale(scale);
    apply_scale(scale, session.settings.dark);
    install_input_watch(window);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    sample_font_texture_nearest();

    int code = 0;
    std::vector<double> frame_times;
    int pending = 3;
    while (code == 0 && !glfwWindowShouldClose(window)) {
        bool scripted = offscreen || options.bench_frames > 0;
        bool waiting = session.console && session.console->busy();
        if (pending > 0 || (scripted && !waiting))
            glfwPollEvents();
        else if (waiting || session.job)
            // Background work: redraw for its progress now and then, and at once when a task
            // wakes the loop; the renderer (llvmpipe, without a GPU) leaves the cores to it.
            glfwWaitEventsTimeout(0.1);
        else
            glfwWaitEvents(); // idle: no frames until something happens
        if (input_seen) pending = 3;
        input_seen = false;
        for (const auto& path : dropped)
            session.open(path);
        dropped.clear();

        // Moved to a monitor with another content scale (HiDPI): rebuild style and fonts.
        if (new_content_scale > 0 && clamp_scale(new_content_scale) != scale) {
            scale = clamp_scale(new_content_scale);
            apply_scale(scale,
                        session.console ? session.console->state().dark : session.settings.dark);
            if (io.Fonts->TexID) { // else the backend builds the texture in its first frame
                ImGui_ImplOpenGL3_DestroyFontsTexture();
                ImGui_ImplOpenGL3_CreateFontsTexture();
                sample_font_texture_nearest();
            }
        }
        new_content_scale = 0;

        auto started = std::chrono::steady_clock::now();
        if (session.console && options.bench_frames > 0 && session.frames_open >= 3)
            script_frame(session.console->state(), session.frames_open - 3, options.bench_frames);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ui::FrameRequests requests;
        if (session.console) {
            try {
                requests = session.console->frame();
            } catch (const std::exception& failure) {
                // A failure inside a frame is shown and the console goes on.
                session.messages.push_back(std::string("Something went wrong: ") + failure.what());
            }
            auto& console_messages = session.console->state().messages;
            while (!console_messages.empty()) {
                session.messages.push_back(console_messages.front());
                console_messages.pop_front();
            }
        } else if (!session.job) {
            ImGui::SetNextWindowPos(ImVec2(40, 40), ImGuiCond_Always);
            ImGui::Begin("asof", nullptr,
                         ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
            ImGui::TextUnformatted("Open a case file or a log (JSON Lines, CSV, XES, OCEL 2.0, "
                                   "SQLite), or drop one on "
                                   "this window.");
            if (ImGui::Button("Open...")) requests.browse = true;
            for (const auto& path : session.settings.recent)
                if (ImGui::Selectable(path.c_str())) requests.open_path = path;
            ImGui::End();
        }
        session.poll_job();
        if (requests.browse) session.browser.open = true;
        if (auto chosen = ui::draw_file_browser(session.browser)) requests.open_path = chosen;
        ui::draw_messages(session.messages);
        ImGui::Render();
        int width = 0, height = 0;
        glfwGetFramebufferSize(window, &width, &height);
        glViewport(0, 0, width, height);
        // The console's main window draws no background: the theme's shows through (a fixed dark
        // clear left the light theme's dark text on near black, seen in a screenshot).
        const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(background.x, background.y, background.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        // Frames count once the first answer is in (screenshots and benchmarks wait for it).
        if (session.console && !session.console->busy()) ++session.frames_open;
        bool shoot = offscreen && session.console && session.frames_open == 4;
        if (shoot || requests.screenshot) {
            std::string path = options.screenshot.value_or("asof-timeline.png");
            if (auto written = app::write_framebuffer_png(path, width, height); !written) {
                session.messages.push_back(written.error().describe());
                if (offscreen) code = 3;
            } else if (!offscreen) {
                session.messages.push_back("Saved the window as " + path);
            }
            if (offscreen) break;
        }
        if (offscreen && !session.console && !session.job) { // the import failed
            std::cerr << "asof-gui: "
                      << (session.messages.empty() ? "cannot open" : session.messages.front())
                      << '\n';
            code = 3;
        }
        glfwSwapBuffers(window);
        if (session.console && options.bench_frames > 0 && session.frames_open > 3)
            frame_times.push_back(std::chrono::duration<double, std::milli>(
                                      std::chrono::steady_clock::now() - started)
                                      .count());
        if (session.console && options.bench_frames > 0 &&
            session.frames_open >= options.bench_frames + 3)
            break;
        if (requests.open_path) session.open(*requests.open_path);
        if (requests.quit) break;
        pending = std::max(0, pending - 1);
    }
    report_frame_times(frame_times);
    if (!scripted_run(options)) {
        glfwGetWindowSize(window, &session.settings.width, &session.settings.height);
        if (session.console) {
            session.settings.layout = session.console->layout();
            session.settings.dark = session.console->state().dark;
        }
        app::save_settings(settings_file, session.settings);
    }
    session.job.reset();
    session.console.reset();
    glfw_ready = false;
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return code;
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app("asof-gui: the audit and time-travel console", "asof-gui");
    app.add_option("CASE", options.console.case_path,
                   "A case file, or a log to import (into the cache, as the CLI does)");
    app.add_option("--query", options.console.query,
                   "The query to run first (default: all events)");
    app.add_option("--now", options.console.now, "Pin the clock (ISO 8601)");
    app.add_option("--tz", options.console.tz, "Show times in this zone (default: system)");
    app.add_option("--at", options.console.at, "Put the \"as of\" cursor here (a time phrase)");
    app.add_option("--select", options.console.select, "Select the event with this seq");
    app.add_option("--screenshot", options.screenshot, "Render this state to a PNG file and exit");
    app.add_option("--size", options.size, "Window size for --screenshot (WIDTHxHEIGHT)");
    app.add_option("--bench-frames", options.bench_frames,
                   "Pan, zoom and scrub over N frames and print frame times");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    try {
        return run(options);
    } catch (const std::exception& failure) {
        std::cerr << "asof-gui: internal error: " << failure.what() << '\n';
        return 70;
    }
}
