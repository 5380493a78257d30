// Headless ImGui for panel tests: a context with no backend (the font atlas is built in memory
// and never uploaded), a fixed display size, and frames driven with synthetic mouse and
// keyboard input through ImGui 1.86's io fields.
#pragma once

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <functional>
#include <string>

namespace asof::test {

class HeadlessImGui {
public:
    explicit HeadlessImGui(float width = 1280, float height = 800) {
        context_ = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h); // builds the atlas; no texture upload
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
        for (int key = 0; key < ImGuiKey_COUNT; ++key)
            io.KeyMap[key] = key; // the tests press ImGuiKey_* directly
    }
    ~HeadlessImGui() { ImGui::DestroyContext(context_); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    // Runs one frame: NewFrame, a full-screen window named "test" in which `draw` runs,
    // Render. Returns the number of draw-list vertices (to check that something was drawn).
    int frame(const std::function<void()>& draw) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("test", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings);
        draw();
        ImGui::End();
        ImGui::Render();
        ImDrawData* data = ImGui::GetDrawData();
        return data ? data->TotalVtxCount : 0;
    }

    // Runs one frame of `draw` with no window around it (for code that makes its own).
    int raw_frame(const std::function<void()>& draw) {
        ImGui::NewFrame();
        draw();
        ImGui::Render();
        ImDrawData* data = ImGui::GetDrawData();
        return data ? data->TotalVtxCount : 0;
    }

    // Input for the next frame.
    void mouse(float x, float y) { ImGui::GetIO().MousePos = ImVec2(x, y); }
    void button(int which, bool down) { ImGui::GetIO().MouseDown[which] = down; }
    void wheel(float amount) { ImGui::GetIO().MouseWheel = amount; }
    // A named key (ImGuiKey_*, mapped to itself) or a letter by its upper-case ASCII code,
    // which is also its GLFW key code ('F').
    void key(int key, bool down) { ImGui::GetIO().KeysDown[key] = down; }
    void shift(bool down) { ImGui::GetIO().KeyShift = down; }
    void alt(bool down) { ImGui::GetIO().KeyAlt = down; }
    void ctrl(bool down) { ImGui::GetIO().KeyCtrl = down; }

    // Clicks at (x, y) over two frames (press, release), running `draw` in both.
    void click(float x, float y, const std::function<void()>& draw, int which = 0) {
        mouse(x, y);
        button(which, true);
        frame(draw);
        button(which, false);
        frame(draw);
    }

private:
    ImGuiContext* context_ = nullptr;
};

} // namespace asof::test
