//===- migrate-verify: the migrations tested, for CI ----------------------===//
#include "cli/tool.hpp"
#include "commands/verify.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-verify",
      "Test the migrations on empty development databases of the configured engine (SQLite in "
      "memory; PostgreSQL on `dev-database` of migrate.conf, else a throwaway cluster migrate "
      "starts and removes), with no other configuration, for CI. Every step runs and reports, "
      "whatever the others found:\n"
      "  1. graph: the migrations load (no cycle, no unknown parent, valid `replaces:`), with "
      "one head (or the --heads declared), migrations/HEAD naming it, and no empty up "
      "section;\n"
      "  2. lint: migrate-lint's rules on the migrations --since and --changed-since choose, "
      "else on those not yet on `upstream` (every one without it): a finding at error level "
      "fails the step, warnings are listed as notes;\n"
      "  3. upgrade: base -> head applies on an empty database;\n"
      "  4. stairway: for each migration in order, its up runs; its down must give back the "
      "schema before the up (what it leaves is named: \"still to drop index idx_a\"); its up "
      "runs again and must give the same schema (an up that fails when run twice is named). "
      "A migration without a down section is skipped with a note. --since and "
      "--changed-since limit the migrations walked;\n"
      "  5. schema: head's schema equals the model (the `schema =` files, or what "
      "`schema-command` makes) and the `dump =` file, when migrate.conf names them;\n"
      "  6. data: each migrations/tests/<id>.sql runs around its migration: its `-- before:` "
      "part at the parent revision, the up, its `-- after:` queries with `-- expect:` rows or "
      "`-- expect-error: TEXT`; after the down, the before part's queries again (the format: "
      "README, \"Data tests\").\n"
      "Exit 0 when every check passed, 3 when one failed (each named with its file and object); "
      "the report is text, --json, and with --junit FILE also JUnit XML for the CI's test view.",
      /*json=*/true);
  migrate::VerifyOptions options;
  tool.app()
      .add_option("--since", options.since,
                  "Walk the stairway only for the migrations a database at REV has not applied "
                  "(an id, a stem, head~N); the others are applied without checks")
      ->type_name("REV");
  tool.app()
      .add_option("--changed-since", options.changed_since,
                  "Walk the stairway only for the migrations whose files were added or changed "
                  "since this git revision (origin/main: what a pull request brings)")
      ->type_name("GITREF");
  tool.app()
      .add_option("--heads", options.heads,
                  "The heads the graph must have, when several are meant (repeatable; default: "
                  "exactly one)")
      ->type_name("ID");
  tool.app()
      .add_option("--junit", options.junit,
                  "Also write the report as JUnit XML to FILE (whole, at the end; nothing when "
                  "the run stops)")
      ->type_name("FILE");
  migrate::add_duration(tool.app(), "--migration-lock-timeout",
                        "The lock_timeout the upgrade sets in each migration (its own flag, "
                        "given here too): the lint step's lock_timeout rules are then satisfied",
                        [&options](auto timeout) { options.migration_lock_timeout = timeout; });
  migrate::add_duration(tool.app(), "--statement-timeout",
                        "The statement_timeout the upgrade sets (its own flag, given here too): "
                        "the lint step's statement_timeout rules are then satisfied",
                        [&options](auto timeout) { options.statement_timeout = timeout; });
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_verify(context, options); });
}
