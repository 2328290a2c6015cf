// End to end, as an operator would use it: VMs on different hosts talk through virtual bridges
// and a router that exist only in the NSDB, configured through the REST API, simulated by the
// agents and forwarded by their userspace datapaths over VXLAN. The scenarios live in cloud.sh
// (real ZooKeeper, real midonet-cluster and midonet-agent processes, network namespaces); this
// test runs it once and reports every scenario as its own row.
#include "tests/e2e/scenario_script.h"

#include <QtTest>

#include <unistd.h>

class TstE2eCloud : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (::geteuid() != 0) QSKIP("needs root: hosts and VMs are network namespaces");
        QVERIFY2(m_script.run(qEnvironmentVariable("MIDONET_CLOUD_SH"), 600000), qPrintable(m_script.error()));
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *c : {"bridge-ping", "bridge-tcp", "router-ping", "ttl-exceeded", "net-unreachable", "bad-binding",
                              "bad-route", "drop-rule", "drop-rule-removed", "snat", "floating-ip", "upstream-floating-ip", "load-balancer", "mac-move", "mac-expiry",
                              "agent-restart"})
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

QTEST_GUILESS_MAIN(TstE2eCloud)
#include "tst_e2e_cloud.moc"
