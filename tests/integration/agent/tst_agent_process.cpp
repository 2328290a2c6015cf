// midonet-agent as a process: an operator's SIGTERM must end it promptly whatever the NSDB does.
// The agent really runs (real ZooKeeper from the test fixture, userspace datapath, so root).
#include "tests/support/zookeeper_server.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using midonet::test::ZooKeeperServer;

class TstAgentProcess : public QObject {
    Q_OBJECT

    QString agentBinary() const { return qEnvironmentVariable("MIDONET_BUILD_DIR") + "/agent/midonet-agent"; }

    // Starts the agent; output (stdout+stderr) is merged so logs can be searched.
    void start(QProcess &p, const QString &zookeeper, const QString &stateDir)
    {
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(agentBinary(), {"--zookeeper", zookeeper, "--state-dir", stateDir, "--datapath", "userspace",
                                "--datapath-name", "mnt-proc", "--zookeeper-session-timeout", "4000"});
        QVERIFY2(p.waitForStarted(5000), qPrintable(p.errorString()));
    }
    static bool waitForOutput(QProcess &p, const QByteArray &text, int ms, QByteArray &seen)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms) {
            p.waitForReadyRead(100);
            seen += p.readAll();
            if (seen.contains(text)) return true;
            if (p.state() == QProcess::NotRunning) return false;
        }
        return false;
    }
    // SIGTERM, then how long until the process is gone (ms), or -1 past `limitMs`.
    static qint64 terminate(QProcess &p, int limitMs, QByteArray &seen)
    {
        QElapsedTimer t;
        t.start();
        ::kill(pid_t(p.processId()), SIGTERM);
        if (!p.waitForFinished(limitMs)) return -1;
        seen += p.readAll();
        return t.elapsed();
    }

    // A loopback port that was free a moment ago and has no listener.
    static int closedLoopbackPort()
    {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        int port = -1;
        if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
            port = ntohs(a.sin_port);
        ::close(fd);
        return port;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(agentBinary())) QSKIP("midonet-agent not built");
    }

    // Started against an address where no ZooKeeper answers: the store would wait its 15 s
    // connect timeout; the operator's SIGTERM ends the agent within the 5 s stop grace.
    void stopsWhileNsdbUnreachable()
    {
        const int port = closedLoopbackPort();
        QVERIFY(port > 0);
        QTemporaryDir dir;
        QProcess agent;
        start(agent, QString("127.0.0.1:%1").arg(port), dir.path());
        QByteArray seen;
        QVERIFY(waitForOutput(agent, "connecting to ZooKeeper", 5000, seen));
        QTest::qWait(500);
        const qint64 ms = terminate(agent, 9000, seen);
        QVERIFY2(ms >= 0, "agent still running 9 s after SIGTERM");
        qInfo("BENCH agent_stop_nsdb_unreachable_ms %lld ms", ms);
        QCOMPARE(agent.exitStatus(), QProcess::NormalExit);
        QCOMPARE(agent.exitCode(), 0);
    }

    // Running with a live NSDB, then ZooKeeper killed: the stop is clean and prompt; and with
    // ZooKeeper alive the stop is clean too ("agent stopped" logged).
    void stopsCleanly_data()
    {
        QTest::addColumn<bool>("killZooKeeper");
        QTest::newRow("nsdb alive") << false;
        QTest::newRow("nsdb killed") << true;
    }
    void stopsCleanly()
    {
        QFETCH(bool, killZooKeeper);
        if (::geteuid() != 0) QSKIP("the userspace datapath needs root (AF_PACKET)");
        ZooKeeperServer zk;
        QTemporaryDir dir;
        QProcess agent;
        start(agent, QString::fromStdString(zk.connectString()), dir.path());
        QByteArray seen;
        QVERIFY2(waitForOutput(agent, "agent running", 30000, seen), seen.constData());
        if (killZooKeeper) {
            zk.kill();
            QVERIFY2(waitForOutput(agent, "lost the connection", 10000, seen), seen.constData());
        }
        const qint64 ms = terminate(agent, 9000, seen);
        QVERIFY2(ms >= 0, "agent still running 9 s after SIGTERM");
        qInfo("BENCH agent_stop_%s_ms %lld ms", killZooKeeper ? "nsdb_killed" : "nsdb_alive", ms);
        QCOMPARE(agent.exitCode(), 0);
        QVERIFY2(seen.contains("agent stopped") || seen.contains("leaving without a clean stop"),
                 seen.constData());
        if (!killZooKeeper) QVERIFY2(seen.contains("agent stopped"), seen.constData());
    }
};

QTEST_GUILESS_MAIN(TstAgentProcess)
#include "tst_agent_process.moc"
