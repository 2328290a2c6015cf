// The Manager speaks Japanese when asked: the embedded .qm loads and the window's visible texts
// change; without it they stay English. CJK glyphs need fonts-noto-cjk to render (checked here
// through QFontDatabase, since tofu boxes would pass a text-only check).
#include "manager-gui/widgets/main_window.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTranslator>
#include <QFile>
#include <QXmlStreamReader>
#include <QLibraryInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TstTranslation : public QObject
{
    Q_OBJECT
private slots:
    void englishByDefault()
    {
        midonet::manager::MainWindow w;
        QCOMPARE(w.windowTitle(), QStringLiteral("MidoNet Manager"));
        QVERIFY(statusTexts(w).contains(QStringLiteral("Not connected")));
    }
    void japaneseWhenLoaded()
    {
        QTranslator tr;
        QVERIFY2(tr.load(QStringLiteral(":/i18n/midonet_ja.qm")), "midonet_ja.qm is not embedded");
        QCoreApplication::installTranslator(&tr);
        midonet::manager::MainWindow w;
        QCOMPARE(w.windowTitle(), QStringLiteral("MidoNet マネージャー"));
        QVERIFY(statusTexts(w).contains(QStringLiteral("未接続")));
        QCOMPARE(w.menuBar()->actions().first()->text(), QStringLiteral("ファイル(&F)"));
        QCoreApplication::removeTranslator(&tr);
    }
    void everyStringTranslated()
    {
        // The committed .ts has a finished Japanese translation for every source string.
        QFile f(qEnvironmentVariable("MIDONET_SOURCE_DIR") + QStringLiteral("/translations/midonet_ja.ts"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        QXmlStreamReader xml(&f);
        int messages = 0;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() != QLatin1String("translation")) continue;
            ++messages;
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            QVERIFY2(type.isEmpty(), qPrintable(QStringLiteral("%1: %2").arg(type, source)));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(QStringLiteral("empty translation: ") + source));
        }
        QVERIFY(messages > 100);
    }
    void tsMatchesTheSources()
    {
        // A string changed in the code but not in the .ts shows in English in a Japanese UI (it
        // happened: "%n match(es)" became "%1 found"). lupdate on a copy of the .ts must find
        // nothing new.
        const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
        if (!QFileInfo(lupdate).isExecutable()) QSKIP("lupdate is not installed (qt6-l10n-tools)");
        const QString src = qEnvironmentVariable("MIDONET_SOURCE_DIR");
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("midonet_ja.ts"));
        QVERIFY(QFile::copy(src + QStringLiteral("/translations/midonet_ja.ts"), copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess p;
        // -I: the headers' namespaces give the contexts (midonet::manager::MainWindow).
        p.start(lupdate, {src + QStringLiteral("/manager-gui"), QStringLiteral("-I"), src, QStringLiteral("-no-obsolete"),
                          QStringLiteral("-silent"),
                          QStringLiteral("-ts"), copy});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        QStringList stale;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() == QLatin1String("translation") &&
                xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished"))
                stale << source;
        }
        QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("not in the .ts (run the _lupdate target, translate): ") +
                                            stale.join(QStringLiteral(" | "))));
    }
    void menusAllJapanese()
    {
        QTranslator tr;
        QVERIFY(tr.load(QStringLiteral(":/i18n/midonet_ja.qm")));
        QCoreApplication::installTranslator(&tr);
        midonet::manager::MainWindow w;
        for (QAction *menu : w.menuBar()->actions())
            for (QAction *a : menu->menu()->actions()) {
                if (a->isSeparator()) continue;
                // Every entry carries Japanese text (kana or kanji), not the English source.
                bool cjk = false;
                for (QChar c : a->text()) cjk = cjk || c.unicode() >= 0x3040;
                QVERIFY2(cjk, qPrintable(a->text()));
            }
        QCoreApplication::removeTranslator(&tr);
    }
    void cjkFontInstalled()
    {
        const auto families = QFontDatabase::families(QFontDatabase::Japanese);
        QVERIFY2(!families.isEmpty(), "no font covers Japanese: install fonts-noto-cjk");
    }

private:
    static QStringList statusTexts(const QMainWindow &w)
    {
        QStringList out;
        for (auto *l : w.statusBar()->findChildren<QLabel *>()) out << l->text();
        return out;
    }
};

QTEST_MAIN(TstTranslation)
#include "tst_translation.moc"
