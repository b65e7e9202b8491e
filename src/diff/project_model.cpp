#include "diff/project_model.hpp"

#include "config/config.hpp"

namespace migrate {

std::optional<std::filesystem::path> model_inputs(const Config& config) {
  if (!config.schema_command.empty()) {
    return std::filesystem::path();  // an ORM's model may import anything of the project
  }
  if (config.schema_path.empty()) {
    return std::nullopt;
  }
  return config.schema_path.lexically_relative(config.root);
}

std::optional<SchemaSource> model_source(const Config& config, const std::filesystem::path& root) {
  if (!config.schema_command.empty()) {
    return command_source(config, root);
  }
  std::optional<std::filesystem::path> inputs = model_inputs(config);
  if (!inputs) {
    return std::nullopt;
  }
  return SchemaSource{SchemaSource::Kind::files, inputs->string(),
                      (root / *inputs).lexically_normal(), ""};
}

}  // namespace migrate
