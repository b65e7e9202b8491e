#include "support/web_project.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace migrate::test {

namespace {

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

void require_success(const ProcessResult& result, std::string_view what) {
  if (result.exit_code != 0) {
    throw std::runtime_error(fmt::format("{} failed: {}{}", what, result.out, result.err));
  }
}

/// Gives HEAD's commit the author name `name`, which git itself refuses to write (it drops angle
/// brackets from names): the commit object is edited and written back as it is.
void set_head_author(const GitWorkTree& repo, std::string_view name) {
  std::string object = repo.git({"cat-file", "commit", "HEAD"}) + "\n";
  std::size_t line = object.find("\nauthor ") + 1;
  std::size_t email = object.find(" <", line);
  object.replace(line, email - line, fmt::format("author {}", name));
  std::filesystem::path file = repo.root() / ".git" / "edited-commit";
  write_file(file, object);
  std::string id = repo.git({"hash-object", "-t", "commit", "-w", "--literally", file.string()});
  repo.git({"update-ref", "HEAD", id});
}

}  // namespace

WebProject::WebProject() {
  write_file(project.root() / "migrate.conf",
             fmt::format("[env \"dev\"]\n  database = sqlite:dev.db\n"
                         "[env \"staging\"]\n  database = sqlite:staging.db\n"
                         "[env \"prod\"]\n  database = postgres://admin:{}@127.0.0.1:{}/app\n",
                         kPassword, silent_database.port()));
  write_file(project.root() / ".gitignore", "*.db\n");
  project.add("0001_users.sql",
              migration_text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
                             "DROP TABLE users;", "-- Create users.\n-- Who signs in."));
  repo.commit("Add the users table",
              {.name = "Ann Example", .email = "ann@example.com", .date = "2026-11-21T14:23:05Z"});
  project.add("0002_xss.sql", migration_text("CREATE TABLE audit (id INTEGER);",
                                             "DROP TABLE audit;", fmt::format("-- {}", kXssTitle)));
  repo.commit("Add <img src=x onerror=alert(2)>",
              {.name = "Eve", .email = "eve@example.com", .date = "2026-11-22T08:00:00Z"});
  set_head_author(repo, kXssAuthor);
  project.add("0003_posts.sql",
              migration_text("CREATE TABLE posts (id INTEGER, user_id INTEGER REFERENCES users);",
                             "DROP TABLE posts;", "-- Create posts."));
  project.add("0004_gone.sql",
              migration_text("CREATE TABLE gone (id INTEGER);", "DROP TABLE gone;"));
  require_success(run("migrate-upgrade", {"--env", "dev"}), "upgrading dev");
  require_success(run("migrate-upgrade", {"--env", "staging", "0001"}), "upgrading staging");
  // dev: 0004's file deleted after it ran (an orphan), 0003 edited after it ran (changed).
  std::filesystem::remove(project.migrations() / "0004_gone.sql");
  project.add("0003_posts.sql",
              migration_text("CREATE TABLE posts (id INTEGER, user_id INTEGER REFERENCES users, "
                             "body TEXT);",
                             "DROP TABLE posts;", "-- Create posts."));
}

ProcessResult WebProject::run(std::string_view tool, const std::vector<std::string>& args) const {
  return project.run(tool, args, options());
}

}  // namespace migrate::test
