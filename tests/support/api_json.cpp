#include "support/api_json.hpp"

#include <catch2/catch.hpp>

#include "support/http_client.hpp"

namespace migrate::test {

nlohmann::json get_json(int port, const std::string& target, int status) {
  HttpResponse response = http_get(port, target);
  INFO(target << ": " << response.error << response.body);
  REQUIRE(response.status == status);
  CHECK(response.content_type == "application/json; charset=utf-8");
  return nlohmann::json::parse(response.body);
}

}  // namespace migrate::test
