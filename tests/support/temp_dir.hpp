#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::test {

/// A fresh folder under $TMPDIR (or /tmp), removed with everything in it on destruction.
/// Readable by everyone, so tools run as an unprivileged user can use it.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

/// Writes a file, creating its folders.
void write_text(const std::filesystem::path& path, std::string_view content);
std::string read_text(const std::filesystem::path& path);
/// "name: content" for every file in `dir` (not its subfolders), hidden ones included, sorted:
/// a folder's whole state, to compare before and after.
std::vector<std::string> folder_texts(const std::filesystem::path& dir);
/// The text without the newlines and spaces at its end: a tool's one-line output, a HEAD file.
std::string trimmed(std::string text);
/// How many times `part` occurs in `text` (overlapping ones too): a message said once.
std::size_t occurrences(std::string_view text, std::string_view part);

}  // namespace migrate::test
