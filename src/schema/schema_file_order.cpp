#include "schema/schema_file_order.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kDepends = "-- depends:";

/// A file another one names, and where.
struct Need {
  std::size_t file;
  int line;
};

/// "users.sql" or "users": the key both spell.
std::string file_key(std::string_view name) {
  std::string key(trim(name));
  if (key.ends_with(".sql")) {
    key.resize(key.size() - 4);
  }
  return key;
}

/// Each file's needs, from its `-- depends:` lines.
std::vector<std::vector<Need>> needs_of(const std::vector<SchemaFile>& files) {
  std::map<std::string, std::size_t> by_key;
  for (std::size_t i = 0; i < files.size(); ++i) {
    by_key.emplace(file_key(files[i].path.filename().string()), i);
  }
  std::vector<std::vector<Need>> needs(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    for (const Line& text : split_lines(files[i].text)) {
      int line = text.number;
      std::string_view trimmed = trim(text.text);
      if (!trimmed.starts_with(kDepends)) {
        continue;
      }
      for (std::string_view name : split_words(trimmed.substr(kDepends.size()), true)) {
        std::string key = file_key(name);
        auto found = by_key.find(key);
        if (found == by_key.end()) {
          throw ParseError(files[i].path, line,
                           fmt::format("`-- depends:` names {}, which is not a .sql file of this "
                                       "folder",
                                       name));
        }
        if (found->second == i) {
          throw ParseError(files[i].path, line, "a schema file cannot depend on itself");
        }
        needs[i].push_back({found->second, line});
      }
    }
  }
  return needs;
}

/// A cycle of `-- depends:` lines, for the message: "a.sql -> b.sql -> a.sql", and the line
/// that closes it.
struct Cycle {
  std::string files;
  std::size_t file = 0;
  int line = 0;
};

/// The cycle reached from `start`, an unplaced file: every unplaced file needs an unplaced one,
/// so walking their needs repeats a file.
Cycle cycle_from(const std::vector<SchemaFile>& files, const std::vector<std::vector<Need>>& needs,
                 const std::vector<bool>& placed, std::size_t start) {
  std::vector<std::size_t> path{start};
  std::map<std::size_t, std::size_t> seen{{start, 0}};
  while (true) {
    std::size_t from = path.back();
    const Need& next = *std::find_if(needs[from].begin(), needs[from].end(),
                                     [&](const Need& need) { return !placed[need.file]; });
    if (auto repeat = seen.find(next.file); repeat != seen.end()) {
      Cycle cycle{"", from, next.line};
      for (std::size_t i = repeat->second; i < path.size(); ++i) {
        cycle.files += files[path[i]].path.filename().string() + " -> ";
      }
      cycle.files += files[next.file].path.filename().string();
      return cycle;
    }
    seen.emplace(next.file, path.size());
    path.push_back(next.file);
  }
}

}  // namespace

std::vector<std::size_t> order_schema_files(const std::vector<SchemaFile>& files) {
  std::vector<std::vector<Need>> needs = needs_of(files);
  std::vector<std::size_t> by_name(files.size());
  std::iota(by_name.begin(), by_name.end(), 0);
  std::sort(by_name.begin(), by_name.end(), [&](std::size_t a, std::size_t b) {
    return files[a].path.filename() < files[b].path.filename();
  });
  // Repeatedly the first file by name whose needs are all placed: name order wherever the
  // lines allow it.
  std::vector<bool> placed(files.size(), false);
  std::vector<std::size_t> order;
  while (order.size() < files.size()) {
    auto ready = std::find_if(by_name.begin(), by_name.end(), [&](std::size_t i) {
      return !placed[i] && std::all_of(needs[i].begin(), needs[i].end(),
                                       [&](const Need& need) { return placed[need.file]; });
    });
    if (ready == by_name.end()) {
      std::size_t start =
          *std::find_if(by_name.begin(), by_name.end(), [&](std::size_t i) { return !placed[i]; });
      Cycle cycle = cycle_from(files, needs, placed, start);
      throw ParseError(
          files[cycle.file].path, cycle.line,
          fmt::format("`-- depends:` lines make a cycle ({}): one of them must go", cycle.files));
    }
    placed[*ready] = true;
    order.push_back(*ready);
  }
  return order;
}

}  // namespace migrate
