#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

/// A git object's id: the 20 bytes of its SHA-1, as git stores it in trees and the index.
class GitObjectId {
 public:
  static constexpr std::size_t kSize = 20;
  using Bytes = std::array<unsigned char, kSize>;

  GitObjectId() = default;  ///< all zeros: git's "no object"
  explicit GitObjectId(const Bytes& bytes) : m_bytes(bytes) {}

  /// The id written as 40 hex digits (either case); nullopt for anything else.
  static std::optional<GitObjectId> from_hex(std::string_view hex);

  const Bytes& bytes() const { return m_bytes; }
  /// The 40-hex-digit form, lower case, as git prints it.
  std::string hex() const;

  friend bool operator==(const GitObjectId&, const GitObjectId&) = default;

 private:
  Bytes m_bytes{};
};

}  // namespace migrate
