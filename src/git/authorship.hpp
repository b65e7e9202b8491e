#pragma once

#include <functional>
#include <map>
#include <string>

namespace migrate {

/// The commit that added a file: who, when and why, as `migrate-history -v` and `--json` show
/// it (GitRepo::commits_adding_files finds them).
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

}  // namespace migrate
