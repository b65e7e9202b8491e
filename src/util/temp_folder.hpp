#pragma once

#include <filesystem>
#include <string_view>

namespace migrate {

/// A new folder in `parent` (by default $TMPDIR, else /tmp), `<prefix>-XXXXXX`, removed with what
/// it holds when this goes. While it lives it holds a lock (flock on a file in it, which the kernel
/// releases however the process ends), so the folders of this prefix that a killed process left
/// behind (unlocked, untouched for a minute) are removed when the next one is made: a leftover
/// costs disk space until then, and never breaks a run (each has a name of its own).
class TempFolder {
 public:
  /// Throws IoError when the folder cannot be made.
  explicit TempFolder(std::string_view prefix, const std::filesystem::path& parent = {});
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  const std::filesystem::path& path() const { return m_path; }
  /// Removes it now, from any thread, for a run that is about to end the process (Ctrl-C);
  /// nothing may use it after.
  void remove() noexcept;

 private:
  std::filesystem::path m_path;
  int m_lock = -1;
};

}  // namespace migrate
