#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

struct PgMember;

/// One value of PostgreSQL's parse tree as libpg_query gives it in JSON (Dialect::parse_tree),
/// read once into this plain tree so that the rules need no JSON library. libpg_query wraps
/// each node in an object with one key, its type: `{"AlterTableStmt":{"relation":…}}`; kind()
/// is that key and the field getters read the wrapped object. Fields left at their defaults
/// (false, 0, empty) are absent from libpg_query's JSON, and read as such here.
class PgNode {
 public:
  enum class Type { null, boolean, number, string, object, array };

  /// The node type of a wrapped node ("AlterTableStmt", "String"); empty for anything else.
  std::string_view kind() const;
  bool is(std::string_view node_kind) const { return kind() == node_kind; }

  /// A field of the node (of the wrapped object for a wrapped node); null when absent.
  const PgNode* field(std::string_view name) const;
  /// A string field, or the `sval` of a String node there; empty when absent.
  std::string_view text(std::string_view name) const;
  /// A boolean field; false when absent (libpg_query leaves false out).
  bool flag(std::string_view name) const;
  /// A number field; 0 when absent.
  long number(std::string_view name) const;
  /// The elements of an array field; empty when absent.
  const std::vector<PgNode>& list(std::string_view name) const;

  /// Whether the option list `name` (DefElem nodes: a REINDEX's params, a VACUUM's options)
  /// holds the option `option` ("concurrently", "full").
  bool has_option(std::string_view name, std::string_view option) const;

  /// This value as a string (a String node's sval, an A_Const's sval or ival as text, a JSON
  /// string); empty otherwise.
  std::string_view as_text() const;

  /// Every wrapped node of `node_kind` in this subtree, this one included, depth first.
  std::vector<const PgNode*> find_all(std::string_view node_kind) const;

  // What parse_pg_node_json read.
  Type type = Type::null;
  std::string string;  ///< a string's value, a number's text
  bool boolean = false;
  std::vector<PgMember> members;  ///< an object's fields, in order
  std::vector<PgNode> items;      ///< an array's elements

 private:
  /// The wrapped object of a wrapped node; this value otherwise.
  const PgNode& body() const;
  void collect(std::string_view node_kind, std::vector<const PgNode*>& found) const;
};

/// One field of an object. A struct of its own, not a std::pair: a pair of an incomplete
/// PgNode inside PgNode itself is not valid C++ (clang refuses it).
struct PgMember {
  std::string name;
  PgNode value;
};

/// The tree of libpg_query's JSON text. Throws InternalError when it is not JSON.
PgNode parse_pg_node_json(std::string_view json);

}  // namespace migrate
