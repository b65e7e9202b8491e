#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>

namespace migrate {

/// A file's path that many values share: copying one copies a pointer, where copying a
/// std::filesystem::path copies its text and each of its parts. Each migration's sections name
/// its file, and a folder of thousands of migrations is read (or decoded from a snapshot) on
/// every command: two path copies per migration were a tenth of `migrate current`'s work.
/// Reads as a const std::filesystem::path everywhere one is expected.
class SharedPath {
 public:
  SharedPath() = default;
  SharedPath(std::filesystem::path path)  // NOLINT(google-explicit-constructor): a path's stand-in
      : m_path(std::make_shared<const std::filesystem::path>(std::move(path))) {}
  /// From whatever a path is made of: a string, a string literal.
  template <typename Source>
  requires std::is_constructible_v<std::filesystem::path, const Source&> SharedPath(
      const Source& source)  // NOLINT(google-explicit-constructor): as above
      : SharedPath(std::filesystem::path(source)) {}

  const std::filesystem::path& get() const { return m_path ? *m_path : empty_path(); }
  operator const std::filesystem::path&() const { return get(); }  // NOLINT: as above

  std::string string() const { return get().string(); }
  const std::string& native() const { return get().native(); }
  const char* c_str() const { return get().c_str(); }
  std::filesystem::path filename() const { return get().filename(); }
  std::filesystem::path stem() const { return get().stem(); }
  std::filesystem::path extension() const { return get().extension(); }
  std::filesystem::path parent_path() const { return get().parent_path(); }
  bool empty() const { return get().empty(); }

  friend bool operator==(const SharedPath& a, const std::filesystem::path& b) {
    return a.get() == b;
  }
  friend std::ostream& operator<<(std::ostream& out, const SharedPath& path) {
    return out << path.get();  // as a path prints: quoted
  }

 private:
  static const std::filesystem::path& empty_path() {
    static const std::filesystem::path empty;
    return empty;
  }

  std::shared_ptr<const std::filesystem::path> m_path;
};

}  // namespace migrate
