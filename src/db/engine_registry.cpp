// The one place that names every engine folder (ARCHITECTURE.md's layering table allows only
// this file to): adding an engine is adding its folder and one line here.
#include "db/engine.hpp"

#include "db/postgres/postgres_engine.hpp"
#include "db/sqlite/sqlite_engine.hpp"
#include "util/error.hpp"

namespace migrate {

const std::vector<Engine>& engines() {
  static const std::vector<Engine> kEngines = {
      sqlite_engine(),
      postgres_engine(),
  };
  return kEngines;
}

const Engine* engine_for_scheme(std::string_view scheme) {
  for (const Engine& engine : engines()) {
    for (std::string_view name : engine.schemes) {
      if (name == scheme) {
        return &engine;
      }
    }
  }
  return nullptr;
}

const Engine& engine_of(const DatabaseUrl& url) {
  if (url.engine == nullptr) {
    throw InternalError("a database URL that was not parsed has no engine");
  }
  return *url.engine;
}

}  // namespace migrate
