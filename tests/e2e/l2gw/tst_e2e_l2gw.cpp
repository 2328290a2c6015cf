// The L2 gateway end to end, as an operator would use it: machines on VLANs 10 and 20 of a
// physical switch reach the VMs of the virtual bridge mapped to their VLAN, and only those,
// through two redundant gateway hosts; killing the active gateway's agent moves the traffic to
// the other within a second although its ZooKeeper session lasts 10 s. The scenarios live in l2gw.sh (real ZooKeeper, midonet-cluster and midonet-agent
// processes, network namespaces); this test runs it once and reports every scenario as a row.
#include "tests/e2e/scenario_script.h"

#include <QtTest>

#include <unistd.h>

class TstE2eL2gw : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (::geteuid() != 0) QSKIP("needs root: hosts, VMs and the physical switch are network namespaces");
        QVERIFY2(m_script.run(qEnvironmentVariable("MIDONET_L2GW_SH"), 400000), qPrintable(m_script.error()));
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *c : {"trunk-binding-refused", "one-active", "vlan10-reaches-a1", "vlan20-reaches-b1",
                              "switch-rtt", "vlan10-not-b1", "vlan20-not-a1", "no-duplicates", "failover", "failover-vlan20"})
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

QTEST_GUILESS_MAIN(TstE2eL2gw)
#include "tst_e2e_l2gw.moc"
