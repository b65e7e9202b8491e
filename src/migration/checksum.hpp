#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// The checksum recorded for an applied migration: "sha256:<hex>" over the up section after
/// normalising (line endings to "\n", trailing white space of each line and blank lines at
/// either end removed), so re-saving a file with other line endings is not an edit. The prefix
/// names the algorithm, so it can change without false mismatches.
std::string section_checksum(std::string_view sql);

/// The text that section_checksum hashes.
std::string normalize_for_checksum(std::string_view sql);

}  // namespace migrate
