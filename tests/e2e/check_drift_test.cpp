// The drift gate: with `schema =` configured, migrate-check (and the pre-commit hook) compares
// the model with the migrations as they would be committed, in real git repositories, with the
// built executables.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsers =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n";
constexpr const char* kUsersWithPhone =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);\n";

/// The names in `folder` that start with `prefix`: what the gate left there.
std::vector<std::string> left_in(const fs::path& folder, std::string_view prefix) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().starts_with(prefix)) {
      found.push_back(entry.path().filename().string());
    }
  }
  return found;
}

/// The temporary folders the gate left under `tmp`.
std::vector<std::string> staged_folders(const fs::path& tmp) {
  return left_in(tmp, "migrate-staged-");
}

/// What a killed write of the replay snapshot left in `folder` (.git/migrate).
std::vector<std::string> snapshot_temporaries(const fs::path& folder) {
  return left_in(folder, "replay-sqlite.tmp");
}

/// How many migrations the replay snapshot in `file` holds, from its "steps N" line.
std::size_t snapshot_steps(const fs::path& file) {
  std::string text = read_text(file);
  std::size_t at = text.find("\nsteps ");
  return at == std::string::npos ? 0 : std::stoul(text.substr(at + 7));
}

/// A repository whose model (schema/) and migrations agree, committed.
struct DriftRepo {
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  TempDir tmp;  ///< the tools' TMPDIR: what the gate leaves there is seen

  explicit DriftRepo(const std::string& settings = "") {
    tree.write("migrate.conf",
               "[migrate]\n\tschema = schema/\n\tupstream = origin/main\n" + settings);
    tree.write("schema/app.sql", kUsers);
    ProcessResult created = run("migrate-create", {"-m", "create users"});
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    tree.commit("users");
    tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  }
  ProcessResult run(std::string_view tool, const std::vector<std::string>& args = {}) const {
    return run_tool(tool, args, {.cwd = tree.root(), .env = {{"TMPDIR", tmp.path().string()}}});
  }
  ProcessResult check(const std::vector<std::string>& args = {"--staged"}) const {
    return run("migrate-check", args);
  }
};

}  // namespace

TEST_CASE("check drift: a schema edit staged without its migration is refused",
          "[e2e][check][git][diff]") {
  DriftRepo repo;
  CHECK(repo.check().exit_code == 0);
  repo.tree.write("schema/app.sql", kUsersWithPhone);
  repo.tree.git({"add", "schema"});
  std::string staged = repo.tree.git({"diff", "--cached", "--name-only"});
  ProcessResult refused = repo.check();
  INFO(refused.err);
  CHECK(refused.exit_code == 3);
  CHECK(refused.out.empty());
  CHECK_THAT(refused.err,
             Contains("schema/ (the model: `schema` in migrate.conf) describes a schema that the "
                      "migrations after this commit do not build. A migration would:\n"
                      "     - add column users.phone\n"));
  CHECK_THAT(refused.err, Contains("`make migrate-create MESSAGE=\"what changed\"`"));
  CHECK_THAT(refused.err, Contains("       -- migrate:up\n"
                                   "       ALTER TABLE users ADD COLUMN phone TEXT;\n"));
  // Nothing touched: the index, the work tree, the temporary folder.
  CHECK(repo.tree.git({"diff", "--cached", "--name-only"}) == staged);
  CHECK(repo.tree.git({"status", "--porcelain", "--untracked-files=all"}) == "M  schema/app.sql");
  CHECK(staged_folders(repo.tmp.path()).empty());

  SECTION("the migration migrate-create writes, staged, lets it through") {
    ProcessResult created = repo.run("migrate-create", {"-m", "add phone"});
    REQUIRE(created.exit_code == 0);
    std::string file = read_text(repo.tree.root() / trimmed(created.out));
    // What the gate proposed is what migrate-create wrote, but for the title.
    std::string proposed = refused.err.substr(refused.err.find("       -- what changed"));
    std::string unindented;
    for (std::size_t start = 0; start < proposed.size();) {
      std::size_t end = std::min(proposed.find('\n', start), proposed.size());
      std::string line = proposed.substr(start, end - start);
      unindented += (line.starts_with("       ") ? line.substr(7) : line) + "\n";
      start = end + 1;
    }
    CHECK(unindented.substr(unindented.find('\n')) + "\n" == file.substr(file.find('\n')) + "\n");
    CHECK(repo.check().exit_code == 3);  // written, not staged yet
    repo.tree.git({"add", "-A"});
    ProcessResult passed = repo.check();
    INFO(passed.err);
    CHECK(passed.exit_code == 0);
    CHECK_THAT(passed.out, Contains("the staged commit is fine: 2 migrations, 1 new"));
  }
  SECTION("--json names the kind, the changes and the migration") {
    ProcessResult json = repo.check({"--staged", "--json"});
    CHECK(json.exit_code == 3);
    CHECK_THAT(json.out, Contains("\"kind\": \"schema-drift\""));
    CHECK_THAT(json.out, Contains("\"schema_drift\": {\n    \"model\": \"schema/\",\n    "
                                  "\"changes\": [\n      {\n        \"description\": \"add column "
                                  "users.phone\""));
    CHECK_THAT(json.out, Contains("\"migration\": \"-- what changed\\n"));
  }
}

TEST_CASE("check drift: only what is staged counts with --staged, the work tree without",
          "[e2e][check][git][diff]") {
  DriftRepo repo;
  repo.tree.write("schema/app.sql", kUsersWithPhone);  // not staged
  CHECK(repo.check().exit_code == 0);
  CHECK(repo.check({}).exit_code == 3);
  // The migration written and staged, the model edit not staged: the staged commit has a
  // migration the model does not describe.
  REQUIRE(repo.run("migrate-create", {"-m", "add phone"}).exit_code == 0);
  CHECK(repo.check({}).exit_code == 0);
  repo.tree.git({"add", "migrations"});
  ProcessResult staged = repo.check();
  CHECK(staged.exit_code == 3);
  CHECK_THAT(staged.err, Contains("- drop column users.phone") && Contains("--allow-destructive"));
  repo.tree.git({"add", "schema"});
  CHECK(repo.check().exit_code == 0);
}

TEST_CASE("check drift: a difference that deletes data is drift, shown with what it needs",
          "[e2e][check][git][diff]") {
  DriftRepo repo;
  repo.tree.write("schema/app.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  repo.tree.git({"add", "-A"});
  ProcessResult refused = repo.check();
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("- drop column users.email (hazard: deletes-data"));
  CHECK_THAT(refused.err, Contains("MIGRATE_FLAGS=--allow-destructive") &&
                              Contains("`migrate create --allow-destructive -m"));
  CHECK_THAT(refused.err, Contains("ALTER TABLE users DROP COLUMN email;"));
}

TEST_CASE("check drift: a staged schema file whose SQL fails is exit 2 at its staged line",
          "[e2e][check][git][diff][bad-input]") {
  DriftRepo repo;
  repo.tree.write("schema/app.sql", std::string(kUsers) +
                                        "\nCREATE TABLE posts (id INTEGER,\n"
                                        "  title TEXT NOT NULL,,\n);\n");
  repo.tree.git({"add", "-A"});
  repo.tree.write("schema/app.sql", kUsers);  // fixed in the work tree only
  ProcessResult failed = repo.check();
  INFO(failed.err);
  CHECK(failed.exit_code == 2);
  CHECK_THAT(failed.err, Contains("error: schema/app.sql:4: ") && Contains("syntax error") &&
                             Contains("in the staged version: stage the fix with `git add`"));
  CHECK(staged_folders(repo.tmp.path()).empty());
  CHECK(repo.check({}).exit_code == 0);  // the work tree's file is fine
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 0);  // nothing left behind breaks the next run

  SECTION("a model that is not staged at all") {
    repo.tree.git({"rm", "-r", "-q", "--cached", "schema"});
    ProcessResult missing = repo.check();
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("schema = schema/ in migrate.conf: nothing is staged there") &&
                                Contains("`git add schema/`"));
  }
}

TEST_CASE("check drift: an agreement is remembered, and never hides a later drift",
          "[e2e][check][git][diff]") {
  DriftRepo repo;
  fs::path remembered = repo.tree.root() / ".git" / "migrate" / "model-agreements";
  REQUIRE(repo.check().exit_code == 0);
  REQUIRE(fs::exists(remembered));
  std::string agreements = read_text(remembered);
  repo.tree.write("README.md", "nothing to do with the schema\n");
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 0);
  CHECK(read_text(remembered) == agreements);  // the same model and migrations: not replayed
  repo.tree.write("schema/app.sql", kUsersWithPhone);
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 3);
  CHECK(read_text(remembered) == agreements);  // a drift is never remembered
  // The same files again after going through the drift: still known to agree.
  repo.tree.write("schema/app.sql", kUsers);
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 0);
  // A damaged file is no answer: the gate replays.
  write_text(remembered, "garbage\n");
  repo.tree.write("schema/app.sql", kUsersWithPhone);
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 3);
}

TEST_CASE("check drift: the replay kept from the last check is used, and never changes the answer",
          "[e2e][check][git][diff]") {
  DriftRepo repo;
  fs::path remembered = repo.tree.root() / ".git" / "migrate" / "model-agreements";
  fs::path snapshot = repo.tree.root() / ".git" / "migrate" / "replay-sqlite";
  REQUIRE(repo.check().exit_code == 0);
  REQUIRE(fs::exists(snapshot));
  CHECK(snapshot_steps(snapshot) == 1);
  // The model changes with its migration: the snapshot's one migration and the new one.
  repo.tree.write("schema/app.sql", kUsersWithPhone);
  ProcessResult created = repo.run("migrate-create", {"-m", "add phone"});
  REQUIRE(created.exit_code == 0);
  repo.tree.git({"add", "-A"});
  ProcessResult agreed = repo.check();
  INFO(agreed.err);
  CHECK(agreed.exit_code == 0);
  CHECK(snapshot_steps(snapshot) == 2);
  repo.tree.commit("phone");

  // A model change without its migration: the same refusal from the snapshot as from empty.
  repo.tree.write("schema/app.sql",
                  std::string(kUsersWithPhone) + "CREATE TABLE posts (id INTEGER);\n");
  repo.tree.git({"add", "-A"});
  ProcessResult kept = repo.check();
  CHECK(kept.exit_code == 3);
  CHECK_THAT(kept.out + kept.err, Contains("posts"));
  fs::remove(snapshot);
  ProcessResult from_empty = repo.check();
  CHECK(from_empty.exit_code == 3);
  CHECK(kept.out == from_empty.out);
  CHECK(kept.err == from_empty.err);
  REQUIRE(fs::exists(snapshot));

  SECTION("a damaged snapshot is not used, and is replaced") {
    std::string text = read_text(snapshot);
    text[text.size() - 100] ^= 0x55;
    write_text(snapshot, text);
    ProcessResult damaged = repo.check();
    CHECK(damaged.exit_code == 3);
    CHECK(damaged.out == from_empty.out);
    CHECK(read_text(snapshot) != text);
  }
  SECTION("an applied migration edited since: the answer is the edited one's") {
    fs::path phone;
    for (const auto& entry : fs::directory_iterator(repo.tree.root() / "migrations")) {
      if (entry.path().string().ends_with("_add_phone.sql")) {
        phone = entry.path();
      }
    }
    REQUIRE_FALSE(phone.empty());
    std::string text = read_text(phone);
    std::size_t at = text.find("ADD COLUMN phone TEXT");
    REQUIRE(at != std::string::npos);
    text.replace(at, 21, "ADD COLUMN phone TEXT; CREATE TABLE posts (id INTEGER)");
    write_text(phone, text);
    repo.tree.git({"add", "-A"});
    ProcessResult edited = repo.check();
    INFO(edited.out << edited.err);
    CHECK(edited.exit_code == 0);
  }
  SECTION("two checks at once both answer, and leave a snapshot that reads") {
    fs::remove(snapshot);
    fs::remove(remembered);
    RunningProcess one =
        start_process({tool_path("migrate-check").string(), "--staged"},
                      {.cwd = repo.tree.root(), .env = {{"TMPDIR", repo.tmp.path().string()}}});
    RunningProcess two =
        start_process({tool_path("migrate-check").string(), "--staged"},
                      {.cwd = repo.tree.root(), .env = {{"TMPDIR", repo.tmp.path().string()}}});
    CHECK(one.wait().exit_code == 3);
    CHECK(two.wait().exit_code == 3);
    CHECK(snapshot_steps(snapshot) == 2);
    CHECK(snapshot_temporaries(snapshot.parent_path()).empty());
    CHECK(repo.check().out == from_empty.out);
  }
}

TEST_CASE("check drift: the models patterns give way to the exact answer",
          "[e2e][check][git][diff]") {
  DriftRepo repo("\tmodels = schema/**\n");
  repo.tree.write("schema/app.sql", std::string("-- The users.\n") + kUsers);
  repo.tree.git({"add", "-A"});
  // The model changed without a migration, but describes the same schema: nothing is missing.
  ProcessResult passed = repo.check();
  INFO(passed.err);
  CHECK(passed.exit_code == 0);
}

TEST_CASE("check drift: the pre-commit hook refuses the model without its migration",
          "[e2e][check][git][diff][hooks]") {
  DriftRepo repo;
  ProcessResult installed = repo.run("migrate-hooks", {"install"});
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  repo.tree.write("schema/app.sql", kUsersWithPhone);
  repo.tree.git({"add", "-A"});
  ProcessResult refused = repo.tree.try_git({"commit", "-q", "-m", "phone"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err,
             Contains("add column users.phone") && Contains("make migrate-create MESSAGE="));
  CHECK(repo.tree.git({"rev-list", "--count", "HEAD"}) == "1");
  REQUIRE(repo.run("migrate-create", {"-m", "add phone"}).exit_code == 0);
  repo.tree.git({"add", "-A"});
  ProcessResult committed = repo.tree.try_git({"commit", "-q", "-m", "phone"});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  CHECK(repo.tree.git({"rev-list", "--count", "HEAD"}) == "2");
}

TEST_CASE("check drift: on PostgreSQL, in development databases on dev-database",
          "[e2e][check][git][diff][postgres]") {
  PostgresDatabase database;  // the configured database: never touched
  TempDir dir;
  GitWorkTree tree{dir / "repo"};
  tree.write("migrate.conf", fmt::format("[migrate]\n\tdatabase = {}\n\tdev-database = {}\n"
                                         "\tschema = schema/\n\tupstream = origin/main\n",
                                         database.url(), postgres_admin_url()));
  // Upstream has the configuration only: users is this branch's, new, so the gate's linter
  // has nothing to say about the index migrate-create writes for it.
  tree.commit("configuration");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  tree.write("schema/app.sql",
             "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
             "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
             "  email TEXT NOT NULL, mood mood);\n");
  RunOptions options{.cwd = tree.root()};
  ProcessResult created = run_tool("migrate-create", {"-m", "create users"}, options);
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  tree.git({"add", "-A"});
  ProcessResult agreed = run_tool("migrate-check", {"--staged"}, options);
  INFO(agreed.err);
  CHECK(agreed.exit_code == 0);
  tree.commit("users");
  tree.write("schema/app.sql",
             "CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm');\n"
             "CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
             "  email TEXT NOT NULL, mood mood);\n"
             "CREATE INDEX users_email ON users (email);\n");
  tree.git({"add", "-A"});
  ProcessResult refused = run_tool("migrate-check", {"--staged"}, options);
  INFO(refused.err);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Contains("CREATE INDEX users_email ON public.users USING btree "
                                   "(email)") ||
                              Contains("CREATE INDEX users_email"));
  CHECK_THAT(refused.err, Contains("calm"));
  REQUIRE(run_tool("migrate-create", {"-m", "index and mood"}, options).exit_code == 0);
  tree.git({"add", "-A"});
  ProcessResult passed = run_tool("migrate-check", {"--staged"}, options);
  INFO(passed.err);
  CHECK(passed.exit_code == 0);
  CHECK(database.relations().empty());  // development databases only
  // None left on the server.
  CHECK(postgres_rows(postgres_admin_url(),
                      "SELECT datname FROM pg_database WHERE datname LIKE 'migrate_dev_%'")
            .empty());
}

namespace {

/// A project whose gate takes a while: 60 tables, 120 columns added to them after.
void slow_gate(DriftRepo& repo) {
  std::string schema;
  for (int t = 0; t < 60; ++t) {
    std::string columns;
    for (int c = t; c < 120; c += 60) {
      columns += fmt::format(", note_{} TEXT", c);
    }
    schema += fmt::format("CREATE TABLE t{} (id INTEGER PRIMARY KEY{});\n", t, columns);
  }
  std::string previous = trimmed(read_text(repo.tree.root() / "migrations" / "HEAD"));
  for (int m = 0; m < 180; ++m) {
    std::string up =
        m < 60 ? fmt::format("CREATE TABLE t{} (id INTEGER PRIMARY KEY);", m)
               : fmt::format("ALTER TABLE t{} ADD COLUMN note_{} TEXT;", (m - 60) % 60, m - 60);
    std::string stem = fmt::format("9{:011}_step", m);
    repo.tree.write("migrations/" + stem + ".sql",
                    fmt::format("-- Step.\n-- depends: {}\n-- migrate:up\n{}\n", previous, up));
    previous = stem;
  }
  repo.tree.write("migrations/HEAD", previous + "\n");
  repo.tree.write("schema/app.sql", std::string(kUsers) + schema);
  repo.tree.git({"add", "-A"});
}

}  // namespace

TEST_CASE("check drift: killed or stopped with Ctrl-C at any moment, the next run is right",
          "[e2e][check][git][diff][crash]") {
  DriftRepo repo;
  slow_gate(repo);
  fs::path remembered = repo.tree.root() / ".git" / "migrate" / "model-agreements";
  fs::path snapshot = repo.tree.root() / ".git" / "migrate" / "replay-sqlite";
  auto timed = std::chrono::steady_clock::now();
  ProcessResult first = repo.check();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto run_time = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - timed);
  std::mt19937 random(std::random_device{}());
  for (int signal : {SIGKILL, SIGINT}) {
    int landed = 0;
    for (int run = 0; run < 60 && landed < 3; ++run) {
      INFO("signal " << signal << ", run " << run);
      fs::remove(remembered);  // else the gate answers at once
      fs::remove(snapshot);    // else it replays nothing: the kill lands in the replay too
      RunningProcess running =
          start_process({tool_path("migrate-check").string(), "--staged"},
                        {.cwd = repo.tree.root(), .env = {{"TMPDIR", repo.tmp.path().string()}}});
      std::this_thread::sleep_for(std::chrono::microseconds(
          std::uniform_int_distribution<long>(0, run_time.count())(random)));
      running.kill(signal);
      ProcessResult interrupted = running.wait();
      // What proves something: kill -9 while the staged model was written out (its folder
      // stays behind for the next run to remove); Ctrl-C taken by the gate, which removes it.
      bool stopped =
          signal == SIGKILL
              ? interrupted.exit_code == 128 + SIGKILL && !staged_folders(repo.tmp.path()).empty()
              : interrupted.err.find("error: interrupted (Ctrl-C)") != std::string::npos;
      if (stopped && signal == SIGINT) {
        CHECK(interrupted.exit_code == 1);
        CHECK(staged_folders(repo.tmp.path()).empty());  // removed on the way out
      }
      landed += stopped ? 1 : 0;
      ProcessResult next = repo.check();
      INFO(next.err);
      CHECK(next.exit_code == 0);
      CHECK(staged_folders(repo.tmp.path()).empty());  // what a killed run left is gone
      CHECK(snapshot_temporaries(snapshot.parent_path()).empty());
    }
    CHECK(landed >= 3);
  }
  // And the answer is still exact: a drift after all that is found.
  repo.tree.write("schema/app.sql", std::string(kUsersWithPhone));
  repo.tree.git({"add", "-A"});
  CHECK(repo.check().exit_code == 3);
}

TEST_CASE("check drift: Ctrl-C while the staged model is written out leaves no folder behind",
          "[e2e][check][git][diff][crash]") {
  // 1,500 schema files: writing the staged model out takes a good part of the run. A stop
  // that removed the folder while files were still written into it left those behind.
  DriftRepo repo;
  for (int t = 0; t < 1500; ++t) {
    repo.tree.write(fmt::format("schema/t{:04}.sql", t),
                    fmt::format("CREATE TABLE t{} (id INTEGER PRIMARY KEY);\n", t));
  }
  repo.tree.git({"add", "-A"});
  auto timed = std::chrono::steady_clock::now();
  ProcessResult refused = repo.check();  // the tables are in no migration: drift, nothing kept
  REQUIRE(refused.exit_code == 3);
  auto run_time = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - timed);
  std::mt19937 random(std::random_device{}());
  int landed = 0;
  for (int run = 0; run < 120 && landed < 12; ++run) {
    INFO("run " << run);
    RunningProcess running =
        start_process({tool_path("migrate-check").string(), "--staged"},
                      {.cwd = repo.tree.root(), .env = {{"TMPDIR", repo.tmp.path().string()}}});
    // The first half of a run: the model is written out before the replay.
    std::this_thread::sleep_for(std::chrono::microseconds(
        std::uniform_int_distribution<long>(0, run_time.count() / 2)(random)));
    running.kill(SIGINT);
    ProcessResult interrupted = running.wait();
    if (interrupted.err.find("error: interrupted (Ctrl-C)") == std::string::npos) {
      continue;  // before the gate took Ctrl-C, or after it finished
    }
    ++landed;
    CHECK(interrupted.exit_code == 1);
    CHECK(staged_folders(repo.tmp.path()).empty());
  }
  CHECK(landed >= 12);
}
