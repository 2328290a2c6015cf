#include "common/util/logging.h"

#include <cstdlib>
#include <stdexcept>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace midonet::util {

void initLogging(const std::string &program, const std::string &level)
{
    std::string chosen = level;
    if (const char *env = std::getenv("MIDONET_LOG_LEVEL"); env && *env && level == "info")
        chosen = env;
    auto lvl = spdlog::level::from_str(chosen);
    // from_str maps unknown text to "off": reject it instead of silently muting the program.
    if (lvl == spdlog::level::off && chosen != "off")
        throw std::invalid_argument("log level '" + chosen +
                                    "' is not one of trace, debug, info, warn, error, critical, off");
    auto logger = spdlog::stderr_color_mt(program);
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
    logger->set_level(lvl);
    spdlog::set_default_logger(logger);
}

} // namespace midonet::util
