// Logging in: the Session logs in with Basic credentials, takes the token from the sessionId
// cookie, lists the cluster and shows "Connected" in the status bar; wrong credentials and a
// cluster that is down end in a visible failure. The login dialog remembers URL, user and tenant
// but never the password. Runs against FakeCluster, a stand-in for midonet-cluster.
#include "manager-gui/models/session.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QtTest>

#include "fake_cluster.h"
#include "gui_test_support.h"
#include "manager-gui/dialogs/login_dialog.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/net/api_client.h"
#include "manager-gui/widgets/main_window.h"

using namespace midonet::manager;
using midonet::manager::test::FakeCluster;

class TstLogin : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { test::isolateSettings(); }

    void login_data()
    {
        QTest::addColumn<QString>("serverUser");
        QTest::addColumn<QString>("serverPassword");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("clusterUp");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("statusText");
        const int online = int(Session::State::Online), failed = int(Session::State::Failed);
        QTest::newRow("auth-none") << QString() << QString() << QString() << QString() << true << online << "Connected to";
        QTest::newRow("right-password") << "alice" << "s3cret" << "alice" << "s3cret" << true << online << "as alice";
        QTest::newRow("wrong-password") << "alice" << "s3cret" << "alice" << "nope" << true << failed << "Authentication error";
        QTest::newRow("cluster-down") << QString() << QString() << "admin" << "x" << false << failed << "Connection failed";
    }
    void login()
    {
        QFETCH(QString, serverUser);
        QFETCH(QString, serverPassword);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(bool, clusterUp);
        QFETCH(int, expected);
        QFETCH(QString, statusText);
        FakeCluster fake;
        QVERIFY(fake.start());
        fake.loadDemo();
        if (!serverUser.isEmpty()) fake.requireAuth(serverUser, serverPassword);
        const QString url = fake.url();
        if (!clusterUp) fake.stop(true);

        Session session;
        MainWindow window(&session);
        session.connectTo({QUrl(url), user, password, QString()});
        QTRY_COMPARE_WITH_TIMEOUT(int(session.state()), expected, 10000);
        QTRY_VERIFY2(window.connectionLabel()->text().contains(statusText), qPrintable(window.connectionLabel()->text()));
        if (expected == int(Session::State::Online)) {
            QCOMPARE(session.model()->objects(QStringLiteral("bridges")).size(), 2);
            QCOMPARE(session.model()->objects(QStringLiteral("hosts")).size(), 4);
            QVERIFY(!session.api()->token().isEmpty());
            // The event stream is open too.
            QTRY_COMPARE(fake.eventClients(), 1);
        }
    }

    void dialogRemembersAllButPassword()
    {
        {
            LoginDialog dlg;
            dlg.setLoginInfo({QUrl(QStringLiteral("http://cluster.example:8181")), QStringLiteral("bob"),
                              QStringLiteral("hunter2"), QStringLiteral("acme")});
            dlg.remember();
        }
        LoginDialog again;
        const LoginInfo info = again.loginInfo();
        QCOMPARE(info.url, QUrl(QStringLiteral("http://cluster.example:8181")));
        QCOMPARE(info.user, QStringLiteral("bob"));
        QCOMPARE(info.tenant, QStringLiteral("acme"));
        QVERIFY(info.password.isEmpty());
        QSettings s;
        for (const QString &k : s.allKeys()) QVERIFY2(s.value(k).toString() != QLatin1String("hunter2"), qPrintable(k));
    }

    void dialogNeedsAValidUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("enabled");
        QTest::newRow("http") << "http://127.0.0.1:8181" << true;
        QTest::newRow("https") << "https://cluster:8443" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("ftp") << "ftp://cluster" << false;
    }
    void dialogNeedsAValidUrl()
    {
        QFETCH(QString, url);
        QFETCH(bool, enabled);
        LoginDialog dlg;
        dlg.findChild<QLineEdit *>(QStringLiteral("url"))->setText(url);
        QPushButton *ok = nullptr;
        for (auto *b : dlg.findChildren<QPushButton *>())
            if (b->text() == QLatin1String("Connect")) ok = b;
        QVERIFY(ok);
        QCOMPARE(ok->isEnabled(), enabled);
    }
};

QTEST_MAIN(TstLogin)
#include "tst_login.moc"
