#pragma once

#include "util/file_stamp.hpp"

namespace migrate::test {

/// A read that starts a minute from now: to it, a file written now is old (ReadStart::racy),
/// so a cache test need not wait for the stamps it just made to settle.
ReadStart a_minute_later();

}  // namespace migrate::test
