#pragma once

#include <atomic>
#include <concepts>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <mutex>
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
/// Made from text (a snapshot's, a parser's), it keeps the text and makes the path, splitting
/// it into its parts, only when one is first asked for: most commands print a handful of the
/// thousands of paths they read, and splitting each was 4% of `migrate current`'s work.
/// native(), c_str() and string() never need the path.
///
/// Unlike a path member, the path a reference is bound to lives in the shared object: bind
/// `const std::filesystem::path&` to the SharedPath of a value that outlives it, not to a
/// temporary's (`make_migration().file`), nor across an assignment to that SharedPath.
class SharedPath {
 public:
  SharedPath() = default;
  /// A path's stand-in: made from one implicitly, as a path is from a string.
  SharedPath(std::filesystem::path path);  // NOLINT(google-explicit-constructor)
  /// From a path's text, split into parts only when get() is first called.
  SharedPath(std::string text);  // NOLINT(google-explicit-constructor)
  SharedPath(const char* text)   // NOLINT(google-explicit-constructor)
      : SharedPath(std::string(text)) {}
  /// From whatever else a path is made of.
  template <typename Source>
  requires(!std::same_as<std::remove_cvref_t<Source>, SharedPath> &&
           !std::same_as<std::remove_cvref_t<Source>, std::filesystem::path> &&
           !std::is_convertible_v<Source&&, std::string> &&
           std::is_constructible_v<std::filesystem::path, Source&&>)
      SharedPath(Source&& source)  // NOLINT(google-explicit-constructor)
      : SharedPath(std::filesystem::path(std::forward<Source>(source))) {}

  /// The path; an empty one for a SharedPath made empty. Safe from several threads at once.
  const std::filesystem::path& get() const;
  /// Read as a path where one is expected (ParseError, a comparison, …).
  operator const std::filesystem::path&() const {  // NOLINT(google-explicit-constructor)
    return get();
  }

  // The path's own, for the members its users call.
  std::string string() const { return native(); }
  const std::string& native() const { return m_shared ? m_shared->text : empty_text(); }
  const char* c_str() const { return native().c_str(); }
  std::filesystem::path filename() const { return get().filename(); }
  std::filesystem::path stem() const { return get().stem(); }
  std::filesystem::path extension() const { return get().extension(); }
  std::filesystem::path parent_path() const { return get().parent_path(); }
  bool empty() const { return native().empty(); }

  /// Equal paths; the same shared one at once. (A template: exactly two SharedPaths, so that
  /// comparing with a string literal reads it as a path, not as either.)
  template <std::same_as<SharedPath> Other>
  friend bool operator==(const SharedPath& a, const Other& b) {
    return a.m_shared == b.m_shared || a.native() == b.native() || a.get() == b.get();
  }
  friend bool operator==(const SharedPath& a, const std::filesystem::path& b) {
    return a.native() == b.native() || a.get() == b;
  }
  /// As a path prints (quoted): for test failures.
  friend std::ostream& operator<<(std::ostream& out, const SharedPath& path);

 private:
  /// The text, and the path made of it once asked for. Not a std::once_flag: glibc's
  /// call_once ends with a futex wake, a system call, even where no thread waits; a path made
  /// whole (each staged migration in the gate's 5,000) paid it for nothing.
  struct Shared {
    std::string text;
    mutable std::atomic<bool> split{false};  // `path` is made (and published)
    mutable std::mutex splitting;            // held while a first get() makes it
    mutable std::filesystem::path path;
  };

  static const std::filesystem::path& empty_path();
  static const std::string& empty_text();

  std::shared_ptr<const Shared> m_shared;
};

}  // namespace migrate
