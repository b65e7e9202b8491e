#pragma once

#include <concepts>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace migrate {

/// A file's path that many values share: copying one copies a pointer, where copying a
/// std::filesystem::path copies its text and each of its parts. Each migration's sections name
/// its file, and a folder of thousands of migrations is read (or decoded from a snapshot) on
/// every command: two path copies per migration were a tenth of `migrate current`'s work.
/// Reads as a const std::filesystem::path everywhere one is expected.
///
/// Unlike a path member, the path a reference is bound to lives in the shared object: bind
/// `const std::filesystem::path&` to the SharedPath of a value that outlives it, not to a
/// temporary's (`make_migration().file`), nor across an assignment to that SharedPath.
class SharedPath {
 public:
  SharedPath() = default;
  /// A path's stand-in: made from one implicitly, as a path is from a string.
  SharedPath(std::filesystem::path path)  // NOLINT(google-explicit-constructor)
      : m_path(std::make_shared<const std::filesystem::path>(std::move(path))) {}
  /// From whatever a path is made of: a string (moved in), a string literal.
  template <typename Source>
  requires(!std::same_as<std::remove_cvref_t<Source>, SharedPath> &&
           !std::same_as<std::remove_cvref_t<Source>, std::filesystem::path> &&
           std::is_constructible_v<std::filesystem::path, Source&&>)
      SharedPath(Source&& source)  // NOLINT(google-explicit-constructor)
      : SharedPath(std::filesystem::path(std::forward<Source>(source))) {}

  /// The path; an empty one for a SharedPath made empty.
  const std::filesystem::path& get() const { return m_path ? *m_path : empty_path(); }
  /// Read as a path where one is expected (ParseError, a comparison, …).
  operator const std::filesystem::path&() const {  // NOLINT(google-explicit-constructor)
    return get();
  }

  // The path's own, for the members its users call.
  std::string string() const { return get().string(); }
  const std::string& native() const { return get().native(); }
  const char* c_str() const { return get().c_str(); }
  std::filesystem::path filename() const { return get().filename(); }
  std::filesystem::path stem() const { return get().stem(); }
  std::filesystem::path extension() const { return get().extension(); }
  std::filesystem::path parent_path() const { return get().parent_path(); }
  bool empty() const { return get().empty(); }

  /// Equal paths; the same shared one at once. (A template: exactly two SharedPaths, so that
  /// comparing with a string literal reads it as a path, not as either.)
  template <std::same_as<SharedPath> Other>
  friend bool operator==(const SharedPath& a, const Other& b) {
    return a.m_path == b.m_path || a.get() == b.get();
  }
  friend bool operator==(const SharedPath& a, const std::filesystem::path& b) {
    return a.get() == b;
  }
  /// As a path prints (quoted): for test failures.
  friend std::ostream& operator<<(std::ostream& out, const SharedPath& path);

 private:
  static const std::filesystem::path& empty_path();

  std::shared_ptr<const std::filesystem::path> m_path;
};

}  // namespace migrate
