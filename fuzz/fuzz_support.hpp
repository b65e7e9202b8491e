#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// What every fuzz target shares: its entry point (libFuzzer's, or replay_corpus.cpp's when the
// targets are built by the ordinary compiler for `make test`), the check of a property, and the
// reading of an input made of several parts.

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace migrate::fuzz {

/// A property that must hold for every input: when `holds` is false, prints `what` and
/// `detail` and aborts, so libFuzzer keeps the input as a crash and the corpus replay fails.
void require(bool holds, std::string_view what, std::string_view detail = {});

/// One input, read from the front: a selector byte, then text parts.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : m_rest(reinterpret_cast<const char*>(data), size) {}

  /// The first byte modulo `choices` (0 when the input is empty), consumed.
  std::size_t choose(std::size_t choices);
  /// Everything up to the next line that is exactly `separator` (or the rest), consumed with
  /// that line.
  std::string_view part(std::string_view separator = "\n----\n");
  /// What is left.
  std::string_view rest() const { return m_rest; }
  bool empty() const { return m_rest.empty(); }

 private:
  std::string_view m_rest;
};

/// The input as text parts: `part()` until nothing is left.
std::vector<std::string_view> parts(FuzzInput& input, std::string_view separator = "\n----\n");

/// One file of an input that holds several.
struct NamedPart {
  std::string_view name;
  std::string_view text;
};

/// The files of an input written as `head` prints several: each after a line `==> NAME <==`.
/// What comes before the first `==> ` is no file.
std::vector<NamedPart> named_parts(std::string_view input);

}  // namespace migrate::fuzz
