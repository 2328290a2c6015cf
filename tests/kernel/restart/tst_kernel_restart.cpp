// Agent restart without dropping established traffic, on the real openvswitch module: boots
// Debian's kernel in qemu (tests/kernel/ovs-vm.sh) and runs restart-in-vm.sh there. Inside,
// dp_restart_probe plays the agent's datapath side (create, install flows, serve upcalls), is
// killed with SIGKILL during a 10 ms ping, and a second instance opens the datapath as the
// restarted agent does (openDatapath, adopt the flows found, take the upcalls over).
//
// Why not the whole midonet-agent in the VM: it needs ZooKeeper and the cluster's topology,
// i.e. a JVM in the guest or a guestfwd to the host's ZooKeeper, plus the agent's ~70 MB of
// libraries under software emulation; the datapath-level owner exercises the same calls the
// agent makes on restart (agent.cpp: createDatapath -> EEXIST -> openDatapath -> dumpFlows ->
// FlowTable::adopt), which is what decides whether traffic survives.
#include <QtTest/QtTest>

#include <unistd.h>

class TestKernelRestart : public QObject {
    Q_OBJECT

private slots:
    void killedOwnerKeepsTrafficAndRestartTakesOver()
    {
        if (geteuid() != 0)
            QSKIP("needs root: the VM runner unpacks a kernel and builds an initramfs");
        if (QStandardPaths::findExecutable("qemu-system-x86_64").isEmpty())
            QSKIP("qemu-system-x86_64 not installed (package qemu-system-x86)");
        const QString src = qEnvironmentVariable("MIDONET_SOURCE_DIR");
        const QString build = qEnvironmentVariable("MIDONET_BUILD_DIR");
        const QString probe = build + "/tests/kernel/restart/dp_restart_probe";
        if (!QFileInfo::exists(probe))
            QSKIP("dp_restart_probe not built");

        QTemporaryDir tmp(QDir::tempPath() + "/mndr-kvm-XXXXXX");
        QVERIFY(tmp.isValid());
        QProcess mk;
        mk.setProcessChannelMode(QProcess::MergedChannels);
        mk.start(src + "/tests/kernel/make-payload.sh",
                 QStringList{tmp.filePath("payload"), src + "/tests/kernel/restart/restart-in-vm.sh",
                             probe, "ip", "ping"});
        QVERIFY(mk.waitForFinished(60000));
        QVERIFY2(mk.exitCode() == 0, mk.readAll().constData());

        QProcess vm;
        vm.setProcessChannelMode(QProcess::MergedChannels);
        vm.start(src + "/tests/kernel/ovs-vm.sh", QStringList{tmp.filePath("payload"), "1024"});
        QVERIFY(vm.waitForFinished(280000));
        const QByteArray out = vm.readAll();
        qInfo("VM output:\n%s", out.constData());
        for (const QByteArray &line : out.split('\n'))
            if (line.startsWith("BENCH "))
                std::printf("%s\n", line.trimmed().constData());
        QVERIFY2(out.contains("CHECK takeover_ran ok"), "the restarted owner failed (see output)");
        QVERIFY2(out.contains("CHECK established_ping_survives ok"),
                 "the established ping lost packets across the kill and restart");
        QVERIFY2(out.contains("CHECK new_flow_after_restart ok"),
                 "no new flow worked after the restart (upcalls not taken over)");
        QVERIFY2(out.contains("CHECK new_flow_within_1s ok"),
                 "the first new flow after the restart took a second or more");
        QVERIFY2(out.contains("VM-EXIT 0"), "the run inside the VM failed");
    }
};

QTEST_GUILESS_MAIN(TestKernelRestart)
#include "tst_kernel_restart.moc"
