#pragma once

#include <string>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "support/web_process.hpp"

namespace migrate::test {

/// The project the web tests browse: a git repository with three migrations (users and a title that
/// is a script tag, committed by authors with awkward names; posts uncommitted), and migrate.conf
/// with three environments: dev (everything applied, posts edited since: changed, plus an orphan
/// row), staging (users only) and prod, a PostgreSQL server that never answers, whose URL holds a
/// password.
struct WebProject {
  static constexpr const char* kPassword = "s3cret-pw";
  static constexpr const char* kXssTitle = "<script>alert(1)</script>";
  static constexpr const char* kXssAuthor = "Eve \"<b>Quote</b>\" O'Brien";

  Project project;
  GitWorkTree repo{project.root()};
  SilentPort silent_database;

  WebProject();
  /// migrate-web in the project, with MIGRATE_ENV=dev.
  RunOptions options() const { return {.env = {{"MIGRATE_ENV", "dev"}}}; }
  /// A tool run like options() does (other environments: `--env NAME` in args).
  ProcessResult run(std::string_view tool, const std::vector<std::string>& args) const;
};

}  // namespace migrate::test
