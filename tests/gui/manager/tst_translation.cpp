// The Manager speaks Japanese when asked: the embedded .qm loads and the window's visible texts
// change; without it they stay English. CJK glyphs need fonts-noto-cjk to render (checked here
// through QFontDatabase, since tofu boxes would pass a text-only check).
#include "manager-gui/widgets/main_window.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTranslator>
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
