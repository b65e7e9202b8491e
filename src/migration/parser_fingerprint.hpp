#pragma once

#include <string_view>

namespace migrate {

/// A hash of the sources that decide how a migration file parses (src/migration/ and the text
/// helpers), made at configure time: two builds that may parse differently have different
/// fingerprints, so ParseCache never serves one build's result to the other.
std::string_view parser_fingerprint();

}  // namespace migrate
