#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace migrate {

class GitRepo;

/// The commit that added a file: who, when and why, as `migrate-history -v` and `--json` show
/// it.
struct FileAuthorship {
  std::string commit;        ///< the full commit id (40 hex digits)
  std::string short_commit;  ///< its shortest unique abbreviation (7 digits or more, as git's)
  std::string author;        ///< the author's name
  std::string email;         ///< the author's email
  std::string date;          ///< the author date, ISO 8601 in UTC: "2026-11-21T14:23:05Z"
  std::string summary;       ///< the first paragraph of the message, on one line
};

/// File name (without the folder) -> the commit that added it.
using FileAuthorships = std::map<std::string, FileAuthorship, std::less<>>;

/// For each file directly inside `folder` ('/'-separated, relative to the work tree's root;
/// empty for the root) in HEAD's tree, the commit that added it, found in one walk of the
/// history reachable from HEAD (every parent, not only the first).
///
/// A commit adds a name when the name is in its folder and in none of its parents' (a root
/// commit adds everything it has). So a merge adds nothing that one of its sides had: a file
/// added on a side branch is reported with the side branch's commit. When a name was added
/// more than once (deleted, then added again; or renamed away and back), the newest addition
/// is reported: the commit that started the life of the file that exists now. A rename is a
/// new name: a migration renumbered by migrate-renumber reports the commit that renamed it. In
/// a shallow clone the oldest commits there add everything they hold, as `git log` shows them.
///
/// Names not in HEAD (not committed yet), a repository without commits and a folder that HEAD
/// does not have give no entry. Throws GitError when the repository cannot be read.
FileAuthorships commits_adding_files(const GitRepo& repo, std::string_view folder);

}  // namespace migrate
