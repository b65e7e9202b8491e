#include "commands/hooks.hpp"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "git/git_repo.hpp"
#include "hooks/hook_installer.hpp"
#include "output/console.hpp"
#include "util/error.hpp"
#include "util/executable.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

namespace fs = std::filesystem;

/// The hooks folder of the repository around the working directory.
HooksFolder locate_hooks(Context& context) {
  std::unique_ptr<GitRepo> repository = GitRepo::discover(context.cwd);
  if (!repository) {
    throw UsageError(fmt::format(
        "{} is not inside a git repository, and git hooks belong to one. Run migrate-hooks "
        "from the repository's work tree (or create the repository with `git init` first)",
        context.cwd.string()));
  }
  return repository->hooks_folder();
}

std::vector<HookStatus> inspect_hooks(const fs::path& folder) {
  std::vector<HookStatus> hooks;
  for (const HookScript& script : hook_scripts()) {
    hooks.push_back(inspect_hook(folder, script));
  }
  return hooks;
}

/// "hooks folder  .git/hooks (core.hooksPath is not set)".
std::string folder_line(Context& context, const HooksFolder& folder) {
  fs::path shown = display_path(folder.path, context.cwd);
  return folder.hooks_path
             ? fmt::format("hooks folder  {} (core.hooksPath = {})", shown.string(),
                           *folder.hooks_path)
             : fmt::format("hooks folder  {} (core.hooksPath is not set)", shown.string());
}

void print_folder(Context& context, const HooksFolder& folder) {
  context.console.info("{}", folder_line(context, folder));
}

std::string describe_change(const HookChange& change) {
  std::string moved = change.moved.filename().string();
  switch (change.kind) {
    case HookChange::Kind::installed:
      return "installed";
    case HookChange::Kind::updated:
      return "updated";
    case HookChange::Kind::unchanged:
      return "installed already";
    case HookChange::Kind::chained:
      return fmt::format("installed; your own hook is now {} and runs first", moved);
    case HookChange::Kind::replaced:
      return fmt::format("installed in place of your own hook, kept as {}", moved);
    case HookChange::Kind::removed:
      return "removed";
    case HookChange::Kind::restored:
      return fmt::format("removed; your own hook is back in its place (from {})", moved);
    case HookChange::Kind::foreign:
      return "not migrate's: left alone";
    case HookChange::Kind::none:
      return "not installed";
  }
  return {};
}

/// Where an installed hook runs migrate from, when that is worth saying: another folder than
/// this executable's, or one where migrate is gone.
std::string describe_bin_dir(const HookStatus& hook, const fs::path& own_folder) {
  if (!hook.bin_dir) {
    return " (runs the migrate on PATH)";
  }
  if (::access((*hook.bin_dir / "migrate").c_str(), X_OK) != 0) {
    return fmt::format(
        " (runs migrate from {}, where it is no more: it falls back to PATH; "
        "install again)",
        hook.bin_dir->string());
  }
  return *hook.bin_dir == own_folder
             ? std::string()
             : fmt::format(" (runs migrate from {})", hook.bin_dir->string());
}

std::string describe_status(const HookStatus& hook, const fs::path& own_folder) {
  std::string chained = hook.chained
                            ? fmt::format("; chained to your own hook {}, which runs first",
                                          hook.chained->filename().string())
                            : std::string();
  switch (hook.state) {
    case HookState::absent:
      return "not installed" + chained;
    case HookState::foreign:
      return "not installed: a hook of your own is there (`migrate hooks install` chains to it)";
    case HookState::outdated:
      return "installed, outdated: `migrate hooks install` updates it" + chained;
    case HookState::current:
      break;
  }
  if (!hook.executable) {
    return "installed, but not executable, so git skips it: `migrate hooks install` fixes it";
  }
  return "installed" + describe_bin_dir(hook, own_folder) + chained;
}

bool installed_and_current(const HookStatus& hook) {
  return hook.state == HookState::current && hook.executable;
}

ExitCode install(Context& context, const HooksFolder& folder, bool force) {
  std::vector<HookStatus> hooks = inspect_hooks(folder.path);
  for (const HookStatus& hook : hooks) {
    check_installable(hook, force);  // all of them first: refuse before changing anything
  }
  fs::path own_folder = executable_folder();
  print_folder(context, folder);
  for (const HookStatus& hook : hooks) {
    HookChange change = install_hook(hook, own_folder, force);
    context.console.info("{:<14} {}", hook.script->name, describe_change(change));
  }
  if (own_folder.empty()) {
    context.console.info("The hooks run the migrate on PATH.");
  } else {
    context.console.info("The hooks run migrate from {} (MIGRATE_HOOKS_BIN overrides it).",
                         own_folder.string());
  }
  return ExitCode::success;
}

ExitCode uninstall(Context& context, const HooksFolder& folder) {
  print_folder(context, folder);
  for (const HookStatus& hook : inspect_hooks(folder.path)) {
    context.console.info("{:<14} {}", hook.script->name, describe_change(uninstall_hook(hook)));
  }
  return ExitCode::success;
}

ExitCode status(Context& context, const HooksFolder& folder, bool check) {
  std::vector<HookStatus> hooks = inspect_hooks(folder.path);
  fs::path own_folder = executable_folder();
  // What status reports is its result: -q does not hide it.
  context.console.report("{}", folder_line(context, folder));
  for (const HookStatus& hook : hooks) {
    context.console.report("{:<14} {}", hook.script->name, describe_status(hook, own_folder));
  }
  auto missing = std::count_if(hooks.begin(), hooks.end(),
                               [](const HookStatus& hook) { return !installed_and_current(hook); });
  if (check && missing > 0) {
    throw CheckFailed(
        fmt::format("{} of migrate's {} hooks are not installed as this version writes them: run "
                    "`migrate hooks install` (or `make install-hooks`)",
                    missing, hooks.size()));
  }
  return ExitCode::success;
}

}  // namespace

ExitCode run_hooks(Context& context, const HooksOptions& options) {
  HooksFolder folder = locate_hooks(context);
  switch (options.action) {
    case HooksAction::install:
      return install(context, folder, options.force);
    case HooksAction::uninstall:
      return uninstall(context, folder);
    case HooksAction::status:
      break;
  }
  return status(context, folder, options.check);
}

}  // namespace migrate
