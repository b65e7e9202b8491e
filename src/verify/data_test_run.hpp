#pragma once

#include <vector>

namespace migrate {

class MigrationSteps;
class RevisionGraph;
struct DataTest;
struct VerifyReport;

/// Runs migrate-verify's data tests, each on a development database of its own brought to the
/// parent revision of the migration it names (its id or stem): the `-- before:` part, the
/// migration's up section, the `-- after:` part; then, when the migration has a down section,
/// the down and the before part's checked queries again (its rows must still read the same).
/// One check per test: every expectation that does not hold is named with its file and line,
/// and what the database gave. A test naming no migration, or one a new database never runs (a
/// squash runs instead), fails.
void run_data_tests(const RevisionGraph& graph, const MigrationSteps& steps,
                    const std::vector<DataTest>& tests, VerifyReport& report);

}  // namespace migrate
