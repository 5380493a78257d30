// Derives a stream's kind and key from its full name ("discrepancy-4721" -> discrepancy, 4721).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace asof {

struct StreamKindKey {
    std::string kind;
    std::string key;
};

// The kind is the leading run of ASCII letters, the key everything after the first separator
// that follows it ('-', ':', '/', '_', '.'). The kind is lower-cased; the key is kept as
// written. Names that do not start that way ("4721", "3f2a...") have no kind.
std::optional<StreamKindKey> derive_kind_key(std::string_view name);

} // namespace asof
