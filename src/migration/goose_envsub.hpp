#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migrate {

/// A variable's value, empty when it is set to "", nullopt when it is not set (goose tells the
/// two apart: `${VAR-word}`).
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Why a line under `-- +goose ENVSUB ON` cannot be expanded; the goose parser adds file:line.
class EnvsubError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Expands one line as goose's ENVSUB does (mfridman/interpolate): `$VAR` and `${VAR}` (unset:
/// empty), `${VAR:-word}` (word when unset or empty), `${VAR-word}` (when unset), `${VAR?msg}`
/// (an error when unset), `${VAR:offset}` and `${VAR:offset:length}`; a word may hold expansions
/// itself. `$$` and `\$` are a `$`; `$(` and a `$` ending the line stay as written. Throws
/// EnvsubError where goose fails: a name that does not start with a letter (`$1`, `$ `), an
/// unknown operator, an unclosed `${`, a bad offset, a required variable unset.
std::string expand_goose_line(std::string_view line, const VariableLookup& lookup);

}  // namespace migrate
