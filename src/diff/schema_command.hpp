#pragma once

#include <string>

#include "util/error.hpp"

namespace migrate {

class DevDatabases;
struct SchemaSource;

/// schema-command made no model: it exited with an error (or was ended by a signal), or ran
/// past schema-command-timeout. The message quotes the end of its stderr.
class SchemaCommandFailed : public Error {
 public:
  explicit SchemaCommandFailed(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// The SQL schema-command printed does not load into an empty database: bad input, as a schema
/// file's, named "the output of schema-command, line N".
class SchemaCommandOutputError : public Error {
 public:
  SchemaCommandOutputError(int line, const std::string& problem);
};

/// Runs a schema-command source (SchemaSource::Kind::command): `/bin/sh -c COMMAND` in its
/// folder, with MIGRATE_DEV_DATABASE_URL=`database_url` added to migrate's environment and
/// stdin on /dev/null, in a process group of its own. When the shell ends, whatever it left
/// running in that group is killed; at the timeout all of it is, and so it is on
/// `dev.abandon()` (Ctrl-C). Returns what it printed on stdout (SQL to load, or nothing when it
/// filled the database itself). Throws SchemaCommandFailed for an exit code other than 0 or the
/// timeout, IoError when it cannot be started.
std::string run_schema_command(const SchemaSource& source, const std::string& database_url,
                               DevDatabases& dev);

}  // namespace migrate
