#include "git/repository_info.hpp"

#include "git/git_handle.hpp"

namespace migrate {

std::string head_commit_id(const std::filesystem::path& path) {
  Libgit2Session session;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), 0, nullptr) != 0) {
    return {};
  }
  GitRepoHandle repository(raw);
  git_oid oid;
  if (git_reference_name_to_id(&oid, repository.get(), "HEAD") != 0) {
    return {};
  }
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

}  // namespace migrate
