#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "check/commit_check.hpp"
#include "diff/dev_database.hpp"
#include "git/git_repo.hpp"
#include "util/temp_folder.hpp"

namespace migrate {

struct Context;

// The drift gate's side of migrate-check: with a model configured (`schema =`), the exact
// answer of check_commit's model_drift, for the staged commit or the work tree.

/// What the gate needs to compare the model with the migrations: development databases of the
/// configured engine and, for the staged commit, a folder the staged model is written into,
/// made on first use (a commit whose agreement is remembered needs none). Made before any
/// thread starts, so that Ctrl-C's thread can remove both (abandon).
class DriftWorkspace {
 public:
  /// What a killed check left is removed now, whether this one needs a folder or not.
  explicit DriftWorkspace(const Context& context);
  DriftWorkspace(const DriftWorkspace&) = delete;
  DriftWorkspace& operator=(const DriftWorkspace&) = delete;

  /// The development databases; their abandon() (abandon_on_stop) also removes the folder.
  DevDatabases& dev() { return m_dev; }
  /// The folder for the staged model, `$TMPDIR/migrate-staged-<pid>-…` (made on first use),
  /// once `write` has written into it. A stop's abandon() waits for `write` to finish: a folder
  /// removed while files are still written into it would keep those written after.
  const TempFolder& write_staged(const std::function<void(const std::filesystem::path&)>& write);

 private:
  DevDatabases m_dev;
  std::filesystem::path m_parent;
  std::mutex m_mutex;  ///< write_staged() may race a stop's abandon()
  std::unique_ptr<TempFolder> m_staged;
  bool m_abandoned = false;  ///< a stop came: no folder is made any more
  /// Registered before any folder is made, so that a stop between the folder and its removal
  /// cannot miss it.
  DevDatabases::AbandonHook m_remove_staged;
};

/// Sets `input.model_drift` for the staged commit: the model's files staged at `inputs`
/// (model_inputs) written from `index` into the workspace's folder and loaded from there, the
/// migrations given replayed, both compared (diff/model_drift). An agreement is remembered
/// (check/model_agreement) and a commit with the same model and migrations is not replayed
/// again. Throws ConfigError when the model is outside the work tree; the drift, ConfigError
/// when nothing is staged there, and ParseError at the staged line of a schema file that fails.
void compare_staged_model(const GitRepo& repo, const Context& context, const GitIndex& index,
                          const std::filesystem::path& inputs, DriftWorkspace& workspace,
                          CommitCheckInput& input);

/// The same for the work tree: the model's files where they are. Throws ConfigError when they
/// are not there.
void compare_work_tree_model(const GitRepo& repo, const Context& context,
                             const std::filesystem::path& inputs, DriftWorkspace& workspace,
                             CommitCheckInput& input);

}  // namespace migrate
