// Shell completion: completion/migrate.bash sourced into a real bash, its completion function
// driven as bash drives it (COMP_WORDS, COMP_CWORD), with the built tools on PATH, in a real
// project; and completion/_migrate's list of commands checked against the tools'.
#include <cstdlib>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/project.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
namespace fs = std::filesystem;

namespace {

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
  const char* path = std::getenv("PATH");
  std::map<std::string, std::string> all = env;
  all["PATH"] = tool_path("migrate").parent_path().string() + ":" + (path ? path : "");
  ProcessResult run =
      run_process({"bash", "--norc", "--noprofile", "-c", script}, {.cwd = cwd, .env = all});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream out(run.out);
  for (std::string line; std::getline(out, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
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
  std::istringstream lines(table.out);
  for (std::string line; std::getline(lines, line);) {
    std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    if (line.compare(tab + 1, 2, "= ") != 0) {
      expected += " migrate-" + line.substr(0, tab);
    }
  }
  CHECK(compdef == expected);
}
