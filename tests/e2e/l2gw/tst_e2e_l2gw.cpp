// The L2 gateway end to end, as an operator would use it: machines on VLANs 10 and 20 of a
// physical switch reach the VMs of the virtual bridge mapped to their VLAN, and only those,
// through two redundant gateway hosts; killing the active gateway's agent moves the traffic to
// the other. The scenarios live in l2gw.sh (real ZooKeeper, midonet-cluster and midonet-agent
// processes, network namespaces); this test runs it once and reports every scenario as a row.
#include <QProcess>
#include <QtTest>

#include <unistd.h>

class TstE2eL2gw : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (::geteuid() != 0) QSKIP("needs root: hosts, VMs and the physical switch are network namespaces");
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral("bash"), {qEnvironmentVariable("MIDONET_L2GW_SH"),
                                         qEnvironmentVariable("MIDONET_BUILD_DIR")});
        QVERIFY2(p.waitForFinished(400'000), "l2gw.sh did not finish in 400 s");
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        m_log = QString::fromUtf8(p.readAllStandardError());
        for (const QString &line : out.split('\n')) {
            if (line.startsWith(QLatin1String("BENCH "))) qInfo("%s", qPrintable(line));
            if (!line.startsWith(QLatin1String("CASE "))) continue;
            const QStringList f = line.split(' ');
            if (f.size() >= 3) m_results[f[1]] = {f[2] == QLatin1String("PASS"), f.mid(3).join(' ')};
        }
        if (m_results.isEmpty()) qWarning("l2gw.sh set-up failed:\n%s", qPrintable(m_log.right(4000)));
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *c : {"trunk-binding-refused", "one-active", "vlan10-reaches-a1", "vlan20-reaches-b1",
                              "vlan10-not-b1", "vlan20-not-a1", "no-duplicates", "failover", "failover-vlan20"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void scenario()
    {
        QFETCH(QString, name);
        QVERIFY2(m_results.contains(name),
                 qPrintable(QStringLiteral("scenario did not run; l2gw.sh said:\n") + m_log.right(3000)));
        const auto r = m_results.value(name);
        qInfo("%s: %s", qPrintable(name), qPrintable(r.second));
        QVERIFY2(r.first, qPrintable(r.second));
    }

private:
    QMap<QString, QPair<bool, QString>> m_results;
    QString m_log;
};

QTEST_GUILESS_MAIN(TstE2eL2gw)
#include "tst_e2e_l2gw.moc"
