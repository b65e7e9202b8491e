#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

class Connection;
struct Plan;

/// What tells one step of a replay from any other: a hash of what the executor does for it (its
/// verb, its migration's id, the SQL it runs with its options, what it replaces). Two replays
/// whose steps have the same fingerprints, in the same order, build the same database.
std::vector<std::string> step_fingerprints(const Plan& plan);

/// A development database after some replay's first steps, as a file holds it.
struct SnapshotContents {
  std::vector<std::string> steps;  ///< the fingerprints of the steps it holds, in order
  std::string_view image;          ///< the database (Connection::image), inside the file's text
  std::string image_hash;          ///< its fast_checksum_hex, as the file says
};

/// The text of a snapshot file: a header naming `settings` (what else decides a replay: the
/// build, the engine and its library), the steps, and the image with its hash.
std::string encode_snapshot(const std::string& settings, const std::vector<std::string>& steps,
                            std::string_view image);
/// What `text` holds when encode_snapshot made it with the same `settings`; nullopt when its
/// header is damaged in any way, another version's, or another build's, or when it is cut
/// short or longer than written. The image is not hashed yet (image_intact): a snapshot whose
/// steps do not fit is never hashed.
std::optional<SnapshotContents> decode_snapshot(std::string_view text, const std::string& settings);
/// Whether the image is the one its hash was made of.
bool image_intact(const SnapshotContents& contents);

/// How many steps of a replay `fresh` (fingerprints) a snapshot of `held` saves: all of `held`
/// when they are the first steps of `fresh`, in order; else none. A replay then runs the rest
/// of `fresh` on the snapshot, which is what it would have run on an empty database after them.
std::size_t steps_held(const std::vector<std::string>& held, const std::vector<std::string>& fresh);

/// The database the last replay built, kept in one file between commands (the gate's
/// `.git/migrate/replay-<engine>`), so that a commit which adds a migration replays that one
/// migration, not all of them. Only where the engine has images (SQLite). A shortcut, never a
/// source of truth: a damaged, foreign or unreadable file is ignored (and replaced), and a
/// replay that fails on a snapshot is run again from empty.
class ReplaySnapshot {
 public:
  /// The largest image kept: migrations that load data by the gigabyte would make the
  /// repository's .git grow by that much, and reading it back would cost more than it saves.
  static constexpr std::size_t kLargestImage = 64 << 20;
  /// How far a restored image may grow beyond its size: as far as SQLite lets a database in
  /// memory grow (SQLITE_MEMDB_DEFAULT_MAXSIZE). Address space, not memory, until written;
  /// where the system will not reserve that much (strict overcommit, ulimit -v), as much as
  /// kLargestImage.
  static constexpr std::size_t kImageHeadroom = std::size_t{1} << 30;

  /// `settings`: what decides a replay besides its steps (migrate's build, the engine).
  ReplaySnapshot(std::filesystem::path file, std::string settings);

  /// Loads the snapshot into `database` (a new, empty development database) when it holds the
  /// first steps of `fresh`: how many it holds. 0 when it holds none of them, or cannot be
  /// read or loaded; `database` may then hold anything (open another).
  std::size_t restore(Connection& database, const std::vector<std::string>& fresh) const;
  /// Keeps `database`, built by the steps of `fresh`, as the snapshot. Nothing when the engine
  /// has no image of it (Connection::image) or the file cannot be written (the next replay
  /// starts from empty, that is all). A step that could change the connection rather than the
  /// database (PRAGMA) leaves nothing kept: a replay from the snapshot would run without that
  /// change. Neither does an image larger than kLargestImage.
  void save(Connection& database, const Plan& fresh);

 private:
  std::filesystem::path m_file;
  std::string m_settings;
  std::mutex m_saving;  ///< one write at a time from this process's threads
};

}  // namespace migrate
