//===- migrate-check: the pre-commit gate ---------------------------------===//
#include "cli/tool.hpp"
#include "commands/check.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-check",
      "Check a commit before it is made (the pre-commit hook runs `migrate-check "
      "--staged`). Refuses (exit 3, saying what to do) when the model (the schema files "
      "of `schema =` in migrate.conf, or what `schema-command` makes from the "
      "staged tree) describes a schema that the migrations do not build (showing "
      "the migration to write), or, without a model, when files "
      "matching the `models` patterns change without a new migration; when a "
      "migration that the `upstream` ref already has is edited, renamed or "
      "deleted; or when the migrations after the commit would not load, would "
      "have several heads, or migrations/HEAD would not name the head; or when "
      "migrate-lint's rules find an error in a migration the commit adds or changes "
      "that `upstream` does not have (its warnings are printed and pass; `-- "
      "migrate:lint ignore=RULE reason=\"…\"` before the statement accepts a risk; "
      "[lint] in migrate.conf tunes the rules). Without --staged it checks the work "
      "tree (untracked files included).",
      /*json=*/true, migrate::HeapUse::short_reads);
  migrate::CheckOptions options;
  CLI::Option* staged = tool.app().add_flag(
      "--staged", options.staged,
      "Check what is staged (the index against HEAD), as a commit would record");
  tool.app()
      .add_flag("--amend", options.amend,
                "With --staged: check the commit `git commit --amend` would record (the index "
                "against HEAD's parent); the pre-commit hook passes it when git was run with "
                "--amend")
      ->needs(staged);
  tool.app()
      .add_option("--allow-edit", options.allowed_edits,
                  "Let this commit edit, rename or delete the shared migration ID on purpose "
                  "(repeatable)")
      ->type_name("ID");
  return tool.run(argc, argv,
                  [&](migrate::Context& context) { return migrate::run_check(context, options); });
}
