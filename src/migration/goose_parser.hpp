#pragma once

#include <filesystem>
#include <string_view>

#include "migration/goose_envsub.hpp"
#include "migration/migration.hpp"
#include "migration/migration_parser.hpp"

namespace migrate {

/// Parses a goose `.sql` migration with goose's own rules (pressly/goose's
/// internal/sqlparser): `-- +goose Up` first (comments and blank lines before it are the
/// documentation; SQL there is an error), `-- +goose Down` optional (without it the down
/// section is empty, and reverting runs nothing: empty_down_reverts_nothing), annotations in
/// any case at the very start of their line, nothing after them. `StatementBegin` /
/// `StatementEnd` lines are dropped, since the database's own splitter keeps a function body
/// or a trigger whole (a block that does not end in ';' is ended with one); `NO TRANSACTION`,
/// anywhere, makes both sections run as `transaction:false`; lines written under
/// `ENVSUB ON` are expanded with `environment` (expand_goose_line), unless it is empty (a
/// reader that runs no SQL): the checksum is of the text as written, so it does not change
/// with the environment. Refuses, as goose does, a statement that does not end in ';' before
/// Down or the end, an unclosed StatementBegin, a second Up; and, where goose would silently
/// drop the next SQL line, an empty StatementBegin/StatementEnd block. Throws ParseError
/// naming the file and line.
Migration parse_goose_migration(const MigrationFileName& name, const std::filesystem::path& file,
                                std::string_view text, const VariableLookup& environment);

/// Whether a line is one goose reads as an annotation: it starts with `--` (after white
/// space) and holds `+goose`, in that case.
bool goose_annotation_line(std::string_view line);

/// Whether a file name is a goose Go migration: `<version>_<name>.go`, not a `_test.go`.
bool goose_go_migration(std::string_view name);

}  // namespace migrate
