#pragma once

#include <filesystem>
#include <string>

namespace migrate::test {

/// xmllint's answer for an XPath expression on the XML document `file`, without the line ending
/// it adds. xmllint parses the document, so a malformed one fails the test.
std::string xpath(const std::filesystem::path& file, const std::string& expression);

}  // namespace migrate::test
