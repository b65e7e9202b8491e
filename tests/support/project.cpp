#include "support/project.hpp"

namespace migrate::test {

Project::Project() {
  std::filesystem::create_directories(migrations());
}

void Project::add(std::string_view file_name, std::string_view content) const {
  write_text(migrations() / file_name, content);
}

void Project::add_example_migrations() const {
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "migrations")) {
    std::filesystem::copy_file(entry.path(), migrations() / entry.path().filename(),
                               std::filesystem::copy_options::overwrite_existing);
  }
}

ProcessResult Project::run(std::string_view tool, const std::vector<std::string>& args,
                           RunOptions options) const {
  return start(tool, args, std::move(options)).wait();
}

RunningProcess Project::start(std::string_view tool, const std::vector<std::string>& args,
                              RunOptions options) const {
  if (options.cwd.empty()) {
    options.cwd = root();
  }
  return start_tool(tool, args, options);
}

std::string migration_text(std::string_view up, std::optional<std::string_view> down,
                           std::string_view header) {
  std::string text(header);
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  text += "-- migrate:up\n";
  text += up;
  text += "\n";
  if (down) {
    text += "\n-- migrate:down\n";
    text += *down;
    text += "\n";
  }
  return text;
}

}  // namespace migrate::test
