#include "migration/migration_dir.hpp"

#include <algorithm>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "migration/migration_parser.hpp"
#include "migration/parse_cache.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

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

/// Parse errors of several files are reported together, so one run shows every broken file.
class ErrorList {
 public:
  void add(const ParseError& error) {
    if (m_messages.empty()) {
      m_first = error;
    }
    m_messages.push_back(error.what());
  }
  void throw_if_any() const {
    if (m_messages.size() == 1) {
      throw *m_first;  // a ParseError still, as the header promises
    }
    if (!m_messages.empty()) {
      std::vector<std::string> sorted = m_messages;  // by file: the same on every machine
      std::sort(sorted.begin(), sorted.end());
      throw InvalidFiles(fmt::format("{} migration files are invalid:\n  {}", sorted.size(),
                                     fmt::join(sorted, "\n  ")));
    }
  }

 private:
  std::optional<ParseError> m_first;
  std::vector<std::string> m_messages;
};

Migration read_pair(const Pair& pair) {
  std::string up_text = pair.up.file->read();
  std::optional<std::filesystem::path> down_path;
  std::string down_text;
  if (pair.down) {
    down_path = pair.down->file->path;
    down_text = pair.down->file->read();
  }
  return parse_migration_pair(pair.up.name, pair.up.file->path, up_text, down_path, down_text);
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

}  // namespace

std::vector<Migration> read_migration_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  if (error) {
    throw ConfigError(fmt::format(
        "cannot read the migrations folder {}: {}. Create it with migrate-create, or point "
        "--dir (or `dir` in migrate.conf) at the right folder",
        dir.string(), error.message()));
  }
  std::vector<FolderFile> files;
  for (const auto& entry : entries) {
    const std::filesystem::path& path = entry.path();
    if (!named_like_migration(path)) {
      continue;
    }
    files.push_back({path, [path] { return read_file(path); }, {}, entry_problem(entry)});
  }
  return read_migration_files(files);
}

std::vector<Migration> read_migration_files(const std::vector<FolderFile>& files,
                                            ParseCache* cache) {
  // First the names (cheap, nothing is read), then the files, read and parsed in parallel:
  // with thousands of migrations, reading them is most of what a command does.
  std::vector<std::pair<MigrationFileName, const FolderFile*>> singles;
  struct VersionFiles {
    std::vector<Half> ups, downs;
  };
  std::map<MigrationId, VersionFiles> halves;
  ErrorList errors;
  for (const FolderFile& file : files) {
    try {
      if (!file.problem.empty()) {
        throw ParseError(file.path, 0, file.problem);
      }
      std::optional<MigrationFileName> name = parse_file_name(file.path);
      if (!name) {
        continue;
      }
      if (name->kind == MigrationFileName::Kind::single) {
        singles.emplace_back(std::move(*name), &file);
        continue;
      }
      VersionFiles& version = halves[name->id];
      bool up = name->kind == MigrationFileName::Kind::up;
      (up ? version.ups : version.downs).push_back({std::move(*name), &file});
    } catch (const ParseError& e) {
      errors.add(e);
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
    const std::pair<MigrationFileName, const FolderFile*>* single = nullptr;
    const Pair* pair = nullptr;
    std::string cache_key;  ///< empty: not cached
    bool cached = false;    ///< the result came from the cache
  };
  std::vector<Job> jobs;
  jobs.reserve(singles.size() + pairs.size());
  for (const auto& single : singles) {
    jobs.push_back({single.first.id, single.second->path, &single, nullptr,
                    cache ? cache_key(single.second) : std::string()});
  }
  for (const Pair& pair : pairs) {
    const FolderFile* down = pair.down ? pair.down->file : nullptr;
    std::string key = cache ? cache_key(pair.up.file, down) : std::string();
    if (!key.empty() && down == nullptr) {
      key += std::string_view("\0no down", 8);  // never equal to a pair's key
    }
    jobs.push_back({pair.up.name.id, pair.up.file->path, nullptr, &pair, std::move(key)});
  }
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.id != b.id ? a.id < b.id : a.file < b.file;
  });
  // One slot per job, filled in place (thousands of migrations are megabytes: not moved
  // again). A job that fails leaves its reason beside its slot; any failure throws below, so
  // an empty slot is never returned.
  std::vector<Migration> migrations(jobs.size());
  std::vector<std::optional<ParseError>> failures(jobs.size());
  parallel_for(jobs.size(), [&](std::size_t i) {
    try {
      if (!jobs[i].cache_key.empty()) {
        if (std::optional<Migration> known = cache->find(jobs[i].cache_key)) {
          migrations[i] = std::move(*known);
          jobs[i].cached = true;
          return;
        }
      }
      if (const auto* single = jobs[i].single) {
        migrations[i] =
            parse_migration(single->first, single->second->path, single->second->read());
      } else {
        migrations[i] = read_pair(*jobs[i].pair);
      }
    } catch (const ParseError& e) {
      failures[i] = e;
    }
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (failures[i]) {
      errors.add(*failures[i]);
    } else if (jobs[i].cached) {
      cache->keep(jobs[i].cache_key);
    } else if (!jobs[i].cache_key.empty()) {
      cache->store(jobs[i].cache_key, migrations[i]);
    }
  }
  errors.throw_if_any();
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
