// The embedded hook scripts, and the folder install writes into them.
#include "hooks/hook_script.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;

namespace {

const HookScript& script(std::string_view name) {
  std::span<const HookScript> scripts = hook_scripts();
  auto found = std::find_if(scripts.begin(), scripts.end(),
                            [&](const HookScript& hook) { return hook.name == name; });
  REQUIRE(found != scripts.end());
  return *found;
}

}  // namespace

TEST_CASE("the embedded hooks are the scripts of hooks/, byte for byte", "[hooks]") {
  REQUIRE(hook_scripts().size() == 4);
  for (const HookScript& hook : hook_scripts()) {
    INFO(hook.name);
    CHECK(hook.text == test::read_text(test::source_dir() / "hooks" / hook.name));
    CHECK(is_migrate_hook(hook.text));
    CHECK(hook.text.starts_with("#!/bin/sh\n"));
  }
}

TEST_CASE("render_hook writes the folder in, quoted for sh", "[hooks]") {
  const HookScript& hook = script("pre-commit");
  std::string text = render_hook(hook, "/opt/it's here/bin");
  CHECK_THAT(text, Contains("MIGRATE_HOOKS_BIN=${MIGRATE_HOOKS_BIN:-'/opt/"
                            "it'\\''s here/bin'}\n"));
  CHECK_FALSE(text.find("MIGRATE_HOOKS_BIN=${MIGRATE_HOOKS_BIN:-}") != std::string::npos);
  CHECK(hook_bin_dir(text) == std::filesystem::path("/opt/it's here/bin"));
  CHECK(is_migrate_hook(text));
}

TEST_CASE(
    "a hook is current whatever folder it names, outdated when its "
    "script differs",
    "[hooks]") {
  const HookScript& hook = script("post-merge");
  CHECK(is_current_hook(hook.text, hook));
  CHECK(is_current_hook(render_hook(hook, "/usr/bin"), hook));
  CHECK_FALSE(is_current_hook(render_hook(hook, "/usr/bin") + "echo extra\n", hook));
  CHECK_FALSE(is_current_hook(render_hook(script("post-rewrite"), "/usr/bin"), hook));
  CHECK_FALSE(hook_bin_dir(hook.text).has_value());  // the template names no folder
}

TEST_CASE("a user's hook is not migrate's", "[hooks]") {
  CHECK_FALSE(is_migrate_hook("#!/bin/sh\nexec pre-commit run\n"));
  CHECK_FALSE(hook_bin_dir("#!/bin/sh\nexit 0\n").has_value());
}

TEST_CASE("a hook script without the folder's line is migrate's fault: an InternalError",
          "[hooks]") {
  HookScript broken{"pre-commit", "#!/bin/sh\nexit 0\n"};
  CHECK_THROWS_AS(render_hook(broken, "/usr/bin"), InternalError);
  CHECK_THROWS_WITH(render_hook(broken, "/usr/bin"),
                    Contains("the embedded pre-commit hook has no"));
}
