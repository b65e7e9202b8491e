// schema-command run as a user runs it: the model in the application's code (SQLAlchemy, with
// Debian's python3-sqlalchemy), or a command that prints SQL; migrate-create and migrate-diff
// generate from what it makes in an empty development database. What fails, hangs or is
// interrupted writes nothing and leaves no process and no temporary file behind.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/git_work_tree.hpp"
#include "support/logged_run.hpp"
#include "support/postgres.hpp"
#include "support/processes.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"
#include "support/sqlite_probe.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

/// Debian's python3, where python3-sqlalchemy is installed (a python3 found first on PATH may
/// be another one, without it).
constexpr const char* kPython = "/usr/bin/python3";

/// The README's example: a SQLAlchemy model, and the script that creates it in the database
/// migrate names.
void write_sqlalchemy_model(const std::filesystem::path& root, bool with_phone) {
  write_text(root / "models.py", std::string("from sqlalchemy import Column, Integer, String\n"
                                             "from sqlalchemy.orm import declarative_base\n\n"
                                             "Base = declarative_base()\n\n\n"
                                             "class User(Base):\n"
                                             "    __tablename__ = \"users\"\n"
                                             "    id = Column(Integer, primary_key=True)\n"
                                             "    email = Column(String(200), nullable=False)\n") +
                                     (with_phone ? "    phone = Column(String(20))\n" : ""));
  write_text(root / "schema.py",
             "import os\n"
             "from sqlalchemy import create_engine\n"
             "from models import Base\n\n"
             "url = os.environ[\"MIGRATE_DEV_DATABASE_URL\"]\n"
             "url = url.replace(\"sqlite:///\", \"sqlite:////\", 1)\n"
             "url = url.replace(\"postgres://\", \"postgresql://\", 1)\n"
             "Base.metadata.create_all(create_engine(url))\n");
}

/// migrate.conf's [migrate] with `schema-command = COMMAND` (in git-config's double quotes,
/// with `lines` after it.
void configure(const std::filesystem::path& root, const std::string& command,
               const std::string& lines = "") {
  std::string quoted;
  for (char c : command) {
    quoted += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  }
  write_text(root / "migrate.conf", "[migrate]\n\tschema-command = \"" + quoted + "\"\n" + lines);
}

/// make/migrate.mk's target, as a project that includes it runs it.
ProcessResult make_in(const std::filesystem::path& root, const std::vector<std::string>& arguments,
                      const TempDir& tmp) {
  return run_make(arguments, {.cwd = root, .env = {{"TMPDIR", tmp.path().string()}}});
}

ProcessResult make(const Project& project, const std::vector<std::string>& arguments,
                   const TempDir& tmp) {
  return make_in(project.root(), arguments, tmp);
}

std::size_t migration_files(const Project& project) {
  std::size_t count = 0;
  std::error_code missing;
  for (const auto& entry : std::filesystem::directory_iterator(project.migrations(), missing)) {
    count += entry.path().extension() == ".sql" ? 1 : 0;
  }
  return count;
}

/// What migrate left in a TMPDIR: its temporary folders.
std::vector<std::string> left_in(const TempDir& tmp) {
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    left.push_back(entry.path().filename().string());
  }
  return left;
}

/// A `sleep` no other test runs: its duration is this process's id.
std::string unique_sleep() {
  return "sleep 100" + std::to_string(::getpid());
}

/// The processes whose command line is `command`.
std::vector<pid_t> processes_running(const std::string& command) {
  return processes_where([&](const std::string& cmdline) { return cmdline == command + " "; });
}

/// After a command was stopped: none of its `sleep`s runs, no migration and no temporary folder
/// was left.
void check_nothing_left(const Project& project, const TempDir& tmp, const std::string& sleep) {
  CHECK(eventually([&] { return processes_running(sleep).empty(); }));
  CHECK(migration_files(project) == 0);
  CHECK(left_in(tmp).empty());
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("schema-command: a SQLAlchemy model gains a column, make migrate-create writes it",
          "[e2e][create][schema-command]") {
  Project project;
  TempDir tmp;
  write_sqlalchemy_model(project.root(), false);
  configure(project.root(), std::string(kPython) + " schema.py");
  ProcessResult first = make(project, {"migrate-create", "MESSAGE=create users"}, tmp);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  std::string created = read_text(project.root() / first_line(first.out));
  CHECK_THAT(created, Contains("-- create users\n--\n-- Generated by migrate from schema-command:\n"
                               "--   - create table users\n"));
  CHECK_THAT(created, Contains("CREATE TABLE users (\n  id INTEGER NOT NULL,\n"
                               "  email VARCHAR(200) NOT NULL,\n  PRIMARY KEY (id)\n);"));
  ProcessResult up = project.run("migrate-upgrade");
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  // The model class gains a column: the migration adds it, and upgrade applies it.
  write_sqlalchemy_model(project.root(), true);
  ProcessResult second = make(project, {"migrate-create", "MESSAGE=add phone to users"}, tmp);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  std::string phone = read_text(project.root() / first_line(second.out));
  CHECK_THAT(phone, Contains("--   - add column users.phone\n"));
  CHECK_THAT(phone, Contains("-- depends: " +
                             std::filesystem::path(first_line(first.out)).stem().string()));
  CHECK_THAT(phone, Contains("ALTER TABLE users ADD COLUMN phone VARCHAR(20);"));
  ProcessResult again_up = project.run("migrate-upgrade");
  INFO(again_up.out << again_up.err);
  REQUIRE(again_up.exit_code == 0);
  CHECK(applied_ids(project.db()).size() == 2);
  CHECK(sqlite_column(project.db(), "SELECT name FROM pragma_table_info('users')") ==
        std::vector<std::string>{"id", "email", "phone"});

  // The model and the migrations agree: nothing to write.
  ProcessResult same = make(project, {"migrate-create", "MESSAGE=again"}, tmp);
  CHECK(same.exit_code == 0);
  CHECK(same.out == "Nothing to generate: schema-command and the migrations agree.\n");
  CHECK(migration_files(project) == 2);
  CHECK(left_in(tmp).empty());  // the development database's file and the command's output
}

TEST_CASE(
    "schema-command: the pre-commit hook runs the model on the staged tree and refuses a "
    "model change without its migration",
    "[e2e][check][git][hooks][schema-command]") {
  TempDir dir;
  TempDir tmp;
  GitWorkTree tree{dir / "repo"};
  write_sqlalchemy_model(tree.root(), false);
  configure(tree.root(), std::string(kPython) + " schema.py", "\tupstream = origin/main\n");
  tree.write(".gitignore", "__pycache__/\n*.db\n");
  RunOptions options{.cwd = tree.root(), .env = {{"TMPDIR", tmp.path().string()}}};
  REQUIRE(run_tool("migrate-create", {"-m", "create users"}, options).exit_code == 0);
  tree.commit("users");
  tree.git({"update-ref", "refs/remotes/origin/main", "HEAD"});
  ProcessResult installed = run_tool("migrate-hooks", {"install"}, options);
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);

  // The class gains a column in the work tree only: what is committed is the staged tree, whose
  // model still agrees with its migrations.
  write_sqlalchemy_model(tree.root(), true);
  tree.write("README", "notes\n");
  tree.git({"add", "README"});
  ProcessResult unrelated = tree.try_git({"commit", "-q", "-m", "notes"});
  INFO(unrelated.err);
  CHECK(unrelated.exit_code == 0);

  // Staged, the model change without its migration is refused, naming what is missing.
  tree.git({"add", "models.py"});
  ProcessResult refused = tree.try_git({"commit", "-q", "-m", "phone"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Contains("What schema-command (in migrate.conf) makes describes") &&
                              Contains("add column users.phone") &&
                              Contains("make migrate-create MESSAGE="));
  CHECK(tree.git({"rev-list", "--count", "HEAD"}) == "2");

  // make migrate-create writes it; with it staged the commit goes through.
  ProcessResult created = make_in(tree.root(), {"migrate-create", "MESSAGE=add phone"}, tmp);
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  tree.git({"add", "-A"});
  ProcessResult committed = tree.try_git({"commit", "-q", "-m", "phone"});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  CHECK(tree.git({"rev-list", "--count", "HEAD"}) == "3");
  CHECK(tree.git({"status", "--porcelain"}).empty());  // nothing the command made was left
  CHECK(left_in(tmp).empty());
}

TEST_CASE(
    "schema-command: SQL it prints is loaded, and it runs in the project's root with a "
    "development database's URL",
    "[e2e][create][diff][schema-command]") {
  Project project;
  TempDir tmp;
  std::filesystem::create_directories(project.root() / "app");
  write_text(project.root() / "model.sql",
             "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
  configure(project.root(),
            "cat model.sql; pwd > seen-folder; echo \"$MIGRATE_DEV_DATABASE_URL\" > seen-url; "
            "ls \"${MIGRATE_DEV_DATABASE_URL#sqlite://}\" > seen-file");
  RunOptions options{.cwd = project.root() / "app", .env = {{"TMPDIR", tmp.path().string()}}};
  ProcessResult first = project.run("migrate-create", {"-m", "create users"}, options);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(read_text(project.root() / "app" / first_line(first.out)),
             Contains("CREATE TABLE users ("));
  CHECK(trimmed(read_text(project.root() / "seen-folder")) ==
        std::filesystem::canonical(project.root()).string());
  std::string url = trimmed(read_text(project.root() / "seen-url"));
  CHECK_THAT(url, StartsWith("sqlite://" + (tmp / "migrate-sqlite-").string()));
  CHECK_THAT(url, Catch::EndsWith("/dev.db"));
  // The file was there while the command ran, and is gone after.
  CHECK(trimmed(read_text(project.root() / "seen-file")) == url.substr(9));
  CHECK_FALSE(std::filesystem::exists(url.substr(9)));
  CHECK(left_in(tmp).empty());

  // Printed SQL is loaded as schema files are: `-- @renamed` too.
  write_text(project.root() / "model.sql",
             "CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n"
             "  mail TEXT NOT NULL -- @renamed from=email\n);\n");
  RunOptions at_root{.env = options.env};
  ProcessResult diff = project.run("migrate-diff", {"migrations@head", "schema-command"}, at_root);
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("-- The schema changes from migrations@head to schema-command."));
  CHECK_THAT(diff.out, Contains("ALTER TABLE users RENAME COLUMN email TO mail;"));
  ProcessResult renamed = project.run("migrate-create", {"-m", "rename email"}, options);
  REQUIRE(renamed.exit_code == 0);
  CHECK(project.run("migrate-diff", {"--check", "migrations@head", "schema-command"}, at_root)
            .exit_code == 0);
  CHECK(left_in(tmp).empty());
}

TEST_CASE(
    "schema-command: SQL it prints that does not load is named by its line, nothing "
    "written",
    "[e2e][create][schema-command][bad-input]") {
  Project project;
  configure(project.root(),
            "echo 'CREATE TABLE users (id INTEGER);'; echo 'CREAT TABLE oops (x);'");
  ProcessResult result = project.run("migrate-create", {"-m", "x"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK_THAT(result.err,
             Contains("migrate-create: error: the output of schema-command, line 2: near "
                      "\"CREAT\": syntax error. Fix schema-command: the SQL it prints must "
                      "create the schema on an empty database"));
  CHECK(migration_files(project) == 0);
}

TEST_CASE("schema-command: a command that fails shows its stderr and exit code, nothing written",
          "[e2e][create][schema-command][bad-input]") {
  Project project;
  TempDir tmp;
  write_text(project.root() / "fail.sh",
             "echo 'Traceback (most recent call last):' >&2\n"
             "echo 'NameError: name Colum is not defined' >&2\nexit 4\n");
  configure(project.root(), "sh fail.sh");
  RunOptions options{.env = {{"TMPDIR", tmp.path().string()}}};
  ProcessResult failed = project.run("migrate-create", {"-m", "x"}, options);
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.empty());
  CHECK(failed.err ==
        "migrate-create: error: schema-command failed with exit code 4: sh fail.sh\n"
        "Its stderr:\n  Traceback (most recent call last):\n"
        "  NameError: name Colum is not defined\n");
  CHECK(migration_files(project) == 0);

  configure(project.root(), "no-such-program --make-model");
  ProcessResult missing = project.run("migrate-create", {"-m", "x"}, options);
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Contains("schema-command failed with exit code 127: "
                                   "no-such-program --make-model\nIts stderr:\n"));
  CHECK_THAT(missing.err, Contains("not found"));
  CHECK(migration_files(project) == 0);
  CHECK(left_in(tmp).empty());
}

TEST_CASE("schema-command: one that hangs is stopped at its timeout with what it started",
          "[e2e][create][schema-command]") {
  Project project;
  TempDir tmp;
  std::string sleep = unique_sleep();
  // One sleep in the background and one in the foreground: the shell's children both.
  configure(project.root(), "echo 'making the model' >&2; " + sleep + " & " + sleep + "; wait",
            "\tschema-command-timeout = 1\n");
  ProcessResult hung =
      project.run("migrate-create", {"-m", "x"}, {.env = {{"TMPDIR", tmp.path().string()}}});
  CHECK(hung.exit_code == 1);
  CHECK(hung.out.empty());
  CHECK_THAT(hung.err, Contains("migrate-create: error: schema-command ran longer than "
                                "schema-command-timeout (1 s) and was stopped, with what it "
                                "started: echo 'making the model'"));
  CHECK_THAT(hung.err, Contains("Its stderr:\n  making the model\nIf it needs longer, raise "
                                "schema-command-timeout in migrate.conf's [migrate] section"));
  check_nothing_left(project, tmp, sleep);
}

TEST_CASE("schema-command: Ctrl-C kills the command with what it started, and writes nothing",
          "[e2e][create][schema-command][crash]") {
  Project project;
  TempDir tmp;
  std::string sleep = unique_sleep();
  configure(project.root(), sleep + " & " + sleep + "; wait");
  RunningProcess running =
      project.start("migrate-create", {"-m", "x"}, {.env = {{"TMPDIR", tmp.path().string()}}});
  REQUIRE(eventually([&] { return processes_running(sleep).size() == 2; }));
  running.kill(SIGINT);
  ProcessResult stopped = running.wait();
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.out.empty());
  CHECK(stopped.err == "migrate-create: error: interrupted (Ctrl-C): nothing was written\n");
  check_nothing_left(project, tmp, sleep);
}

TEST_CASE("schema-command: never beside schema, and migrate-diff needs it configured",
          "[e2e][create][diff][schema-command][bad-input]") {
  Project project;
  std::filesystem::create_directories(project.root() / "schema");
  write_text(project.root() / "schema" / "app.sql", "CREATE TABLE t (a INT);\n");
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tschema = schema/\n\tschema-command = python3 schema.py\n");
  ProcessResult both = project.run("migrate-create", {"-m", "x"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "migrate-create: error: " + (project.root() / "migrate.conf").string() +
                        ": schema = and schema-command = are both set: the model is either "
                        "schema files or what a command makes from the application's code. "
                        "Keep one of them\n");
  CHECK(migration_files(project) == 0);

  write_text(project.root() / "migrate.conf", "[migrate]\n\tschema = schema/\n");
  ProcessResult none = project.run("migrate-diff", {"migrations@head", "schema-command"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("schema-command is not set in " +
                                (project.root() / "migrate.conf").string()));
}

TEST_CASE("schema-command: on PostgreSQL, SQLAlchemy's DDL printed and the migration applied",
          "[e2e][create][schema-command][postgres]") {
  Project project;
  PostgresDatabase db;
  write_sqlalchemy_model(project.root(), false);
  // No PostgreSQL driver for Python is needed: SQLAlchemy prints its DDL for the dialect.
  write_text(project.root() / "print_ddl.py",
             "from sqlalchemy import create_mock_engine\n"
             "from models import Base\n\n\n"
             "def show(statement, *multiparams, **params):\n"
             "    print(str(statement.compile(dialect=engine.dialect)).strip() + \";\")\n\n\n"
             "engine = create_mock_engine(\"postgresql://\", show)\n"
             "Base.metadata.create_all(engine, checkfirst=False)\n");
  configure(project.root(), std::string(kPython) + " print_ddl.py",
            "\tdev-database = " + postgres_admin_url() + "\n");
  ProcessResult first = project.run("migrate-create", {"--database", db.url(), "create users"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(read_text(project.root() / first_line(first.out)),
             Contains("CREATE TABLE public.users ("));
  REQUIRE(project.run("migrate-upgrade", {"--database", db.url()}).exit_code == 0);

  write_sqlalchemy_model(project.root(), true);
  ProcessResult second = project.run("migrate-create", {"--database", db.url(), "add phone"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(read_text(project.root() / first_line(second.out)),
             Contains("ALTER TABLE public.users ADD COLUMN phone character varying(20);"));
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = "
                  "'users' ORDER BY ordinal_position") ==
        std::vector<std::string>{"id", "email", "phone"});
  ProcessResult same = project.run("migrate-create", {"--database", db.url(), "again"});
  CHECK(same.exit_code == 0);
  CHECK(same.out == "Nothing to generate: schema-command and the migrations agree.\n");
}

TEST_CASE("schema-command: on PostgreSQL, the command fills the development database itself",
          "[e2e][diff][schema-command][postgres]") {
  Project project;
  PostgresDatabase db;
  write_text(project.root() / "model.sql",
             "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
             "CREATE TABLE people (id bigint PRIMARY KEY, m mood);\n");
  configure(project.root(),
            "echo \"$MIGRATE_DEV_DATABASE_URL\" > seen-url; "
            "psql -q -X -v ON_ERROR_STOP=1 -f model.sql \"$MIGRATE_DEV_DATABASE_URL\" >&2",
            "\tdev-database = " + postgres_admin_url() + "\n");
  ProcessResult diff =
      project.run("migrate-diff", {"--database", db.url(), "migrations@head", "schema-command"});
  INFO(diff.err);
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Contains("CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'ok'\n);"));
  CHECK_THAT(diff.out, Contains("CREATE TABLE public.people ("));
  // The URL names a database of its own on dev-database, dropped after.
  std::string url = trimmed(read_text(project.root() / "seen-url"));
  std::size_t name = url.find("/migrate_dev_");
  REQUIRE(name != std::string::npos);
  std::string database = url.substr(name + 1, url.find('?', name) - name - 1);
  CHECK(postgres_rows(postgres_admin_url(),
                      "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")
            .empty());
}
