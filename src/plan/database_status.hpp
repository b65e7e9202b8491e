#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "migration/placeholders.hpp"
#include "state/applied_migration.hpp"

namespace migrate {

class RevisionGraph;
struct GraphStates;

/// Where one migration file stands in one database.
enum class MigrationState {
  pending,   ///< no row
  applied,   ///< a row with the file's checksum
  changed,   ///< a row, but the file's checksum differs: edited after it was applied
  partial,   ///< a transaction:false section that stopped part-way
  replaced,  ///< no row, and none needed: a squashed migration does its work (it is applied, or
             ///< it will run instead, none of what it replaces having run here); or a Flyway
             ///< baseline on a database some migration ran already (Flyway ignores it)
};

/// "pending", "applied", "changed", "partial", "replaced": the word used in output and JSON.
const char* state_name(MigrationState state);

/// How the migration files and the state table's rows relate (DESIGN.md, "Semantics of
/// applying"): what is applied, pending, partly applied, changed, orphaned or renamed.
struct DatabaseStatus {
  /// An applied row whose file was renumbered (same checksum, old id gone): re-keyed, not re-run.
  struct Rename {
    std::size_t row;
    std::size_t migration;
  };

  std::vector<AppliedMigration> rows;              ///< the state table, oldest first
  std::vector<std::optional<std::size_t>> row_of;  ///< per migration: its row (renames included)
  std::vector<MigrationState> state;               ///< per migration
  std::vector<std::size_t> pending;                ///< migrations without a row, in order
  std::vector<std::size_t>
      partial;  ///< migrations whose transaction:false section stopped part-way
  std::vector<std::size_t> changed;  ///< applied migrations whose file's checksum differs
  std::vector<std::size_t> orphans;  ///< rows whose migration has no file here (indexes into rows)
  std::vector<Rename> renamed;
  /// Some migration has a row here (a repeatable's does not count): a database Flyway ignores
  /// its baselines on.
  bool migrated = false;
  /// Per repeatable (RevisionGraph::repeatables): the checksum its row gets when it runs, of
  /// its text with the placeholders replaced (Flyway's); the file's when that is unknown.
  std::vector<std::string> repeatable_checksum;
  /// Per repeatable: why its text cannot be made ready to run (a placeholder without a value),
  /// or "". Such a one is due, and its upgrade stops on the problem.
  std::vector<std::string> repeatable_problem;
  /// Per repeatable (RevisionGraph::repeatables): its row, when it was ever applied.
  std::vector<std::optional<std::size_t>> repeatable_row;
  /// The repeatables an upgrade to head runs, in order: never applied, or applied with another
  /// checksum (edited since, Flyway's rule), or stopped part-way.
  std::vector<std::size_t> repeatables_due;
  /// Rows of repeatables whose file is gone (indexes into rows): no orphans, since there is
  /// nothing to revert (Flyway has no undo for them); what they created stays.
  std::vector<std::size_t> removed_repeatables;

  /// Applied completely (a renamed or changed one counts).
  bool applied(std::size_t migration) const {
    return state[migration] == MigrationState::applied ||
           state[migration] == MigrationState::changed;
  }
  /// Nothing left to do and nothing in doubt: no pending migration, none stopped part-way, none
  /// edited since it was applied, no row waiting to be re-keyed, no repeatable due (an upgrade
  /// would still act).
  /// What `current` calls "up to date" and `--check` passes.
  bool up_to_date() const {
    return pending.empty() && partial.empty() && changed.empty() && renamed.empty() &&
           repeatables_due.empty();
  }

  /// The applied migrations that no applied migration depends on.
  std::vector<std::size_t> applied_heads(const RevisionGraph& graph) const;
  /// Whether any migration that `squash` replaces, or that a squash it replaces replaces, has a
  /// row here (DESIGN.md's squash cases: with none, the squash runs; with some, the rest run
  /// and the squash is recorded).
  bool ran_part_of(const RevisionGraph& graph, std::size_t squash) const;
  /// Whether `migration` is a Flyway baseline this database ignores, as Flyway does where some
  /// migration ran already: it neither runs nor is recorded here.
  bool ignores_baseline(const RevisionGraph& graph, std::size_t migration) const;
  /// Whether the repeatable (an index into RevisionGraph::repeatables) is among the due ones.
  bool repeatable_due(std::size_t repeatable) const;
};

/// For a changed migration, the title its row was applied with when the file's title differs:
/// the mark of another migration with the same id (two branches that each created one in the
/// same minute) rather than an edit. nullopt when the titles agree.
std::optional<std::string> applied_title_if_other(const RevisionGraph& graph,
                                                  const DatabaseStatus& status,
                                                  std::size_t migration);

/// A row a Flyway repeatable wrote: its id is the repeatable's name, `R__<description>`, and
/// no migration of the graph has it (a name-ordered folder's stem may start so).
bool is_repeatable_row(const RevisionGraph& graph, const AppliedMigration& row);

/// Why a due repeatable (an index into RevisionGraph::repeatables) runs on the next upgrade:
/// "never applied here", "stopped part-way", "changed since applied", or what stops it from
/// running (repeatable_problem).
std::string repeatable_due_reason(const DatabaseStatus& status, std::size_t repeatable);

/// What a due repeatable waits for, as current and history say it: its reason and "; the next
/// upgrade to head runs it", or what stops it from running.
std::string describe_due_repeatable(const DatabaseStatus& status, std::size_t repeatable);

/// Matches the rows against the graph. `placeholders`: the values a Flyway folder's `${name}`s
/// stand for on this database (placeholder_values), by which a repeatable is due when they
/// change its text, as in Flyway; without them, only an edit of its file makes it due.
DatabaseStatus reconcile(const RevisionGraph& graph, std::vector<AppliedMigration> rows,
                         const PlaceholderValues* placeholders = nullptr);

/// The states a drawing of the graph colours its migrations and repeatables by (a repeatable is
/// "pending" while due), from `database` (redacted, for its caption).
GraphStates graph_states(const DatabaseStatus& status, std::string database);

/// The applied heads (list_stems), or "nothing applied".
std::string describe_position(const RevisionGraph& graph, const DatabaseStatus& status);

}  // namespace migrate
