// The L3 BGP gateway end to end: a provider router with uplink ports on two gateway hosts, each
// peering over its port's address with an FRR "upstream" namespace (real ZooKeeper, cluster,
// agents, FRR 8.4). The scenarios live in gateway.sh; this test runs it once and reports every
// scenario as its own row (sessions, ECMP in FRR's table, learned routes in the router, peer
// status through the API, floating IP from upstream, failover after kill -9 of one gateway).
#include <QProcess>
#include <QtTest>

#include <unistd.h>

class TstE2eGateway : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (::geteuid() != 0) QSKIP("needs root: hosts, VMs and the FRR upstream are network namespaces");
        if (!QFile::exists(QStringLiteral("/usr/lib/frr/bgpd"))) QSKIP("needs FRR (installer/install-deps.sh)");
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral("bash"), {qEnvironmentVariable("MIDONET_GATEWAY_SH"),
                                         qEnvironmentVariable("MIDONET_BUILD_DIR")});
        QVERIFY2(p.waitForFinished(600'000), "gateway.sh did not finish in 10 minutes");
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        m_log = QString::fromUtf8(p.readAllStandardError());
        for (const QString &line : out.split('\n')) {
            if (line.startsWith(QLatin1String("BENCH "))) qInfo("%s", qPrintable(line));
            if (!line.startsWith(QLatin1String("CASE "))) continue;
            const QStringList f = line.split(' ');
            if (f.size() >= 3) m_results[f[1]] = {f[2] == QLatin1String("PASS"), f.mid(3).join(' ')};
        }
        if (m_results.isEmpty()) qWarning("gateway.sh set-up failed:\n%s", qPrintable(m_log.right(4000)));
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *c : {"sessions", "bfd", "ecmp-upstream", "learned-routes", "peer-status", "cli-peer-status", "floating-ip", "peer-removed", "failover",
                              "failover-routes"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void scenario()
    {
        QFETCH(QString, name);
        QVERIFY2(m_results.contains(name),
                 qPrintable(QStringLiteral("scenario did not run; gateway.sh said:\n") + m_log.right(3000)));
        const auto r = m_results.value(name);
        qInfo("%s: %s", qPrintable(name), qPrintable(r.second));
        QVERIFY2(r.first, qPrintable(r.second));
    }

private:
    QMap<QString, QPair<bool, QString>> m_results;
    QString m_log;
};

QTEST_GUILESS_MAIN(TstE2eGateway)
#include "tst_e2e_gateway.moc"
