#include "check/model_agreement.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/file.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kHeader = "migrate model agreements 1";

/// A key as agreement_key makes them: 64 lower-case hex digits.
bool well_formed(std::string_view key) {
  return key.size() == 64 && key.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

ModelAgreements ModelAgreements::load(const std::filesystem::path& file) {
  ModelAgreements agreements;
  std::string text;
  try {
    text = read_file(file);
  } catch (const IoError&) {
    return agreements;  // none yet
  }
  std::vector<Line> lines = split_lines(text);
  if (lines.empty() || lines.front().text != kHeader) {
    return agreements;  // damaged, or another version's: start afresh
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (!well_formed(lines[i].text)) {
      return ModelAgreements();
    }
    agreements.m_keys.emplace_back(lines[i].text);
  }
  return agreements;
}

bool ModelAgreements::contains(const std::string& key) const {
  return std::find(m_keys.begin(), m_keys.end(), key) != m_keys.end();
}

void ModelAgreements::add(const std::string& key) {
  m_keys.erase(std::remove(m_keys.begin(), m_keys.end(), key), m_keys.end());
  m_keys.push_back(key);
  if (m_keys.size() > kKept) {
    m_keys.erase(m_keys.begin(), m_keys.end() - kKept);
  }
}

void ModelAgreements::save(const std::filesystem::path& file) const {
  std::string text = std::string(kHeader) + "\n";
  for (const std::string& key : m_keys) {
    text += key + "\n";
  }
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  write_file_atomically(file, text);
}

std::string agreement_key(const std::vector<std::string>& settings,
                          const std::vector<GitFolderEntry>& model,
                          const std::vector<GitFolderEntry>& migrations) {
  // One line per item, each part ended by a NUL: no name can run into the next.
  std::string text;
  auto add = [&text](std::string_view kind, std::string_view a, std::string_view b) {
    text.append(kind).append(1, '\0').append(a).append(1, '\0').append(b).append(1, '\n');
  };
  for (const std::string& setting : settings) {
    add("setting", setting, "");
  }
  for (const GitFolderEntry& entry : model) {
    add("model", entry.name, entry.id.hex());
  }
  for (const GitFolderEntry& entry : migrations) {
    add("migration", entry.name, entry.id.hex());
  }
  return sha256_hex(text);
}

}  // namespace migrate
