#pragma once

#include <functional>

namespace migrate {

class MigrationSteps;
struct Migration;
struct VerifyReport;

/// The stairway of migrate-verify, on one development database walked along `steps`: for each
/// migration that `walked` accepts, its up section runs and the schema is read; its down
/// section must give back the schema before its up (what it leaves is named, object by object:
/// "still to drop index idx_a"); its up section runs again and must give the same schema as the
/// first time (an up that fails when run twice is named with its error). A migration without a
/// down section is skipped with a note; one whose up runs nothing (a merge) passes as such. The
/// others are applied on the way, unchecked. After a failure the database is built again up to
/// the failed migration, so the next ones are checked on a clean history; when a first up fails,
/// the migrations after it are skipped. One check per migration walked, in order.
void walk_stairway(const MigrationSteps& steps, const std::function<bool(const Migration&)>& walked,
                   VerifyReport& report);

}  // namespace migrate
