#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace migrate {

struct Section;

/// The values of a Flyway folder's `${name}` placeholders, by name in lower case (Flyway
/// matches names in any case): migrate.conf's `[placeholders]` and Flyway's built-ins
/// (`flyway:user`, …).
using PlaceholderValues = std::map<std::string, std::string>;

/// `sql` with each `${name}` replaced by its value, as Flyway replaces them: over the whole
/// text (inside strings, comments and `$$` bodies too), the name being everything up to the
/// next `}`, in any case; an empty value removes it, and a `${` with no `}` stays as it is.
/// `file` and `first_line` (the file's line of the text's first line) place the error: a
/// name with no value throws ParseError there, naming it and where to give it one.
std::string replace_placeholders(std::string_view sql, const PlaceholderValues& values,
                                 const std::filesystem::path& file, int first_line);

/// A Flyway migration's section with its placeholders replaced (replace_placeholders), with
/// `flyway:filename` its own file's name, as Flyway sets it for each script.
std::string replace_flyway_placeholders(const Section& section, PlaceholderValues values);

}  // namespace migrate
