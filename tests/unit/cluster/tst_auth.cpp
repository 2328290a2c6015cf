// Passwords, Basic credentials and tokens as a login sees them.
#include "cluster/auth.h"

#include <QtTest>

#include <fstream>

using namespace midonet::cluster;
using namespace std::chrono;

class TstAuth : public QObject
{
    Q_OBJECT
private slots:
    void passwordHashVerifies()
    {
        UserDirectory d;
        d.add({"alice", Role::Tenant, "t1", hashPassword("s3cret", true)});
        QVERIFY(d.verify("alice", "s3cret"));
        QCOMPARE(d.verify("alice", "s3cret")->tenant, std::string("t1"));
        QVERIFY(!d.verify("alice", "wrong"));
        QVERIFY(!d.verify("nobody", "s3cret"));
        QVERIFY(hashPassword("x", true) != hashPassword("x", true)); // salted
    }
    void basic_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("error");
        QTest::newRow("ok") << "Basic YWRtaW46cGFzcw==" << "admin" << "";
        QTest::newRow("lower-case-scheme") << "basic YWRtaW46cGFzcw==" << "admin" << "";
        QTest::newRow("missing") << "" << "" << "Authorization header is not set.";
        QTest::newRow("bearer") << "Bearer abc" << "" << "Authorization header does not contain Basic.";
        QTest::newRow("no-colon") << "Basic YWRtaW4=" << "" << "Authorization header is not valid";
        QTest::newRow("empty-password") << "Basic YWRtaW46" << "" << "Authorization header is not valid";
        QTest::newRow("colon-in-password") << "Basic YTpiOmM=" << "" << "Authorization header is not valid";
        QTest::newRow("not-base64") << "Basic !!!" << "" << "Authorization header is not valid";
    }
    void basic()
    {
        QFETCH(QString, header);
        QFETCH(QString, user);
        QFETCH(QString, error);
        auto c = parseBasicAuthorization(header.toStdString());
        QCOMPARE(QString::fromStdString(c.error), error);
        QCOMPARE(QString::fromStdString(c.user), user);
    }
    void tokensWorkAcrossAuthoritiesWithOneSecret()
    {
        TokenAuthority a("shared", seconds(60)), b("shared", seconds(60)), other("different", seconds(60));
        auto now = system_clock::now();
        auto t = a.issue({"alice", Role::Tenant, "t1"}, now);
        auto who = b.verify(t.token, now);
        QVERIFY(who);
        QCOMPARE(who->user, std::string("alice"));
        QVERIFY(!who->isAdmin());
        QVERIFY(!other.verify(t.token, now));
    }
    void tokensExpire()
    {
        TokenAuthority a("s", seconds(60));
        auto now = system_clock::now();
        auto t = a.issue({"admin", Role::Admin, ""}, now);
        QVERIFY(a.verify(t.token, now + seconds(59)));
        QVERIFY(!a.verify(t.token, now + seconds(61)));
    }
    void tamperedTokenRefused()
    {
        TokenAuthority a("s", seconds(60));
        auto now = system_clock::now();
        auto t = a.issue({"alice", Role::Tenant, "t1"}, now).token;
        auto dot = t.find('.', 3);
        t[dot - 2] = t[dot - 2] == 'A' ? 'B' : 'A';
        QVERIFY(!a.verify(t, now));
        QVERIFY(!a.verify("00000000", now));
        QVERIFY(!a.verify("", now));
    }
    void tokenDateFormat()
    {
        // MidoNet's Java pattern: EEE, dd-MM-yyyy HH:mm:ss z (numeric month).
        auto t = system_clock::time_point(seconds(1576211062)); // 2019-12-13 04:24:22 UTC
        QCOMPARE(QString::fromStdString(formatTokenDate(t)), QString("Fri, 13-12-2019 04:24:22 UTC"));
    }
    void usersFile()
    {
        QTemporaryDir dir;
        auto path = dir.filePath("users").toStdString();
        {
            std::ofstream f(path);
            f << "# name role tenant hash\n";
            f << "root admin - " << hashPassword("r", true) << "\n\n";
            f << "carol tenant acme " << hashPassword("c", true) << "  # a comment\n";
        }
        UserDirectory d;
        d.loadFile(path);
        QCOMPARE(d.size(), size_t(2));
        QVERIFY(d.verify("root", "r")->isAdmin());
        QCOMPARE(d.verify("carol", "c")->tenant, std::string("acme"));
        {
            std::ofstream f(path);
            f << "bad line\n";
        }
        UserDirectory bad;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, bad.loadFile(path));
    }
};

QTEST_GUILESS_MAIN(TstAuth)
#include "tst_auth.moc"
