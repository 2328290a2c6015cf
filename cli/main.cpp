// midonet-cli: MidoNet's command line over the REST API (reference PART A). Settings from
// ~/.midonetrc, MIDO_* and flags; login; GET system_state; then one command (-e), commands
// from a non-TTY stdin, or an interactive session with completion.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include <termios.h>
#include <unistd.h>

#include "cli/api_client.h"
#include "cli/grammar.h"
#include "cli/http_client.h"
#include "cli/line_editor.h"
#include "cli/settings.h"
#include "cli/shell.h"
#include "common/util/logging.h"

using namespace midonet::cli;

namespace {

std::string askPassword()
{
    std::cerr << "Password: " << std::flush;
    termios old{};
    bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        termios quiet = old;
        quiet.c_lflag &= ~ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string password;
    std::getline(std::cin, password);
    if (restore) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << '\n';
    return password;
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app{"midonet-cli: command line for the MidoNet REST API.\n"
                 "  midonet-cli [options]              interactive, with tab completion\n"
                 "  midonet-cli [options] -e COMMAND   one command, e.g. -e bridge list\n"
                 "  midonet-cli [options] < FILE       one command per line"};
    Flags flags;
    std::string url, user, project, tenant, disableSsl;
    auto *oUrl = app.add_option("--midonet-url", url, "REST API base URL, e.g. http://127.0.0.1:8181/midonet-api");
    auto *oUser = app.add_option("-u,--user", user, "user name");
    auto *oProject = app.add_option("-i,--project-id", project, "project, sent as X-Auth-Project");
    app.add_flag("-p,--password", flags.password, "ask for the password (stdin must be a TTY)");
    auto *oTenant = app.add_option("--tenant", tenant, "tenant to start the session with");
    auto *oSsl = app.add_option("--disable_ssl_certificate_validation", disableSsl, "true/false");
    app.add_flag("-A,--no-auth", flags.noAuth, "skip the user, project and password checks");
    app.add_flag("-e,--eval", flags.eval, "run the remaining words as one command and exit");
    app.add_flag("-d,--debug", flags.debug, "debug logging: every HTTP request and response");
    app.add_flag("--json", flags.json, "list/show/create print the API's JSON (for scripts)");
    app.prefix_command(); // the command's words may look like options (e.g. a '!' value)
    CLI11_PARSE(app, argc, argv);
    if (oUrl->count()) flags.apiUrl = url;
    if (oUser->count()) flags.username = user;
    if (oProject->count()) flags.projectId = project;
    if (oTenant->count()) flags.tenant = tenant;
    if (oSsl->count()) flags.disableSsl = disableSsl;
    flags.words = app.remaining();

    Settings settings;
    if (const char *home = std::getenv("HOME")) {
        std::ifstream rc(std::string(home) + "/.midonetrc");
        if (rc) applyRcFile(settings, rc);
    }
    applyEnvironment(settings, [](const char *name) { return std::getenv(name); });
    applyFlags(settings, flags);

    midonet::util::initLogging("midonet-cli", settings.debug ? "debug" : "warn");
    const bool tty = isatty(STDIN_FILENO);
    if (auto problem = startupProblem(settings, settings.promptPassword && tty)) {
        std::cerr << *problem << '\n';
        return 2;
    }
    if (!settings.noAuth && settings.password.empty()) settings.password = askPassword();
    if (settings.apiUrl.starts_with("https://"))
        std::cerr << "Warning: https is not supported by this build; use the http port of the API\n";

    HttpClient transport;
    ApiClient api(transport, {settings.apiUrl, settings.username, settings.password, settings.projectId});
    if (settings.debug)
        api.setTrace([](const HttpRequest &rq, const HttpResponse &rs) {
            spdlog::debug("{} {} -> {} {}", rq.method, rq.url, rs.status, rs.body);
        });
    try {
        if (!settings.username.empty()) api.login();
        auto state = api.get(api.rootLink("systemState"), vendorType("SystemState-v2"));
        if (auto info = state.find("information"); info != state.end() && info->is_string())
            std::cerr << info->get<std::string>() << '\n';
    } catch (const AuthError &e) {
        spdlog::debug("login: {}", e.what());
        std::cerr << "Invalid credential. Wrong username/password. Bye.\n";
        return 1;
    } catch (const TransportError &e) {
        spdlog::debug("connect: {}", e.what());
        std::cerr << "Connection to MidoNet API server refused. Bye.\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "API server failed to respond normally (" << e.what() << "). Bye.\n";
        return 1;
    }

    ShellOptions options;
    options.aliases = !settings.eval && tty; // aliases off with -e or piped input (reference A1)
    options.interactive = !settings.eval && tty;
    options.json = settings.json;
    options.tenant = settings.tenant;
    Shell shell(api, std::cout, options);

    bool ok = true;
    try {
        if (settings.eval) {
            std::string line;
            for (const auto &w : settings.words) line += (line.empty() ? "" : " ") + w;
            ok = shell.execute(line);
        } else if (tty) {
            std::string history;
            if (const char *h = std::getenv("MIDO_HISTORY_FILE")) history = h;
            LineEditor editor("midonet> ", [&](std::string_view l) { return shell.complete(l); }, history);
            while (auto line = editor.readLine()) {
                ok = shell.execute(*line);
                if (shell.exitRequested()) break;
            }
            if (!shell.exitRequested()) std::cout << '\n';
        } else {
            std::string line;
            while (std::getline(std::cin, line)) {
                ok = shell.execute(line);
                std::cout.flush();
                if (shell.exitRequested()) break;
            }
        }
    } catch (const SessionEnd &end) {
        return end.exitCode;
    }
    return ok ? 0 : 1;
}
