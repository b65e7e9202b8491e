#include "migration/migration_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <compare>
#include <cstring>
#include <map>
#include <span>
#include <system_error>

#include <fmt/format.h>

#include "migration/flyway_name.hpp"
#include "migration/goose_parser.hpp"
#include "migration/migration_parser.hpp"
#include "migration/parse_cache.hpp"
#include "migration/stem_name.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/file_descriptor.hpp"
#include "util/file_stamp.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"
#include "util/transaction_journal.hpp"

namespace migrate {

namespace {

/// One file of a golang-migrate pair, by its name.
struct Half {
  MigrationFileName name;
  const FolderFile* file = nullptr;
};

/// A golang-migrate migration: its up file (which names it) and its down file, if any.
struct Pair {
  Half up;
  std::optional<Half> down;
};

/// Sorts jobs by id, then file, moving each once: a job is hundreds of bytes, which the swaps
/// of a sort would move again and again.
template <typename Job>
void sort_jobs(std::vector<Job>& jobs) {
  auto before = [](const Job& a, const Job& b) {
    std::strong_ordering ids = a.id <=> b.id;
    return ids != 0 ? ids < 0 : a.file < b.file;
  };
  // Most often in order already: a folder listed by name is in id order when its ids have one
  // width (the pre-commit gate's 5,000 were sorted again, 3% of its work).
  if (std::is_sorted(jobs.begin(), jobs.end(), before)) {
    return;
  }
  std::vector<std::size_t> order(jobs.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return before(jobs[a], jobs[b]); });
  std::vector<Job> sorted;
  sorted.reserve(jobs.size());
  for (std::size_t i : order) {
    sorted.push_back(std::move(jobs[i]));
  }
  jobs = std::move(sorted);
}

/// The up and down files of one version, paired as golang-migrate pairs them: by version, not
/// by name (30_add_x.up.sql goes with 30_drop_x.down.sql; its source/migration.go). Files of
/// one version that pair by name pair first, so two branches that both added version 2
/// (2_mine.up/down.sql and 2_theirs.up/down.sql) read as two migrations, a duplicate id that
/// migrate-renumber fixes, rather than a folder that does not load. Throws ParseError for a
/// down file with no up file to go with.
std::vector<Pair> pair_version(std::vector<Half> ups, std::vector<Half> downs) {
  auto by_path = [](const Half& a, const Half& b) { return a.file->path < b.file->path; };
  std::sort(ups.begin(), ups.end(), by_path);
  std::sort(downs.begin(), downs.end(), by_path);
  std::vector<Pair> pairs;
  std::vector<Half> single_ups;
  for (Half& up : ups) {
    auto same_name = std::find_if(downs.begin(), downs.end(), [&](const Half& down) {
      return down.name.stem() == up.name.stem();
    });
    if (same_name == downs.end()) {
      single_ups.push_back(std::move(up));
      continue;
    }
    pairs.push_back({std::move(up), std::move(*same_name)});
    downs.erase(same_name);
  }
  if (single_ups.size() == 1 && downs.size() == 1) {
    pairs.push_back({std::move(single_ups.front()), std::move(downs.front())});
    return pairs;
  }
  if (!downs.empty()) {
    const Half& down = downs.front();
    if (single_ups.empty()) {
      throw ParseError(down.file->path, 0,
                       fmt::format("a down file without its up file: create {}.up.sql beside "
                                   "it, or remove it",
                                   down.name.stem()));
    }
    auto names = [](const std::vector<Half>& files) {
      std::vector<std::string> out;
      for (const Half& half : files) {
        out.push_back(half.file->path.filename().string());
      }
      return fmt::format("{}", fmt::join(out, ", "));
    };
    if (downs.size() > 1) {
      throw ParseError(down.file->path, 0,
                       fmt::format("{} down files of version {} ({}) for {} up file{} ({}): "
                                   "keep one down file per up file, named after it "
                                   "(<its name>.down.sql)",
                                   downs.size(), down.name.id, names(downs), single_ups.size(),
                                   single_ups.size() == 1 ? "" : "s", names(single_ups)));
    }
    throw ParseError(down.file->path, 0,
                     fmt::format("a down file of version {} that could go with more than one "
                                 "up file ({}): name it after its up file "
                                 "(<its name>.down.sql)",
                                 down.name.id, names(single_ups)));
  }
  for (Half& up : single_ups) {
    pairs.push_back({std::move(up), std::nullopt});
  }
  return pairs;
}

/// The folder's problems, reported together so one run shows all of them: each file's, and
/// when there are some, the ids two migrations share (the graph would name those only once
/// the files are fixed).
class ErrorList {
 public:
  void add(const ParseError& error) { m_files.push_back(error); }
  void add_duplicate(std::string message) { m_duplicates.push_back(std::move(message)); }
  bool empty() const { return m_files.empty(); }

  /// Throws when a file has a problem: one alone as its ParseError, several (or with
  /// duplicate ids) as InvalidFiles; `note`, unless empty, ends the message. Duplicate ids
  /// alone are the graph's to report (migrate-renumber reads such a folder to fix it).
  void throw_if_any(const std::string& note) const {
    if (m_files.empty()) {
      return;
    }
    std::string ending = note.empty() ? std::string() : "\n" + note;
    if (m_files.size() == 1 && m_duplicates.empty()) {
      const ParseError& error = m_files.front();
      if (note.empty()) {
        throw error;  // a ParseError still, as the header promises
      }
      throw ParseError(error.file(), error.line(), error.problem() + ending);
    }
    std::vector<std::string> sorted;  // by file: the same on every machine
    for (const ParseError& error : m_files) {
      sorted.push_back(error.what());
    }
    std::sort(sorted.begin(), sorted.end());
    sorted.insert(sorted.end(), m_duplicates.begin(), m_duplicates.end());
    std::size_t files = m_files.size(), ids = m_duplicates.size();
    std::string header =
        ids == 0 ? fmt::format("{} migration files are invalid:", files)
                 : fmt::format("{} migration file{} invalid, and {} id{} used twice:", files,
                               files == 1 ? " is" : "s are", ids, ids == 1 ? " is" : "s are");
    throw InvalidFiles(fmt::format("{}\n  {}{}", header, fmt::join(sorted, "\n  "), ending));
  }

 private:
  std::vector<ParseError> m_files;
  std::vector<std::string> m_duplicates;
};

/// A migration whose up and down sections are files of their own (`down` null: none), the
/// down file left unread unless `down_files` (FolderFormat::down_files).
Migration read_pair_files(const MigrationFileName& name, const FolderFile& up,
                          const FolderFile* down, bool down_files) {
  std::string up_text = up.read();
  if (down != nullptr && !down_files) {
    Migration migration = parse_migration_pair(name, up.path, up_text, std::nullopt, {});
    migration.down.emplace();
    migration.down->file = down->path;
    migration.down->unread = true;
    return migration;
  }
  std::optional<std::filesystem::path> down_path;
  std::string down_text;
  if (down != nullptr) {
    down_path = down->path;
    down_text = down->read();
  }
  return parse_migration_pair(name, up.path, up_text, down_path, down_text);
}

Migration read_pair(const Pair& pair, bool down_files) {
  return read_pair_files(pair.up.name, *pair.up.file, pair.down ? pair.down->file : nullptr,
                         down_files);
}

/// The ParseCache key of a single file or a pair, "" when a file's content has no id.
std::string cache_key(const FolderFile* file, const FolderFile* second = nullptr) {
  if (file == nullptr || file->content_id.empty() ||
      (second != nullptr && second->content_id.empty())) {
    return {};
  }
  std::string key = parse_cache_key(file->path, file->content_id);
  if (second != nullptr) {
    key.push_back('\0');
    key += parse_cache_key(second->path, second->content_id);
  }
  return key;
}

/// Gives each file of the folder itself its stamp as its content id, unless the stamp is too
/// young to trust (`start`): in parallel, through the folder's descriptor (one lookup each).
void stamp_files(const std::filesystem::path& dir, const ReadStart& start,
                 std::vector<FolderFile>& files) {
  FileDescriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() < 0) {
    return;  // read as without a cache
  }
  parallel_for(files.size(), [&](std::size_t i) {
    FolderFile& file = files[i];
    if (file.nested || !file.read) {
      return;
    }
    std::optional<FileStamp> stamp = stamp_at(folder.get(), file.path.filename().c_str());
    if (stamp && !start.racy(*stamp)) {
      file.content_id = stamp->text();
    }
  });
}

/// Why an entry named like a migration is not a file migrate can read, or "".
std::string entry_problem(const std::filesystem::directory_entry& entry) {
  std::error_code error;
  if (entry.is_regular_file(error)) {  // from the folder listing's type: no stat per file
    return {};
  }
  std::filesystem::file_status status = entry.status(error);  // follows a symbolic link
  if (status.type() == std::filesystem::file_type::regular) {
    return {};
  }
  if (entry.is_symlink(error)) {
    std::filesystem::path target = std::filesystem::read_symlink(entry.path(), error);
    return fmt::format(
        "a symbolic link to {}, which {}: restore what it points to, or remove the link",
        target.string(),
        status.type() == std::filesystem::file_type::not_found ? "does not exist"
                                                               : "is not a regular file");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    return "a folder named like a migration file: migrations are files. Rename the folder, or "
           "move it out of the migrations folder";
  }
  return "not a regular file: a migration must be a file. Remove it from the migrations folder";
}

/// How the folder was read, to end its error message: the format chosen, or the one detected
/// when it is another tool's (whose rules may be why a file fails); "" for ours, detected.
std::string folder_note(const FolderFormat& folder, const FormatDetection& detected,
                        const std::filesystem::path& dir) {
  if (folder.choice) {
    return fmt::format("{}/ is read in {}, as {} says.", dir.string(),
                       format_description(folder.choice->format), folder.choice->source);
  }
  if (detected.reason.empty()) {
    return {};
  }
  return fmt::format(
      "{}/ is read in {}: {}. If it is written for another tool, say which with `format =` "
      "({}) in migrate.conf's [migrate] section, or --format.",
      dir.string(), format_description(detected.format), detected.reason, readable_format_names());
}

/// The files of one Flyway migration: a version's V file and its U file; a baseline's or a
/// repeatable's file.
struct Version {
  const FolderFile* up = nullptr;
  const FolderFile* down = nullptr;
  std::string description;
};

/// Adds a Flyway repeatable to `repeatables`, keyed by its description as Flyway reads it
/// (`_` as a space), which is what identifies it there: two of one description are refused, as
/// Flyway refuses them.
void add_repeatable(std::map<std::string, Version>& repeatables, const FolderFile& file,
                    const std::string& description) {
  std::string key = description;
  std::replace(key.begin(), key.end(), '_', ' ');
  auto [it, added] = repeatables.emplace(key, Version{&file, nullptr, description});
  if (!added) {
    throw ParseError(file.path, 0,
                     fmt::format("Found more than one repeatable migration with description "
                                 "'{}': {} and {}. Flyway refuses them too: rename one of them",
                                 key, it->second.up->path.string(), file.path.string()));
  }
}

/// Adds a Flyway baseline migration (`B<version>__…`) to `baselines`, by version: two of one
/// version are refused, as Flyway refuses them.
void add_baseline(std::map<MigrationId, Version>& baselines, const FolderFile& file,
                  const FlywayName& name) {
  auto [it, added] = baselines.emplace(name.version, Version{&file, nullptr, name.description});
  if (!added) {
    throw ParseError(file.path, 0,
                     fmt::format("Found more than one baseline migration with version {}: {} "
                                 "and {}. Flyway refuses them too: give one of them another "
                                 "version",
                                 name.version, it->second.up->path.string(), file.path.string()));
  }
}

/// A baseline migration's id: `B` and its version (B5), a name, since a versioned migration
/// may have the same version (Migration::version reads it back).
MigrationId baseline_id(const MigrationId& version) {
  return MigrationId::from_name("B" + version.text());
}

/// Places the baselines, `migrations[versioned, end)` in version order, in the graph as Flyway
/// runs them. A baseline builds from nothing what the versioned migrations up to its version
/// build, so it has no parent and replaces them (and the baseline before it), as a squash does:
/// a new database runs the newest alone, one where some of what it replaces ran runs the rest
/// (a baseline is never recorded there: Flyway ignores it). The first versioned migration after
/// a baseline is its child.
void link_baselines(std::vector<Migration>& migrations, std::size_t versioned, std::size_t end) {
  std::size_t first = 0;  // the first versioned migration after the previous baseline
  for (std::size_t b = versioned; b < end; ++b) {
    Migration& baseline = migrations[b];
    MigrationId version = baseline.version();
    baseline.depends.emplace();  // from nothing
    if (b > versioned) {
      const Migration& before = migrations[b - 1];
      baseline.replaces.push_back({before.id, before.stem(), 0});
    }
    while (first < versioned && !(version < migrations[first].id)) {
      baseline.replaces.push_back({migrations[first].id, migrations[first].stem(), 0});
      ++first;
    }
    if (first < versioned) {
      migrations[first].depends = std::vector<MigrationRef>{{baseline.id, baseline.stem(), 0}};
    }
  }
}

/// A Flyway folder's migrations, read as Flyway reads them (flyway_name.hpp): each
/// `V<version>__…` file whole is the up section, its `U<version>__…` file the down section.
/// Callbacks are no migrations; a name Flyway does not run, a repeatable or baseline migration
/// (not run yet), and two files of one version are the folder's errors.
std::vector<Migration> read_flyway_files(const std::vector<FolderFile>& files,
                                         const FolderFormat& folder,
                                         const FormatDetection& detected,
                                         const std::filesystem::path& dir) {
  std::vector<const FolderFile*> sorted;  // by path: the same messages on every machine
  for (const FolderFile& file : files) {
    sorted.push_back(&file);
  }
  std::sort(sorted.begin(), sorted.end(), [](const FolderFile* a, const FolderFile* b) {
    return a->path.native() < b->path.native();
  });
  ErrorList errors;
  std::map<MigrationId, Version> versions;
  std::map<std::string, Version> repeatables;  // by description, as Flyway orders them
  std::map<MigrationId, Version> baselines;
  for (const FolderFile* file : sorted) {
    std::optional<FlywayName> name = parse_flyway_name(file->path.filename().string());
    if (!name || name->kind == FlywayName::Kind::callback) {
      continue;
    }
    try {
      if (!file->problem.empty()) {
        throw ParseError(file->path, 0, file->problem);
      }
      switch (name->kind) {
        case FlywayName::Kind::invalid:
          throw ParseError(file->path, 0,
                           fmt::format("not a Flyway migration name: {}. Flyway names them "
                                       "V<version>__<description>.sql (U<version>__… for the "
                                       "down section) and does not run this file either: rename "
                                       "it, or move it out of the migrations folder",
                                       name->why));
        case FlywayName::Kind::baseline:
          add_baseline(baselines, *file, *name);
          continue;
        case FlywayName::Kind::repeatable:
          add_repeatable(repeatables, *file, name->description);
          continue;
        default:
          break;
      }
      Version& version = versions[name->version];
      bool up = name->kind == FlywayName::Kind::versioned;
      const FolderFile*& slot = up ? version.up : version.down;
      if (slot != nullptr) {
        throw ParseError(file->path, 0,
                         fmt::format("Found more than one {}migration with version {}: {} and "
                                     "{}. Flyway refuses them too: give one of them another "
                                     "version",
                                     up ? "" : "undo ", name->version, slot->path.string(),
                                     file->path.string()));
      }
      slot = file;
      if (up) {
        version.description = name->description;
      }
    } catch (const ParseError& e) {
      errors.add(e);
    }
  }
  std::vector<std::pair<MigrationId, const Version*>> jobs;
  for (const auto& [id, version] : versions) {
    if (version.up == nullptr) {
      errors.add(ParseError(version.down->path, 0,
                            fmt::format("an undo file without its migration: no V{}__….sql in "
                                        "the folder. Add it, or remove this file",
                                        id)));
      continue;
    }
    jobs.emplace_back(id, &version);
  }
  const std::size_t versioned = jobs.size();
  for (const auto& [version, files] : baselines) {
    jobs.emplace_back(baseline_id(version), &files);
  }
  const std::size_t before_repeatables = jobs.size();
  for (const auto& [description, files] : repeatables) {
    jobs.emplace_back(MigrationId::from_name(files.up->path.stem().string()), &files);
  }
  std::vector<Migration> migrations(jobs.size());
  std::vector<std::optional<ParseError>> failures(jobs.size());
  parallel_for(jobs.size(), [&](std::size_t i) {
    const auto& [id, version] = jobs[i];
    try {
      MigrationFileName name{id, version->description, MigrationFileName::Kind::up};
      migrations[i] = read_pair_files(name, *version->up, version->down, folder.down_files);
      migrations[i].format = MigrationFormat::flyway;
      migrations[i].doc.clear();  // its title is its description, as Flyway shows it
      migrations[i].repeatable = i >= before_repeatables;
      migrations[i].baseline = i >= versioned && i < before_repeatables;
    } catch (const ParseError& e) {
      failures[i] = e;
    }
  });
  for (const std::optional<ParseError>& failure : failures) {
    if (failure) {
      errors.add(*failure);
    }
  }
  errors.throw_if_any(folder_note(folder, detected, dir));
  link_baselines(migrations, versioned, before_repeatables);
  return migrations;
}

/// A name-ordered folder's migrations, read as maragudk/migrate reads them (stem_name.hpp):
/// `<stem>.up.sql` whole is the up section of the migration whose id is `<stem>` (a name; a
/// number for a stem of digits alone, as the state table reads it back), its `<stem>.down.sql`
/// the down section (none: irreversible); ordered by stem, byte by byte. Subfolders are not
/// read, as maragudk reads one folder. Another `.sql` name, a down file without its up file,
/// the two suffix styles in one folder, and stems whose ids would not keep that order (`10`
/// and `9`, `01` and `1`) are the folder's errors.
std::vector<Migration> read_stem_files(const std::vector<FolderFile>& files,
                                       const FolderFormat& folder,
                                       const std::filesystem::path& dir) {
  std::vector<const FolderFile*> sorted;  // by path: the same messages on every machine
  for (const FolderFile& file : files) {
    if (!file.nested && named_like_migration(file.path)) {
      sorted.push_back(&file);
    }
  }
  std::sort(sorted.begin(), sorted.end(), [](const FolderFile* a, const FolderFile* b) {
    return a->path.native() < b->path.native();  // one folder: its names' order, cheaply
  });
  ErrorList errors;
  std::map<std::string, Pair> stems;  // by stem, byte by byte: the order they run in
  std::map<std::string, const FolderFile*> downs;
  const FolderFile* first = nullptr;  // the first file by name: its suffix style is the folder's
  StemSuffix style = StemSuffix::dotted;
  for (const FolderFile* file : sorted) {
    try {
      if (!file->problem.empty()) {
        throw ParseError(file->path, 0, file->problem);
      }
      std::optional<StemName> name = parse_stem_name(file->path.filename().string());
      if (!name) {
        throw ParseError(file->path, 0,
                         "not named as a name-ordered folder's migrations are: <stem>.up.sql "
                         "and <stem>.down.sql (or <stem>_up.sql and <stem>_down.sql), the stem "
                         "of ASCII letters, digits, '_' and '-'. Rename it, or move it out of "
                         "the migrations folder");
      }
      if (first == nullptr) {
        first = file;
        style = name->suffix;
      } else if (name->suffix != style) {
        auto ending = [](StemSuffix suffix) {
          return suffix == StemSuffix::dotted ? ".up.sql/.down.sql" : "_up.sql/_down.sql";
        };
        throw ParseError(file->path, 0,
                         fmt::format("named with {}, while {} is named with {}: a name-ordered "
                                     "folder keeps one style, which migrate-create's new files "
                                     "follow. Rename it {}",
                                     ending(name->suffix), first->path.filename().string(),
                                     ending(style), stem_file_name(name->stem, name->up, style)));
      }
      if (name->up) {
        MigrationId id = MigrationId::from_row(name->stem);
        stems[name->stem].up = {
            {id, std::string(stem_words(name->stem)), MigrationFileName::Kind::up}, file};
      } else {
        downs[name->stem] = file;
      }
    } catch (const ParseError& e) {
      errors.add(e);
    }
  }
  for (const auto& [text, down] : downs) {
    auto stem = stems.find(text);
    if (stem == stems.end()) {
      errors.add(ParseError(down->path, 0,
                            fmt::format("a down file without its up file: create {} beside it, "
                                        "or remove it",
                                        stem_file_name(text, true, style))));
      continue;
    }
    stem->second.down = Half{stem->second.up.name, down};
  }
  std::vector<const Pair*> pairs;
  for (const auto& [text, pair] : stems) {
    // Ids order the graph and the state table's rows; they must keep the names' order.
    if (!pairs.empty() && !(pairs.back()->up.name.id < pair.up.name.id)) {
      const FolderFile& before = *pairs.back()->up.file;
      errors.add(ParseError(
          pair.up.file->path, 0,
          fmt::format("maragudk/migrate runs it after {} (it orders the names as text), but "
                      "to migrate, whose state table reads a stem of digits alone back as a "
                      "number, {}. Name them so that both agree: numbers of one width (02, "
                      "10), or words after the digits (2_init)",
                      before.path.filename().string(),
                      pairs.back()->up.name.id == pair.up.name.id ? "they are the same number"
                                                                  : "it comes first")));
      continue;
    }
    // maragudk/migrate runs the up files in the order of their whole names: with _up.sql,
    // that is not always the stems' (1_up.sql after 10_up.sql, a_b_up.sql before a_up.sql).
    if (!pairs.empty() &&
        pair.up.file->path.filename().native() < pairs.back()->up.file->path.filename().native()) {
      errors.add(ParseError(
          pair.up.file->path, 0,
          fmt::format("maragudk/migrate runs it before {} (it reads the files in the order of "
                      "their names), but its stem, {}, sorts after {}. Rename one of them so "
                      "that both orders agree, or name the folder's files .up.sql/.down.sql",
                      pairs.back()->up.file->path.filename().string(), text,
                      pairs.back()->up.name.id.text())));
      continue;
    }
    pairs.push_back(&pair);
  }
  std::vector<Migration> migrations(pairs.size());
  std::vector<std::optional<ParseError>> failures(pairs.size());
  parallel_for(pairs.size(), [&](std::size_t i) {
    try {
      migrations[i] = read_pair(*pairs[i], folder.down_files);
      migrations[i].format = MigrationFormat::stem;
    } catch (const ParseError& e) {
      failures[i] = e;
    }
  });
  for (const std::optional<ParseError>& failure : failures) {
    if (failure) {
      errors.add(*failure);
    }
  }
  errors.throw_if_any(folder_note(folder, {MigrationFormat::stem, {}}, dir));
  return migrations;
}

}  // namespace

FlywayFilesNotRun flyway_files_not_run(const std::vector<std::filesystem::path>& listing,
                                       const std::filesystem::path& dir) {
  FlywayFilesNotRun found;
  std::map<MigrationId, std::filesystem::path> baselines;
  for (const std::filesystem::path& path : listing) {
    std::optional<FlywayName> flyway = parse_flyway_name(path.filename().string());
    if (in_data_tests_folder(path.lexically_relative(dir).generic_string())) {
      bool runs = flyway && flyway->kind != FlywayName::Kind::callback &&
                  flyway->kind != FlywayName::Kind::invalid;
      if (runs) {
        found.in_data_tests.push_back(path);  // Flyway would run it; migrate never does
      }
    } else if (!flyway || flyway->kind == FlywayName::Kind::callback) {
      found.not_migrations.push_back(path);
    } else if (flyway->kind == FlywayName::Kind::baseline) {
      baselines.emplace(flyway->version, path);
    }
  }
  std::sort(found.not_migrations.begin(), found.not_migrations.end());
  std::sort(found.in_data_tests.begin(), found.in_data_tests.end());
  if (!baselines.empty()) {
    baselines.erase(std::prev(baselines.end()));  // the newest is read
    for (const auto& [version, path] : baselines) {
      found.older_baselines.push_back(path);
    }
  }
  return found;
}

bool in_data_tests_folder(std::string_view path) {
  return path.starts_with(kDataTestsFolder) && path.size() > kDataTestsFolder.size() &&
         path[kDataTestsFolder.size()] == '/';
}

std::string duplicate_id_message(const MigrationId& id, const std::filesystem::path& first,
                                 const std::filesystem::path& second) {
  std::string message = fmt::format(
      "duplicate id {}: {} and {}. Give one of them a new id (after a rebase, migrate-renumber "
      "does it)",
      id, first.string(), second.string());
  // golang-migrate refuses two up files of one version too; a name-ordered folder has them.
  if (first.filename().string().ends_with(".up.sql") &&
      second.filename().string().ends_with(".up.sql")) {
    message +=
        "; or, if the folder is name-ordered (maragudk/migrate: the whole file stem is the "
        "version, in name order), read it so with `format = stem` in migrate.conf's [migrate] "
        "section, or --format stem";
  }
  return message;
}

std::vector<Migration> read_migration_dir(const std::filesystem::path& dir,
                                          const std::optional<FormatChoice>& choice,
                                          const GooseSettings& goose,
                                          std::vector<std::filesystem::path>* listing,
                                          bool down_files, ParseCache* outlines) {
  // What a writing command killed half-way left is undone before anything is read (commands
  // that say so do it first, through read_migrations; this is for every other reader).
  recover_file_transaction(dir);
  // One walk of the folder: its own entries, and (Flyway's scanner recurses, but into no
  // hidden folder) its subfolders', kept apart (nested), read only when the folder is Flyway's.
  // A subfolder it may not read is skipped, not the end of the walk: only Flyway's folders read
  // subfolders, and for them it is an error (below).
  std::error_code error;
  std::filesystem::recursive_directory_iterator tree(
      dir, std::filesystem::directory_options::skip_permission_denied, error),
      end;
  auto cannot_read = [&dir](const std::error_code& why) {
    return ConfigError(fmt::format(
        "cannot read the migrations folder {}: {}. Create it with migrate-create, or point "
        "--dir (or `dir` in migrate.conf) at the right folder",
        dir.string(), why.message()));
  };
  if (error) {
    throw cannot_read(error);
  }
  const std::string head_name = head_file_path(dir).filename().string();
  std::vector<FolderFile> files;
  std::vector<std::filesystem::path> unreadable;  // subfolders
  bool has_head_file = false;
  const ReadStart start;  // before the first stat
  for (; !error && tree != end; tree.increment(error)) {
    const std::filesystem::path& path = tree->path();
    std::string name = path.filename().string();
    bool nested = tree.depth() > 0;
    if (!nested && name == head_name) {
      has_head_file = true;
    }
    std::error_code ignored;
    if (listing != nullptr && !name.starts_with(".") && name != head_name &&
        !tree->is_directory(ignored)) {
      listing->push_back(path);
    }
    // migrate-verify's data tests: listed (a Flyway-named file there is named in a warning,
    // flyway_files_not_run), never read as migrations.
    if (nested && in_data_tests_folder(path.lexically_relative(dir).generic_string())) {
      continue;
    }
    if (!nested && goose_go_migration(name)) {
      files.push_back({path, {}});  // never read: named in a goose folder's problems
    }
    if (!named_like_migration(path)) {
      if (tree->is_directory(ignored)) {
        if (name.starts_with(".")) {
          tree.disable_recursion_pending();
        } else if (::access(path.c_str(), R_OK | X_OK) != 0) {
          unreadable.push_back(path);
        }
      }
      continue;
    }
    files.push_back({path, [path] { return read_file(path); }, {}, entry_problem(*tree), nested});
  }
  if (error) {
    throw cannot_read(error);
  }
  if (outlines != nullptr) {
    stamp_files(dir, start, files);
  }
  std::vector<Migration> migrations = read_migration_files(
      files, {has_head_file, choice, down_files, outlines != nullptr}, outlines, goose);
  if (!unreadable.empty() && !migrations.empty() &&
      migrations.front().format == MigrationFormat::flyway) {
    throw ConfigError(
        fmt::format("cannot read {}, a subfolder of the migrations folder, where Flyway looks for "
                    "migrations too: {}. Give migrate the right to read it, or move it out",
                    unreadable.front().string(), std::strerror(EACCES)));
  }
  return migrations;
}

std::vector<Migration> read_migration_files(const std::vector<FolderFile>& files,
                                            const FolderFormat& folder, ParseCache* cache,
                                            const GooseSettings& goose) {
  if (!folder.down_files) {
    cache = nullptr;  // a migration with an unread down section is never remembered
  }
  // First the names (cheap, nothing is read), then the files, read and parsed in parallel:
  // with thousands of migrations, reading them is most of what a command does.
  struct Single {
    MigrationFileName name;
    std::size_t index;  ///< in `files`
  };
  std::vector<Single> singles;
  struct VersionFiles {
    std::vector<Half> ups, downs;
  };
  std::map<MigrationId, VersionFiles> halves;
  // What each file says about the folder's format, by its index in `files`.
  std::vector<FileClues> clues(files.size());
  ErrorList errors;
  std::vector<std::optional<ParseError>> name_errors(files.size());
  auto top =
      std::find_if(files.begin(), files.end(), [](const FolderFile& f) { return !f.nested; });
  std::filesystem::path dir =
      top == files.end() ? std::filesystem::path() : top->path.parent_path();
  if (folder.choice && folder.choice->format == MigrationFormat::flyway) {
    return read_flyway_files(files, folder, {MigrationFormat::flyway, {}}, dir);
  }
  if (folder.choice && folder.choice->format == MigrationFormat::stem) {
    return read_stem_files(files, folder, dir);
  }
  // A file's name, read as migrate's (a single file or a golang-migrate half), or why not.
  auto read_name = [&](std::size_t i) {
    const FolderFile& file = files[i];
    try {
      if (!file.problem.empty()) {
        throw ParseError(file.path, 0, file.problem);
      }
      std::optional<MigrationFileName> name = parse_file_name(file.path);
      if (!name) {
        return;
      }
      if (name->kind == MigrationFileName::Kind::single) {
        singles.push_back({std::move(*name), i});
        return;
      }
      VersionFiles& version = halves[name->id];
      bool up = name->kind == MigrationFileName::Kind::up;
      (up ? version.ups : version.downs).push_back({std::move(*name), &file});
    } catch (const ParseError& e) {
      name_errors[i] = e;
    }
  };
  // Flyway's names (V1__x.sql) are no names of ours: reading them as ours throws, which costs
  // more than the rest of reading a 1,000-file Flyway folder. They wait for the detection.
  std::vector<std::size_t> flyway_named;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const FolderFile& file = files[i];
    clues[i].name = file.path.filename().string();
    if (file.nested) {  // Flyway's alone: a sign of its folder, else not looked at
      clues[i].name = flyway_file_name(clues[i].name) ? clues[i].name : std::string();
      continue;
    }
    if (file.problem.empty() && flyway_file_name(clues[i].name)) {
      flyway_named.push_back(i);
    } else {
      read_name(i);
    }
  }
  std::vector<Pair> pairs;
  for (auto& [id, version] : halves) {
    try {
      for (Pair& pair : pair_version(std::move(version.ups), std::move(version.downs))) {
        pairs.push_back(std::move(pair));
      }
    } catch (const ParseError& e) {
      errors.add(e);
    }
  }
  // Sorted before reading, so the results come out in id order without moving whole
  // migrations around afterwards.
  struct Job {
    MigrationId id;
    std::filesystem::path file;
    const Single* single = nullptr;
    const Pair* pair = nullptr;
    std::string cache_key;            ///< empty: not cached
    std::optional<std::string> text;  ///< a single file's text, once read
    /// The cache remembers it: its migration is in its slot already, its clues here.
    bool known = false;
    TextClues known_clues;
    bool cached = false;  ///< the result came from the cache
  };
  std::vector<Job> jobs;
  jobs.reserve(singles.size() + pairs.size());
  for (const Single& single : singles) {
    const FolderFile& file = files[single.index];
    jobs.push_back(
        {single.name.id, file.path, &single, nullptr, cache ? cache_key(&file) : std::string()});
  }
  for (const Pair& pair : pairs) {
    const FolderFile* down = pair.down ? pair.down->file : nullptr;
    std::string key = cache ? cache_key(pair.up.file, down) : std::string();
    if (!key.empty() && down == nullptr) {
      key += std::string_view("\0no down", 8);  // never equal to a pair's key
    }
    jobs.push_back({pair.up.name.id, pair.up.file->path, nullptr, &pair, std::move(key)});
  }
  sort_jobs(jobs);

  // One slot per job, filled in place (thousands of migrations are megabytes: not moved
  // again). A job that fails leaves its reason beside its slot; any failure throws below, so
  // an empty slot is never returned.
  std::vector<Migration> migrations(jobs.size());
  // What the cache remembers, into the slots; and when the format is to be detected, what
  // each single file's text says (read here once, and kept for parsing).
  parallel_for(jobs.size(), [&](std::size_t i) {
    Job& job = jobs[i];
    if (!job.cache_key.empty()) {
      std::optional<ParsedFile> known = cache->find(job.cache_key);
      // An outline, where the text is wanted, is no use: the file is read.
      if (known && (folder.outline || !known->migration.up.unread)) {
        migrations[i] = std::move(known->migration);
        job.known_clues = known->clues;
        job.known = true;
      }
    }
    if (job.single == nullptr) {
      return;
    }
    TextClues& text_clues = clues[job.single->index].text;
    if (job.known) {
      text_clues = job.known_clues;
    } else if (!folder.choice) {
      job.text = files[job.single->index].read();
      text_clues = read_format_clues(*job.text);
    }
  });
  FormatDetection detected = folder.choice ? FormatDetection{folder.choice->format, {}}
                                           : detect_format(folder.has_head_file, clues);
  if (detected.format == MigrationFormat::flyway) {
    return read_flyway_files(files, folder, detected, dir);
  }
  for (std::size_t i : flyway_named) {  // not Flyway's folder: they are bad names of ours
    read_name(i);
  }
  const MigrationFormat rules = single_file_rules(detected.format);

  std::vector<std::optional<ParseError>> failures(jobs.size());
  parallel_for(jobs.size(), [&](std::size_t i) {
    Job& job = jobs[i];
    try {
      if (job.known && !job.known_clues.goose_envsub &&
          (job.pair != nullptr || migrations[i].format == rules)) {
        job.cached = true;
        return;
      }
      if (const Single* single = job.single) {
        if (!job.text) {
          job.text = files[single->index].read();
          clues[single->index].text = read_format_clues(*job.text);
        }
        migrations[i] =
            rules == MigrationFormat::goose
                ? parse_goose_migration(single->name, job.file, *job.text, goose.environment)
                : parse_migration(single->name, job.file, *job.text, rules);
        job.text.reset();
      } else {
        migrations[i] = read_pair(*job.pair, folder.down_files);
      }
      if (folder.outline) {
        migrations[i] = migrations[i].outline();
      }
    } catch (const ParseError& e) {
      failures[i] = e;
    }
  });
  auto add_error = [&](const ParseError& error, const FileClues& file) {
    // In a goose folder, a goose file's error needs no "it is written for goose".
    bool read_as_written = detected.format == MigrationFormat::goose && file.text.goose_annotation;
    std::string hint = read_as_written ? std::string() : other_tool_hint(file);
    errors.add(hint.empty() ? error
                            : ParseError(error.file(), error.line(),
                                         fmt::format("{}. {}", error.problem(), hint)));
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (name_errors[i]) {
      add_error(*name_errors[i], clues[i]);
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (failures[i]) {
      add_error(*failures[i], jobs[i].single ? clues[jobs[i].single->index] : FileClues{});
    } else if (jobs[i].cached) {
      cache->keep(jobs[i].cache_key);
    } else if (!jobs[i].cache_key.empty()) {
      TextClues text_clues = jobs[i].single ? clues[jobs[i].single->index].text : TextClues{};
      if (!text_clues.goose_envsub) {  // expanded for this environment only
        cache->store(jobs[i].cache_key, ParsedFile{migrations[i], text_clues});
      }
    }
  }
  if (detected.format == MigrationFormat::goose) {
    for (const FolderFile& file : files) {
      std::string name = file.path.filename().string();
      if (!goose_go_migration(name)) {
        continue;
      }
      if (goose.skip_go && goose.warnings != nullptr) {
        goose.warnings->push_back(fmt::format(
            "skipped the Go migration {} (--skip-go): migrate runs SQL only, so its change is "
            "neither applied nor reverted here",
            file.path.string()));
      } else if (!goose.skip_go) {
        errors.add(ParseError(file.path, 0,
                              "a Go migration, which migrate cannot run (it runs SQL only). "
                              "Rewrite it as a .sql migration, or skip Go migrations with "
                              "--skip-go (or `skip-go = true` in migrate.conf's [migrate]), "
                              "each with a warning"));
      }
    }
  }
  if (!errors.empty()) {
    for (std::size_t i = 1; i < jobs.size(); ++i) {
      if (jobs[i].id == jobs[i - 1].id) {
        errors.add_duplicate(duplicate_id_message(jobs[i].id, jobs[i - 1].file, jobs[i].file));
      }
    }
  }
  errors.throw_if_any(folder_note(folder, detected, dir));
  return migrations;
}

std::filesystem::path head_file_path(const std::filesystem::path& dir) {
  return dir / "HEAD";
}

std::optional<std::string> read_head_file(const std::filesystem::path& dir) {
  std::filesystem::path path = head_file_path(dir);
  if (!std::filesystem::exists(path)) {
    return std::nullopt;
  }
  return std::string(trim(read_file(path)));
}

std::string head_file_text(const std::string& stem) {
  return stem + "\n";
}

void write_head_file(const std::filesystem::path& dir, const std::string& stem) {
  write_file_atomically(head_file_path(dir), head_file_text(stem));
}

}  // namespace migrate
