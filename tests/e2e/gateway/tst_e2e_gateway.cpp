// The L3 BGP gateway end to end: a provider router with uplink ports on two gateway hosts, each
// peering over its port's address with an FRR "upstream" namespace (real ZooKeeper, cluster,
// agents, FRR 8.4). The scenarios live in gateway.sh; this test runs it once and reports every
// scenario as its own row (sessions, ECMP in FRR's table, learned routes in the router, peer
// status through the API, floating IP from upstream, outbound ECMP over both gateways, failover
// after kill -9 of one gateway in both directions, well inside the dead agent's ZooKeeper session,
// and failback when it starts again).
#include "tests/e2e/scenario_script.h"

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
        QVERIFY2(m_script.run(qEnvironmentVariable("MIDONET_GATEWAY_SH"), 600000), qPrintable(m_script.error()));
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *c : {"sessions", "bfd", "ecmp-upstream", "learned-routes", "peer-status", "cli-peer-status", "floating-ip", "peer-removed", "ecmp-outbound", "failover",
                              "failover-outbound", "failover-routes", "failback"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void scenario()
    {
        QFETCH(QString, name);
        m_script.verify(name);
    }

private:
    ScenarioScript m_script;
};

QTEST_GUILESS_MAIN(TstE2eGateway)
#include "tst_e2e_gateway.moc"
