#pragma once

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace migrate {

// Parts of migrate whose client libraries are heavy (the PostgreSQL engine over libpq, git over
// libgit2) are modules: shared libraries loaded the first time a command needs them. Linked
// into every tool instead, the dynamic loader would resolve the ~35 libraries they bring in
// (Kerberos, LDAP, GnuTLS, mbedTLS, libssh2, ...) at every start, which was most of the time a
// short command takes (`migrate-current --version`: 7 ms, where `sqlite3 --version` takes 1.3).
// The SQLite engine is one too: libsqlite3 alone costs ~1,500 symbol lookups at load, a quarter
// of a millisecond that a command opening no SQLite database need not pay.

/// A module of migrate's own could not be loaded: the installation is incomplete.
class ModuleError : public Error {
 public:
  explicit ModuleError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// The file of module `name`: lib<name>.so in the folder of migrate's core library (build/lib/
/// migrate in a build, PREFIX/lib/migrate when installed), wherever that was put.
std::string module_path(std::string_view name);

/// Loads module `name` (what it is for, for the message: "PostgreSQL support") once for the
/// life of the process (a module is never unloaded) and returns the address of its function
/// `entry`. Throws ModuleError naming the file and what to do.
void* load_module_entry(std::string_view name, std::string_view what, const char* entry);

/// load_module_entry, typed: `Entry` is the entry function's type.
template <typename Entry>
Entry* module_entry(std::string_view name, std::string_view what, const char* entry) {
  return reinterpret_cast<Entry*>(load_module_entry(name, what, entry));
}

/// What tells this build of migrate from any other: the path, size and time of modification of
/// its core library and of each module beside it, which a rebuild or an install changes. For what
/// migrate remembers between runs that another build might answer differently. Empty when the file
/// cannot be read. Read once a process: a rebuild while it runs is seen by the next one.
std::string build_identity();

}  // namespace migrate
