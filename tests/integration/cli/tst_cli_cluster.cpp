// midonet-cli against a real midonet-cluster (memory store, no auth): one-shot `-e` commands and
// a scripted session on stdin, checking what a user sees and the exit status. The cluster is
// started here on a free port; the test skips with the reason when it is not built or says it
// is not implemented yet.
#include "cli/http_client.h"

#include <QProcess>
#include <QtTest>

#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace midonet::cli;

namespace {

int freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

struct Run {
    int exitCode = -1;
    QString out, err;
};

} // namespace

class TstCliCluster : public QObject
{
    Q_OBJECT

    QString buildDir_ = qEnvironmentVariable("MIDONET_BUILD_DIR");
    QString cli_;
    QString url_;
    QProcess cluster_;

    Run cli(const QStringList &args, const QByteArray &stdinData = {}, const QStringList &extraEnv = {})
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", QDir::tempPath() + "/midonet-cli-test-home"); // no ~/.midonetrc
        env.remove("MIDO_API_URL");
        env.remove("MIDO_USER");
        env.remove("MIDO_PASSWORD");
        env.remove("MIDO_PROJECT_ID");
        env.remove("MIDO_TENANT");
        for (const auto &kv : extraEnv) env.insert(kv.section('=', 0, 0), kv.section('=', 1));
        p.setProcessEnvironment(env);
        p.start(cli_, QStringList{"--midonet-url", url_} + args);
        p.write(stdinData);
        p.closeWriteChannel();
        Run r;
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    Run eval(const QString &command) { return cli(QStringList{"-A", "-e"} + command.split(' ')); }

private slots:
    void initTestCase()
    {
        if (buildDir_.isEmpty()) // run by hand, not by ctest: <build>/tests/integration/cli/
            buildDir_ = QDir(QCoreApplication::applicationDirPath() + "/../../..").absolutePath();
        cli_ = buildDir_ + "/cli/midonet-cli";
        // MIDONET_CLUSTER overrides which cluster binary to start (e.g. another build directory).
        QString cluster = qEnvironmentVariable("MIDONET_CLUSTER", buildDir_ + "/cluster/midonet-cluster");
        if (!QFileInfo(cli_).isExecutable()) QSKIP("midonet-cli is not built");
        if (!QFileInfo(cluster).isExecutable()) QSKIP("midonet-cluster is not built (build the midonet-cluster target)");
        int port = freePort();
        url_ = QString("http://127.0.0.1:%1/midonet-api").arg(port);
        cluster_.setProcessChannelMode(QProcess::MergedChannels);
        cluster_.start(cluster, {"--store", "memory", "--auth", "none", "--listen", QString("127.0.0.1:%1").arg(port)});
        if (!cluster_.waitForStarted(10000)) QSKIP("midonet-cluster does not start");
        // Poll with a deadline until the root resource answers.
        HttpClient http(std::chrono::milliseconds(2000));
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired()) {
            if (cluster_.state() == QProcess::NotRunning) {
                auto log = QString::fromUtf8(cluster_.readAll());
                if (log.contains("not implemented"))
                    QSKIP(qPrintable("midonet-cluster is not implemented yet: " + log.trimmed()));
                QFAIL(qPrintable("midonet-cluster exited: " + log));
            }
            try {
                if (http.send({"GET", url_.toStdString() + "/", {{"Accept", "application/json"}}, {}}).status == 200) return;
            } catch (const TransportError &) {
            }
            QThread::msleep(100);
        }
        QFAIL("midonet-cluster did not answer GET /midonet-api/ within 30 s");
    }

    void cleanupTestCase()
    {
        if (cluster_.state() != QProcess::NotRunning) {
            cluster_.terminate();
            if (!cluster_.waitForFinished(5000)) cluster_.kill();
            cluster_.waitForFinished();
        }
    }

    void oneShotCreateListShowDelete()
    {
        auto created = eval("bridge create name front");
        QCOMPARE(created.exitCode, 0);
        auto id = created.out.trimmed();
        QVERIFY2(QUuid::fromString(id).isNull() == false, qPrintable(created.out + created.err));

        auto list = eval("bridge list");
        QCOMPARE(list.exitCode, 0);
        // Aliases are off with -e: UUIDs are printed.
        QVERIFY2(list.out.contains("bridge " + id + " name front state up"), qPrintable(list.out));

        auto show = eval("bridge " + id + " show name");
        QCOMPARE(show.out, QString("front\n"));

        QCOMPARE(eval("bridge " + id + " set name back").exitCode, 0);
        QCOMPARE(eval("bridge " + id + " show name").out, QString("back\n"));
        QCOMPARE(eval("bridge list name back").out.count('\n'), 1);

        QCOMPARE(eval("bridge " + id + " delete").exitCode, 0);
        QVERIFY(!eval("bridge list").out.contains(id));
    }

    void oneShotErrorsExitOne()
    {
        auto bad = eval("bridge create colour red");
        QCOMPARE(bad.exitCode, 1);
        QCOMPARE(bad.out, QString("Syntax error at: ...colour red\n"));

        auto missing = eval("bridge 11111111-2222-3333-4444-555555555555 show");
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.out.startsWith("Internal error: 404"), qPrintable(missing.out));

        auto value = eval("bridge create state sideways");
        QCOMPARE(value.exitCode, 1);
        QCOMPARE(value.out, QString("Internal error: Invalid value field state: sideways\n"));
    }

    void topologyAndLink()
    {
        auto router = eval("router create name edge").out.trimmed();
        auto rport = eval("router " + router + " add port addresses 10.0.0.1/24").out.trimmed();
        auto bridge = eval("bridge create name lan").out.trimmed();
        auto bport = eval("bridge " + bridge + " add port").out.trimmed();
        QVERIFY(!QUuid::fromString(rport).isNull());
        QVERIFY(!QUuid::fromString(bport).isNull());

        auto link = eval("bridge " + bridge + " port " + bport + " set peer " + rport);
        QVERIFY2(link.exitCode == 0, qPrintable(link.out + link.err));
        auto peer = eval("bridge " + bridge + " port " + bport + " show");
        QVERIFY2(peer.out.contains("peer " + rport), qPrintable(peer.out));

        auto route = eval("router " + router + " add route src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port " + rport +
                          " type normal");
        QVERIFY2(route.exitCode == 0, qPrintable(route.out + route.err));
        auto routes = eval("router " + router + " route list");
        QVERIFY2(routes.out.contains("type normal src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port " + rport), qPrintable(routes.out));

        QCOMPARE(eval("bridge " + bridge + " port " + bport + " clear peer").exitCode, 0);
        QVERIFY(!eval("bridge " + bridge + " port " + bport + " show").out.contains("peer"));
    }

    void chainRulesInOrder()
    {
        auto chain = eval("chain create name fw").out.trimmed();
        QCOMPARE(eval("chain " + chain + " add rule type accept dst-port 22 proto 6").exitCode, 0);
        QCOMPARE(eval("chain " + chain + " add rule type drop src !10.0.0.0/8").exitCode, 0); // at pos 1: the head
        auto dnat = eval("chain " + chain + " add rule type dnat action accept dst 1.2.3.4 target 10.0.0.5 pos 3");
        QVERIFY2(dnat.exitCode == 0, qPrintable(dnat.out + dnat.err));
        auto rules = eval("chain " + chain + " rule list").out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rules.size(), 3);
        // The server fills defaults such as fragment-policy, printed between these fields.
        QVERIFY2(rules[0].contains("pos 1 type drop") && rules[0].contains("src !10.0.0.0/8"), qPrintable(rules[0]));
        QVERIFY2(rules[1].contains("pos 2 type accept") && rules[1].contains("dst-port 22-22"), qPrintable(rules[1]));
        QVERIFY2(rules[2].contains("pos 3 type dnat action accept") && rules[2].contains("dst 1.2.3.4") &&
                     rules[2].contains("target 10.0.0.5"),
                 qPrintable(rules[2]));
    }

    void scriptedSessionOnStdin()
    {
        // Piped input: no aliases, so the script addresses objects by name filters.
        QByteArray script = "tunnel-zone create name tz1 type vxlan\n"
                            "port-group create name web\n"
                            "ip-address-group create name admins\n"
                            "ip-address-group name admins add ip address 192.168.0.7\n"
                            "load-balancer create\n"
                            "health-monitor create type TCP delay 5 timeout 3 max-retries 2\n"
                            "\n"
                            "tunnel-zone list\n"
                            "port-group list name web\n"
                            "ip-address-group name admins ip list\n"
                            "system-state show\n"
                            "bogus words\n"
                            "describe port-group\n";
        auto r = cli({"-A"}, script);
        QCOMPARE(r.exitCode, 0); // the last command succeeded
        auto out = r.out;
        QVERIFY2(out.contains(QRegularExpression("tunnel-zone [0-9a-f-]{36} name tz1 type vxlan\n")), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("port-group [0-9a-f-]{36} name web")), qPrintable(out));
        QVERIFY2(out.contains("address 192.168.0.7\n"), qPrintable(out));
        QVERIFY2(out.contains("state ACTIVE availability READWRITE\n"), qPrintable(out));
        QVERIFY2(out.contains("Syntax error at: ...bogus words\n"), qPrintable(out));
        QVERIFY2(out.contains("Object collections:\n  member\nFields:\n"), qPrintable(out));
    }

    void lastCommandDecidesExit()
    {
        auto r = cli({"-A"}, "bridge list\nbridge create colour red\n");
        QCOMPARE(r.exitCode, 1);
    }

    void loginWithCredentials()
    {
        // With --auth none every login succeeds (MidoNet's Mock provider); the token then goes
        // in X-Auth-Token. A wrong URL gives MidoNet's refusal text and exit 1.
        auto r = cli({"-u", "admin", "-i", "admin", "-e", "tenant", "list"}, {}, {"MIDO_PASSWORD=secret"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QProcess p;
        p.start(cli_, {"--midonet-url", QString("http://127.0.0.1:%1/midonet-api").arg(freePort()), "-A", "-e", "bridge", "list"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()), QString("Connection to MidoNet API server refused. Bye.\n"));
    }

    void completionThroughPty()
    {
        // Interactive mode as a person sees it: a pseudo-terminal, the prompt, Tab.
        QCOMPARE(eval("bridge create name ptybridge").exitCode, 0);
        int master = -1;
        pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
        QVERIFY(pid >= 0);
        if (pid == 0) {
            setenv("HOME", "/nonexistent", 1);
            execl(cli_.toLocal8Bit().constData(), "midonet-cli", "--midonet-url", url_.toLocal8Bit().constData(), "-A",
                  static_cast<char *>(nullptr));
            _exit(127);
        }
        std::string seen;
        // Reads until `needle` appears after `from`, with a deadline.
        auto waitFor = [&](const std::string &needle, size_t from) {
            QDeadlineTimer deadline(10000);
            while (seen.find(needle, from) == std::string::npos && !deadline.hasExpired()) {
                pollfd p{master, POLLIN, 0};
                if (::poll(&p, 1, 100) > 0) {
                    char buf[4096];
                    auto n = ::read(master, buf, sizeof buf);
                    if (n <= 0) break;
                    seen.append(buf, size_t(n));
                }
            }
            return seen.find(needle, from) != std::string::npos;
        };
        auto type = [&](const std::string &keys) { QCOMPARE(::write(master, keys.data(), keys.size()), ssize_t(keys.size())); };

        QVERIFY2(waitFor("midonet> ", 0), seen.c_str());
        size_t mark = seen.size();
        type("bri\t"); // one candidate: completed with a trailing space
        QVERIFY2(waitFor("dge ", mark), seen.c_str());
        mark = seen.size();
        type("\t\t"); // several: listed (bridge aliases from the API, and the verbs)
        QVERIFY2(waitFor("bridge0", mark), seen.c_str());
        QVERIFY2(waitFor("describe", mark), seen.c_str());
        mark = seen.size();
        type("\x15" "bridge bridge0 set sta");
        QVERIFY2(waitFor("set sta", mark), seen.c_str());
        mark = seen.size();
        type("\t");
        QVERIFY2(waitFor("te ", mark), seen.c_str());
        mark = seen.size();
        type("\x15" "bridge bridge0 frob\n"); // an error, and the session goes on
        QVERIFY2(waitFor("Syntax error at: ...frob", mark), seen.c_str());
        QVERIFY2(waitFor("midonet> ", mark), seen.c_str());
        type("quit\n");
        int status = 0;
        QDeadlineTimer deadline(10000);
        while (::waitpid(pid, &status, WNOHANG) == 0 && !deadline.hasExpired()) QThread::msleep(20);
        if (deadline.hasExpired()) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            QFAIL("midonet-cli did not quit");
        }
        ::close(master);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0); // the last command, quit, succeeded
    }

    void missingSettingsExitTwo()
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", QDir::tempPath() + "/midonet-cli-test-home");
        env.remove("MIDO_API_URL");
        p.setProcessEnvironment(env);
        p.start(cli_, {"-A", "-e", "bridge", "list"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()), QString("Missing: Midonet API URL\n"));
    }
};

QTEST_GUILESS_MAIN(TstCliCluster)
#include "tst_cli_cluster.moc"
