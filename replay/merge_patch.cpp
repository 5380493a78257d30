// JSON pointers for merge-patch blame (see merge_patch.hpp).
#include "replay/merge_patch.hpp"

namespace asof::replay {

std::string child_pointer(const std::string& parent, const std::string& key) {
    std::string pointer = parent + "/";
    for (char c : key) {
        if (c == '~')
            pointer += "~0";
        else if (c == '/')
            pointer += "~1";
        else
            pointer += c;
    }
    return pointer;
}

} // namespace asof::replay
