#include "migration/parse_cache.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "migration/parser_fingerprint.hpp"
#include "util/sealed_file.hpp"

namespace migrate {

// The encoding below lists every field of these structs. A field added to one of them must be
// added there too (or a cached migration would come back without it): these asserts fail to
// compile until someone looks. The round-trip test checks the values. (MigrationId's value is
// derived from its text, which is encoded.)
static_assert(sizeof(Migration) == 376, "a Migration field changed: update ParseCache::encode");
static_assert(sizeof(Section) == 64, "a Section field changed: update ParseCache::encode");
static_assert(sizeof(MigrationRef) == 112, "a MigrationRef field changed: update encode");
static_assert(sizeof(TextClues) == 6, "a TextClues field changed: update ParseCache::encode");

namespace {

/// The file is "<header>\n", then records (key, value), sealed (util/sealed_file). Numbers are
/// in the machine's byte order: the file never leaves the machine.
constexpr std::string_view kMagic = "migrate parse cache 5";  // 5: outlines (unread sections)

/// Appends fields to a byte string.
class Writer {
 public:
  void number(std::uint32_t value) {
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    m_out.append(bytes, sizeof value);
  }
  void flag(bool value) { m_out.push_back(value ? 1 : 0); }
  void text(std::string_view value) {
    number(static_cast<std::uint32_t>(value.size()));
    m_out.append(value);
  }
  void id(const MigrationId& id) {
    text(id.text());
    flag(id.named());
  }
  void ref(const MigrationRef& ref) {
    id(ref.id);
    text(ref.text);
    number(static_cast<std::uint32_t>(ref.line));
  }
  void refs(const std::vector<MigrationRef>& refs) {
    number(static_cast<std::uint32_t>(refs.size()));
    for (const MigrationRef& each : refs) {
      ref(each);
    }
  }
  /// A section's file is most often the migration's own: then it is not written again.
  void section(const Section& section, const std::filesystem::path& migration_file) {
    flag(section.unread);
    if (section.unread) {
      flag(section.unread_blank.has_value());
      flag(section.unread_blank.value_or(false));
    } else {
      text(section.sql);
    }
    flag(section.options.transaction);
    flag(section.options.foreign_keys);
    flag(section.file == migration_file);
    if (section.file != migration_file) {
      text(section.file.native());
    }
    number(static_cast<std::uint32_t>(section.first_line));
  }
  std::string take() { return std::move(m_out); }

 private:
  std::string m_out;
};

struct Truncated {};  // thrown by Reader past the end: the bytes do not decode

/// Reads fields back, never past the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_bytes(bytes) {}
  std::uint32_t number() {
    std::uint32_t value;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  bool flag() { return take(1)[0] != 0; }
  std::string_view text() { return take(number()); }
  MigrationId id() {
    std::string_view written = text();
    if (flag()) {
      return MigrationId::from_name(written);
    }
    std::optional<MigrationId> id = MigrationId::from_text(written);
    if (!id) {
      throw Truncated{};
    }
    return *id;
  }
  MigrationRef ref() {
    MigrationRef ref;
    ref.id = id();
    ref.text = text();
    ref.line = static_cast<int>(number());
    return ref;
  }
  std::vector<MigrationRef> refs() {
    std::vector<MigrationRef> refs(number_within(remaining()));
    for (MigrationRef& each : refs) {
      each = ref();
    }
    return refs;
  }
  Section section(const SharedPath& migration_file) {
    Section section;
    section.unread = flag();
    if (section.unread) {
      bool known = flag();
      bool blank = flag();
      section.unread_blank = known ? std::optional<bool>(blank) : std::nullopt;
    } else {
      section.sql = text();
    }
    section.options.transaction = flag();
    section.options.foreign_keys = flag();
    section.file = flag() ? migration_file : SharedPath(std::string(text()));  // most: shared
    section.first_line = static_cast<int>(number());
    return section;
  }
  /// A count that cannot exceed `limit` (each item takes at least a byte): a damaged count
  /// must not allocate gigabytes before the reads fail.
  std::uint32_t number_within(std::size_t limit) {
    std::uint32_t count = number();
    if (count > limit) {
      throw Truncated{};
    }
    return count;
  }
  std::size_t remaining() const { return m_bytes.size() - m_position; }

 private:
  std::string_view take(std::size_t size) {
    if (size > remaining()) {
      throw Truncated{};
    }
    std::string_view part = m_bytes.substr(m_position, size);
    m_position += size;
    return part;
  }

  std::string_view m_bytes;
  std::size_t m_position = 0;
};

std::string header() {
  return fmt::format("{} {}\n", kMagic, parser_fingerprint());
}

}  // namespace

std::string parse_cache_key(const std::filesystem::path& path, std::string_view content_id) {
  std::string key = path.native();
  key.push_back('\0');
  key.append(content_id);
  return key;
}

std::string ParseCache::encode(const ParsedFile& parsed) {
  const Migration& migration = parsed.migration;
  Writer out;
  out.id(migration.id);
  out.text(migration.slug);
  out.text(migration.file.native());
  out.number(static_cast<std::uint32_t>(migration.doc.size()));
  for (const std::string& line : migration.doc) {
    out.text(line);
  }
  out.flag(migration.depends.has_value());
  if (migration.depends) {
    out.refs(*migration.depends);
  }
  out.refs(migration.replaces);
  out.section(migration.up, migration.file);
  out.flag(migration.down.has_value());
  if (migration.down) {
    out.section(*migration.down, migration.file);
  }
  out.text(migration.checksum);
  out.number(static_cast<std::uint32_t>(migration.format));
  out.flag(migration.repeatable);
  out.flag(migration.baseline);
  out.flag(parsed.clues.depends_or_replaces);
  out.flag(parsed.clues.up_marker);
  out.flag(parsed.clues.down_marker);
  out.flag(parsed.clues.indented_down_marker);
  out.flag(parsed.clues.goose_annotation);
  out.flag(parsed.clues.goose_envsub);
  return out.take();
}

std::optional<ParsedFile> ParseCache::decode(std::string_view bytes) {
  std::optional<ParsedFile> parsed(std::in_place);
  if (!decode_into(bytes, parsed->migration, parsed->clues)) {
    return std::nullopt;
  }
  return parsed;
}

bool ParseCache::decode_into(std::string_view bytes, Migration& migration, TextClues& clues) {
  try {
    Reader in(bytes);
    migration.id = in.id();
    migration.slug = in.text();
    migration.file = std::string(in.text());
    migration.doc.resize(in.number_within(in.remaining()));
    for (std::string& line : migration.doc) {
      line = in.text();
    }
    if (in.flag()) {
      migration.depends = in.refs();
    }
    migration.replaces = in.refs();
    migration.up = in.section(migration.file);
    if (in.flag()) {
      migration.down = in.section(migration.file);
    }
    migration.checksum = in.text();
    std::uint32_t format = in.number();
    if (format > static_cast<std::uint32_t>(MigrationFormat::stem)) {
      return false;
    }
    migration.format = static_cast<MigrationFormat>(format);
    migration.repeatable = in.flag();
    migration.baseline = in.flag();
    clues.depends_or_replaces = in.flag();
    clues.up_marker = in.flag();
    clues.down_marker = in.flag();
    clues.indented_down_marker = in.flag();
    clues.goose_annotation = in.flag();
    clues.goose_envsub = in.flag();
    return in.remaining() == 0;
  } catch (const Truncated&) {
    return false;
  }
}

ParseCache ParseCache::load(const std::filesystem::path& file) {
  ParseCache cache;
  std::optional<SealedContent> content = read_sealed_file(file);
  std::string expected_header = header();
  if (!content || !content->text().starts_with(expected_header)) {
    return cache;  // none, damaged, or another build's
  }
  std::string_view body = content->text();
  cache.m_loaded = std::move(content);
  try {
    Reader in(body.substr(expected_header.size()));
    while (in.remaining() > 0) {
      std::string_view key = in.text();
      cache.m_entries.emplace(key, Entry{in.text()});
    }
  } catch (const Truncated&) {
    return ParseCache();
  }
  return cache;
}

std::optional<ParsedFile> ParseCache::find(std::string_view key) const {
  auto it = m_entries.find(key);
  if (it == m_entries.end()) {
    return std::nullopt;
  }
  return decode(it->second.bytes);
}

void ParseCache::keep(std::string_view key) {
  auto it = m_entries.find(key);
  if (it != m_entries.end() && !it->second.used) {
    it->second.used = true;
    ++m_used_count;
  }
}

void ParseCache::store(const std::string& key, const ParsedFile& parsed) {
  std::string_view stored_key = m_stored.emplace_back(key);
  std::string_view bytes = m_stored.emplace_back(encode(parsed));
  auto [it, added] = m_entries.insert_or_assign(stored_key, Entry{bytes, false});
  keep(it->first);
  ++m_stored_count;
}

bool ParseCache::worth_saving() const {
  // Parsing a migration costs about what writing 1/64 of the file does.
  constexpr std::size_t kShare = 64;
  std::size_t unused = m_entries.size() - m_used_count;
  std::size_t stale = m_stored_count + unused;
  return stale > 0 && stale * kShare >= m_used_count;
}

std::string ParseCache::content() const {
  Writer out;
  for (const auto& [key, entry] : m_entries) {
    if (entry.used) {
      out.text(key);
      out.text(entry.bytes);
    }
  }
  return header() + out.take();
}

void ParseCache::save(const std::filesystem::path& file) const {
  write_sealed_file(file, content());
}

void ParseCache::save_if_worth(const std::filesystem::path& file) const noexcept {
  if (worth_saving()) {
    try {
      write_sealed_file_quietly(file, content());
    } catch (const std::bad_alloc&) {
    }
  }
}

}  // namespace migrate
