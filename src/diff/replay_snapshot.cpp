#include "diff/replay_snapshot.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "plan/plan.hpp"
#include "util/error.hpp"
#include "util/fast_checksum.hpp"
#include "util/file.hpp"
#include "util/mapped_file.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kHeader = "migrate replay snapshot 3\n";  // 3: steps by fast_checksum
/// A step's line: its fingerprint (fast_checksum_hex, 32 digits) and a newline.
constexpr std::size_t kStepLine = 33;

/// The rest of `line` after `prefix`, or nullopt when it does not start so.
std::optional<std::string_view> after(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) {
    return std::nullopt;
  }
  return line.substr(prefix.size());
}

std::optional<std::size_t> number(std::string_view text) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

/// Whether `sql` may change the connection rather than the database: SQLite's PRAGMAs (most
/// are the connection's). Any mention counts: a snapshot not kept costs only time.
bool may_change_connection(std::string_view sql) {
  std::string lower(sql);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("pragma") != std::string::npos;
}

/// The snapshot mapped with room for a replay to grow the database: kImageHeadroom where the
/// system reserves that much address space, else kLargestImage. Throws IoError when neither.
MappedFile map_with_room(const std::filesystem::path& file) {
  try {
    return MappedFile(file, ReplaySnapshot::kImageHeadroom);
  } catch (const IoError&) {
    return MappedFile(file, ReplaySnapshot::kLargestImage);
  }
}

}  // namespace

std::vector<std::string> step_fingerprints(const Plan& plan) {
  std::vector<std::string> fingerprints;
  fingerprints.reserve(plan.steps.size());
  for (const PlanStep& step : plan.steps) {
    // Each part ended by a NUL: no part can run into the next.
    std::string text;
    for (std::string_view part :
         {std::string_view(step_verb(step)), std::string_view(step.id.text()),
          std::string_view(step.section.options.transaction ? "t" : "n"),
          std::string_view(step.section.options.foreign_keys ? "f" : "o")}) {
      text.append(part).append(1, '\0');
    }
    text.append(std::to_string(step.resume_from)).append(1, '\0');
    text.append(step.section.sql).append(1, '\0');
    for (const MigrationId& replaced : step.replaced) {
      text.append(replaced.text()).append(1, '\0');
    }
    // fast_checksum, not SHA-256: the fingerprints key this cache only, and the gate makes one
    // for every migration on every run (SHA-256 was an eighth of its instructions at 5,000).
    fingerprints.push_back(fast_checksum_hex(text));
  }
  return fingerprints;
}

std::string encode_snapshot(const std::string& settings, const std::vector<std::string>& steps,
                            std::string_view image) {
  std::string text(kHeader);
  text += fmt::format("settings {}\n", sha256_hex(settings));
  text += fmt::format("steps {}\n", steps.size());
  for (const std::string& step : steps) {
    text += step + "\n";
  }
  text += fmt::format("image {} {}\n", image.size(), fast_checksum_hex(image));
  text += image;
  return text;
}

std::optional<SnapshotContents> decode_snapshot(std::string_view text,
                                                const std::string& settings) {
  if (!text.starts_with(kHeader)) {
    return std::nullopt;
  }
  std::size_t at = kHeader.size();
  std::optional<std::string_view> line = next_ended_line(text, at);
  if (!line || after(*line, "settings ") != sha256_hex(settings)) {
    return std::nullopt;  // another build's, or another engine's
  }
  line = next_ended_line(text, at);
  std::optional<std::size_t> count =
      line ? number(after(*line, "steps ").value_or("")) : std::nullopt;
  if (!count || *count > text.size() / kStepLine) {
    return std::nullopt;
  }
  SnapshotContents contents;
  for (std::size_t i = 0; i < *count; ++i) {
    line = next_ended_line(text, at);
    if (!line || line->size() != kStepLine - 1) {
      return std::nullopt;
    }
    contents.steps.emplace_back(*line);
  }
  line = next_ended_line(text, at);
  std::optional<std::string_view> image = line ? after(*line, "image ") : std::nullopt;
  std::size_t space = image ? image->find(' ') : std::string_view::npos;
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<std::size_t> size = number(image->substr(0, space));
  if (!size || *size != text.size() - at) {
    return std::nullopt;  // cut short, or more than was written
  }
  contents.image = text.substr(at);
  contents.image_hash = std::string(image->substr(space + 1));
  return contents;
}

bool image_intact(const SnapshotContents& contents) {
  return fast_checksum_hex(contents.image) == contents.image_hash;
}

std::size_t steps_held(const std::vector<std::string>& held,
                       const std::vector<std::string>& fresh) {
  if (held.size() > fresh.size() || !std::equal(held.begin(), held.end(), fresh.begin())) {
    return 0;
  }
  return held.size();
}

ReplaySnapshot::ReplaySnapshot(std::filesystem::path file, std::string settings)
    : m_file(std::move(file)), m_settings(std::move(settings)) {}

std::size_t ReplaySnapshot::restore(Connection& database,
                                    const std::vector<std::string>& fresh) const {
  remove_dead_temporaries(m_file);  // what a killed save left, even when nothing is saved
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(m_file, error);
  if (error || size > kLargestImage + fresh.size() * kStepLine + 4096) {
    return 0;  // none yet, unreadable, or not one save() wrote
  }
  try {
    // Mapped, not read: the database is the file's pages, and a replay copies only those it
    // writes (SQLite grows it into the headroom, as far as it would grow one in memory).
    MappedFile mapped = map_with_room(m_file);
    std::optional<SnapshotContents> contents =
        decode_snapshot(mapped.text(), m_settings + database.image_version());
    if (!contents) {
      return 0;
    }
    std::size_t held = steps_held(contents->steps, fresh);
    if (held == 0 || !image_intact(*contents)) {
      return 0;
    }
    std::size_t offset = static_cast<std::size_t>(contents->image.data() - mapped.text().data());
    if (!database.load_image(std::move(mapped), offset)) {
      return 0;
    }
    return held;
  } catch (const Error&) {
    return 0;  // unreadable, or an image SQLite would not load: replayed from empty
  } catch (const std::bad_alloc&) {
    return 0;
  }
}

void ReplaySnapshot::save(Connection& database, const Plan& fresh) {
  for (const PlanStep& step : fresh.steps) {
    if (may_change_connection(step.section.sql)) {
      return;
    }
  }
  std::lock_guard<std::mutex> lock(m_saving);
  try {
    std::optional<std::string> image = database.image(kLargestImage);
    if (!image) {
      return;
    }
    std::error_code ignored;
    std::filesystem::create_directories(m_file.parent_path(), ignored);
    remove_dead_temporaries(m_file);
    write_file_atomically(m_file, encode_snapshot(m_settings + database.image_version(),
                                                  step_fingerprints(fresh), *image));
  } catch (const Error&) {
    // A read-only .git, a full disk: the next replay starts from empty.
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace migrate
