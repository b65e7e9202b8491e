// The one translation unit of the linter that includes the JSON library (it is heavy).
#include "lint/pg_node.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace migrate {

namespace {

const std::vector<PgNode>& no_items() {
  static const std::vector<PgNode> kNone;
  return kNone;
}

PgNode from_json(const nlohmann::json& value) {
  PgNode node;
  switch (value.type()) {
    case nlohmann::json::value_t::boolean:
      node.type = PgNode::Type::boolean;
      node.boolean = value.get<bool>();
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      node.type = PgNode::Type::number;
      node.string = value.dump();
      break;
    case nlohmann::json::value_t::string:
      node.type = PgNode::Type::string;
      node.string = value.get<std::string>();
      break;
    case nlohmann::json::value_t::object:
      node.type = PgNode::Type::object;
      for (const auto& [key, member] : value.items()) {
        node.members.push_back({key, from_json(member)});
      }
      break;
    case nlohmann::json::value_t::array:
      node.type = PgNode::Type::array;
      for (const nlohmann::json& item : value) {
        node.items.push_back(from_json(item));
      }
      break;
    default:
      break;
  }
  return node;
}

/// Whether `name` is a node type: libpg_query's are CamelCase ("String", "A_Const").
bool node_type_name(std::string_view name) {
  return !name.empty() && std::isupper(static_cast<unsigned char>(name.front()));
}

}  // namespace

PgNode parse_pg_node_json(std::string_view json) {
  nlohmann::json value = nlohmann::json::parse(json, nullptr, false);
  if (value.is_discarded()) {
    throw InternalError("libpg_query's parse tree is not JSON");
  }
  return from_json(value);
}

std::string_view PgNode::kind() const {
  if (type == Type::object && members.size() == 1 && node_type_name(members.front().name)) {
    return members.front().name;
  }
  return {};
}

const PgNode& PgNode::body() const {
  return kind().empty() ? *this : members.front().value;
}

const PgNode* PgNode::field(std::string_view name) const {
  for (const auto& [key, value] : body().members) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

std::string_view PgNode::text(std::string_view name) const {
  const PgNode* value = field(name);
  return value ? value->as_text() : std::string_view();
}

bool PgNode::flag(std::string_view name) const {
  const PgNode* value = field(name);
  return value && value->type == Type::boolean && value->boolean;
}

long PgNode::number(std::string_view name) const {
  const PgNode* value = field(name);
  if (!value || value->type != Type::number) {
    return 0;
  }
  // libpg_query's are locations, lengths and int4 constants; anything else (a number the JSON
  // reader kept as a double, one out of range) is clamped, never thrown.
  double number = std::strtod(value->string.c_str(), nullptr);
  if (!(number < static_cast<double>(LONG_MAX))) {
    return number != number ? 0 : LONG_MAX;  // NaN reads as 0
  }
  return number > static_cast<double>(LONG_MIN) ? static_cast<long>(number) : LONG_MIN;
}

const std::vector<PgNode>& PgNode::list(std::string_view name) const {
  const PgNode* value = field(name);
  if (value && value->type == Type::array) {
    return value->items;
  }
  if (value && value->is("List")) {  // {"List":{"items":[…]}}
    return value->list("items");
  }
  return no_items();
}

bool PgNode::has_option(std::string_view name, std::string_view option) const {
  const std::vector<PgNode>& options = list(name);
  return std::any_of(options.begin(), options.end(),
                     [option](const PgNode& item) { return item.text("defname") == option; });
}

std::string_view PgNode::as_text() const {
  if (type == Type::string || type == Type::number) {
    return string;
  }
  if (is("String")) {
    return text("sval");
  }
  if (is("A_Const")) {
    if (const PgNode* value = field("sval")) {
      return value->text("sval");
    }
    if (const PgNode* value = field("ival")) {
      const PgNode* ival = value->field("ival");
      return ival ? ival->as_text() : std::string_view("0");
    }
  }
  return {};
}

std::vector<const PgNode*> PgNode::find_all(std::string_view node_kind) const {
  std::vector<const PgNode*> found;
  collect(node_kind, found);
  return found;
}

void PgNode::collect(std::string_view node_kind, std::vector<const PgNode*>& found) const {
  if (is(node_kind)) {
    found.push_back(this);
  }
  for (const auto& [key, value] : members) {
    value.collect(node_kind, found);
  }
  for (const PgNode& item : items) {
    item.collect(node_kind, found);
  }
}

}  // namespace migrate
