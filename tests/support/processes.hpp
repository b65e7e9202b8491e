#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace migrate::test {

/// The PostgreSQL processes whose command line mentions `text` (a throwaway cluster's folder).
std::vector<pid_t> processes_mentioning(const std::string& text);

/// A TMPDIR for a throwaway cluster: its owner (postgres, when the tests run as root) must
/// enter it.
void let_cluster_owner_in(const TempDir& tmp);

}  // namespace migrate::test
