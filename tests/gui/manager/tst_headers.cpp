// Views never touch the network (DESIGN.md "The Manager", STYLE.md habit 13): no file in
// manager-gui/widgets/ or manager-gui/dialogs/ includes a Qt network header or anything from
// manager-gui/net/. One row per file, so a failure names the file and the line.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

class TstHeaders : public QObject
{
    Q_OBJECT
private slots:
    void noNetworkHeaders_data()
    {
        QTest::addColumn<QString>("file");
        const QString root = qEnvironmentVariable("MIDONET_SOURCE_DIR", QStringLiteral(MIDONET_SOURCE_DIR_FALLBACK));
        int n = 0;
        for (const char *dir : {"manager-gui/widgets", "manager-gui/dialogs"}) {
            QDirIterator it(root + QLatin1Char('/') + QLatin1String(dir), {QStringLiteral("*.h"), QStringLiteral("*.cpp")},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString f = it.next();
                QTest::newRow(qPrintable(QDir(root).relativeFilePath(f))) << f;
                ++n;
            }
        }
        QVERIFY2(n >= 10, "the widgets/ and dialogs/ sources were not found");
    }
    void noNetworkHeaders()
    {
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        static const QRegularExpression forbidden(QStringLiteral(
            "^\\s*#\\s*include\\s*[<\"]((QtNetwork|QtWebSockets)(/.*)?|QNetwork\\w*|QWebSocket\\w*|QTcp\\w*|"
            "QUdp\\w*|QAbstractSocket|QSslSocket|QHostAddress|QLocalSocket|manager-gui/net/.*)[>\"]"));
        int line = 0;
        while (!f.atEnd()) {
            const QString l = QString::fromUtf8(f.readLine());
            ++line;
            const auto m = forbidden.match(l);
            QVERIFY2(!m.hasMatch(), qPrintable(QStringLiteral("%1:%2 includes %3").arg(file).arg(line).arg(m.captured(1))));
        }
    }
};

QTEST_MAIN(TstHeaders)
#include "tst_headers.moc"
