#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "migration/migration.hpp"
#include "util/sealed_file.hpp"

namespace migrate {

/// What ParseCache remembers of a file (or a golang-migrate pair): the migration parsed from
/// it, with the rules in its `format`, and what its text says about its format (detect_format
/// asks for that before it knows which rules to read with).
struct ParsedFile {
  Migration migration;
  TextClues clues;  ///< of a single file; none for a pair
};

/// Migrations parsed by an earlier run, remembered in a file so that a run reading the same
/// files again skips reading and parsing them (the pre-commit gate reads thousands of
/// migrations from git blobs on every commit; current and history read outlines of the work
/// tree's files).
///
/// A key names exactly what a migration was parsed from: its paths and the content ids of its
/// files (git blob ids, or work-tree files' stamps: util/file_stamp), so a remembered entry
/// can never go stale, only unused. The file also
/// carries the parser's fingerprint (a hash of its sources, made at build time): a build that
/// parses differently starts afresh. Only successful parses are remembered; a damaged file is
/// ignored and rewritten, never trusted. The cache is a shortcut, never a source of truth.
class ParseCache {
 public:
  /// An empty cache: every find misses.
  ParseCache() = default;
  // Entries point into the cache's own buffers: moved, never copied.
  ParseCache(ParseCache&&) = default;
  ParseCache& operator=(ParseCache&&) = default;
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;
  /// The cache stored in `file`; empty when there is none, it is damaged, or an other build
  /// of the parser wrote it.
  static ParseCache load(const std::filesystem::path& file);

  /// The file remembered under `key`. Const, so safe from several threads at once.
  std::optional<ParsedFile> find(std::string_view key) const;
  /// Notes that this run used the entry under `key` (found by find): kept at the next save.
  void keep(std::string_view key);
  /// Remembers a file parsed now (in place of what was remembered under `key`).
  void store(const std::string& key, const ParsedFile& parsed);

  /// True when rewriting the file would pay: this run parsed a share of the migrations (or
  /// found a share of the entries unused) large enough. A commit that adds one migration to
  /// thousands does not rewrite megabytes; the few it parses cost less than that, until
  /// enough of them pile up.
  bool worth_saving() const;
  /// How many entries this run found and kept (its files neither read nor parsed).
  std::size_t kept_count() const { return m_used_count - m_stored_count; }
  /// How many entries this run found or stored: every migration it read, when each went
  /// through the cache.
  std::size_t used_count() const { return m_used_count; }
  /// Writes the entries this run used (kept or stored) to `file`, all at once; entries no run
  /// asked for since the last save are dropped, so the file follows the folder's size.
  /// Throws IoError when the file cannot be written.
  void save(const std::filesystem::path& file) const;
  /// save(), when worth_saving(), into `file` (its folder created): best effort, since a
  /// cache that cannot be written (a read-only .git) only costs the next run its shortcut.
  void save_if_worth(const std::filesystem::path& file) const noexcept;

  /// The bytes a migration is stored as, and back (nullopt for bytes that do not decode).
  /// Public for the round-trip test.
  static std::string encode(const ParsedFile& parsed);
  static std::optional<ParsedFile> decode(std::string_view bytes);
  /// decode, into a default-made `migration` and `clues` in place (a folder's snapshot decodes
  /// thousands into their slots: moving each there again was a sixth of decoding it). False,
  /// what was filled in left unspecified, for bytes that do not decode.
  static bool decode_into(std::string_view bytes, Migration& migration, TextClues& clues);

 private:
  /// What save writes: the header and the entries this run used.
  std::string content() const;

  struct Entry {
    std::string_view bytes;  ///< the encode()d migration
    bool used = false;       ///< by this run: saved
  };
  /// The file's content, which entries point into (mapped: a move keeps its address).
  std::optional<SealedContent> m_loaded;
  std::deque<std::string> m_stored;  ///< keys and bytes stored by this run (stable addresses)
  std::unordered_map<std::string_view, Entry> m_entries;
  std::size_t m_stored_count = 0;  ///< entries stored by this run
  std::size_t m_used_count = 0;    ///< entries kept or stored by this run
};

/// The key for a migration parsed from one file: its path and the id of its content.
std::string parse_cache_key(const std::filesystem::path& path, std::string_view content_id);

}  // namespace migrate
