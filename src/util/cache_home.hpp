#pragma once

#include <filesystem>
#include <optional>

namespace migrate {

/// The user's folder for migrate's caches where there is no repository to keep them in:
/// $XDG_CACHE_HOME/migrate, else $HOME/.cache/migrate (the XDG base directory rules, ccache's
/// and pip's place). nullopt when neither names an absolute path (the rules say a relative one
/// is to be ignored), as in a service started with no HOME: such a run keeps no cache.
std::optional<std::filesystem::path> cache_home();

}  // namespace migrate
