// The order of a schema folder's files (schema/schema_file_order): `-- depends: a.sql, b` lines
// read from each file, then the files ordered after what they name. Input: files, each after a
// line `==> NAME <==`.
//
// Properties: the order holds every file exactly once; with no `-- depends:` anywhere it is
// name order. Bad input (an unknown name, a file naming itself, a cycle) is a ParseError, never
// another exception.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "schema/schema_file_order.hpp"
#include "util/error.hpp"

using namespace migrate;
using fuzz::require;

namespace {

std::vector<SchemaFile> files_of(std::string_view input) {
  std::vector<SchemaFile> files;
  for (const fuzz::NamedPart& part : fuzz::named_parts(input)) {
    files.push_back(
        {std::filesystem::path("schema") / std::string(part.name), std::string(part.text)});
  }
  return files;
}

void check_order(const std::vector<SchemaFile>& files, const std::vector<std::size_t>& order) {
  std::vector<std::size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    require(sorted[i] == i, "the order is not each file once");
  }
  require(sorted.size() == files.size(), "the order is not each file once");
  bool depends = std::any_of(files.begin(), files.end(), [](const SchemaFile& file) {
    return file.text.find("depends:") != std::string::npos;
  });
  if (!depends) {
    for (std::size_t i = 1; i < order.size(); ++i) {
      require(files[order[i - 1]].path.filename() <= files[order[i]].path.filename(),
              "files that depend on nothing are not in name order");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<SchemaFile> files =
      files_of(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    check_order(files, order_schema_files(files));
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const ParseError&) {
  }
  return 0;
}
