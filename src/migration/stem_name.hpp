#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace migrate {

/// How a name-ordered folder (maragudk/migrate's) names its up and down files.
enum class StemSuffix {
  dotted,      ///< `<stem>.up.sql` / `<stem>.down.sql`
  underscore,  ///< `<stem>_up.sql` / `<stem>_down.sql`
};

/// What a file name in a name-ordered folder says: its stem (the migration's id) and whether it
/// is the up or the down file.
struct StemName {
  std::string stem;  ///< letters, digits, `_` and `-`: maragudk/migrate's `[\w-]+`
  bool up = true;
  StemSuffix suffix = StemSuffix::dotted;
};

/// Reads a file name as maragudk/migrate reads it: a stem of ASCII letters, digits, `_` and
/// `-`, then `.up.sql`, `.down.sql`, `_up.sql` or `_down.sql`, in lower case (its regular
/// expression `^([\w-]+).up.sql$` lets the `.` before `up` be any character; migrate takes the
/// two that folders use). nullopt for any other name.
std::optional<StemName> parse_stem_name(std::string_view file_name);

/// The file name of a stem's up or down file in `suffix`'s style: "0001_a.up.sql".
std::string stem_file_name(std::string_view stem, bool up, StemSuffix suffix);

/// The leading digits of a stem ("0001" of "0001_create_a"; empty for "accounts").
std::string_view stem_number(std::string_view stem);

/// `stem` with its leading number replaced by `number` ("0003_x" of "0002_x" and "0003"; a stem
/// without one gets it in front: "0003_accounts"), as migrate-renumber moves a migration.
std::string stem_renumbered(std::string_view stem, std::string_view number);

/// The words of a stem after its leading number and one `_` or `-` ("create_a" of
/// "0001_create_a", "accounts" of "1-accounts", "add_x" of "20240101_120000_add_x"; the whole
/// stem when it has no number; none of "20240101_120000", all number): a title when its file
/// has none.
std::string_view stem_words(std::string_view stem);

}  // namespace migrate
