#include "git/libgit2/libgit2_authorship.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "git/libgit2/git_handle.hpp"
#include "git/libgit2/libgit2_error.hpp"
#include "git/libgit2/libgit2_oid.hpp"
#include "util/error.hpp"

namespace migrate {

namespace {

struct OidHash {
  std::size_t operator()(const git_oid& oid) const noexcept {
    std::size_t hash;  // an object id is a hash already: its first bytes will do
    std::memcpy(&hash, oid.id, sizeof hash);
    return hash;
  }
};

struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept {
    return git_oid_equal(&a, &b) != 0;
  }
};

/// "2026-11-21T14:23:05Z" from a git timestamp (seconds since the epoch; the author's offset
/// is left out: the date is given in UTC).
std::string iso_utc(git_time_t time) {
  using namespace std::chrono;
  sys_seconds point{seconds(time)};
  sys_days day = floor<days>(point);
  year_month_day date(day);
  hh_mm_ss clock(point - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

/// Who, when and why of a commit.
FileAuthorship describe(git_commit* commit) {
  FileAuthorship out;
  out.commit = hex_of(*git_commit_id(commit));
  GitBuf short_id;
  check_git(git_object_short_id(&short_id.buf, reinterpret_cast<const git_object*>(commit)),
            fmt::format("abbreviating commit {}", out.commit));
  out.short_commit.assign(short_id.buf.ptr, short_id.buf.size);
  const git_signature* author = git_commit_author(commit);
  out.author = author->name != nullptr ? author->name : "";
  out.email = author->email != nullptr ? author->email : "";
  out.date = iso_utc(author->when.time);
  const char* summary = git_commit_summary(commit);
  out.summary = summary != nullptr ? summary : "";
  return out;
}

/// A blob's entry in a raw tree: its name, and the offset just past the entry (for skipping
/// the part two versions of a tree have in common).
struct BlobEntry {
  std::string_view name;
  std::size_t end;
};

/// A version of the folder: its tree object as stored, and its blobs in order. Read raw and
/// parsed here rather than with git_tree_lookup: libgit2 builds an entry array for every tree,
/// and with thousands of files and thousands of versions that was most of the walk's time.
struct FolderVersion {
  git_oid oid;
  GitOdbObject object;
  std::vector<BlobEntry> blobs;

  std::string_view bytes() const {
    return {static_cast<const char*>(git_odb_object_data(object.get())),
            git_odb_object_size(object.get())};
  }
};

/// The blobs of a tree object in git's format: entries "<octal mode> <name>\0<20-byte id>",
/// sorted by name (a subfolder as if its name ended in '/', so blobs alone are in plain byte
/// order). Subfolders (mode 40000) and submodules (160000) are left out.
std::vector<BlobEntry> parse_blobs(std::string_view tree, const git_oid& oid) {
  std::vector<BlobEntry> blobs;
  blobs.reserve(tree.size() / 48);  // an entry of a migrations folder is 60 bytes or more
  std::size_t at = 0;
  while (at < tree.size()) {
    std::size_t space = tree.find(' ', at);
    std::size_t nul = space == std::string_view::npos ? space : tree.find('\0', space);
    if (nul == std::string_view::npos || nul + 1 + GIT_OID_RAWSZ > tree.size()) {
      throw GitError(
          fmt::format("git: tree {} is malformed at byte {}: run `git fsck`", hex_of(oid), at));
    }
    std::string_view mode = tree.substr(at, space - at);
    mode.remove_prefix(std::min(mode.find_first_not_of('0'), mode.size()));  // old "040000"
    at = nul + 1 + GIT_OID_RAWSZ;
    if (mode != "40000" && mode != "160000") {
      blobs.push_back({tree.substr(space + 1, nul - space - 1), at});
    }
  }
  return blobs;
}

/// How many leading bytes `a` and `b` share. Compared in blocks with memcmp (vectorised),
/// since two versions of a large folder usually differ in a few entries only.
std::size_t common_prefix(std::string_view a, std::string_view b) {
  constexpr std::size_t kBlock = 256;
  std::size_t size = std::min(a.size(), b.size());
  std::size_t at = 0;
  while (at + kBlock <= size && std::memcmp(a.data() + at, b.data() + at, kBlock) == 0) {
    at += kBlock;
  }
  while (at < size && a[at] == b[at]) {
    ++at;
  }
  return at;
}

/// The first of `blobs` not wholly inside the first `prefix` bytes.
std::size_t first_after(const std::vector<BlobEntry>& blobs, std::size_t prefix) {
  return static_cast<std::size_t>(
      std::partition_point(blobs.begin(), blobs.end(),
                           [prefix](const BlobEntry& entry) { return entry.end <= prefix; }) -
      blobs.begin());
}

/// The names of the blobs of `mine` that `parent` has no blob of (every blob when `parent` is
/// null). Entries within the bytes both trees start with are the same in both, so the
/// merge-join of the sorted names starts after them: most commits add a name or two to a
/// folder of thousands.
std::vector<std::string_view> names_not_in(const FolderVersion& mine, const FolderVersion* parent) {
  std::vector<std::string_view> added;
  std::size_t i = 0;
  std::size_t j = 0;
  if (parent != nullptr) {
    std::size_t same = common_prefix(mine.bytes(), parent->bytes());
    i = first_after(mine.blobs, same);
    j = first_after(parent->blobs, same);
  }
  std::size_t parent_count = parent != nullptr ? parent->blobs.size() : 0;
  for (; i < mine.blobs.size(); ++i) {
    std::string_view name = mine.blobs[i].name;
    while (j < parent_count && parent->blobs[j].name < name) {
      ++j;
    }
    if (j == parent_count || parent->blobs[j].name != name) {
      added.push_back(name);
    }
  }
  return added;
}

/// True when `version` has a blob named `name`.
bool has_blob(const FolderVersion& version, std::string_view name) {
  auto found = std::lower_bound(
      version.blobs.begin(), version.blobs.end(), name,
      [](const BlobEntry& entry, std::string_view wanted) { return entry.name < wanted; });
  return found != version.blobs.end() && found->name == name;
}

/// The commit, or null when it is not in the repository: a shallow clone's history ends
/// there, and its last commits then add everything they hold, as `git log` shows them.
GitCommit find_commit(const Libgit2Repo& repo, const git_oid& id) {
  git_commit* raw = nullptr;
  int status = git_commit_lookup(&raw, repo.get(), &id);
  if (status == GIT_ENOTFOUND) {
    return nullptr;
  }
  check_git(status, fmt::format("reading commit {}", hex_of(id)));
  return GitCommit(raw);
}

/// The commits reachable from `head`, every commit before its parents (so the first addition
/// of a name met is the newest), the newer first where the graph leaves a choice: what
/// git_revwalk gives with GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME. Done here because libgit2 1.5's
/// revwalk fails in a shallow clone, on the first parent that is not there; this treats a
/// missing parent as the end of the history, as git does.
std::vector<git_oid> newest_first(const Libgit2Repo& repo, const git_oid& head) {
  struct Node {
    git_oid id;
    git_time_t time = 0;
    std::vector<std::size_t> parents;
    std::size_t children = 0;  ///< not yet listed
  };
  std::vector<Node> nodes;
  std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> index;
  auto node_of = [&](const git_oid& id) {
    auto [found, added] = index.try_emplace(id, nodes.size());
    if (added) {
      nodes.push_back({id});
    }
    return std::pair{found->second, added};
  };
  // Every reachable commit, with its parents that are there.
  std::vector<std::size_t> to_read{node_of(head).first};
  while (!to_read.empty()) {
    std::size_t n = to_read.back();
    to_read.pop_back();
    GitCommit commit = find_commit(repo, nodes[n].id);
    if (!commit) {
      continue;
    }
    nodes[n].time = git_commit_time(commit.get());
    for (unsigned p = 0; p < git_commit_parentcount(commit.get()); ++p) {
      const git_oid* parent_id = git_commit_parent_id(commit.get(), p);
      auto [parent, added] = node_of(*parent_id);
      nodes[n].parents.push_back(parent);
      ++nodes[parent].children;
      if (added) {
        to_read.push_back(parent);
      }
    }
  }
  // Then Kahn's order: a commit once all its children are listed, the newest such first.
  auto older = [&](std::size_t a, std::size_t b) { return nodes[a].time < nodes[b].time; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(older)> ready(older);
  ready.push(0);
  std::vector<git_oid> order;
  order.reserve(nodes.size());
  while (!ready.empty()) {
    std::size_t n = ready.top();
    ready.pop();
    order.push_back(nodes[n].id);
    for (std::size_t parent : nodes[n].parents) {
      if (--nodes[parent].children == 0) {
        ready.push(parent);
      }
    }
  }
  return order;
}

/// One walk of the history from HEAD, newest first (children before parents), comparing the
/// folder of each commit with its parents' folders until every wanted name is found.
class AuthorshipWalk {
  /// The folder versions one visit uses (a deque: references to them stay valid as it grows).
  using Versions = std::deque<FolderVersion>;

 public:
  AuthorshipWalk(const Libgit2Repo& repo, std::string_view folder,
                 std::set<std::string, std::less<>> wanted)
      : m_repo(repo), m_folder(folder), m_unresolved(std::move(wanted)) {
    git_odb* odb = nullptr;
    check_git(git_repository_odb(&odb, m_repo.get()), "opening the object database");
    m_odb.reset(odb);
  }

  FileAuthorships run(const git_oid& head) {
    // Stopping once every name is found is exact: a commit met later is no descendant of the
    // one that added the name, so it cannot hold a newer addition on the same line of history.
    for (const git_oid& id : newest_first(m_repo, head)) {
      if (m_unresolved.empty()) {
        break;
      }
      visit(id);
    }
    return std::move(m_result);
  }

 private:
  GitCommit lookup_commit(const git_oid& id) const { return find_commit(m_repo, id); }

  /// The id of the folder's tree in a commit; nullopt when the commit has no such folder.
  std::optional<git_oid> folder_in(const git_commit* commit) const {
    const git_oid* root_id = git_commit_tree_id(commit);
    if (m_folder.empty()) {
      return *root_id;
    }
    git_tree* raw = nullptr;
    check_git(git_tree_lookup(&raw, m_repo.get(), root_id),
              fmt::format("reading the tree of commit {}", hex_of(*git_commit_id(commit))));
    GitTreeHandle root(raw);
    git_tree_entry* found = nullptr;
    if (git_tree_entry_bypath(&found, root.get(), m_folder.c_str()) != 0) {
      return std::nullopt;
    }
    GitTreeEntry entry(found);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
      return std::nullopt;
    }
    return *git_tree_entry_id(entry.get());
  }

  /// folder_in for a commit id, remembered: each commit is asked for by its children (visited
  /// first) and by itself, last, which forgets it (`last_use`).
  std::optional<git_oid> folder_of(const git_oid& id, const git_commit* commit, bool last_use) {
    auto known = m_folders.find(id);
    std::optional<git_oid> folder;
    if (known != m_folders.end()) {
      folder = known->second;
      if (last_use) {
        m_folders.erase(known);
      }
      return folder;
    }
    GitCommit looked_up;
    if (commit == nullptr) {
      looked_up = lookup_commit(id);
      commit = looked_up.get();
    }
    folder = commit != nullptr ? folder_in(commit) : std::nullopt;
    if (!last_use) {
      m_folders.emplace(id, folder);
    }
    return folder;
  }

  /// A version of the folder, reused from the previous visit when it had it: in a line of
  /// commits the parent's folder of one visit is the commit's folder of the next.
  const FolderVersion& version(const git_oid& oid, Versions& now) {
    for (Versions* versions : {&now, &m_previous}) {
      for (FolderVersion& kept : *versions) {
        if (kept.object && git_oid_equal(&kept.oid, &oid)) {
          if (versions == &now) {
            return kept;
          }
          now.push_back(std::move(kept));
          return now.back();
        }
      }
    }
    git_odb_object* raw = nullptr;
    check_git(git_odb_read(&raw, m_odb.get(), &oid),
              fmt::format("reading the folder {} (tree {})", m_folder, hex_of(oid)));
    FolderVersion read{oid, GitOdbObject(raw), {}};
    if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
      throw GitError(fmt::format("git: {} is not a tree: run `git fsck`", hex_of(oid)));
    }
    read.blobs = parse_blobs(read.bytes(), oid);
    now.push_back(std::move(read));
    return now.back();
  }

  void visit(const git_oid& id) {
    GitCommit commit = lookup_commit(id);
    if (!commit) {
      return;
    }
    std::optional<git_oid> folder = folder_of(id, commit.get(), /*last_use=*/true);
    if (!folder) {
      return;
    }
    unsigned parent_count = git_commit_parentcount(commit.get());
    std::vector<std::optional<git_oid>> parent_folders;
    for (unsigned p = 0; p < parent_count; ++p) {
      parent_folders.push_back(folder_of(*git_commit_parent_id(commit.get(), p), nullptr, false));
      if (parent_folders.back() && git_oid_equal(&*parent_folders.back(), &*folder)) {
        return;  // the folder as a parent had it: nothing added (most commits)
      }
    }
    Versions versions;
    const FolderVersion& mine = version(*folder, versions);
    const FolderVersion* first =
        parent_count > 0 && parent_folders[0] ? &version(*parent_folders[0], versions) : nullptr;
    std::vector<std::string_view> added = names_not_in(mine, first);
    std::optional<FileAuthorship> who;  // described once, when it added a wanted name
    for (std::string_view name : added) {
      auto wanted = m_unresolved.find(name);
      if (wanted == m_unresolved.end() || in_other_parent(name, parent_folders, versions)) {
        continue;
      }
      if (!who) {
        who = describe(commit.get());
      }
      m_result.emplace(*wanted, *who);
      m_unresolved.erase(wanted);
    }
    m_previous = std::move(versions);
  }

  /// True when a parent other than the first has `name`: a merge does not add what one of its
  /// sides had.
  bool in_other_parent(std::string_view name,
                       const std::vector<std::optional<git_oid>>& parent_folders,
                       Versions& versions) {
    for (std::size_t p = 1; p < parent_folders.size(); ++p) {
      if (parent_folders[p] && has_blob(version(*parent_folders[p], versions), name)) {
        return true;
      }
    }
    return false;
  }

  const Libgit2Repo& m_repo;
  std::string m_folder;
  std::set<std::string, std::less<>> m_unresolved;
  FileAuthorships m_result;
  std::unordered_map<git_oid, std::optional<git_oid>, OidHash, OidEqual> m_folders;
  GitOdb m_odb;
  Versions m_previous;  ///< the folder versions of the previous visit
};

}  // namespace

FileAuthorships walk_authorship(const Libgit2Repo& repo, std::string_view folder) {
  std::optional<GitObjectId> head = repo.commit_of("HEAD");
  std::unique_ptr<GitTree> head_tree = repo.tree_of("HEAD");
  if (!head || !head_tree) {
    return {};  // no commit yet
  }
  std::set<std::string, std::less<>> wanted;
  for (GitFolderEntry& entry : repo.folder_in_tree(*head_tree, folder)) {
    if (!entry.nested()) {  // the walk follows the folder's own tree only
      wanted.insert(std::move(entry.name));
    }
  }
  if (wanted.empty()) {
    return {};
  }
  return AuthorshipWalk(repo, folder, std::move(wanted)).run(to_git_oid(*head));
}

}  // namespace migrate
