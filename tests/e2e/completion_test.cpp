// Shell completion: completion/migrate.bash sourced into a real bash, its completion function
// driven as bash drives it (COMP_WORDS, COMP_CWORD), with the built tools on PATH, in a real
// project; completion/_migrate run by a real zsh (words, CURRENT), and its list of commands
// checked against the tools'.
#include <cstdlib>
#include <map>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/project.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
namespace fs = std::filesystem;

namespace {

/// PATH with the built tools first: the scripts ask `migrate __complete`.
std::string path_with_tools() {
  const char* path = std::getenv("PATH");
  return tool_path("migrate").parent_path().string() + ":" + (path ? path : "");
}

/// What bash offers for the command line `words` (the last one being completed) in `cwd`.
std::vector<std::string> offered(const std::vector<std::string>& words, const fs::path& cwd,
                                 const std::map<std::string, std::string>& env = {}) {
  std::string array;
  for (const std::string& word : words) {
    array += " '" + word + "'";
  }
  std::string script = fmt::format(
      "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_migrate\nprintf '%s\\n' "
      "\"${{COMPREPLY[@]}}\"\n",
      (source_dir() / "completion" / "migrate.bash").string(), array, words.size() - 1);
  std::map<std::string, std::string> all = env;
  all["PATH"] = path_with_tools();
  ProcessResult run =
      run_process({"bash", "--norc", "--noprofile", "-c", script}, {.cwd = cwd, .env = all});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::vector<std::string> lines = lines_of(run.out);
  std::erase(lines, "");  // printf's line for an empty COMPREPLY
  return lines;
}

bool has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

TEST_CASE("completion: bash completes commands, flags, environments and revisions",
          "[e2e][completion]") {
  Project project;
  project.add("202601010000_create_users.sql", migration_text("CREATE TABLE u (x INT);", ""));
  project.add("202601020000_add_email.sql", migration_text("SELECT 1;", ""));
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdir = migrations\n[env \"production\"]\n\tdatabase = sqlite:p.db\n"
             "[env \"staging\"]\n\tdatabase = sqlite:s.db\n");

  SECTION("commands and aliases after migrate, filtered by what is typed") {
    std::vector<std::string> all = offered({"migrate", ""}, project.root());
    CHECK(has(all, "upgrade"));
    CHECK(has(all, "rollback"));
    CHECK(offered({"migrate", "dow"}, project.root()) ==
          std::vector<std::string>{"downgrade", "down"});
  }
  SECTION("a tool's flags, through the dispatcher's verb or the tool's own name") {
    std::vector<std::string> flags = offered({"migrate", "upgrade", "--d"}, project.root());
    CHECK(flags == std::vector<std::string>{"--database", "--dir", "--dry-run"});
    CHECK(offered({"migrate-downgrade", "--lock-t"}, project.root()) ==
          std::vector<std::string>{"--lock-timeout"});
    CHECK(offered({"migrate", "up", "--si"}, project.root()) ==
          std::vector<std::string>{"--single-transaction"});  // an alias's command's flags
  }
  SECTION("--env: the environments migrate.conf names") {
    CHECK(offered({"migrate", "current", "--env", ""}, project.root()) ==
          std::vector<std::string>{"production", "staging"});
  }
  SECTION("a flag's choices") {
    CHECK(offered({"migrate-upgrade", "--lock-mode", "t"}, project.root()) ==
          std::vector<std::string>{"transaction"});
  }
  SECTION("revisions: head, base, ids and stems") {
    std::vector<std::string> revisions = offered({"migrate", "upgrade", ""}, project.root());
    CHECK(has(revisions, "head"));
    CHECK(has(revisions, "base"));
    CHECK(has(revisions, "202601020000"));
    CHECK(has(revisions, "202601020000_add_email"));
    CHECK(offered({"migrate", "downgrade", "202601010000_"}, project.root()) ==
          std::vector<std::string>{"202601010000_create_users"});
  }
  SECTION("a value written in the flag's word, or after '=' as bash splits it") {
    CHECK(offered({"migrate-upgrade", "--lock-mode", "=", "s"}, project.root()) ==
          std::vector<std::string>{"session"});
    CHECK(offered({"migrate-upgrade", "--database", "sqlite", ":", ""}, project.root()).empty());
  }
  SECTION("environments even when the shell's MIGRATE_ENV names none of them") {
    CHECK(offered({"migrate", "current", "--env", "p"}, project.root(),
                  {{"MIGRATE_ENV", "elsewhere"}}) == std::vector<std::string>{"production"});
  }
  SECTION("names from the folder are offered as they are, never run by the shell") {
    project.add("202601030000_$(touch pwned).sql", migration_text("SELECT 1;", ""));
    std::vector<std::string> revisions =
        offered({"migrate", "redo", "202601030000_"}, project.root());
    CHECK(revisions == std::vector<std::string>{"202601030000_\\$\\(touch\\ pwned\\)"});
    CHECK_FALSE(fs::exists(project.root() / "pwned"));
  }
  SECTION("a word that names no command runs nothing") {
    write_text(project.root() / "migrate-x", "#!/bin/sh\ntouch ran\n");
    fs::permissions(project.root() / "migrate-x", fs::perms::owner_all);
    CHECK(offered({"migrate", "./x", "--"}, project.root()).empty());
    CHECK_FALSE(fs::exists(project.root() / "ran"));
  }
  SECTION("migrate hooks: its subcommands, then the subcommand's flags") {
    CHECK(offered({"migrate", "hooks", ""}, project.root()) ==
          std::vector<std::string>{"install", "uninstall", "status"});
    CHECK(offered({"migrate-hooks", "--dir", "migrations", "st"}, project.root()) ==
          std::vector<std::string>{"status"});
    CHECK(offered({"migrate", "hooks", "install", "--f"}, project.root()) ==
          std::vector<std::string>{"--force", "--format"});
    CHECK(offered({"migrate", "hooks", "status", "--ch"}, project.root()) ==
          std::vector<std::string>{"--check"});
    CHECK(offered({"migrate", "hooks", "install", ""}, project.root()).empty());
    // A value of a flag is not a subcommand, even when it is spelt like one: after the flag, or
    // after the '=' or ':' bash splits a word at.
    const std::vector<std::string> subcommands = {"install", "uninstall", "status"};
    CHECK(offered({"migrate", "hooks", "--dir", "install", ""}, project.root()) == subcommands);
    CHECK(offered({"migrate", "hooks", "--dir", "=", "install", ""}, project.root()) ==
          subcommands);
    CHECK(offered({"migrate", "hooks", "--database", "sqlite", ":", "install", ""},
                  project.root()) == subcommands);
    CHECK(offered({"migrate", "hooks", "--dir=install", ""}, project.root()) == subcommands);
    CHECK(offered({"migrate", "hooks", "--dir", "=", "x", "install", "--f"}, project.root()) ==
          std::vector<std::string>{"--force", "--format"});
  }
  SECTION("in a broken project nothing fails: only what needs no file is offered") {
    write_text(project.root() / "migrate.conf", "[migrate\n");
    CHECK(offered({"migrate", "current", "--env", ""}, project.root()).empty());
    CHECK(offered({"migrate", "upgrade", "he"}, project.root()) ==
          std::vector<std::string>{"head", "heads"});
  }
}

TEST_CASE("completion: outside any project, the revision keywords only", "[e2e][completion]") {
  TempDir empty;
  CHECK(offered({"migrate", "downgrade", ""}, empty.path()) ==
        std::vector<std::string>{"head", "heads", "base"});
}

TEST_CASE("completion: zsh's #compdef line names every tool", "[e2e][completion]") {
  std::string compdef = read_text(source_dir() / "completion" / "_migrate");
  compdef = compdef.substr(0, compdef.find('\n'));
  ProcessResult table = run_tool("migrate", {"__complete", "commands"});
  std::string expected = "#compdef migrate";
  for (const std::string& line : lines_of(table.out)) {
    std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    if (line.compare(tab + 1, 2, "= ") != 0) {
      expected += " migrate-" + line.substr(0, tab);
    }
  }
  CHECK(compdef == expected);
}

namespace {

/// What zsh's _migrate hands to compadd for the command line `words` (the last one being
/// completed), or "(files)" when it leaves it to _files: the function autoloaded from
/// completion/ as zsh's completion system loads it, called with the words and CURRENT zsh
/// gives it, compadd and _files standing in for zsh's own (which need a terminal; zsh filters
/// what compadd is given by what is typed).
std::vector<std::string> zsh_offers(const std::vector<std::string>& words, const fs::path& cwd) {
  std::string array;
  for (const std::string& word : words) {
    array += " '" + word + "'";
  }
  std::string script = fmt::format(
      "fpath=('{}' $fpath)\nautoload -Uz _migrate\n"
      "compadd() {{ [[ $1 == -a ]] && print -rl -- \"${{(@P)2}}\" }}\n"
      "_files() {{ print -r -- '(files)' }}\n"
      "words=({})\nCURRENT={}\n_migrate\n",
      (source_dir() / "completion").string(), array, words.size());
  ProcessResult run =
      run_process({"zsh", "-f", "-c", script}, {.cwd = cwd, .env = {{"PATH", path_with_tools()}}});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return lines_of(run.out);
}

}  // namespace

TEST_CASE("completion: zsh offers what migrate __complete answers, else files",
          "[e2e][completion]") {
  Project project;
  project.add("202601010000_create_users.sql", migration_text("CREATE TABLE u (x INT);", ""));
  write_text(project.root() / "migrate.conf", "[env \"production\"]\n\tdatabase = sqlite:p.db\n");
  std::vector<std::string> commands = zsh_offers({"migrate", ""}, project.root());
  CHECK(has(commands, "upgrade"));
  CHECK(has(commands, "rollback"));
  CHECK(zsh_offers({"migrate", "downgrade", ""}, project.root()) ==
        std::vector<std::string>{"head", "heads", "base", "202601010000",
                                 "202601010000_create_users"});
  CHECK(zsh_offers({"migrate-current", "--env", ""}, project.root()) ==
        std::vector<std::string>{"production"});
  CHECK(zsh_offers({"migrate", "hooks", ""}, project.root()) ==
        std::vector<std::string>{"install", "uninstall", "status"});
  CHECK(has(zsh_offers({"migrate-upgrade", "--"}, project.root()), "--dry-run"));
  CHECK(zsh_offers({"migrate-upgrade", "--database", ""}, project.root()) ==
        std::vector<std::string>{"(files)"});
}
