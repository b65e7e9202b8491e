#pragma once

#include <filesystem>

namespace migrate {

/// The folder of the running executable (from /proc/self/exe), where the other migrate-*
/// executables sit; empty when it cannot be read.
std::filesystem::path executable_folder();

}  // namespace migrate
