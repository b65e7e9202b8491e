#include "db/backup_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrate {

namespace {

constexpr std::filesystem::perms kOwnerOnly =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

}  // namespace

void create_backup_file(const std::filesystem::path& path) {
  // O_EXCL: never over an existing file, even one that appears meanwhile. The mode asked for
  // here is only narrowed by the umask; fchmod then makes it exactly 0600, so that the program
  // writing the backup may open it (a umask of 0277 would leave 0400).
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    int error = errno;
    if (error == EEXIST) {
      throw DbError(fmt::format("cannot back up to {}: the file exists", path.string()));
    }
    if (error == ENOENT) {
      throw DbError(fmt::format("cannot back up to {}: the folder {} does not exist", path.string(),
                                path.parent_path().string()));
    }
    throw DbError(fmt::format("cannot back up to {}: {}", path.string(), std::strerror(error)));
  }
  int rc = ::fchmod(fd, S_IRUSR | S_IWUSR);
  int error = errno;
  ::close(fd);
  if (rc != 0) {
    ::unlink(path.c_str());
    throw DbError(fmt::format("cannot back up to {}: {}", path.string(), std::strerror(error)));
  }
}

std::filesystem::perms backup_mode(const std::filesystem::path& database) {
  if (database.empty()) {
    return kOwnerOnly;
  }
  std::error_code error;
  std::filesystem::file_status status = std::filesystem::status(database, error);
  if (error) {
    throw DbError(fmt::format("cannot back up {}: {}", database.string(), error.message()));
  }
  return status.permissions() & kOwnerOnly;
}

void set_backup_mode(const std::filesystem::path& path, std::filesystem::perms mode) {
  std::error_code error;
  std::filesystem::permissions(path, mode, std::filesystem::perm_options::replace, error);
  if (error) {
    throw DbError(
        fmt::format("cannot set the mode of the backup {}: {}", path.string(), error.message()));
  }
}

}  // namespace migrate
