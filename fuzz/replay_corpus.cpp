// The main of a fuzz target built without libFuzzer (the ordinary compiler, for `make test`):
// runs LLVMFuzzerTestOneInput once on every file given, or in a folder given, as libFuzzer does
// with files it is given and -runs=0. A failed property or a crash ends it, naming the file.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& given) {
  std::vector<std::filesystem::path> found;
  if (std::filesystem::is_directory(given)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(given)) {
      if (entry.is_regular_file()) {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
  } else {
    found.push_back(given);
  }
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_FOLDER...\n";
    return 2;
  }
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::filesystem::exists(argv[i])) {
      std::cerr << argv[0] << ": no such file or folder: " << argv[i] << "\n";
      return 2;
    }
    for (const std::filesystem::path& file : inputs_in(argv[i])) {
      std::cerr << "running " << file.string() << "\n";
      std::ifstream stream(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++count;
    }
  }
  std::cout << "ran " << count << " inputs\n";
  return count == 0 ? 1 : 0;
}
