// midonet-manager: the operators' console. Qt's own command-line parser is used here (not
// CLI11) so Qt's standard options such as -platform keep working.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QTimer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QSocketNotifier>

#include <unistd.h>

#include <sys/prctl.h>
#include <csignal>

#include <cstdlib>
#include <string_view>

#include "manager-gui/dialogs/bgp_dialog.h"
#include "manager-gui/dialogs/routes_dialog.h"
#include "manager-gui/models/session.h"
#include "manager-gui/widgets/inspector_dock.h"
#include "manager-gui/widgets/main_window.h"
#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"

namespace {

// --web PORT runs the same console on Qt's VNC platform plugin; websockify (with noVNC's pages)
// turns it into a web page on PORT. The platform must be chosen before QApplication exists.
int webPortFromArgs(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string_view(argv[i]) == "--web") return std::atoi(argv[i + 1]);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    // --help and --version must answer on a host without a display (servers, CI): Qt would
    // abort in the platform plugin before the parser runs, so use the offscreen one for them.
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    const int webPort = webPortFromArgs(argc, argv);
    const int vncPort = webPort ? webPort + 1 : 0;
    if (webPort > 0)
        qputenv("QT_QPA_PLATFORM", QStringLiteral("vnc:size=1280x800:port=%1").arg(vncPort).toUtf8());

    QApplication app(argc, argv);
    // SIGTERM/SIGINT end the event loop normally, so websockify is stopped and the web root
    // removed (a self-pipe: only write() happens in the handler).
    static int quitPipe[2] = {-1, -1};
    if (::pipe(quitPipe) == 0) {
        auto *notifier = new QSocketNotifier(quitPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
        for (int sig : {SIGTERM, SIGINT})
            std::signal(sig, [](int) { [[maybe_unused]] auto n = ::write(quitPipe[1], "q", 1); });
    }
    QApplication::setApplicationName(QStringLiteral("midonet-manager"));
    QApplication::setOrganizationName(QStringLiteral("MidoNet"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "midonet-manager: topology maps, design and troubleshooting console.\n"
        "The password for --cluster is read from the MIDONET_PASSWORD environment variable."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption langOpt(QStringLiteral("lang"),
                               QStringLiteral("user interface language (en, ja); default: settings, else system locale"),
                               QStringLiteral("code"));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                               QStringLiteral("save a PNG of the main window to FILE and exit"),
                               QStringLiteral("file"));
    QCommandLineOption clusterOpt(QStringLiteral("cluster"),
                                  QStringLiteral("connect to this cluster URL at start (no login dialog)"),
                                  QStringLiteral("url"));
    QCommandLineOption userOpt(QStringLiteral("user"), QStringLiteral("user for --cluster"), QStringLiteral("name"));
    QCommandLineOption tenantOpt(QStringLiteral("tenant"), QStringLiteral("tenant for --cluster"), QStringLiteral("id"));
    QCommandLineOption viewOpt(QStringLiteral("view"), QStringLiteral("map to show first: virtual or physical"),
                               QStringLiteral("map"), QStringLiteral("virtual"));
    QCommandLineOption selectOpt(QStringLiteral("select"),
                                 QStringLiteral("select the node with this name (shows it in the inspector)"),
                                 QStringLiteral("name"));
    QCommandLineOption searchOpt(QStringLiteral("search"), QStringLiteral("search for this text at start"),
                                 QStringLiteral("text"));
    QCommandLineOption themeOpt(QStringLiteral("theme"), QStringLiteral("light or dark"), QStringLiteral("theme"));
    QCommandLineOption exportOpt(QStringLiteral("export"),
                                 QStringLiteral("with --screenshot: also export the map to FILE (.png or .svg)"),
                                 QStringLiteral("file"));
    QCommandLineOption dialogOpt(QStringLiteral("dialog"),
                                 QStringLiteral("with --screenshot and --select ROUTER: open its 'bgp' or 'routes' "
                                                "dialog and save that instead of the main window"),
                                 QStringLiteral("name"));
    QCommandLineOption webOpt(QStringLiteral("web"),
                              QStringLiteral("serve the console to web browsers on PORT (noVNC via websockify; "
                                             "the VNC server itself listens on PORT+1, loopback only)"),
                              QStringLiteral("port"));
    QCommandLineOption webHostOpt(QStringLiteral("web-host"),
                                  QStringLiteral("address the --web page listens on"), QStringLiteral("address"),
                                  QStringLiteral("127.0.0.1"));
    for (auto *o : {&langOpt, &shotOpt, &clusterOpt, &userOpt, &tenantOpt, &viewOpt, &selectOpt, &searchOpt,
                    &themeOpt, &exportOpt, &dialogOpt, &webOpt, &webHostOpt})
        parser.addOption(*o);
    parser.process(app);

    QSettings settings;
    const QString lang = parser.isSet(langOpt) ? parser.value(langOpt)
                                               : settings.value(QStringLiteral("ui/language")).toString();
    midonet::manager::MainWindow::setLanguage(lang);

    QProcess websockify;
    QTemporaryDir webRoot;
    if (webPort > 0) {
        // The web root: our console page (web/console.html, noVNC's RFB client full window with
        // colours fixed) next to the system's noVNC files, which stay reachable as vnc.html.
        const QDir novnc(QStringLiteral("/usr/share/novnc"));
        if (!novnc.exists(QStringLiteral("core/rfb.js"))) {
            qCritical("midonet-manager: noVNC is not installed (Debian package 'novnc')");
            return 1;
        }
        for (const QString &entry : novnc.entryList(QDir::AllEntries | QDir::NoDotAndDotDot))
            QFile::link(novnc.filePath(entry), webRoot.filePath(entry));
        QFile::copy(QStringLiteral(":/web/console.html"), webRoot.filePath(QStringLiteral("index.html")));
        // noVNC's page and the WebSocket-to-VNC bridge on one port; websockify goes when we go,
        // even if we are killed.
        websockify.setProcessChannelMode(QProcess::ForwardedChannels);
        websockify.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        websockify.start(QStringLiteral("websockify"),
                         {QStringLiteral("--web"), webRoot.path(),
                          parser.value(webHostOpt) + QLatin1Char(':') + QString::number(webPort),
                          QStringLiteral("127.0.0.1:%1").arg(vncPort)});
        if (!websockify.waitForStarted(5000)) {
            qCritical("midonet-manager: cannot start websockify (Debian package 'websockify'): %s",
                      qPrintable(websockify.errorString()));
            return 1;
        }
        qInfo("midonet-manager: open http://%s:%d/ in a browser",
              qPrintable(parser.value(webHostOpt)), webPort);
    }

    midonet::manager::Session session;
    midonet::manager::MainWindow window(&session);
    if (parser.isSet(themeOpt)) window.applyTheme(parser.value(themeOpt));
    window.showPhysicalMap(parser.value(viewOpt) == QLatin1String("physical"));
    if (webPort > 0) window.showMaximized();
    else window.show();

    if (parser.isSet(clusterOpt)) {
        midonet::manager::LoginInfo info;
        info.url = QUrl::fromUserInput(parser.value(clusterOpt));
        info.user = parser.value(userOpt);
        info.password = qEnvironmentVariable("MIDONET_PASSWORD");
        info.tenant = parser.value(tenantOpt);
        session.connectTo(info);
    } else if (!parser.isSet(shotOpt)) {
        QTimer::singleShot(0, &window, &midonet::manager::MainWindow::showLoginDialog);
    }

    if (parser.isSet(shotOpt)) {
        const QString file = parser.value(shotOpt);
        const QString select = parser.value(selectOpt);
        const QString text = parser.value(searchOpt);
        const QString exportFile = parser.value(exportOpt);
        const QString dialog = parser.value(dialogOpt);
        // Wait until connected and listed (or give up after 10 s), let the layout settle, shoot.
        auto shoot = [&window, file, select, text, exportFile, dialog] {
            window.currentView()->fit();
            if (!select.isEmpty() && !window.selectByName(select))
                qWarning("screenshot: no node named %s", qPrintable(select));
            if (!text.isEmpty()) window.search(text);
            QWidget *target = &window;
            if (!dialog.isEmpty()) {
                const QString id = window.currentView()->mapScene()->selectedIds().value(0);
                if (dialog == QLatin1String("bgp")) {
                    window.openBgp(id);
                    target = window.bgpDialog();
                } else if (dialog == QLatin1String("routes")) {
                    window.openRoutes(id);
                    target = window.findChild<midonet::manager::RoutesDialog *>();
                }
                if (!target) {
                    qWarning("screenshot: no %s dialog (is --select a router?)", qPrintable(dialog));
                    target = &window;
                }
            }
            QTimer::singleShot(700, &window, [&window, target, file, exportFile] {
                bool ok = target->grab().save(file);
                if (!exportFile.isEmpty()) ok = window.exportMap(exportFile) && ok;
                qInfo("screenshot %s: %s", qPrintable(file), ok ? "saved" : "FAILED");
                QApplication::exit(ok ? 0 : 1);
            });
        };
        if (parser.isSet(clusterOpt)) {
            QObject::connect(&session, &midonet::manager::Session::resynced, &window,
                             [&window, shoot] { QTimer::singleShot(1500, &window, shoot); },
                             Qt::SingleShotConnection);
            QTimer::singleShot(10000, &window, shoot);
        } else {
            QTimer::singleShot(500, &window, shoot);
        }
    }
    const int rc = app.exec();
    if (websockify.state() != QProcess::NotRunning) {
        websockify.terminate();
        websockify.waitForFinished(3000);
    }
    return rc;
}
