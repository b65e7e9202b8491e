#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "migration/migration.hpp"

namespace migrate {

class Dialect;

/// Statements --fix moves out of a migration into a new one right after it: what must not
/// share the migration's transaction (CONCURRENTLY, VALIDATE CONSTRAINT of a constraint that
/// transaction adds).
struct FollowUp {
  std::vector<std::string> up;    ///< its up statements, in order, each with its semicolon
  std::vector<std::string> down;  ///< its down statements, in order
  bool transaction = true;        ///< false when one of `up` cannot run inside a transaction
  bool down_transaction = true;   ///< false when one of `down` cannot
  bool validates = false;         ///< `up` holds a VALIDATE CONSTRAINT
  std::string what;  ///< for its slug: "concurrently", "reindex", "validate", joined by "_and_"
};

/// What --fix made of one migration file.
struct LintFix {
  std::string text;                   ///< the file's new text (the old one when nothing changed)
  std::vector<std::string> done;      ///< "line 3: …", what was changed
  std::vector<std::string> not_done;  ///< "line 7: …", why a finding needs a person
  std::optional<FollowUp> follow_up;  ///< statements moved to a new migration after this one
};

/// The safe forms --fix writes into `migration`'s file (`text`) for its `findings`, where the
/// edit is mechanical and changes nothing else:
/// - CONCURRENTLY in a transactional section: the section's marker gets `transaction:false`
///   when nothing else in it needs the transaction (only CONCURRENTLY operations and SETs);
///   otherwise the statement moves to the follow-up, a new migration after this one whose
///   section is `transaction:false`, and the down section's statement that undoes it moves
///   with it (a created index's DROP, a dropped index's CREATE; a DROP INDEX CONCURRENTLY IF
///   EXISTS when the down section has none);
/// - a named FOREIGN KEY or CHECK added without NOT VALID: NOT VALID, and `VALIDATE
///   CONSTRAINT` as the next statement in a `transaction:false` section (each statement
///   commits on its own there), else in the follow-up (VALIDATE in the transaction that
///   added the constraint would hold its lock for the whole scan).
/// Anything else is left, said in not_done with the way to do it by hand. Only migrate's own
/// and dbmate's files, whose markers take options; a follow-up only when `may_follow` (the
/// caller knows the folder: in migrate's own, `-- depends:` places a new migration anywhere;
/// in dbmate's, only after the last).
LintFix fix_migration(const Dialect& dialect, const Migration& migration, std::string_view text,
                      const std::vector<Finding>& findings, bool may_follow);

/// The new migration that holds `of`'s follow-up: id `id`, depending on `of` alone, its slug
/// and title saying what it holds and where from.
Migration follow_up_migration(const Migration& of, const FollowUp& follow_up, MigrationId id);

}  // namespace migrate
