// End to end, as an operator would use it: VMs on different hosts talk through virtual bridges
// and a router that exist only in the NSDB, configured through the REST API, simulated by the
// agents and forwarded by their userspace datapaths over VXLAN. The scenarios live in cloud.sh
// (real ZooKeeper, real midonet-cluster and midonet-agent processes, network namespaces); this
// test runs it once and reports every scenario as its own row.
#include <QProcess>
#include <QtTest>

#include <unistd.h>

class TstE2eCloud : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (::geteuid() != 0) QSKIP("needs root: hosts and VMs are network namespaces");
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral("bash"), {qEnvironmentVariable("MIDONET_CLOUD_SH"),
                                         qEnvironmentVariable("MIDONET_BUILD_DIR")});
        QVERIFY2(p.waitForFinished(600'000), "cloud.sh did not finish in 10 minutes");
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        m_log = QString::fromUtf8(p.readAllStandardError());
        for (const QString &line : out.split('\n')) {
            if (line.startsWith(QLatin1String("BENCH "))) qInfo("%s", qPrintable(line));
            if (!line.startsWith(QLatin1String("CASE "))) continue;
            const QStringList f = line.split(' ');
            if (f.size() >= 3) m_results[f[1]] = {f[2] == QLatin1String("PASS"), f.mid(3).join(' ')};
        }
        if (m_results.isEmpty()) qWarning("cloud.sh set-up failed:\n%s", qPrintable(m_log.right(4000)));
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
        QVERIFY2(m_results.contains(name),
                 qPrintable(QStringLiteral("scenario did not run; cloud.sh said:\n") + m_log.right(3000)));
        const auto r = m_results.value(name);
        qInfo("%s: %s", qPrintable(name), qPrintable(r.second));
        QVERIFY2(r.first, qPrintable(r.second));
    }

private:
    QMap<QString, QPair<bool, QString>> m_results;
    QString m_log;
};

QTEST_GUILESS_MAIN(TstE2eCloud)
#include "tst_e2e_cloud.moc"
