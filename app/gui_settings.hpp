// What asof-gui remembers between runs: window size, theme, panel sizes and recent files, in
// $XDG_CONFIG_HOME/asof/gui.json (else ~/.config/asof/gui.json). A missing or damaged file
// gives the defaults.
#pragma once

#include "ui/console.hpp"

#include <string>
#include <vector>

namespace asof::app {

struct GuiSettings {
    int width = 1600, height = 1000;
    bool dark = true;
    ui::Layout layout;
    std::vector<std::string> recent; // newest first, at most 10

    void add_recent(const std::string& path);
};

std::string settings_path();
GuiSettings load_settings(const std::string& path);
// Writes through a temporary file; failures are ignored (settings are a convenience).
void save_settings(const std::string& path, const GuiSettings& settings);

} // namespace asof::app
