// migrate-hooks and the hooks it installs, in real git repositories driven by
// the git CLI.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/project.hpp"
#include "support/sqlite_probe.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

namespace fs = std::filesystem;

const char* const kHooks[] = {"pre-commit", "post-merge", "post-rewrite", "post-checkout"};

/// A project in a fresh git repository. HOME is a folder of its own, so no
/// global git configuration (a global core.hooksPath!) leaks in, and PATH holds
/// no migrate: the installed hooks must find the tools by themselves.
class Repo {
 public:
  Repo() {
    write_text(home() / ".gitconfig",
               "[user]\n\tname = Test\n\temail = test@example.com\n"
               "[advice]\n\tdetachedHead = false\n");
    REQUIRE(git({"init", "-q", "-b", "main"}).exit_code == 0);
  }

  const Project& project() const { return m_project; }
  fs::path root() const { return m_project.root(); }
  fs::path home() const { return m_home.path(); }
  fs::path git_hooks() const { return root() / ".git" / "hooks"; }

  std::map<std::string, std::string> env() const {
    return {{"HOME", home().string()}, {"GIT_CONFIG_NOSYSTEM", "1"}, {"PATH", "/usr/bin:/bin"}};
  }
  ProcessResult git(const std::vector<std::string>& args,
                    std::map<std::string, std::string> extra_env = {}) const {
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::map<std::string, std::string> environment = env();
    environment.insert(extra_env.begin(), extra_env.end());
    return run_process(argv, {.cwd = root(), .env = environment});
  }
  ProcessResult hooks(const std::vector<std::string>& args, fs::path cwd = {}) const {
    return m_project.run("migrate-hooks", args, {.cwd = cwd, .env = env()});
  }
  /// Commits everything in the work tree (perhaps nothing: git keeps no empty folder).
  void commit(const std::string& message) const {
    REQUIRE(git({"add", "-A"}).exit_code == 0);
    ProcessResult committed = git({"commit", "-q", "--allow-empty", "-m", message});
    INFO(committed.err);
    REQUIRE(committed.exit_code == 0);
  }

 private:
  Project m_project;
  TempDir m_home;
};

bool executable(const fs::path& file) {
  return (fs::status(file).permissions() & fs::perms::owner_exec) != fs::perms::none;
}

/// A hook of the user's own: records that it ran, with its arguments, then
/// exits `code`.
std::string user_hook(const fs::path& log, int code = 0) {
  return "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> '" + log.string() + "'\nexit " +
         std::to_string(code) + "\n";
}

void write_hook(const fs::path& file, std::string_view text) {
  write_text(file, text);
  fs::permissions(file, fs::perms::owner_all, fs::perm_options::add);
}

}  // namespace

TEST_CASE("hooks install writes the four hooks, executable and marked as migrate's",
          "[e2e][hooks]") {
  Repo repo;
  ProcessResult installed = repo.hooks({"install"});
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK_THAT(installed.out, Contains("hooks folder  .git/hooks (core.hooksPath is not set)"));
  CHECK_THAT(installed.out,
             Contains("The hooks run migrate from " + tool_path("migrate").parent_path().string()));
  for (const char* hook : kHooks) {
    INFO(hook);
    fs::path file = repo.git_hooks() / hook;
    REQUIRE(fs::exists(file));
    CHECK(executable(file));
    std::string text = read_text(file);
    CHECK_THAT(text, Contains("# managed-by: migrate-hooks"));
    // The folder the tools were run from is written in, so the hook works
    // without PATH.
    CHECK_THAT(text, Contains("MIGRATE_HOOKS_BIN=${MIGRATE_HOOKS_BIN:-'" +
                              tool_path("migrate").parent_path().string() + "'}"));
    CHECK_THAT(installed.out, Contains(std::string(hook)));
  }
  ProcessResult status = repo.hooks({"status", "--check"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("pre-commit     installed"));
  CHECK_THAT(status.out, Contains("post-checkout  installed"));
}

TEST_CASE("hooks status --check exits 3 while the hooks are not installed", "[e2e][hooks]") {
  Repo repo;
  ProcessResult status = repo.hooks({"status", "--check"});
  CHECK(status.exit_code == 3);
  CHECK_THAT(status.out, Contains("pre-commit     not installed"));
  CHECK_THAT(status.err, Contains("4 of migrate's 4 hooks are not installed"));
  CHECK_THAT(status.err, Contains("migrate hooks install"));
  CHECK(repo.hooks({"status"}).exit_code == 0);  // without --check, a report only
  // -q hides progress, never what status reports.
  ProcessResult quiet = repo.hooks({"status", "-q"});
  CHECK_THAT(quiet.out, Contains("hooks folder  .git/hooks"));
  CHECK_THAT(quiet.out, Contains("pre-commit     not installed"));
}

TEST_CASE("hooks install twice changes nothing the second time", "[e2e][hooks]") {
  Repo repo;
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  std::string before = read_text(repo.git_hooks() / "pre-commit");
  ProcessResult again = repo.hooks({"install"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("pre-commit     installed already"));
  CHECK(read_text(repo.git_hooks() / "pre-commit") == before);
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit.local"));
}

TEST_CASE("hooks install updates an outdated or non-executable hook of migrate's", "[e2e][hooks]") {
  Repo repo;
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  fs::path hook = repo.git_hooks() / "post-merge";
  write_text(hook, read_text(hook) + "# an older version said more\n");
  fs::permissions(repo.git_hooks() / "pre-commit",
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::remove);
  ProcessResult status = repo.hooks({"status", "--check"});
  CHECK(status.exit_code == 3);
  CHECK_THAT(status.out, Contains("post-merge     installed, outdated"));
  CHECK_THAT(status.out, Contains("pre-commit     installed, but not executable"));
  ProcessResult installed = repo.hooks({"install"});
  CHECK(installed.exit_code == 0);
  CHECK_THAT(installed.out, Contains("post-merge     updated"));
  CHECK_THAT(installed.out, Contains("pre-commit     updated"));
  CHECK(executable(repo.git_hooks() / "pre-commit"));
  CHECK(repo.hooks({"status", "--check"}).exit_code == 0);
}

TEST_CASE("hooks uninstall removes migrate's hooks and nothing else", "[e2e][hooks]") {
  Repo repo;
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  write_hook(repo.git_hooks() / "pre-push", user_hook(repo.root() / "ran.log"));
  ProcessResult removed = repo.hooks({"uninstall"});
  INFO(removed.err);
  CHECK(removed.exit_code == 0);
  CHECK_THAT(removed.out, Contains("pre-commit     removed"));
  for (const char* hook : kHooks) {
    CHECK_FALSE(fs::exists(repo.git_hooks() / hook));
  }
  CHECK(fs::exists(repo.git_hooks() / "pre-push"));
  CHECK(fs::exists(repo.git_hooks() / "pre-commit.sample"));  // git's own samples stay
  ProcessResult again = repo.hooks({"uninstall"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("pre-commit     not installed"));
}

TEST_CASE("hooks install follows a relative core.hooksPath from the work tree's root",
          "[e2e][hooks]") {
  Repo repo;
  REQUIRE(repo.git({"config", "core.hooksPath", "githooks"}).exit_code == 0);
  // Run from a subfolder: the path is relative to the root, as git has it, not
  // to the cwd.
  ProcessResult installed = repo.hooks({"install"}, repo.project().migrations());
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK_THAT(installed.out, Contains("core.hooksPath = githooks"));
  CHECK(fs::exists(repo.root() / "githooks" / "pre-commit"));
  CHECK_FALSE(fs::exists(repo.project().migrations() / "githooks"));
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit"));
  ProcessResult status = repo.hooks({"status", "--check"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("hooks folder  githooks (core.hooksPath = githooks)"));
}

TEST_CASE("hooks install follows an absolute core.hooksPath, and ~/ in it", "[e2e][hooks]") {
  Repo repo;
  TempDir elsewhere;
  fs::path absolute = elsewhere / "shared-hooks";
  REQUIRE(repo.git({"config", "core.hooksPath", absolute.string()}).exit_code == 0);
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  CHECK(fs::exists(absolute / "post-checkout"));

  REQUIRE(repo.git({"config", "core.hooksPath", "~/my-hooks"}).exit_code == 0);
  ProcessResult installed = repo.hooks({"install"});
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK(fs::exists(repo.home() / "my-hooks" / "post-checkout"));
  CHECK_THAT(installed.out, Contains("core.hooksPath = ~/my-hooks"));
}

TEST_CASE("hooks install from a linked worktree writes the hooks every worktree shares",
          "[e2e][hooks]") {
  Repo repo;
  repo.commit("first");
  TempDir elsewhere;
  fs::path worktree = elsewhere / "wt";
  REQUIRE(repo.git({"worktree", "add", "-q", worktree.string()}).exit_code == 0);
  ProcessResult installed = repo.hooks({"install"}, worktree);
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK(fs::exists(repo.git_hooks() / "pre-commit"));
  CHECK(repo.hooks({"status", "--check"}).exit_code == 0);
}

TEST_CASE("hooks install chains to a hook of the user's own, which still runs", "[e2e][hooks]") {
  Repo repo;
  fs::path log = repo.root() / "ran.log";
  std::string theirs = user_hook(log);
  write_hook(repo.git_hooks() / "post-checkout", theirs);
  ProcessResult installed = repo.hooks({"install"});
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK_THAT(installed.out, Contains("post-checkout  installed; your own hook "
                                     "is now post-checkout.local"));
  CHECK(read_text(repo.git_hooks() / "post-checkout.local") == theirs);
  CHECK_THAT(read_text(repo.git_hooks() / "post-checkout"), Contains("managed-by: migrate-hooks"));
  ProcessResult status = repo.hooks({"status", "--check"});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("chained to your own hook post-checkout.local"));

  repo.commit("first");
  ProcessResult switched = repo.git({"checkout", "-q", "-b", "feature"});
  INFO(switched.err);
  CHECK(switched.exit_code == 0);
  // Theirs ran with git's arguments: old and new HEAD (equal here) and the
  // branch flag.
  std::string head = repo.git({"rev-parse", "HEAD"}).out.substr(0, 40);
  CHECK(read_text(log) == "post-checkout.local " + head + " " + head + " 1\n");
}

TEST_CASE("a chained pre-commit hook that fails still refuses the commit", "[e2e][hooks]") {
  Repo repo;
  fs::path log = repo.root() / "ran.log";
  write_hook(repo.git_hooks() / "pre-commit", user_hook(log, 1));
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  write_text(repo.root() / "README", "hello\n");
  REQUIRE(repo.git({"add", "README"}).exit_code == 0);
  ProcessResult refused = repo.git({"commit", "-q", "-m", "refused"});
  CHECK(refused.exit_code != 0);
  CHECK(read_text(log) == "pre-commit.local \n");
  CHECK(repo.git({"rev-parse", "--verify", "-q", "HEAD"}).exit_code != 0);  // no commit made

  // When theirs passes, the commit goes through (migrate's own check is
  // switched off here: this test is about the chain).
  write_hook(repo.git_hooks() / "pre-commit.local", user_hook(log, 0));
  REQUIRE(repo.git({"config", "migrate.skiphooks", "true"}).exit_code == 0);
  ProcessResult committed = repo.git({"commit", "-q", "-m", "accepted"});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  CHECK(read_text(log) == "pre-commit.local \npre-commit.local \n");
}

TEST_CASE("a chained post-rewrite hook gets the rewritten commits on its input", "[e2e][hooks]") {
  Repo repo;
  fs::path log = repo.root() / "ran.log";
  write_hook(repo.git_hooks() / "post-rewrite",
             "#!/bin/sh\n{ echo \"$*\"; cat; } >> '" + log.string() + "'\n");
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  repo.commit("first");
  std::string before = repo.git({"rev-parse", "HEAD"}).out.substr(0, 40);
  ProcessResult amended =
      repo.git({"commit", "-q", "--amend", "--allow-empty", "-m", "first, amended"});
  INFO(amended.err);
  REQUIRE(amended.exit_code == 0);
  std::string after = repo.git({"rev-parse", "HEAD"}).out.substr(0, 40);
  CHECK(read_text(log) == "amend\n" + before + " " + after + "\n");
  // An amend renumbers nothing: migrate's part stays quiet.
  CHECK_THAT(amended.err, !Contains("renumber"));
}

TEST_CASE("hooks uninstall puts the chained hook of the user's own back", "[e2e][hooks]") {
  Repo repo;
  std::string theirs = user_hook(repo.root() / "ran.log");
  write_hook(repo.git_hooks() / "post-merge", theirs);
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  ProcessResult removed = repo.hooks({"uninstall"});
  CHECK(removed.exit_code == 0);
  CHECK_THAT(removed.out, Contains("post-merge     removed; your own hook is back in its place "
                                   "(from post-merge.local)"));
  CHECK(read_text(repo.git_hooks() / "post-merge") == theirs);
  CHECK(executable(repo.git_hooks() / "post-merge"));
  CHECK_FALSE(fs::exists(repo.git_hooks() / "post-merge.local"));
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit"));
}

TEST_CASE(
    "hooks install --force replaces a hook of the user's own and keeps a "
    "backup",
    "[e2e][hooks]") {
  Repo repo;
  std::string theirs = user_hook(repo.root() / "ran.log");
  write_hook(repo.git_hooks() / "pre-commit", theirs);
  write_text(repo.git_hooks() / "pre-commit.backup", "an older backup\n");
  ProcessResult installed = repo.hooks({"install", "--force"});
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  CHECK_THAT(installed.out,
             Contains("installed in place of your own hook, kept as pre-commit.backup.2"));
  CHECK(read_text(repo.git_hooks() / "pre-commit.backup.2") == theirs);
  CHECK(read_text(repo.git_hooks() / "pre-commit.backup") == "an older backup\n");
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit.local"));  // replaced, not chained
  CHECK_THAT(read_text(repo.git_hooks() / "pre-commit"), Contains("managed-by: migrate-hooks"));
  // Uninstalling leaves no hook behind: the backup is the user's to restore.
  REQUIRE(repo.hooks({"uninstall"}).exit_code == 0);
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit"));
}

TEST_CASE(
    "hooks install refuses when a user's hook cannot be chained, and "
    "changes nothing",
    "[e2e][hooks]") {
  Repo repo;
  write_hook(repo.git_hooks() / "post-merge", user_hook(repo.root() / "a.log"));
  write_hook(repo.git_hooks() / "post-merge.local", user_hook(repo.root() / "b.log"));
  ProcessResult refused = repo.hooks({"install"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("post-merge.local"));
  CHECK_THAT(refused.err, Contains("--force"));
  CHECK_THAT(refused.err, Contains("Nothing was changed"));
  for (const char* hook : {"pre-commit", "post-rewrite", "post-checkout"}) {
    CHECK_FALSE(fs::exists(repo.git_hooks() / hook));
  }
  CHECK_THAT(read_text(repo.git_hooks() / "post-merge"), Contains("a.log"));
}

TEST_CASE("hooks outside a git repository is a usage error", "[e2e][hooks]") {
  Project project;
  for (const char* action : {"install", "uninstall", "status"}) {
    INFO(action);
    ProcessResult result = project.run("migrate-hooks", {action});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("is not inside a git repository"));
    CHECK_THAT(result.err, Contains("git init"));
  }
  CHECK_FALSE(fs::exists(project.root() / ".git"));
}

TEST_CASE("hooks without a subcommand is status, two subcommands are a usage error",
          "[e2e][hooks]") {
  Repo repo;
  ProcessResult status = repo.hooks({});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Contains("pre-commit     not installed"));
  ProcessResult two = repo.hooks({"install", "uninstall"});
  CHECK(two.exit_code == 2);
  CHECK_FALSE(fs::exists(repo.git_hooks() / "pre-commit"));
}

TEST_CASE("migrate hooks runs through the dispatcher, flags after the action", "[e2e][hooks]") {
  Repo repo;
  ProcessResult installed =
      repo.project().run("migrate", {"hooks", "install", "-q"}, {.env = repo.env()});
  INFO(installed.err);
  CHECK(installed.exit_code == 0);
  CHECK(installed.out.empty());
  CHECK(fs::exists(repo.git_hooks() / "pre-commit"));
}

namespace {

/// A repository whose main branch has 0001, and a branch "feature" that adds
/// 0002; the database (ignored by git) has both applied, and the hooks are
/// installed.
void feature_branch_applied(const Repo& repo) {
  write_text(repo.root() / ".gitignore", "migrate.db\n*.log\n");
  repo.project().add("0001_create_a.sql",
                     migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  repo.commit("0001");
  REQUIRE(repo.git({"checkout", "-q", "-b", "feature"}).exit_code == 0);
  repo.project().add("0002_create_b.sql",
                     migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  repo.commit("0002");
  REQUIRE(repo.project().run("migrate-upgrade").exit_code == 0);
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
}

}  // namespace

TEST_CASE("post-checkout warns about applied migrations the new branch does not have",
          "[e2e][hooks]") {
  Repo repo;
  feature_branch_applied(repo);
  ProcessResult switched = repo.git({"checkout", "-q", "main"});
  INFO(switched.err);
  CHECK(switched.exit_code == 0);
  CHECK_THAT(switched.err, Contains("warning: the database has 1 migration "
                                    "applied that this branch does not "
                                    "have: 0002 \"create b\""));
  CHECK_THAT(switched.err, Contains("migrate downgrade heads"));
  CHECK(applied_ids(repo.project().db()) == std::vector<std::string>{"0001", "0002"});

  // Back on the branch that has it: the database matches, nothing is said.
  ProcessResult back = repo.git({"checkout", "-q", "feature"});
  CHECK(back.exit_code == 0);
  CHECK(back.err.empty());
}

TEST_CASE("post-checkout warns about the new branch's pending migrations", "[e2e][hooks]") {
  Repo repo;
  feature_branch_applied(repo);
  REQUIRE(repo.project().run("migrate-downgrade", {"0001"}).exit_code == 0);
  REQUIRE(repo.git({"checkout", "-q", "main"}).exit_code == 0);
  ProcessResult switched = repo.git({"checkout", "-q", "feature"});
  CHECK(switched.exit_code == 0);
  CHECK_THAT(switched.err, Contains("warning: 1 migration of this branch is "
                                    "not applied: 0002_create_b. Run "
                                    "`migrate upgrade`"));
}

TEST_CASE("post-checkout says nothing for a file checkout or without a database", "[e2e][hooks]") {
  Repo repo;
  feature_branch_applied(repo);
  // A file checkout (flag 0) is not a branch switch.
  write_text(repo.project().migrations() / "0002_create_b.sql", "-- edited\n");
  ProcessResult files = repo.git({"checkout", "--", "migrations/0002_create_b.sql"});
  INFO(files.err);
  CHECK(files.exit_code == 0);
  CHECK(files.err.empty());
  // No database: nothing to compare, and no nagging.
  fs::remove(repo.project().db());
  ProcessResult switched = repo.git({"checkout", "-q", "main"});
  CHECK(switched.exit_code == 0);
  CHECK(switched.err.empty());
}

TEST_CASE("post-checkout never fails the checkout, even without migrate", "[e2e][hooks]") {
  Repo repo;
  feature_branch_applied(repo);
  ProcessResult switched =
      repo.git({"checkout", "-q", "main"}, {{"MIGRATE_HOOKS_BIN", "/nonexistent"}});
  CHECK(switched.exit_code == 0);
  CHECK_THAT(switched.err, Contains("migrate is not on PATH"));
  CHECK(repo.git({"rev-parse", "--abbrev-ref", "HEAD"}).out == "main\n");
}

TEST_CASE("migrate.skiphooks switches migrate's hooks off", "[e2e][hooks]") {
  Repo repo;
  feature_branch_applied(repo);
  REQUIRE(repo.git({"config", "migrate.skiphooks", "true"}).exit_code == 0);
  ProcessResult switched = repo.git({"checkout", "-q", "main"});
  CHECK(switched.exit_code == 0);
  CHECK(switched.err.empty());
}

TEST_CASE("make install-hooks installs the hooks", "[e2e][hooks]") {
  Repo repo;
  ProcessResult made = run_process(
      {"make", "--no-print-directory", "-f", (source_dir() / "make" / "migrate.mk").string(),
       "MIGRATE=" + tool_path("migrate").string(), "install-hooks"},
      {.cwd = repo.root(), .env = repo.env()});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK_THAT(made.out, Contains("pre-commit     installed"));
  CHECK(repo.hooks({"status", "--check"}).exit_code == 0);
}

namespace {

/// A stand-in for the migrate dispatcher, put first through MIGRATE_HOOKS_BIN:
/// it logs how the hooks call it (and what renumber gets on its input), and
/// `migrate check` exits with $FAKE_CHECK_EXIT. The hooks' wiring is tested
/// here; the tools they call have their own tests.
class FakeMigrate {
 public:
  FakeMigrate() {
    write_hook(m_dir / "migrate",
               "#!/bin/sh\necho \"migrate $*\" >> '" + log().string() +
                   "'\n"
                   "if [ \"$1\" = renumber ]; then cat >> '" +
                   log().string() +
                   "'; fi\n"
                   "if [ \"$1\" = check ]; then exit \"${FAKE_CHECK_EXIT:-0}\"; fi\n");
  }
  fs::path log() const { return m_dir / "calls.log"; }
  std::string calls() const { return fs::exists(log()) ? read_text(log()) : std::string(); }
  std::map<std::string, std::string> env(std::string check_exit = "0") const {
    return {{"MIGRATE_HOOKS_BIN", m_dir.path().string()}, {"FAKE_CHECK_EXIT", check_exit}};
  }

 private:
  TempDir m_dir;
};

}  // namespace

TEST_CASE("the pre-commit hook runs migrate check --staged, whose exit code decides",
          "[e2e][hooks]") {
  Repo repo;
  FakeMigrate migrate;
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  write_text(repo.root() / "README", "hello\n");
  REQUIRE(repo.git({"add", "README"}).exit_code == 0);
  ProcessResult refused = repo.git({"commit", "-q", "-m", "refused"}, migrate.env("3"));
  CHECK(refused.exit_code != 0);
  CHECK(migrate.calls() == "migrate check --staged\n");
  CHECK(repo.git({"rev-parse", "--verify", "-q", "HEAD"}).exit_code != 0);
  ProcessResult committed = repo.git({"commit", "-q", "-m", "accepted"}, migrate.env("0"));
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  CHECK(repo.git({"rev-parse", "--verify", "-q", "HEAD"}).exit_code == 0);
}

/// A first commit, then a commit on a branch "feature" and one on main; main checked out.
static void fork_feature_and_main(Repo& repo) {
  repo.commit("first");
  REQUIRE(repo.git({"checkout", "-q", "-b", "feature"}).exit_code == 0);
  write_text(repo.root() / "feature.txt", "feature\n");
  repo.commit("feature");
  REQUIRE(repo.git({"checkout", "-q", "main"}).exit_code == 0);
  write_text(repo.root() / "main.txt", "main\n");
  repo.commit("main");
}

TEST_CASE("the post-merge hook runs migrate renumber", "[e2e][hooks]") {
  Repo repo;
  FakeMigrate migrate;
  fork_feature_and_main(repo);
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  ProcessResult merged = repo.git({"merge", "-q", "--no-edit", "feature"}, migrate.env());
  INFO(merged.err);
  CHECK(merged.exit_code == 0);
  CHECK(migrate.calls() == "migrate renumber --hook\n");
}

TEST_CASE("the pre-commit hook passes --amend when git amends, read as git reads its arguments",
          "[e2e][hooks]") {
  Repo repo;
  FakeMigrate migrate;
  REQUIRE(repo.hooks({"install"}).exit_code == 0);
  repo.commit("first");
  std::string expected;
  auto commit = [&](std::vector<std::string> args, bool amends) {
    args.insert(args.begin(), {"commit", "-q", "--allow-empty"});
    ProcessResult committed = repo.git(args, migrate.env());
    INFO(committed.err);
    CHECK(committed.exit_code == 0);
    expected += amends ? "migrate check --staged --amend\n" : "migrate check --staged\n";
  };
  commit({"-m", "docs: say when to use --amend"}, false);  // a message that names it
  commit({"-m", "--amend"}, false);                        // a message that is it
  commit({"-m", "two lines\n--amend"}, false);
  commit({"--message=--amend"}, false);
  commit({"-m--amend"}, false);
  commit({"--amen", "--no-edit"}, true);  // git's unique prefix
  commit({"-am", "again", "--amend"}, true);
  commit({"-C", "HEAD", "--amend"}, true);
  commit({"--author", "Someone Else <else@example.com>", "--amend", "--no-edit"}, true);
  ProcessResult global =
      repo.git({"-c", "user.name=Other", "commit", "-q", "--allow-empty", "--amend", "--no-edit"},
               migrate.env());
  CHECK(global.exit_code == 0);
  expected += "migrate check --staged --amend\n";
  commit({"--allow-empty-message", "-m", "", "--amend"}, true);  // an empty value is one too
  CHECK(migrate.calls() == expected);
}

TEST_CASE(
    "the post-rewrite hook runs migrate renumber after a rebase, not "
    "after an amend",
    "[e2e][hooks]") {
  Repo repo;
  FakeMigrate migrate;
  fork_feature_and_main(repo);
  REQUIRE(repo.git({"checkout", "-q", "feature"}).exit_code == 0);
  REQUIRE(repo.hooks({"install"}).exit_code == 0);

  ProcessResult amended =
      repo.git({"commit", "-q", "--amend", "-m", "feature, amended"}, migrate.env());
  CHECK(amended.exit_code == 0);
  // pre-commit runs, told of the amend (git's own arguments say it); renumber does not.
  CHECK(migrate.calls() == "migrate check --staged --amend\n");

  std::string before = repo.git({"rev-parse", "HEAD"}).out;
  ProcessResult rebased = repo.git({"rebase", "-q", "main"}, migrate.env());
  INFO(rebased.err);
  CHECK(rebased.exit_code == 0);
  std::string after = repo.git({"rev-parse", "HEAD"}).out;
  // renumber got git's list of rewritten commits on its input; post-checkout, run when the
  // rebase checked out main, said nothing: the branch was not there yet.
  CHECK(migrate.calls() == "migrate check --staged --amend\nmigrate renumber --hook\n" +
                               before.substr(0, 40) + " " + after.substr(0, 40) + "\n");
}
