#pragma once

#include <string>

#include "schema/schema_model.hpp"
#include "schema/schema_read_options.hpp"
#include "util/error.hpp"

namespace migrate {

class DevDatabases;

/// A generated migration did not do what it must (SelfCheck): nothing was written; a bug in
/// migrate's generator, or a schema it cannot express yet.
class SelfCheckFailed : public Error {
 public:
  explicit SelfCheckFailed(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// What a generated migration did when tried: empty strings when it holds.
struct SelfCheck {
  std::string up;    ///< what the up section left different from TO, or why it failed
  std::string down;  ///< what the down section left different from FROM, or why it failed

  bool ok() const { return up.empty() && down.empty(); }
};

/// Tries `migration_text` (a migration in migrate's format) as migrate would run it, in a
/// development database of `from`'s engine built from `from`'s dump: its up section must give
/// a schema equal to `to`, and then its down section `from` again. `options`: what the schema
/// reads there leave out, besides the development database's own state table.
SelfCheck self_check(DevDatabases& dev, const SchemaModel& from, const SchemaModel& to,
                     const std::string& migration_text, SchemaReadOptions options);

}  // namespace migrate
