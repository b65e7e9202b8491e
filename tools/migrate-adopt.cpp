//===- migrate-adopt: take over a database another tool has been migrating -===//
#include "cli/tool.hpp"
#include "commands/adopt.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-adopt",
      "Record in migrate's state table what another tool applied to this database, so that "
      "migrate carries on where it stopped: its state table is read, never altered, and the "
      "migrations here that it applied are recorded without running, in one transaction. "
      "Refuses a dirty golang-migrate or a failed Flyway state. Tools: dbmate, golang-migrate, "
      "goose, flyway (matched by version), sqitch (by change name), alembic and django (their "
      "migrations are code: name the migration here that matches their state as REVISION).");
  migrate::AdoptOptions options;
  CLI::App& app = tool.app();
  app.add_option("revision", options.revision,
                 "alembic, django: the migration here that brings the schema to where their "
                 "state says (recorded with everything before it)");
  app.add_option("--from", options.from,
                 "The tool whose state table to read (default: the one this database has)");
  app.add_flag("--dry-run", options.dry_run, "Print what would be recorded; touch nothing");
  app.add_flag("--sql", options.sql, "Print the SQL that would record it; touch nothing")
      ->excludes("--dry-run");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_adopt(context, options); });
}
