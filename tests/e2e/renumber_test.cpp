#include <catch2/catch.hpp>

#include <algorithm>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

/// A shared "origin" and two clones of it, alice and bob, as two developers have them.
struct Team {
  TempDir dir;
  fs::path origin = dir / "origin.git";
  GitWorkTree alice{dir / "alice"};
  std::optional<GitWorkTree> bob;

  /// `track_head`: whether migrations/HEAD is in git (without it, rebases do not conflict).
  explicit Team(bool track_head = true) {
    REQUIRE(
        run_process({"git", "init", "--quiet", "--bare", "--initial-branch=main", origin.string()})
            .exit_code == 0);
    alice.write("migrate.conf", "[migrate]\n\tupstream = origin/main\n");
    if (!track_head) {
      alice.write(".gitignore", "migrations/HEAD\nmigrate.db\n");
    }
    alice.write("migrations/202611210900_users.sql", sql("users", ""));
    alice.write("migrations/HEAD", "202611210900_users\n");
    alice.commit("users");
    alice.git({"remote", "add", "origin", origin.string()});
    alice.git({"push", "--quiet", "-u", "origin", "main"});
    REQUIRE(run_process({"git", "clone", "--quiet", origin.string(), (dir / "bob").string()})
                .exit_code == 0);
    bob.emplace(dir / "bob");
  }

  /// A migration creating `table`, after `parent` (a stem; empty: no depends line).
  static std::string sql(const std::string& table, const std::string& parent) {
    std::string header = "-- Create " + table + ".\n";
    if (!parent.empty()) {
      header += "-- depends: " + parent + "\n";
    }
    return header + "-- migrate:up\nCREATE TABLE " + table + " (id INTEGER PRIMARY KEY);\n" +
           "-- migrate:down\nDROP TABLE " + table + ";\n";
  }

  /// Adds a migration in `tree` and points HEAD at it, then commits.
  static void add(GitWorkTree& tree, const std::string& stem, const std::string& table,
                  const std::string& parent) {
    tree.write("migrations/" + stem + ".sql", sql(table, parent));
    tree.write("migrations/HEAD", stem + "\n");
    tree.commit(table);
  }

  /// alice's feature branch: posts and tags, applied to her database; bob's comments (the
  /// same minute as posts) pushed to main meanwhile.
  void diverge() {
    alice.git({"checkout", "--quiet", "-b", "feature"});
    add(alice, "202611210910_posts", "posts", "202611210900_users");
    add(alice, "202611210920_tags", "tags", "202611210910_posts");
    REQUIRE(run_tool("migrate-upgrade", {"-q"}, {.cwd = alice.root()}).exit_code == 0);
    add(*bob, "202611210910_comments", "comments", "202611210900_users");
    bob->git({"push", "--quiet", "origin", "main"});
    alice.git({"fetch", "--quiet", "origin"});
  }

  /// alice brings origin/main in, by `merge` or by `rebase`, which stops on migrations/HEAD.
  void bring_in_main(const std::string& how) {
    alice.git({"fetch", "--quiet", "origin"});
    std::vector<std::string> args{how, "origin/main"};
    if (how == "merge") {
      args.insert(args.begin() + 1, "--no-edit");
    }
    REQUIRE(alice.try_git(args).exit_code != 0);
    REQUIRE(alice.git({"diff", "--name-only", "--diff-filter=U"}) == "migrations/HEAD");
  }

  /// alice's posts, pushed on her feature branch, and bob's comments, pushed to main, with
  /// different ids; then alice brings main in (`how`: merge or rebase), stopping on HEAD.
  void pushed_apart(const std::string& how) {
    alice.git({"checkout", "--quiet", "-b", "feature"});
    add(alice, "202611210910_posts", "posts", "202611210900_users");
    alice.git({"push", "--quiet", "origin", "feature"});
    add(*bob, "202611210920_comments", "comments", "202611210900_users");
    bob->git({"push", "--quiet", "origin", "main"});
    bring_in_main(how);
  }

  ProcessResult renumber(const std::vector<std::string>& args = {}) const {
    return run_tool("migrate-renumber", args, {.cwd = alice.root()});
  }
};

/// The migration files (not HEAD) of a work tree, sorted.
std::vector<std::string> migration_files(const GitWorkTree& tree) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(tree.root() / "migrations")) {
    if (entry.path().extension() == ".sql") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string stem(const std::string& file) {
  return file.substr(0, file.size() - 4);
}

/// The files after a renumber: users, comments, then posts and tags with new ids, chained.
void check_renumbered(const GitWorkTree& alice) {
  std::vector<std::string> files = migration_files(alice);
  REQUIRE(files.size() == 4);
  CHECK(files[0] == "202611210900_users.sql");
  CHECK(files[1] == "202611210910_comments.sql");
  CHECK(files[2].ends_with("_posts.sql"));
  CHECK(files[3].ends_with("_tags.sql"));
  CHECK(files[2] > "202611210910_comments.sql");
  CHECK_THAT(read_text(alice.root() / "migrations" / files[2]),
             Contains("-- depends: 202611210910_comments\n"));
  CHECK_THAT(read_text(alice.root() / "migrations" / files[3]),
             Contains("-- depends: " + stem(files[2]) + "\n"));
  CHECK(read_text(alice.root() / "migrations/HEAD") == stem(files[3]) + "\n");
}

}  // namespace

TEST_CASE("renumber: a rebase stopped on migrations/HEAD is resolved, the dev database follows",
          "[e2e][renumber][git]") {
  Team team;
  team.diverge();
  GitWorkTree& alice = team.alice;
  REQUIRE(alice.try_git({"rebase", "origin/main"}).exit_code != 0);  // HEAD conflicts

  ProcessResult dry = team.renumber({"--dry-run"});
  REQUIRE(dry.exit_code == 0);
  CHECK_THAT(dry.out, Contains("would renumber migrations/202611210910_posts.sql -> "));
  CHECK(fs::exists(alice.root() / "migrations/202611210910_posts.sql"));  // nothing changed
  CHECK(alice.git({"diff", "--name-only", "--diff-filter=U"}) == "migrations/HEAD");

  ProcessResult first = team.renumber();
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Contains("(after 202611210910_comments)"));
  // Mid-rebase, what finishes the job is the rebase, not a commit.
  CHECK_THAT(first.out, Contains("review them with `git status`, then `git rebase --continue`"));
  CHECK(alice.git({"diff", "--name-only", "--diff-filter=U"}).empty());  // resolved, staged
  REQUIRE(alice.try_git({"-c", "core.editor=true", "rebase", "--continue"}).exit_code != 0);
  REQUIRE(team.renumber().exit_code == 0);  // the tags commit stops on HEAD again
  REQUIRE(alice.try_git({"-c", "core.editor=true", "rebase", "--continue"}).exit_code == 0);

  check_renumbered(alice);
  ProcessResult again = team.renumber();
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("nothing to renumber"));
  CHECK(alice.git({"status", "--porcelain", "--untracked-files=no"}).empty());
  CHECK(run_tool("migrate-check", {}, {.cwd = alice.root()}).exit_code == 0);

  // Alice's database applied posts and tags under their old ids: the rows follow the files,
  // and only bob's comments run.
  ProcessResult upgrade = run_tool("migrate-upgrade", {}, {.cwd = alice.root()});
  REQUIRE(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.out, Contains("1 applied") && Contains("2 re-keyed"));
  std::vector<std::string> files = migration_files(alice);
  CHECK(applied_ids(alice.root() / "migrate.db") ==
        std::vector<std::string>{"202611210900", "202611210910", files[2].substr(0, 12),
                                 files[3].substr(0, 12)});
  CHECK(sqlite_rows(alice.root() / "migrate.db",
                    "SELECT name FROM sqlite_master WHERE name = 'comments'")
            .size() == 1);
}

TEST_CASE("renumber: with the hooks installed, a rebase renumbers by itself",
          "[e2e][renumber][git][hooks]") {
  Team team(/*track_head=*/false);
  GitWorkTree& alice = team.alice;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = alice.root()}).exit_code == 0);
  team.diverge();
  ProcessResult rebase = alice.try_git({"rebase", "origin/main"});
  REQUIRE(rebase.exit_code == 0);  // no conflict: HEAD is not tracked
  CHECK_THAT(rebase.out + rebase.err, Contains("-> ") && Contains("_posts.sql"));  // the hook
  // The rebase is over when post-rewrite runs: the renames are to be committed.
  CHECK_THAT(rebase.out + rebase.err, Contains("review them with `git status`, then commit"));
  CHECK_THAT(rebase.out + rebase.err, !Contains("rebase --continue"));
  std::vector<std::string> files = migration_files(alice);
  REQUIRE(files.size() == 4);
  CHECK(files[2].ends_with("_posts.sql"));
  CHECK(files[2] > "202611210910_comments.sql");
  CHECK(read_text(alice.root() / "migrations/HEAD") == stem(files[3]) + "\n");
  alice.git({"commit", "--quiet", "-m", "renumber after rebase"});
  CHECK(alice.git({"status", "--porcelain"}).empty());

  // The history of the renamed file goes through the rename back to the commit that added it.
  std::string log = alice.git(
      {"log", "--follow", "--name-status", "--format=%s", "--", "migrations/" + files[2]});
  CHECK_THAT(log, Contains("renumber after rebase") &&
                      Contains("\tmigrations/202611210910_posts.sql\tmigrations/" + files[2]) &&
                      Contains("A\tmigrations/202611210910_posts.sql"));
  ProcessResult upgrade = run_tool("migrate-upgrade", {}, {.cwd = alice.root()});
  CHECK(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.out, Contains("1 applied") && Contains("2 re-keyed"));
}

TEST_CASE("renumber: the hooks say nothing after a rebase or merge that brings no upstream in",
          "[e2e][renumber][git][hooks]") {
  Team team(/*track_head=*/false);
  GitWorkTree& alice = team.alice;
  REQUIRE(run_tool("migrate-hooks", {"install"}, {.cwd = alice.root()}).exit_code == 0);
  team.diverge();  // origin/main has bob's comments, which alice's branch does not
  std::vector<std::string> before = migration_files(alice);

  ProcessResult rebased = alice.try_git({"rebase", "--quiet", "--force-rebase", "HEAD~1"});
  INFO(rebased.err);
  CHECK(rebased.exit_code == 0);
  CHECK(rebased.out + rebased.err == "");
  alice.git({"checkout", "--quiet", "-b", "other", "HEAD~1"});
  alice.write("notes.txt", "notes\n");
  alice.commit("notes");
  alice.git({"checkout", "--quiet", "feature"});
  ProcessResult merged = alice.try_git({"merge", "--quiet", "--no-edit", "other"});
  INFO(merged.err);
  CHECK(merged.exit_code == 0);
  CHECK_THAT(merged.out + merged.err, !Contains("lacks") && !Contains("error"));
  CHECK(migration_files(alice) == before);

  // Asked by hand, the same state is still explained.
  ProcessResult asked = team.renumber();
  CHECK(asked.exit_code == 2);
  CHECK_THAT(asked.err, Contains("lacks 1 of upstream's migrations"));
}

TEST_CASE("renumber: a merge conflict on migrations/HEAD, and the file's history follows",
          "[e2e][renumber][git]") {
  Team team;
  team.diverge();
  GitWorkTree& alice = team.alice;
  REQUIRE(alice.try_git({"merge", "--no-edit", "origin/main"}).exit_code != 0);
  ProcessResult renumbered = team.renumber();
  REQUIRE(renumbered.exit_code == 0);
  CHECK_THAT(renumbered.out, Contains("review them with `git status`, then commit"));
  alice.git({"commit", "--quiet", "--no-edit"});
  check_renumbered(alice);
  std::string posts = "migrations/" + migration_files(alice)[2];
  // The rename is in the merge commit, which git diffs against its first parent.
  std::string log =
      alice.git({"log", "--follow", "--first-parent", "--name-status", "--format=%s", "--", posts});
  CHECK_THAT(log, Contains("\tmigrations/202611210910_posts.sql\t" + posts));  // renamed
  CHECK_THAT(log, Contains("posts\n\nA\tmigrations/202611210910_posts.sql"));  // then added
}

TEST_CASE("renumber: migrations another remote branch has are left alone without --force",
          "[e2e][renumber][git]") {
  Team team;
  team.diverge();
  GitWorkTree& alice = team.alice;
  alice.git({"push", "--quiet", "origin", "feature"});
  alice.git({"fetch", "--quiet", "origin"});
  REQUIRE(alice.try_git({"merge", "--no-edit", "origin/main"}).exit_code != 0);
  ProcessResult refused = team.renumber();
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("202611210910_posts.sql is already on origin/feature") &&
                              Contains("migrate merge") && Contains("--force"));
  CHECK(fs::exists(alice.root() / "migrations/202611210910_posts.sql"));
  CHECK(team.renumber({"--force"}).exit_code == 0);
  check_renumbered(alice);
}

TEST_CASE("renumber: bad situations say what to do", "[e2e][renumber][git][bad-input]") {
  SECTION("outside a git repository") {
    Project project;
    ProcessResult result = project.run("migrate-renumber");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("is not in one"));
  }
  SECTION("no upstream branch: nothing to renumber after") {
    TempDir dir;
    GitWorkTree tree(dir / "repo");
    tree.write("migrations/1_a.sql", Team::sql("a", ""));
    tree.commit("a");
    ProcessResult result = run_tool("migrate-renumber", {}, {.cwd = tree.root()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("origin/main does not exist here"));
  }
  SECTION("not rebased yet: upstream's new migrations are missing here") {
    Team team;
    team.diverge();
    ProcessResult result = team.renumber();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("lacks 1 of upstream's migrations (first: "
                                    "202611210910_comments)") &&
                               Contains("git rebase"));
    CHECK(migration_files(team.alice).size() == 3);
  }
}

TEST_CASE("renumber: golang-migrate sequence numbers stay a sequence, both files move",
          "[e2e][renumber][git]") {
  TempDir dir;
  fs::path origin = dir / "origin.git";
  REQUIRE(
      run_process({"git", "init", "--quiet", "--bare", "--initial-branch=main", origin.string()})
          .exit_code == 0);
  GitWorkTree tree(dir / "repo");
  tree.write("migrate.conf", "[migrate]\n\tupstream = origin/main\n");
  tree.write("migrations/000001_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
  tree.write("migrations/000001_a.down.sql", "DROP TABLE a;\n");
  tree.commit("a");
  tree.git({"remote", "add", "origin", origin.string()});
  tree.git({"push", "--quiet", "origin", "main"});
  tree.git({"checkout", "--quiet", "-b", "feature"});
  tree.write("migrations/000002_mine.up.sql", "CREATE TABLE mine (x INTEGER);\n");
  tree.write("migrations/000002_mine.down.sql", "DROP TABLE mine;\n");
  tree.commit("mine");
  tree.git({"checkout", "--quiet", "main"});
  tree.write("migrations/000002_theirs.up.sql", "CREATE TABLE theirs (x INTEGER);\n");
  tree.write("migrations/000002_theirs.down.sql", "DROP TABLE theirs;\n");
  tree.commit("theirs");
  tree.git({"push", "--quiet", "origin", "main"});
  tree.git({"checkout", "--quiet", "feature"});
  tree.git({"fetch", "--quiet", "origin"});
  REQUIRE(tree.try_git({"rebase", "origin/main"}).exit_code == 0);

  ProcessResult result = run_tool("migrate-renumber", {}, {.cwd = tree.root()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("000002_mine.up.sql -> 000003_mine.up.sql"));
  CHECK(fs::exists(tree.root() / "migrations/000003_mine.up.sql"));
  CHECK(fs::exists(tree.root() / "migrations/000003_mine.down.sql"));
  CHECK_FALSE(fs::exists(tree.root() / "migrations/000002_mine.up.sql"));
  CHECK_FALSE(fs::exists(tree.root() / "migrations/000002_mine.down.sql"));
  CHECK(read_text(tree.root() / "migrations/000003_mine.up.sql") ==
        "CREATE TABLE mine (x INTEGER);\n");  // no header added to a golang-migrate file
  CHECK(tree.git({"diff", "--cached", "--name-status", "-M"}).find("R100") != std::string::npos);
  CHECK(run_tool("migrate-renumber", {}, {.cwd = tree.root()}).out.find("nothing to renumber") !=
        std::string::npos);
}

TEST_CASE("renumber: a failure half-way changes nothing, and a rerun finishes the job",
          "[e2e][renumber][git][bad-input]") {
  Team team;
  team.diverge();
  REQUIRE(team.alice.try_git({"rebase", "origin/main"}).exit_code != 0);  // HEAD conflicts
  fs::path migrations = team.alice.root() / "migrations";
  auto snapshot = [&] {
    std::vector<std::string> texts;
    for (const auto& entry : fs::directory_iterator(migrations)) {
      texts.push_back(entry.path().filename().string() + "\n" + read_text(entry.path()));
    }
    std::sort(texts.begin(), texts.end());
    return texts;
  };
  std::vector<std::string> before = snapshot();
  std::string index_before = team.alice.git({"ls-files", "--stage", "migrations"});

  // Another git command holds the index: writing it fails after the files were moved.
  write_text(team.alice.root() / ".git" / "index.lock", "");
  ProcessResult result = team.renumber();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("index"));
  CHECK(snapshot() == before);  // every file back, no staged or backup file left beside them
  CHECK(team.alice.git({"ls-files", "--stage", "migrations"}) == index_before);

  fs::remove(team.alice.root() / ".git" / "index.lock");
  ProcessResult rerun = team.renumber();
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK_FALSE(fs::exists(migrations / "202611210910_posts.sql"));
  CHECK(team.alice.git({"diff", "--name-only", "--diff-filter=U"}).empty());  // resolved
}

TEST_CASE("renumber: both branches pushed with one id: both tools name --force, which works",
          "[e2e][renumber][merge][git]") {
  // bob's comments and alice's posts were created in the same minute: both 202611210910. Both
  // branches are pushed, and bob's database ran comments.
  Team team;
  team.diverge();
  GitWorkTree& alice = team.alice;
  GitWorkTree& bob = *team.bob;
  REQUIRE(run_tool("migrate-upgrade", {"-q"}, {.cwd = bob.root()}).exit_code == 0);
  alice.git({"push", "--quiet", "origin", "feature"});
  team.bring_in_main("merge");
  std::vector<std::string> before = migration_files(alice);

  ProcessResult renumber = team.renumber();
  CHECK(renumber.exit_code == 3);
  CHECK_THAT(renumber.err,
             Contains("202611210910_posts.sql is already on origin/feature, and upstream's "
                      "202611210910_comments has the same id") &&
                 Contains("`migrate renumber --force`") && Contains("re-keyed by its checksum"));
  ProcessResult merge = run_tool("migrate-merge", {}, {.cwd = alice.root()});
  CHECK(merge.exit_code == 2);
  CHECK_THAT(merge.err, Contains("duplicate id 202611210910") &&
                            Contains("`migrate renumber --force`") &&
                            Contains("re-keyed by its checksum"));
  CHECK(migration_files(alice) == before);  // neither changed anything

  // The advice, followed.
  ProcessResult forced = team.renumber({"--force"});
  INFO(forced.err);
  REQUIRE(forced.exit_code == 0);
  CHECK(alice.git({"diff", "--name-only", "--diff-filter=U"}).empty());
  CHECK(run_tool("migrate-check", {"--staged"}, {.cwd = alice.root()}).exit_code == 0);
  alice.git({"commit", "--quiet", "--no-edit"});
  check_renumbered(alice);
  CHECK(run_tool("migrate-merge", {}, {.cwd = alice.root()}).out.find("Nothing to merge") !=
        std::string::npos);
  alice.git({"push", "--quiet", "origin", "feature"});

  // alice's database ran posts and tags under their old ids: re-keyed, only comments runs.
  ProcessResult upgrade = run_tool("migrate-upgrade", {}, {.cwd = alice.root()});
  INFO(upgrade.err);
  CHECK(upgrade.exit_code == 0);
  CHECK_THAT(upgrade.out, Contains("1 applied") && Contains("2 re-keyed"));
  // bob's ran comments: on the merged branch, posts and tags run, comments not again.
  bob.git({"fetch", "--quiet", "origin"});
  bob.git({"checkout", "--quiet", "-b", "feature", "origin/feature"});
  ProcessResult bob_upgrade = run_tool("migrate-upgrade", {}, {.cwd = bob.root()});
  INFO(bob_upgrade.err);
  CHECK(bob_upgrade.exit_code == 0);
  CHECK_THAT(bob_upgrade.out, Contains("2 applied"));
  std::vector<std::string> files = migration_files(alice);
  for (const GitWorkTree* tree : {&alice, &bob}) {
    CHECK(applied_ids(tree->root() / "migrate.db") ==
          std::vector<std::string>{"202611210900", "202611210910", files[2].substr(0, 12),
                                   files[3].substr(0, 12)});
  }
}

TEST_CASE("merge: during a conflicted git merge, it stages what it writes", "[e2e][merge][git]") {
  // Both branches pushed, with different ids: renumber says to merge; the merge migration and
  // migrations/HEAD belong in the merge commit.
  Team team;
  GitWorkTree& alice = team.alice;
  team.pushed_apart("merge");
  CHECK_THAT(team.renumber().err, Contains("Join the heads with `migrate merge`"));

  ProcessResult merged = run_tool("migrate-merge", {}, {.cwd = alice.root()});
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK_THAT(merged.out, Contains("Staged for the git merge under way"));
  std::string path = trimmed(merged.out.substr(merged.out.rfind("migrations/")));
  std::string stem = fs::path(path).stem().string();
  CHECK(alice.git({"diff", "--name-only", "--diff-filter=U"}).empty());  // resolved
  CHECK_THAT(alice.git({"diff", "--cached", "--name-status"}),
             Contains("A\t" + path) && Contains("M\tmigrations/HEAD"));
  CHECK(alice.git({"show", ":migrations/HEAD"}) == stem);
  CHECK(run_tool("migrate-check", {"--staged"}, {.cwd = alice.root()}).exit_code == 0);
  alice.git({"commit", "--quiet", "--no-edit"});
  CHECK(alice.git({"status", "--porcelain"}).empty());
  CHECK_THAT(alice.git({"ls-files", "migrations"}), Contains(path));  // in the merge commit
  CHECK(run_tool("migrate-upgrade", {}, {.cwd = alice.root()}).exit_code == 0);
}

TEST_CASE("renumber and merge: both branches pushed, a later migration with upstream's id",
          "[e2e][renumber][merge][git]") {
  // alice's feature (pushed) has posts, then tags in bob's minute: tags and bob's comments
  // share 202611210910. renumber used to see posts first and send her to migrate merge, which
  // refuses duplicate ids and sends her back: both now name --force.
  Team team;
  GitWorkTree& alice = team.alice;
  alice.git({"checkout", "--quiet", "-b", "feature"});
  Team::add(alice, "202611210905_posts", "posts", "202611210900_users");
  Team::add(alice, "202611210910_tags", "tags", "202611210905_posts");
  alice.git({"push", "--quiet", "origin", "feature"});
  Team::add(*team.bob, "202611210910_comments", "comments", "202611210900_users");
  team.bob->git({"push", "--quiet", "origin", "main"});
  team.bring_in_main("merge");
  std::vector<std::string> before = migration_files(alice);

  ProcessResult renumber = team.renumber();
  CHECK(renumber.exit_code == 3);
  CHECK_THAT(renumber.err,
             Contains("202611210905_posts.sql is already on origin/feature, and this branch's "
                      "202611210910_tags.sql has the id of upstream's 202611210910_comments") &&
                 Contains("`migrate merge` cannot join them") &&
                 Contains("`migrate renumber --force`"));
  CHECK_THAT(renumber.err, !Contains("Join the heads with `migrate merge`"));
  ProcessResult merge = run_tool("migrate-merge", {}, {.cwd = alice.root()});
  CHECK(merge.exit_code == 2);
  CHECK_THAT(merge.err,
             Contains("duplicate id 202611210910") && Contains("`migrate renumber --force`"));
  CHECK(migration_files(alice) == before);  // neither changed anything

  ProcessResult forced = team.renumber({"--force"});
  INFO(forced.err);
  REQUIRE(forced.exit_code == 0);
  CHECK(run_tool("migrate-check", {"--staged"}, {.cwd = alice.root()}).exit_code == 0);
  alice.git({"commit", "--quiet", "--no-edit"});
  std::vector<std::string> files = migration_files(alice);
  REQUIRE(files.size() == 4);
  CHECK(files[1] == "202611210910_comments.sql");
  CHECK(files[2].ends_with("_posts.sql"));
  CHECK(files[3].ends_with("_tags.sql"));
  CHECK(files[3] > "202611210910_tags.sql");
}

TEST_CASE("renumber and merge: both branches pushed, in the middle of a rebase",
          "[e2e][renumber][merge][git]") {
  Team team;
  GitWorkTree& alice = team.alice;
  SECTION("the same id: both name --force, and renumber then says to continue the rebase") {
    team.diverge();
    alice.git({"push", "--quiet", "origin", "feature"});
    team.bring_in_main("rebase");
    ProcessResult renumber = team.renumber();
    CHECK(renumber.exit_code == 3);
    CHECK_THAT(renumber.err, Contains("upstream's 202611210910_comments has the same id") &&
                                 Contains("`migrate renumber --force`"));
    ProcessResult merge = run_tool("migrate-merge", {}, {.cwd = alice.root()});
    CHECK(merge.exit_code == 2);
    CHECK_THAT(merge.err, Contains("`migrate renumber --force`"));

    for (int stop = 0; stop < 2; ++stop) {  // posts, then tags: each commit stops on HEAD
      ProcessResult forced = team.renumber({"--force"});
      INFO(forced.err);
      REQUIRE(forced.exit_code == 0);
      CHECK_THAT(forced.out, Contains("then `git rebase --continue`"));
      ProcessResult continued = alice.try_git({"-c", "core.editor=true", "rebase", "--continue"});
      REQUIRE(continued.exit_code == (stop == 0 ? 1 : 0));
    }
    check_renumbered(alice);
  }
  SECTION("different ids: renumber names merge, which stages for the rebase") {
    team.pushed_apart("rebase");
    CHECK_THAT(team.renumber().err, Contains("Join the heads with `migrate merge`"));
    ProcessResult merged = run_tool("migrate-merge", {}, {.cwd = alice.root()});
    INFO(merged.err);
    REQUIRE(merged.exit_code == 0);
    CHECK_THAT(merged.out, Contains("Staged for the git rebase under way"));
    CHECK(run_tool("migrate-check", {"--staged"}, {.cwd = alice.root()}).exit_code == 0);
    CHECK(alice.try_git({"-c", "core.editor=true", "rebase", "--continue"}).exit_code == 0);
    CHECK(alice.git({"status", "--porcelain"}).empty());
  }
}
