#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"

namespace migrate {

class Dialect;
struct Migration;

/// What --fix made of one migration file.
struct LintFix {
  std::string text;                   ///< the file's new text (the old one when nothing changed)
  std::vector<std::string> done;      ///< "line 3: …", what was changed
  std::vector<std::string> not_done;  ///< "line 7: …", why a finding needs a person
};

/// The safe forms --fix writes into `migration`'s file (`text`) for its `findings`, where the
/// edit is mechanical and changes nothing else:
/// - CONCURRENTLY in a transactional section: the section's marker gets `transaction:false`
///   when nothing else in it needs the transaction (only CONCURRENTLY operations and SETs);
/// - a FOREIGN KEY or CHECK added without NOT VALID in a `transaction:false` section (each
///   statement commits on its own): NOT VALID, and `VALIDATE CONSTRAINT` as the next statement.
/// Anything else is left, said in not_done with the way to do it by hand. Only migrate's own
/// and dbmate's files, whose markers take options.
LintFix fix_migration(const Dialect& dialect, const Migration& migration, std::string_view text,
                      const std::vector<Finding>& findings);

}  // namespace migrate
