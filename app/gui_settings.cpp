// Loading and saving the console's settings (see gui_settings.hpp).
#include "app/gui_settings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace asof::app {

void GuiSettings::add_recent(const std::string& path) {
    std::error_code ec;
    std::string absolute = std::filesystem::absolute(path, ec).string();
    if (ec) absolute = path;
    recent.erase(std::remove(recent.begin(), recent.end(), absolute), recent.end());
    recent.insert(recent.begin(), absolute);
    if (recent.size() > 10) recent.resize(10);
}

std::string settings_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return std::string(xdg) + "/asof/gui.json";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.config/asof/gui.json";
}

GuiSettings load_settings(const std::string& path) {
    GuiSettings settings;
    std::ifstream in(path);
    if (!in) return settings;
    auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!doc.is_object()) return settings;
    auto number = [&](const char* key, auto fallback) {
        auto found = doc.find(key);
        return found != doc.end() && found->is_number() ? found->get<decltype(fallback)>()
                                                        : fallback;
    };
    settings.width = std::clamp(number("width", settings.width), 640, 16384);
    settings.height = std::clamp(number("height", settings.height), 480, 16384);
    if (auto dark = doc.find("dark"); dark != doc.end() && dark->is_boolean())
        settings.dark = dark->get<bool>();
    settings.layout.left_width = number("left_width", settings.layout.left_width);
    settings.layout.right_width = number("right_width", settings.layout.right_width);
    settings.layout.timeline_height = number("timeline_height", settings.layout.timeline_height);
    if (auto recent = doc.find("recent"); recent != doc.end() && recent->is_array())
        for (const auto& item : *recent)
            if (item.is_string() && settings.recent.size() < 10)
                settings.recent.push_back(item.get<std::string>());
    return settings;
}

void save_settings(const std::string& path, const GuiSettings& settings) {
    nlohmann::json doc = {{"width", settings.width},
                          {"height", settings.height},
                          {"dark", settings.dark},
                          {"left_width", settings.layout.left_width},
                          {"right_width", settings.layout.right_width},
                          {"timeline_height", settings.layout.timeline_height},
                          {"recent", settings.recent}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) return;
        out << doc.dump(2) << '\n';
        if (!out) return;
    }
    std::filesystem::rename(temporary, path, ec);
}

} // namespace asof::app
