// midonet-manager: the operators' console. Qt's own command-line parser is used here (not
// CLI11) so Qt's standard options such as -platform keep working.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QScreen>
#include <QTimer>
#include <QTranslator>

#include <string_view>

#include "manager-gui/widgets/main_window.h"

int main(int argc, char **argv)
{
    // --help and --version must answer on a host without a display (servers, CI): Qt would
    // abort in the platform plugin before the parser runs, so use the offscreen one for them.
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("midonet-manager"));
    QApplication::setOrganizationName(QStringLiteral("MidoNet"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("midonet-manager: topology maps, design and troubleshooting console"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption langOpt(QStringLiteral("lang"),
                               QStringLiteral("user interface language (en, ja); default: system locale"),
                               QStringLiteral("code"));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                               QStringLiteral("save a PNG of the main window to FILE and exit"),
                               QStringLiteral("file"));
    parser.addOption(langOpt);
    parser.addOption(shotOpt);
    parser.process(app);

    QTranslator translator;
    const QString lang = parser.isSet(langOpt) ? parser.value(langOpt) : QLocale::system().name();
    if (lang.startsWith(QStringLiteral("ja")) &&
        translator.load(QStringLiteral(":/i18n/midonet_ja.qm")))
        QApplication::installTranslator(&translator);

    midonet::manager::MainWindow window;
    window.show();
    if (parser.isSet(shotOpt)) {
        const QString file = parser.value(shotOpt);
        QTimer::singleShot(500, &window, [&window, file] {
            const bool ok = window.grab().save(file);
            qInfo("screenshot %s: %s", qPrintable(file), ok ? "saved" : "FAILED");
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
