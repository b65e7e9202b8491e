#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace migrate {

/// A folder of a command's own for temporary files, `<parent>/<prefix>-<pid>-XXXXXX`, removed
/// with everything in it when this goes. A process killed outright (kill -9) cannot remove its
/// folder: the next TempFolder of the same prefix under the same parent removes the folders
/// whose process is gone, so none piles up and none is ever in another run's way.
class TempFolder {
 public:
  /// Creates the folder (owner-only), after remove_abandoned. Throws IoError when it cannot.
  TempFolder(const std::filesystem::path& parent, std::string_view prefix);
  /// Removes the folders of `prefix` under `parent` whose process is gone (best effort): what
  /// the constructor does first, for a run that may not need a folder of its own.
  static void remove_abandoned(const std::filesystem::path& parent, std::string_view prefix);
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  const std::filesystem::path& path() const { return m_path; }
  /// Removes the folder now, from any thread, for a command that is about to end the process
  /// (Ctrl-C): nothing may use it after.
  void remove() noexcept;

 private:
  std::mutex m_mutex;  ///< remove() may come from another thread
  std::filesystem::path m_path;
  bool m_removed = false;
};

}  // namespace migrate
