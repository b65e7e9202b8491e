#include "hooks/hook_installer.hpp"

#include <unistd.h>

#include <optional>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

namespace fs = std::filesystem;

fs::path with_suffix(const fs::path& file, std::string_view suffix) {
  fs::path result = file;
  result += suffix;
  return result;
}

/// Where install moves a user's hook so that ours can run it.
fs::path chained_path(const fs::path& file) {
  return with_suffix(file, ".local");
}

/// Whether anything is at `path`, a dangling symlink included.
bool occupied(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type() != fs::file_type::not_found && !error;
}

/// The first of <hook>.backup, <hook>.backup.2, … that is free: a backup never overwrites an
/// older one.
fs::path free_backup_path(const fs::path& file) {
  fs::path backup = with_suffix(file, ".backup");
  for (int n = 2; occupied(backup); ++n) {
    backup = with_suffix(file, fmt::format(".backup.{}", n));
  }
  return backup;
}

void move(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (error) {
    throw IoError(
        fmt::format("cannot move {} to {}: {}. Check the hooks folder's permissions and "
                    "run the command again",
                    from.string(), to.string(), error.message()));
  }
}

/// Writes the hook beside `file` under a temporary name, executable, and returns that name: it
/// takes the hook's place in one rename, so git never runs half a hook, nor skips one for a
/// missing x bit, and a user's hook is moved aside only once ours is ready.
fs::path prepare_hook(const fs::path& file, std::string_view text) {
  std::error_code error;
  fs::create_directories(file.parent_path(), error);
  if (error) {
    throw IoError(fmt::format("cannot create the hooks folder {}: {}", file.parent_path().string(),
                              error.message()));
  }
  fs::path temporary = with_suffix(file, ".migrate-new");
  fs::remove(temporary, error);  // left by an install that crashed
  create_new_file(temporary, text);
  fs::permissions(temporary,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  error);
  if (error) {
    fs::remove(temporary, error);
    throw IoError(fmt::format("cannot make {} executable: {}", file.string(), error.message()));
  }
  return temporary;
}

/// The content of `file` when it is a regular file (through symlinks); nullopt for anything
/// else (a folder, a dangling symlink): nothing migrate wrote.
std::optional<std::string> read_hook_file(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    return std::nullopt;
  }
  return read_file(file);
}

}  // namespace

HookStatus inspect_hook(const fs::path& folder, const HookScript& script) {
  HookStatus status;
  status.script = &script;
  status.file = folder / script.name;
  if (occupied(chained_path(status.file))) {
    status.chained = chained_path(status.file);
  }
  if (!occupied(status.file)) {
    return status;  // absent
  }
  status.executable = ::access(status.file.c_str(), X_OK) == 0;
  std::optional<std::string> text = read_hook_file(status.file);
  if (!text || !is_migrate_hook(*text)) {
    status.state = HookState::foreign;
    return status;
  }
  status.state = is_current_hook(*text, script) ? HookState::current : HookState::outdated;
  status.bin_dir = hook_bin_dir(*text);
  return status;
}

void check_installable(const HookStatus& status, bool force) {
  if (status.state != HookState::foreign || force || !status.chained) {
    return;
  }
  throw UsageError(fmt::format(
      "cannot install migrate's {0} hook: {1} is someone else's hook, and the place it would "
      "move to so that migrate's hook runs it, {2}, is taken already. Merge the two into {2} "
      "by hand (or remove one) and install again, or pass --force to replace {1} (it is kept "
      "as a backup). Nothing was changed",
      status.script->name, status.file.string(), status.chained->string()));
}

HookChange install_hook(const HookStatus& status, const fs::path& bin_dir, bool force) {
  std::string text = render_hook(*status.script, bin_dir);
  switch (status.state) {
    case HookState::absent:
      move(prepare_hook(status.file, text), status.file);
      return {HookChange::Kind::installed, {}};
    case HookState::current:
    case HookState::outdated:
      if (status.executable && read_file(status.file) == text) {
        return {HookChange::Kind::unchanged, {}};
      }
      move(prepare_hook(status.file, text), status.file);
      return {HookChange::Kind::updated, {}};
    case HookState::foreign:
      break;
  }
  check_installable(status, force);
  fs::path ours = prepare_hook(status.file, text);
  fs::path moved = force ? free_backup_path(status.file) : chained_path(status.file);
  move(status.file, moved);
  move(ours, status.file);
  return {force ? HookChange::Kind::replaced : HookChange::Kind::chained, moved};
}

HookChange uninstall_hook(const HookStatus& status) {
  if (status.state == HookState::foreign) {
    return {HookChange::Kind::foreign, {}};
  }
  if (status.state != HookState::absent) {
    std::error_code error;
    if (!fs::remove(status.file, error) && error) {
      throw IoError(fmt::format("cannot remove {}: {}", status.file.string(), error.message()));
    }
  }
  if (status.chained) {
    move(*status.chained, status.file);
    return {HookChange::Kind::restored, *status.chained};
  }
  return {status.state == HookState::absent ? HookChange::Kind::none : HookChange::Kind::removed,
          {}};
}

}  // namespace migrate
