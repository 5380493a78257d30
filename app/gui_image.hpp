// Writing what the GUI shows to a PNG: the current OpenGL framebuffer, read back and flipped
// (for --screenshot and File > Export timeline image).
#pragma once

#include "eventlog/result.hpp"

#include <string>

namespace asof::app {

// Reads the `width` x `height` framebuffer just rendered (before the buffer swap) and writes it
// to `path` as an RGB PNG, through a temporary file renamed into place.
Result<void> write_framebuffer_png(const std::string& path, int width, int height);

} // namespace asof::app
