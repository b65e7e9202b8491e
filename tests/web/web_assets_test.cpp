// The embedded files of web/: found by exact name only, with their content types.
#include "web/web_assets.hpp"

#include <catch2/catch.hpp>

using namespace migrate;

TEST_CASE("web assets: each file of web/ is embedded with its content type", "[web]") {
  REQUIRE(find_web_asset("index.html"));
  CHECK(find_web_asset("index.html")->content_type == "text/html; charset=utf-8");
  CHECK(find_web_asset("app.js")->content_type == "text/javascript; charset=utf-8");
  CHECK(find_web_asset("style.css")->content_type == "text/css; charset=utf-8");
  CHECK(find_web_asset("index.html")->bytes.find("<!DOCTYPE html>") == 0);
}

TEST_CASE("web assets: only exact names match", "[web]") {
  for (const char* name : {"", ".", "..", "../index.html", "./index.html", "/index.html",
                           "index.html/", "INDEX.HTML", "index.htm", "%2e%2e"}) {
    INFO(name);
    CHECK_FALSE(find_web_asset(name));
  }
}
