#include "git/git_changes.hpp"

namespace migrate {

const char* change_kind_name(PathChange::Kind kind) {
  switch (kind) {
    case PathChange::Kind::added:
      return "added";
    case PathChange::Kind::modified:
      return "modified";
    case PathChange::Kind::deleted:
      return "deleted";
    case PathChange::Kind::renamed:
      return "renamed";
  }
  return "changed";
}

}  // namespace migrate
