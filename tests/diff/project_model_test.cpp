// model_source: the model migrate.conf configures, found under whichever root the caller has
// (the work tree's, or a temporary folder holding the staged files).
#include "diff/project_model.hpp"

#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "config/environment.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

Config config_with(const TempDir& dir, const std::string& settings) {
  write_text(dir / "migrate.conf", "[migrate]\n" + settings);
  return load_config({}, MapEnvironment({}), dir.path());
}

}  // namespace

TEST_CASE("project_model: schema = is found under the root given", "[diff]") {
  TempDir dir;
  Config config = config_with(dir, "\tschema = schema/\n");
  CHECK(model_inputs(config) == std::filesystem::path("schema/"));
  std::optional<SchemaSource> here = model_source(config, config.root);
  REQUIRE(here);
  CHECK(here->kind == SchemaSource::Kind::files);
  CHECK(here->path == config.schema_path);
  CHECK(here->text == "schema/");
  std::optional<SchemaSource> staged = model_source(config, "/tmp/staged/app");
  REQUIRE(staged);
  CHECK(staged->path == "/tmp/staged/app/schema/");
  CHECK(staged->text == "schema/");  // messages name it as migrate.conf does

  SECTION("a file, in a subfolder or above the root") {
    config = config_with(dir, "\tschema = db/./app.sql\n");
    CHECK(model_source(config, "/x")->path == "/x/db/app.sql");
    CHECK(model_source(config, "/x")->text == "db/app.sql");
    config = config_with(dir, "\tschema = ../shared/app.sql\n");
    CHECK(model_inputs(config) == std::filesystem::path("../shared/app.sql"));
    CHECK(model_source(config, "/x/y")->path == "/x/shared/app.sql");
  }
}

TEST_CASE("project_model: no model configured", "[diff]") {
  TempDir dir;
  Config config = config_with(dir, "\tmodels = app/models/**\n");
  CHECK_FALSE(model_inputs(config));
  CHECK_FALSE(model_source(config, config.root));
}
