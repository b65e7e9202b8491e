//===- migrate-lint: zero-downtime rules on this branch's migrations ------===//
#include "cli/tool.hpp"
#include "commands/lint.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-lint",
      "Check migrations for what blocks or breaks a running application while they run: a "
      "CREATE INDEX that blocks writes, CONCURRENTLY inside a transaction, a DROP INDEX, "
      "REINDEX or DETACH PARTITION that locks the table, a SQLite table rebuild with foreign keys "
      "on, and more (--list-rules). On PostgreSQL the rules read its own parse tree "
      "(libpg_query); on SQLite the migrations run on an in-memory database and SQLite says what "
      "each statement does. Rules use what migrate knows: a table created "
      "earlier in the migration, or by a migration not yet on `upstream`, is new and the rules "
      "for existing tables stay silent for it; a `transaction:false` section is known to run "
      "outside a transaction. Each finding gives its file and line, the rule, why it matters "
      "and the safe way with SQL.\n"
      "A finding is silenced for the next statement by a comment before it, or for the whole "
      "file in its header: `-- migrate:lint ignore=RULE[,RULE] reason=\"why it is fine here\"` "
      "(no reason: it silences nothing and is an error itself).\n"
      "With --database URL (PostgreSQL), the server is read: its version decides the rules "
      "that depend on it (CONCURRENTLY on 14.0-14.3, defaults before 11), and a rewrite or "
      "scan of a table estimated under `lint-small-table` rows (migrate.conf, default 10000; "
      "pg_class.reltuples) is only a note that says the estimate.\n"
      "Exit 0 when there is no error (warnings are printed), 3 when there is one (on SQLite, a "
      "statement SQLite refuses too), 2 for SQL PostgreSQL's parser refuses (at its line).",
      /*json=*/true, migrate::HeapUse::short_reads);
  migrate::LintOptions options;
  tool.app()
      .add_option("targets", options.targets,
                  "Migration files or revisions (an id, a stem) to lint; default: the "
                  "migrations not yet on `upstream` (migrate.conf), every one without it")
      ->type_name("FILE|REVISION");
  tool.app().add_flag("--list-rules", options.list_rules,
                      "List every rule: its name, severity and what it finds");
  tool.app().add_flag(
      "--fix", options.fix,
      "Write the safe form where it is mechanical, into this branch's migrations only (never "
      "one on upstream), all files or none, then lint again: a plain CREATE or DROP INDEX on "
      "a table that exists gets CONCURRENTLY; a section whose statements are all CONCURRENTLY "
      "ones and SETs gets `transaction:false`; a CONCURRENTLY statement last "
      "in a section that needs its transaction moves to a new transaction:false migration "
      "right after it (the down statement that undoes it moves too); a named FOREIGN KEY or "
      "CHECK gets NOT VALID, and VALIDATE CONSTRAINT after it, or in that new migration when "
      "it was added in a transaction. What it cannot do is named, with the way to do it by "
      "hand");
  tool.app()
      .add_option("--format", options.format,
                  "text (the default); sarif: SARIF 2.1.0 on stdout, for code-scanning UIs "
                  "(GitHub's upload-sarif); github: GitHub Actions workflow commands, one "
                  "annotation a finding on its file and line")
      ->check(CLI::IsMember({"text", "sarif", "github"}))
      ->type_name("FORMAT");
  migrate::add_duration(tool.app(), "--migration-lock-timeout",
                        "The lock_timeout the upgrade sets in each migration (its own flag, "
                        "given here too): lock_timeout rules are then satisfied",
                        [&options](auto timeout) { options.migration_lock_timeout = timeout; });
  migrate::add_duration(tool.app(), "--statement-timeout",
                        "The statement_timeout the upgrade sets (its own flag, given here too): "
                        "statement_timeout rules are then satisfied",
                        [&options](auto timeout) { options.statement_timeout = timeout; });
  return tool.run(argc, argv, [&](migrate::Context& context) {
    options.read_server = tool.app().get_option("--database")->count() > 0;
    return migrate::run_lint(context, options);
  });
}
