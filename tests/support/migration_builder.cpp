#include "support/migration_builder.hpp"

#include "migration/checksum.hpp"

namespace migrate::test {

Migration make_migration(std::string_view id, std::optional<std::vector<std::string>> depends,
                         std::string up, std::optional<std::string> down) {
  Migration m;
  m.id = *MigrationId::from_digits(id);
  m.slug = "m" + std::string(id);
  m.file = "migrations/" + std::string(id) + "_" + m.slug + ".sql";
  m.doc = {"Migration " + std::string(id)};
  if (depends) {
    m.depends.emplace();
    for (const std::string& parent : *depends) {
      // "105" or a stem, "105_posts": the id is the leading digits.
      std::string digits = parent.substr(0, parent.find('_'));
      m.depends->push_back({*MigrationId::from_digits(digits), parent, 1});
    }
  }
  m.up.sql = std::move(up);
  m.up.file = m.file;
  if (down) {
    Section section;
    section.sql = *down;
    section.file = m.file;
    m.down = section;
  }
  m.checksum = section_checksum(m.up.sql);
  return m;
}

Migration make_repeatable(std::string_view description, std::string up) {
  Migration m;
  m.id = MigrationId::from_name("R__" + std::string(description));
  m.slug = std::string(description);
  m.file = "migrations/R__" + std::string(description) + ".sql";
  m.format = MigrationFormat::flyway;
  m.repeatable = true;
  m.up.sql = std::move(up);
  m.up.file = m.file;
  m.checksum = section_checksum(m.up.sql);
  return m;
}

}  // namespace migrate::test
