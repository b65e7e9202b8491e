// util/file_stamp's question of whether a filesystem moves a folder's stamp with its entries:
// asked of filesystems every Linux machine mounts at the same places.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "util/file_descriptor.hpp"
#include "util/file_stamp.hpp"

using namespace migrate;

namespace {

bool follows(const char* folder) {
  FileDescriptor fd(::open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  REQUIRE(fd.get() >= 0);
  return folder_stamp_follows_entries(fd.get());
}

}  // namespace

TEST_CASE("file_stamp: a folder's stamp stands for its listing only where Linux keeps it",
          "[util][file_stamp]") {
  CHECK(follows("/dev/shm"));     // tmpfs
  CHECK_FALSE(follows("/proc"));  // its entries come and go with processes; its stamp does not
  CHECK_FALSE(follows("/sys"));
  CHECK_FALSE(folder_stamp_follows_entries(-1));  // no folder: nothing to trust
}
