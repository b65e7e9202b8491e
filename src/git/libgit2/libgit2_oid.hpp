#pragma once

#include <git2.h>

#include <algorithm>
#include <string>

#include "git/git_object_id.hpp"

namespace migrate {

static_assert(GitObjectId::kSize == GIT_OID_RAWSZ);

/// A libgit2 object id as the core's GitObjectId, and back.
inline GitObjectId to_object_id(const git_oid& oid) {
  GitObjectId::Bytes bytes;
  std::copy(std::begin(oid.id), std::end(oid.id), bytes.begin());
  return GitObjectId(bytes);
}

inline git_oid to_git_oid(const GitObjectId& id) {
  git_oid oid;
  std::copy(id.bytes().begin(), id.bytes().end(), std::begin(oid.id));
  return oid;
}

/// The 40-hex-digit form of a libgit2 object id, for messages.
inline std::string hex_of(const git_oid& oid) {
  return to_object_id(oid).hex();
}

}  // namespace migrate
