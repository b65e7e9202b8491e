#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace migrate::test {

/// GET `target` from migrate-web on `port`: REQUIREs the status (200 unless told) and the JSON
/// content type, and returns the body parsed.
nlohmann::json get_json(int port, const std::string& target, int status = 200);

}  // namespace migrate::test
