#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "lint/rule_family.hpp"

namespace migrate {

/// `-- migrate:lint ignore=<rule>[,<rule>…] reason="…"` in a migration file: before the first
/// section marker it covers the whole file, elsewhere the statement right after it (only
/// comments and blank lines between).
struct Suppression {
  int line = 0;
  std::vector<std::string> rules;
  std::string reason;  ///< empty: none given, which is itself a finding
  bool whole_file = false;
  /// Written almost as one (`--migrate:lint`, `-- migrate: lint`): it covers nothing, and says
  /// how to write it.
  bool misspelt = false;
};

/// The suppressions of a migration file's text, in order. `header_end`: the line of
/// its first `-- migrate:up`/`down` marker (whatever comes before it is the file's header).
/// The down section is not linted: what is written there is not read.
std::vector<Suppression> read_suppressions(std::string_view file_text, int header_end);

/// The line of a file's first section marker (`-- migrate:up`, `-- migrate:down`, `-- +goose`):
/// what comes before is its header, where a suppression covers the whole file. `up_first_line`
/// when it has none.
int first_section_line(std::string_view file_text, int up_first_line);

/// `findings` of one file without those its suppressions cover, plus the suppressions' own,
/// in line order (stable: a line's findings keep theirs):
/// one without a reason suppresses nothing and is an error, one naming no rule or covering no
/// finding is a warning (a stale suppression hides the next real finding). `file` names the
/// file in those.
std::vector<Finding> apply_suppressions(const std::vector<Finding>& findings,
                                        const std::vector<Suppression>& suppressions,
                                        std::string_view file_text, const std::string& file);

/// The suppressions' own rules, for listing and configuration.
const RuleFamily& suppression_rules();

}  // namespace migrate
