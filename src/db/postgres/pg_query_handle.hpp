#pragma once

#include <pg_query.h>

namespace migrate {

/// Owns a libpg_query result (returned by value, freed by its own function).
template <typename Result, void (*Free)(Result)>
class PgQueryOwned {
 public:
  explicit PgQueryOwned(Result result) : m_result(result) {}
  PgQueryOwned(const PgQueryOwned&) = delete;
  PgQueryOwned& operator=(const PgQueryOwned&) = delete;
  ~PgQueryOwned() { Free(m_result); }
  const Result& operator*() const { return m_result; }
  const Result* operator->() const { return &m_result; }

 private:
  Result m_result;
};
using PgQuerySplit = PgQueryOwned<PgQuerySplitResult, pg_query_free_split_result>;
using PgQueryParse = PgQueryOwned<PgQueryParseResult, pg_query_free_parse_result>;

}  // namespace migrate
