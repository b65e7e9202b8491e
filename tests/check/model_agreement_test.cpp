// ModelAgreements: keys that name everything an agreement depends on, remembered in a file that
// can only ever be a shortcut.
#include "check/model_agreement.hpp"

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

GitObjectId blob(char digit) {
  return *GitObjectId::from_hex(std::string(40, digit));
}

const std::vector<std::string> kSettings{"build 1", "sqlite", "", "schema_migrations"};
const std::vector<GitFolderEntry> kModel{{"schema/app.sql", blob('1')}};
const std::vector<GitFolderEntry> kMigrations{{"migrations/1_a.sql", blob('2')},
                                              {"migrations/HEAD", blob('3')}};

}  // namespace

TEST_CASE("model_agreement: a key changes with every file and setting", "[check]") {
  std::string key = agreement_key(kSettings, kModel, kMigrations);
  CHECK(key.size() == 64);
  CHECK(agreement_key(kSettings, kModel, kMigrations) == key);
  std::vector<std::string> build = kSettings;
  build[0] = "build 2";
  CHECK(agreement_key(build, kModel, kMigrations) != key);
  CHECK(agreement_key(kSettings, {{"schema/app.sql", blob('4')}}, kMigrations) != key);
  CHECK(agreement_key(kSettings, {{"schema/other.sql", blob('1')}}, kMigrations) != key);
  CHECK(agreement_key(kSettings, kModel, {kMigrations[0]}) != key);
  // The same names in the other list: another commit.
  CHECK(agreement_key(kSettings, kMigrations, kModel) !=
        agreement_key(kSettings, kModel, kMigrations));
  // No part can run into the next.
  CHECK(agreement_key({"ab", "c"}, {}, {}) != agreement_key({"a", "bc"}, {}, {}));
}

TEST_CASE("model_agreement: remembered in a file, the newest kept", "[check]") {
  TempDir dir;
  std::filesystem::path file = dir / "git" / "migrate" / "model-agreements";
  CHECK_FALSE(ModelAgreements::load(file).contains("x"));  // no file yet
  ModelAgreements agreements;
  std::string first = agreement_key(kSettings, kModel, kMigrations);
  agreements.add(first);
  agreements.save(file);  // its folder made
  CHECK(ModelAgreements::load(file).contains(first));

  for (std::size_t i = 0; i < ModelAgreements::kKept; ++i) {
    agreements.add(agreement_key({std::to_string(i)}, {}, {}));
  }
  CHECK_FALSE(agreements.contains(first));       // the oldest went
  agreements.add(agreement_key({"0"}, {}, {}));  // again: the newest now, not twice
  agreements.add(first);
  CHECK(agreements.contains(agreement_key({"0"}, {}, {})));
  CHECK_FALSE(agreements.contains(agreement_key({"1"}, {}, {})));
}

TEST_CASE("model_agreement: a damaged file is never trusted", "[check]") {
  TempDir dir;
  std::filesystem::path file = dir / "model-agreements";
  std::string key = agreement_key(kSettings, kModel, kMigrations);
  write_text(file, "migrate model agreements 1\n" + key + "\nnot a key\n");
  CHECK_FALSE(ModelAgreements::load(file).contains(key));
  write_text(file, "another format\n" + key + "\n");
  CHECK_FALSE(ModelAgreements::load(file).contains(key));
  write_text(file, "migrate model agreements 1\n" + key + "\n");
  CHECK(ModelAgreements::load(file).contains(key));
}
