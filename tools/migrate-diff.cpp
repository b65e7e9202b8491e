//===- migrate-diff: the migration between two schemas --------------------===//
#include "cli/tool.hpp"
#include "commands/diff.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-diff",
      "Print the migration (migrate's format, up and down) that takes the schema of FROM to the "
      "schema of TO. Each is a database URL (sqlite:app.db, postgres://…), a migrations folder at "
      "a revision (migrations@head, migrations@<id>), schema files (schema.sql, or a folder of "
      ".sql files loaded in name order, after the files their `-- depends:` lines name), or "
      "schema-command (the model migrate.conf's "
      "schema-command makes); all but URLs are loaded into a development database of the "
      "configured engine. Schemas are read from the databases' catalogs, so "
      "spelling never counts. The migration is tried first: its up section must turn FROM into "
      "TO and its down section TO back into FROM, or nothing is printed (exit 1). A migration "
      "that drops tables or columns needs --allow-destructive (else exit 3, naming them). "
      "Without FROM and TO: the configured database (--database) against the replay of the "
      "migrations it has applied, exit 3 on drift (what was changed by hand).",
      /*json=*/true);
  migrate::DiffOptions options;
  tool.app().add_option("FROM", options.from, "The schema to start from");
  tool.app().add_option("TO", options.to, "The schema to arrive at");
  tool.app().add_flag("--check", options.check,
                      "Print nothing: exit 0 when the schemas are equal, 3 when they differ");
  tool.app().add_flag("--allow-destructive", options.allow_destructive,
                      "Let the migration drop tables and columns (and the data in them)");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_diff(context, options); });
}
