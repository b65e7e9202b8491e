#pragma once

#include <libpq-fe.h>

#include <memory>

namespace migrate {

/// The one owner of a libpq connection: PQfinish on every path.
struct PgConnCloser {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
using PgConn = std::unique_ptr<PGconn, PgConnCloser>;

/// The one owner of a libpq result: PQclear on every path.
struct PgResultClearer {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

/// The one owner of a connection's cancel object (PQgetCancel): PQfreeCancel on every path.
/// PQcancel on it is safe from any thread while the connection lives.
struct PgCancelFreer {
  void operator()(PGcancel* cancel) const noexcept { PQfreeCancel(cancel); }
};
using PgCancel = std::unique_ptr<PGcancel, PgCancelFreer>;

/// The one owner of PQconninfoParse's options.
struct PgConninfoFreer {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
using PgConninfo = std::unique_ptr<PQconninfoOption, PgConninfoFreer>;

}  // namespace migrate
