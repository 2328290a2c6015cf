// Where settings come from (~/.midonetrc < MIDO_* < flags) and the start-up checks' texts.
#include "cli/settings.h"

#include <QtTest>

#include <map>
#include <sstream>

using namespace midonet::cli;

class TstSettings : public QObject
{
    Q_OBJECT
private slots:
    void precedence()
    {
        Settings s;
        std::istringstream rc("# comment\n[other]\napi_url = http://wrong\n[cli]\napi_url = http://rc:8181/midonet-api\n"
                              "username=rcuser\npassword: rcpass\nproject_id = rcproj\ntenant = rctenant\n");
        applyRcFile(s, rc);
        QCOMPARE(s.apiUrl, std::string("http://rc:8181/midonet-api"));
        QCOMPARE(s.password, std::string("rcpass"));
        QCOMPARE(s.tenant, std::string("rctenant"));

        std::map<std::string, std::string> env{{"MIDO_USER", "envuser"}, {"MIDO_TENANT", "envtenant"}};
        applyEnvironment(s, [&](const char *n) -> const char * {
            auto it = env.find(n);
            return it == env.end() ? nullptr : it->second.c_str();
        });
        QCOMPARE(s.username, std::string("envuser"));
        QCOMPARE(s.tenant, std::string("envtenant"));
        QCOMPARE(s.projectId, std::string("rcproj"));

        Flags f;
        f.tenant = "flagtenant";
        f.apiUrl = "http://flag/midonet-api";
        f.eval = true;
        f.words = {"bridge", "list"};
        applyFlags(s, f);
        QCOMPARE(s.tenant, std::string("flagtenant"));
        QCOMPARE(s.apiUrl, std::string("http://flag/midonet-api"));
        QCOMPARE(s.username, std::string("envuser"));
        QVERIFY(s.eval);
    }

    void rcWithoutTenantMeansNone()
    {
        Settings s;
        s.tenant = "earlier";
        std::istringstream rc("[cli]\napi_url=http://x/midonet-api\n");
        applyRcFile(s, rc);
        QCOMPARE(s.tenant, std::string());
    }

    void problems_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("noAuth");
        QTest::addColumn<bool>("canPrompt");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<bool>("eval");
        QTest::addColumn<QString>("problem");

        const QString u = "http://h:8181/midonet-api";
        QTest::newRow("all-set") << u << "admin" << "admin" << "pw" << false << false << QStringList{} << false << "";
        QTest::newRow("no-url") << "" << "admin" << "admin" << "pw" << false << false << QStringList{} << false
                                << "Missing: Midonet API URL";
        QTest::newRow("no-url-even-without-auth") << "" << "" << "" << "" << true << false << QStringList{} << false
                                                  << "Missing: Midonet API URL";
        QTest::newRow("no-user") << u << "" << "admin" << "pw" << false << false << QStringList{} << false << "Missing: username";
        QTest::newRow("no-project") << u << "admin" << "" << "pw" << false << false << QStringList{} << false
                                    << "Missing: Midonet Project ID";
        QTest::newRow("no-password") << u << "admin" << "admin" << "" << false << false << QStringList{} << false
                                     << "No password given. Use -p to be asked for it, MIDO_PASSWORD or password in ~/.midonetrc";
        QTest::newRow("password-prompted") << u << "admin" << "admin" << "" << false << true << QStringList{} << false << "";
        QTest::newRow("no-auth-skips-checks") << u << "" << "" << "" << true << false << QStringList{} << false << "";
        QTest::newRow("words-without-eval") << u << "" << "" << "" << true << false << QStringList{"bridge", "list"} << false
                                            << "Unrecognized command";
        QTest::newRow("words-with-eval") << u << "" << "" << "" << true << false << QStringList{"bridge", "list"} << true << "";
    }
    void problems()
    {
        QFETCH(QString, url);
        QFETCH(QString, user);
        QFETCH(QString, project);
        QFETCH(QString, password);
        QFETCH(bool, noAuth);
        QFETCH(bool, canPrompt);
        QFETCH(QStringList, words);
        QFETCH(bool, eval);
        QFETCH(QString, problem);
        Settings s;
        s.apiUrl = url.toStdString();
        s.username = user.toStdString();
        s.projectId = project.toStdString();
        s.password = password.toStdString();
        s.noAuth = noAuth;
        s.eval = eval;
        for (const auto &w : words) s.words.push_back(w.toStdString());
        QCOMPARE(QString::fromStdString(startupProblem(s, canPrompt).value_or("")), problem);
    }
};

QTEST_GUILESS_MAIN(TstSettings)
#include "tst_settings.moc"
