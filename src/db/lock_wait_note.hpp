#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace migrate {

/// What ConnectOptions::on_lock_wait hears, for every database alike: "waiting for the <lock> on
/// <database>, held by <holder>: up to 60 s (--lock-timeout)".
std::string lock_wait_note(std::string_view lock, std::string_view database,
                           std::string_view holder, std::chrono::milliseconds timeout);

}  // namespace migrate
