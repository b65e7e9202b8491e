//===- migrate-renumber: this branch's migrations after upstream's --------===//
#include "cli/tool.hpp"
#include "commands/renumber.hpp"

int main(int argc, char** argv) {
  migrate::Tool tool(
      "migrate-renumber",
      "After a rebase or merge: give this branch's new migrations (those the `upstream` ref of "
      "migrate.conf does not have) ids after every upstream migration, in their order, chain "
      "their `depends:` after upstream's head, rename the files in the work tree and the index, "
      "and rewrite migrations/HEAD (which resolves a git conflict on it). Running it again "
      "changes nothing. Databases that applied the old ids follow the rename on their next "
      "upgrade (same checksum).");
  migrate::RenumberOptions options;
  tool.app().add_flag("-n,--dry-run", options.dry_run, "Show the renames; change nothing");
  tool.app().add_flag("--force", options.force,
                      "Renumber even migrations that another remote-tracking branch has");
  tool.app().add_flag("--hook", options.hook,
                      "As git's post-merge and post-rewrite hooks run it: the merge or rebase "
                      "is over (commit the renames), and a HEAD that does not hold upstream (a "
                      "rebase of the branch's own commits, a merge of another branch) has "
                      "nothing to renumber, silently");
  return tool.run(argc, argv, [&](migrate::Context& context) {
    return migrate::run_renumber(context, options);
  });
}
