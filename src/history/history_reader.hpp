#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "history/history.hpp"

namespace migrate {

class GitRepo;
struct ConnectOptions;
struct Target;

/// How the commits that added a folder's files are found (`folder` relative to the work tree's
/// root, as GitRepo::commits_adding_files takes it). Empty: that walk itself, a walk each
/// time; migrate-web passes its cache.
using AuthorshipWalk =
    std::function<std::shared_ptr<const FileAuthorships>(const GitRepo&, const std::string&)>;

/// Who added the files of the migrations folder `dir`: nothing (and no error) when `dir` is not
/// in a git work tree; the message when the repository cannot be read (the history is still
/// worth showing without it).
FolderAuthorship read_authorship(const std::filesystem::path& dir, const AuthorshipWalk& walk = {});

/// The history of `graph` in every one of `targets` (read in parallel, so one that does not
/// answer costs its own timeouts and no more), with who added the files of `dir`.
History read_history(RevisionGraph graph, const std::vector<Target>& targets,
                     const std::filesystem::path& dir, const ConnectOptions& options,
                     const AuthorshipWalk& walk = {});

}  // namespace migrate
