# The migrate-* Make targets, for any project: copy or `include` this file.
#
#   make migrate-create MESSAGE="add phone to users"
#   make migrate-upgrade [REVISION=head]
#   make migrate-downgrade [REVISION=-1]
#   make migrate-redo [REVISION=…]   (revert with the stored down SQL, apply again: what was edited, else the last)
#   make migrate-current
#   make migrate-history
#   make migrate-merge [MESSAGE="…"]
#   make migrate-squash FROM=<id> TO=<id>
#   make migrate-graph [GRAPH=migrations.svg]      (.svg, .png, .dot: the name picks the format)
#   make migrate-check [CHECK_FLAGS=--staged]   (the pre-commit gate, on the work tree by default)
#   make migrate-renumber                        (after a rebase or merge)
#   make migrate-web [WEB_FLAGS="--port 8080"]   (the history page; prints its URL; Ctrl-C stops)
#   make migrate-dump [DUMP=schema.sql]          (the database's schema; on stdout without DUMP)
#   make migrate-diff FROM=migrations@head TO=schema/ [DIFF_FLAGS=--check]
#                                                (the migration between two schemas, tried first)
#   make migrate-verify [VERIFY_FLAGS="--changed-since origin/main --junit verify.xml"]
#                                                (for CI: each migration's down and up again, on
#                                                development databases; exit 3 when one fails)
#   make migrate-lint [LINT_FLAGS="migrations/0042_x.sql"]
#                                                (zero-downtime rules on this branch's migrations;
#                                                exit 3 on an error)
#   make install-hooks    (migrate's git hooks, into the hooks folder git uses here)
#
# MIGRATE         the migrate executable (default: migrate on PATH)
# MIGRATE_FLAGS   flags for every command, e.g. --env staging or --database sqlite:test.db
# MIGRATE_PREREQ  targets to make first (this repository builds the tools)
#
# MESSAGE, REVISION, FROM, TO, GRAPH and DUMP reach the commands through the environment, so any
# characters in them are passed on as they are: quotes, backticks, and `$` too (make would
# otherwise expand `$HOME` in MESSAGE='… $HOME' as its own variable `$H`).

# Safe to include anywhere in a Makefile: the includer's default goal (what a plain `make`
# runs) is kept. It is saved here and given back at the end of this file; when the includer
# had none yet, the empty value makes make pick the includer's next target again.
MIGRATE_MK_DEFAULT_GOAL := $(.DEFAULT_GOAL)

MIGRATE ?= migrate
MIGRATE_FLAGS ?=
MIGRATE_PREREQ ?=
override MESSAGE := $(value MESSAGE)
override REVISION := $(value REVISION)
override FROM := $(value FROM)
override TO := $(value TO)
override GRAPH := $(value GRAPH)
override DUMP := $(value DUMP)
export MESSAGE REVISION FROM TO GRAPH DUMP

.PHONY: migrate-create migrate-upgrade migrate-downgrade migrate-redo migrate-current migrate-history \
        migrate-merge migrate-squash migrate-graph migrate-check migrate-renumber migrate-web \
        migrate-dump migrate-diff migrate-verify migrate-lint install-hooks

migrate-create: $(MIGRATE_PREREQ)
	@if [ -z "$$MESSAGE" ]; then \
	  echo 'usage: make migrate-create MESSAGE="add phone to users"' >&2; exit 2; fi
	@$(MIGRATE) create $(MIGRATE_FLAGS) --message "$$MESSAGE"

migrate-upgrade: $(MIGRATE_PREREQ)
	@$(MIGRATE) upgrade $(MIGRATE_FLAGS) -- "$${REVISION:-head}"

migrate-downgrade: $(MIGRATE_PREREQ)
	@$(MIGRATE) downgrade $(MIGRATE_FLAGS) -- "$${REVISION:--1}"

migrate-redo: $(MIGRATE_PREREQ)
	@$(MIGRATE) redo $(MIGRATE_FLAGS) $${REVISION:+-- "$$REVISION"}

migrate-current: $(MIGRATE_PREREQ)
	@$(MIGRATE) current $(MIGRATE_FLAGS)

migrate-history: $(MIGRATE_PREREQ)
	@$(MIGRATE) history $(MIGRATE_FLAGS)

migrate-merge: $(MIGRATE_PREREQ)
	@$(MIGRATE) merge $(MIGRATE_FLAGS) $${MESSAGE:+--message "$$MESSAGE"}

migrate-squash: $(MIGRATE_PREREQ)
	@if [ -z "$$FROM" ] || [ -z "$$TO" ]; then \
	  echo 'usage: make migrate-squash FROM=<first id> TO=<last id>' >&2; exit 2; fi
	@$(MIGRATE) squash $(MIGRATE_FLAGS) -- "$$FROM" "$$TO"

migrate-graph: $(MIGRATE_PREREQ)
	@$(MIGRATE) graph $(MIGRATE_FLAGS) -o "$${GRAPH:-migrations.svg}"

migrate-check: $(MIGRATE_PREREQ)
	@$(MIGRATE) check $(MIGRATE_FLAGS) $(CHECK_FLAGS)

migrate-renumber: $(MIGRATE_PREREQ)
	@$(MIGRATE) renumber $(MIGRATE_FLAGS)

migrate-web: $(MIGRATE_PREREQ)
	@$(MIGRATE) web $(MIGRATE_FLAGS) $(WEB_FLAGS)

migrate-dump: $(MIGRATE_PREREQ)
	@$(MIGRATE) dump $(MIGRATE_FLAGS) $${DUMP:+-o "$$DUMP"}

migrate-diff: $(MIGRATE_PREREQ)
	@if [ -z "$$FROM" ] || [ -z "$$TO" ]; then \
	  echo 'usage: make migrate-diff FROM=migrations@head TO=schema/' >&2; exit 2; fi
	@$(MIGRATE) diff $(MIGRATE_FLAGS) $(DIFF_FLAGS) -- "$$FROM" "$$TO"

migrate-verify: $(MIGRATE_PREREQ)
	@$(MIGRATE) verify $(MIGRATE_FLAGS) $(VERIFY_FLAGS)

migrate-lint: $(MIGRATE_PREREQ)
	@$(MIGRATE) lint $(MIGRATE_FLAGS) $(LINT_FLAGS)

# The hooks run migrate from the folder of $(MIGRATE) (recorded when installed), so they work
# without migrate on PATH.
install-hooks: $(MIGRATE_PREREQ)
	@$(MIGRATE) hooks $(MIGRATE_FLAGS) install

.DEFAULT_GOAL := $(MIGRATE_MK_DEFAULT_GOAL)
