// Logging set-up shared by every binary: spdlog to stderr with the program name, a level chosen
// by flag or MIDONET_LOG_LEVEL. Call once from main(), before any thread starts.
#pragma once

#include <string>

namespace midonet::util {

// Parses "trace|debug|info|warn|error|critical|off"; throws std::invalid_argument naming the
// accepted values otherwise.
void initLogging(const std::string &program, const std::string &level = "info");

} // namespace midonet::util
