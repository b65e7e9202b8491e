#include "util/module.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace migrate {

std::string module_path(std::string_view name) {
  // Where this function's own code was loaded from is the core library's file.
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&module_path), &info) == 0 ||
      info.dli_fname == nullptr) {
    throw ModuleError("cannot find where migrate's core library was loaded from");
  }
  // As the loader found it: "PREFIX/bin/../lib/migrate/libmigrate.so". Resolved, for messages.
  std::error_code error;
  std::filesystem::path core = std::filesystem::weakly_canonical(info.dli_fname, error);
  std::filesystem::path folder =
      (error ? std::filesystem::path(info.dli_fname) : core).parent_path();
  return (folder / fmt::format("lib{}.so", name)).string();
}

void* load_module_entry(std::string_view name, std::string_view what, const char* entry) {
  std::string path = module_path(name);
  // RTLD_NOW: a module missing a symbol of this core fails here, with the symbol named, not in
  // the middle of a command. (The build rebuilds the modules with every tool, and make install
  // installs them together, so their classes match the core's.) Never dlclose()d: libgit2 and
  // libpq keep state for the life of the process.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    // dlerror() names the file: "/p/lib/migrate/libmigrate-git.so: cannot open shared object…".
    throw ModuleError(
        fmt::format("cannot load {}: {}; reinstall migrate (make install)", what, dlerror()));
  }
  void* address = dlsym(handle, entry);
  if (address == nullptr) {
    throw ModuleError(
        fmt::format("{} is not a module of this migrate (no {}); reinstall migrate "
                    "(make install)",
                    path, entry));
  }
  return address;
}

namespace {

std::string read_build_identity() {
  std::string core;
  try {
    core = module_path("migrate");
  } catch (const ModuleError&) {
    return {};
  }
  // The core and every module beside it (libmigrate-*.so): a rebuilt module (the SQLite engine's
  // dialect, say) answers differently while the core stays the same file.
  std::vector<std::filesystem::path> files = {core};
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(core).parent_path(), error)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("libmigrate-") && name.ends_with(".so")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin() + 1, files.end());
  std::string identity;
  for (const std::filesystem::path& path : files) {
    struct stat file {};
    if (::stat(path.c_str(), &file) != 0) {
      return {};
    }
    identity += fmt::format("{} {} {}.{:09}\n", path.string(), file.st_size, file.st_mtim.tv_sec,
                            file.st_mtim.tv_nsec);
  }
  return identity;
}

}  // namespace

std::string build_identity() {
  // Read once a process: it does not change while the process runs, and dladdr() and a listing
  // of the folder would otherwise be paid by every cache that checks it.
  static const std::string identity = read_build_identity();
  return identity;
}

}  // namespace migrate
