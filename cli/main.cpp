// midonet-cli: MidoNet's command grammar over the REST API. Filled by issue 4.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "common/util/logging.h"

int main(int argc, char **argv)
{
    CLI::App app{"midonet-cli: command line for the MidoNet REST API"};
    std::string url = "http://127.0.0.1:8181/midonet-api";
    bool eval = false;
    std::vector<std::string> words;
    app.add_option("--midonet-url", url, "REST API base URL")->capture_default_str();
    app.add_flag("-e,--eval", eval, "run the remaining words as one command and exit");
    app.add_option("command", words, "command words (with -e)");
    CLI11_PARSE(app, argc, argv);
    midonet::util::initLogging("midonet-cli", "warn");
    spdlog::error("midonet-cli: not implemented yet (issue 4)");
    return 1;
}
