#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migrate {

struct Finding;

/// A workflow command's message escaped as GitHub's runner reads it back: '%', '\r' and '\n'
/// as %25, %0D and %0A (its toolkit's escapeData).
std::string github_escape_data(std::string_view text);

/// A workflow command's property value escaped: what github_escape_data escapes, and ':' and
/// ',' as %3A and %2C, which would otherwise end the value (its toolkit's escapeProperty).
std::string github_escape_property(std::string_view text);

/// migrate-lint --format github: one workflow command a finding, which GitHub Actions shows as
/// an annotation on the file's line: `::error file=F,line=L,title=RULE::message` (warning,
/// notice for the other severities), the message followed by the why and the safe way.
std::string github_annotations(const std::vector<Finding>& findings);

}  // namespace migrate
