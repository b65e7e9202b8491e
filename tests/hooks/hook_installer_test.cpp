// Installing and removing hooks in a folder: chaining, backups, restoring.
#include "hooks/hook_installer.hpp"

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

namespace fs = std::filesystem;

const HookScript& pre_commit() {
  return hook_scripts()[0];
}

}  // namespace

TEST_CASE("install into a folder that does not exist yet creates it", "[hooks]") {
  TempDir dir;
  fs::path folder = dir / "not" / "yet";
  HookStatus status = inspect_hook(folder, pre_commit());
  CHECK(status.state == HookState::absent);
  CHECK(install_hook(status, "/bin", false).kind == HookChange::Kind::installed);
  HookStatus after = inspect_hook(folder, pre_commit());
  CHECK(after.state == HookState::current);
  CHECK(after.executable);
  CHECK(after.bin_dir == fs::path("/bin"));
  CHECK_FALSE(fs::exists(folder / "pre-commit.migrate-new"));
}

TEST_CASE("install from another folder of migrate updates the folder the hook names", "[hooks]") {
  TempDir dir;
  install_hook(inspect_hook(dir.path(), pre_commit()), "/old/bin", false);
  HookStatus status = inspect_hook(dir.path(), pre_commit());
  CHECK(status.state == HookState::current);
  CHECK(install_hook(status, "/new/bin", false).kind == HookChange::Kind::updated);
  CHECK(inspect_hook(dir.path(), pre_commit()).bin_dir == fs::path("/new/bin"));
}

TEST_CASE("a user's hook is chained, and uninstall puts it back", "[hooks]") {
  TempDir dir;
  write_text(dir / "pre-commit", "#!/bin/sh\nexit 0\n");
  HookStatus status = inspect_hook(dir.path(), pre_commit());
  CHECK(status.state == HookState::foreign);
  HookChange change = install_hook(status, "/bin", false);
  CHECK(change.kind == HookChange::Kind::chained);
  CHECK(change.moved == dir / "pre-commit.local");
  HookStatus chained = inspect_hook(dir.path(), pre_commit());
  CHECK(chained.state == HookState::current);
  CHECK(chained.chained == dir / "pre-commit.local");
  // Installing again keeps the chain.
  CHECK(install_hook(chained, "/bin", false).kind == HookChange::Kind::unchanged);
  CHECK(uninstall_hook(inspect_hook(dir.path(), pre_commit())).kind == HookChange::Kind::restored);
  CHECK(read_text(dir / "pre-commit") == "#!/bin/sh\nexit 0\n");
  CHECK_FALSE(fs::exists(dir / "pre-commit.local"));
}

TEST_CASE("a chained hook left alone after ours was deleted is put back by uninstall", "[hooks]") {
  TempDir dir;
  write_text(dir / "pre-commit.local", "#!/bin/sh\nexit 0\n");
  HookStatus status = inspect_hook(dir.path(), pre_commit());
  CHECK(status.state == HookState::absent);
  CHECK(uninstall_hook(status).kind == HookChange::Kind::restored);
  CHECK(fs::exists(dir / "pre-commit"));
}

TEST_CASE("a user's hook is never removed by uninstall", "[hooks]") {
  TempDir dir;
  write_text(dir / "pre-commit", "#!/bin/sh\nexit 0\n");
  CHECK(uninstall_hook(inspect_hook(dir.path(), pre_commit())).kind == HookChange::Kind::foreign);
  CHECK(fs::exists(dir / "pre-commit"));
}

TEST_CASE("a user's hook that cannot be chained is refused without --force", "[hooks]") {
  TempDir dir;
  write_text(dir / "pre-commit", "#!/bin/sh\nexit 0\n");
  write_text(dir / "pre-commit.local", "#!/bin/sh\nexit 1\n");
  HookStatus status = inspect_hook(dir.path(), pre_commit());
  CHECK_THROWS_AS(check_installable(status, false), UsageError);
  CHECK_THROWS_AS(install_hook(status, "/bin", false), UsageError);
  CHECK(read_text(dir / "pre-commit") == "#!/bin/sh\nexit 0\n");
  CHECK_NOTHROW(check_installable(status, true));
  HookChange change = install_hook(status, "/bin", true);
  CHECK(change.kind == HookChange::Kind::replaced);
  CHECK(change.moved == dir / "pre-commit.backup");
  CHECK(read_text(dir / "pre-commit.backup") == "#!/bin/sh\nexit 0\n");
  CHECK(read_text(dir / "pre-commit.local") == "#!/bin/sh\nexit 1\n");  // still chained
}

TEST_CASE("a folder or a dangling symlink in a hook's place is a user's hook", "[hooks]") {
  TempDir dir;
  fs::create_directory(dir / "pre-commit");
  CHECK(inspect_hook(dir.path(), pre_commit()).state == HookState::foreign);
  fs::remove(dir / "pre-commit");
  fs::create_symlink(dir / "nowhere", dir / "pre-commit");
  CHECK(inspect_hook(dir.path(), pre_commit()).state == HookState::foreign);
}

TEST_CASE("a hooks folder that cannot be created is an IoError, and nothing is written",
          "[hooks]") {
  TempDir dir;
  write_text(dir / "file", "x");  // a file where the folder's parent should be
  HookStatus status = inspect_hook(dir / "file" / "hooks", pre_commit());
  CHECK_THROWS_AS(install_hook(status, "/bin", false), IoError);
  CHECK(read_text(dir / "file") == "x");
}
