#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace migrate {

/// One of migrate's git hooks: its name in the hooks folder and its script. The scripts are the
/// files of hooks/ in the sources, embedded at build time, so there is one copy of each and no
/// installed file to find.
struct HookScript {
  std::string_view name;  ///< "pre-commit", …: the file name git runs
  std::string_view text;  ///< as in hooks/<name>
};

/// migrate's hooks: pre-commit, post-merge, post-rewrite, post-checkout.
std::span<const HookScript> hook_scripts();

/// The line every migrate hook holds: what tells ours from a user's own hook.
inline constexpr std::string_view kHookMarker = "# managed-by: migrate-hooks";

/// Whether a hook file's content is one of migrate's hooks (of any version).
bool is_migrate_hook(std::string_view text);

/// The script as `migrate hooks install` writes it: with `bin_dir` (the folder of the migrate
/// executables) written into its MIGRATE_HOOKS_BIN line, so the hook finds them without PATH.
std::string render_hook(const HookScript& script, const std::filesystem::path& bin_dir);

/// The folder an installed hook runs migrate from; nullopt when it names none (a copy of the
/// script that was not installed by render_hook).
std::optional<std::filesystem::path> hook_bin_dir(std::string_view text);

/// Whether an installed hook is `script` as this version of migrate writes it, whatever folder
/// it names.
bool is_current_hook(std::string_view text, const HookScript& script);

}  // namespace migrate
