#pragma once

#include <filesystem>
#include <optional>

#include "hooks/hook_script.hpp"

namespace migrate {

/// What a hooks folder holds under the name of one of migrate's hooks.
enum class HookState {
  absent,    ///< nothing: git runs no hook
  current,   ///< migrate's hook, as this version writes it
  outdated,  ///< migrate's hook from another version: install updates it
  foreign,   ///< someone else's hook: install chains to it (or replaces it with --force)
};

/// One hook of a hooks folder, as found.
struct HookStatus {
  const HookScript* script = nullptr;
  std::filesystem::path file;  ///< <folder>/<name>, whether it exists or not
  HookState state = HookState::absent;
  bool executable = false;  ///< git skips a hook without the x bit
  /// A user's hook that install moved aside to <name>.local, which ours runs first; nullopt
  /// when there is none.
  std::optional<std::filesystem::path> chained;
  /// Ours: the folder it runs migrate from.
  std::optional<std::filesystem::path> bin_dir;
};

/// Looks at what `folder` holds for `script`.
HookStatus inspect_hook(const std::filesystem::path& folder, const HookScript& script);

/// What install or uninstall did to one hook.
struct HookChange {
  enum class Kind {
    installed,  ///< there was none
    updated,    ///< ours was there, from another version or another folder of migrate
    unchanged,  ///< ours was there already, exactly
    chained,    ///< a user's hook was there: moved to `moved`; ours runs it first
    replaced,   ///< --force: a user's hook was there, moved to the backup `moved`
    removed,    ///< ours is gone
    restored,   ///< ours is gone, and the user's hook is back from `moved`
    foreign,    ///< not ours: left alone
    none,       ///< nothing was there
  };
  Kind kind = Kind::none;
  std::filesystem::path moved;
};

/// Throws UsageError, before anything is written, when installing over `status` would need
/// --force: a user's hook that cannot be chained because <name>.local is taken already.
void check_installable(const HookStatus& status, bool force);

/// Writes migrate's hook (mode 0755, `bin_dir` filled in) where `status` says, chaining to the
/// user's hook found there, or with `force` moving it to a backup instead. Idempotent.
HookChange install_hook(const HookStatus& status, const std::filesystem::path& bin_dir, bool force);

/// Removes migrate's hook and puts the chained user's hook back in its place. A user's hook is
/// never touched.
HookChange uninstall_hook(const HookStatus& status);

}  // namespace migrate
