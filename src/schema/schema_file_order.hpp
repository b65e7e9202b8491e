#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace migrate {

/// One file of a folder of schema files, as read.
struct SchemaFile {
  std::filesystem::path path;  ///< for messages (and its file name: what `-- depends:` names)
  std::string text;
};

/// The order a folder's schema files are loaded in: by file name, except that a file runs after
/// the files its `-- depends: a.sql, b` lines name (a file name in the same folder, with or
/// without `.sql`; several lines add up). Such a line is a comment, anywhere in the file, that
/// starts with `-- depends:`. Returns indexes into `files`; files that need nothing of each other
/// keep name order. Throws ParseError at the line that names a file the folder does not hold,
/// the file itself, or that closes a cycle (naming the files in it). Pure.
std::vector<std::size_t> order_schema_files(const std::vector<SchemaFile>& files);

}  // namespace migrate
