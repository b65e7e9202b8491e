#pragma once

#include <string>
#include <string_view>

namespace migrate {

/// Text from files, databases and git (titles, doc blocks, authors, SQL, error messages) made
/// safe to show on a terminal: control characters that a terminal would act on (ESC sequences
/// that retitle the window or move the cursor, carriage returns that overwrite a line, C1
/// controls, bytes that are not well-formed UTF-8) are shown escaped (`\x1b`, `\r`, `\u009b`);
/// line feeds, tabs and a carriage return before a line feed stay. With `keep_styles`, the SGR colour sequences Console itself writes (`ESC[0m`,
/// `ESC[1m`, `ESC[2m`, `ESC[31m`, `ESC[32m`, `ESC[33m`) pass through: they only colour text.
std::string terminal_text(std::string_view text, bool keep_styles);

}  // namespace migrate
