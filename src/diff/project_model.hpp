#pragma once

#include <filesystem>
#include <optional>

#include "diff/schema_source.hpp"

namespace migrate {

struct Config;

/// The part of a project its model is made from, relative to the project's root (the folder of
/// migrate.conf): `schema =`'s file or folder ("schema/", "db/schema.sql"), or for
/// `schema-command` the whole project (an empty path: the command may read any of its files).
/// nullopt when no model is configured. The gate writes that part of the staged tree into a
/// temporary folder and asks model_source for the model there.
std::optional<std::filesystem::path> model_inputs(const Config& config);

/// The model migrate.conf configures, in the project whose root folder is `root`: `config.root`
/// for the work tree, or a temporary folder that holds the staged files at their paths from the
/// project's root. For `schema =`, the files SchemaSource of its file or folder under `root`,
/// named in messages as migrate.conf names it; for `schema-command`, the command run in `root`.
/// nullopt when no model is configured.
std::optional<SchemaSource> model_source(const Config& config, const std::filesystem::path& root);

}  // namespace migrate
