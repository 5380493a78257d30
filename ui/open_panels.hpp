// Opening things: the import progress window (bytes, events per second, time left, Cancel),
// the built-in file browser (folders, sizes, dates, a type filter) and the error dialog.
#pragma once

#include "eventlog/import_job.hpp"

#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace asof::ui {

// Draws the progress of `job` in a centred window; returns true when Cancel was pressed.
bool draw_import_progress(const ImportJob::Snapshot& snapshot, const std::string& log);

// The file browser's state between frames.
struct FileBrowser {
    bool open = false;
    std::filesystem::path folder;
    int filter = 0; // 0: logs and cases, 1: all files
    std::string error;
    struct Entry {
        std::string name;
        bool directory = false;
        std::uintmax_t size = 0;
        std::string modified; // local time, "2026-04-14 09:12"
    };
    std::vector<Entry> entries;
    std::filesystem::path listed; // the folder `entries` is for
};

// Draws the browser when open; returns the chosen file, if one was chosen this frame.
std::optional<std::string> draw_file_browser(FileBrowser& browser);

// Whether `name` looks like something asof opens: a case (.asof) or a log of a format it imports
// (.jsonl, .ndjson, .json, .csv, .tsv, .xes, .jsonocel, .xmlocel, .sqlite, .db; .gz of them).
bool openable_name(const std::string& name);

// Draws the oldest message as a modal dialog until dismissed.
void draw_messages(std::deque<std::string>& messages);

} // namespace asof::ui
