// Runs the datapath conformance scenarios (tests/e2e/datapath) with MIDONET_DP_BACKEND=ovs
// inside a qemu VM booting Debian's own kernel, which has the openvswitch module the host
// lacks. The payload carries the test binary, iproute2's ip, ping and Debian's ovs-dpctl (for
// the dump-flows cross-check), each with the shared libraries ldd lists.
#include <QtTest/QtTest>

#include <unistd.h>

class TestKernelDatapath : public QObject {
    Q_OBJECT

private slots:
    void conformanceInsideVm()
    {
        if (geteuid() != 0)
            QSKIP("needs root: the VM runner unpacks a kernel and builds an initramfs");
        if (QStandardPaths::findExecutable("qemu-system-x86_64").isEmpty())
            QSKIP("qemu-system-x86_64 not installed (package qemu-system-x86)");
        const QString src = qEnvironmentVariable("MIDONET_SOURCE_DIR");
        const QString build = qEnvironmentVariable("MIDONET_BUILD_DIR");
        const QString conformance = build + "/tests/e2e/datapath/tst_datapath_conformance";
        if (!QFileInfo::exists(conformance))
            QSKIP("tst_datapath_conformance not built");
        QStringList tools{conformance, "ip", "ping"};
        if (!QStandardPaths::findExecutable("ovs-dpctl").isEmpty())
            tools << "ovs-dpctl";
        else
            qWarning("ovs-dpctl not installed (openvswitch-switch): the dump-flows cross-check "
                     "will be skipped in the VM");

        QTemporaryDir tmp(QDir::tempPath() + "/mndp-kvm-XXXXXX");
        QVERIFY(tmp.isValid());
        QFile run(tmp.filePath("run.sh"));
        QVERIFY(run.open(QIODevice::WriteOnly));
        run.write("export MIDONET_DP_BACKEND=ovs\n"
                  "tst_datapath_conformance -maxwarnings 0\n");
        run.close();

        QProcess mk;
        mk.setProcessChannelMode(QProcess::MergedChannels);
        mk.start(src + "/tests/kernel/make-payload.sh",
                 QStringList{tmp.filePath("payload"), run.fileName()} + tools);
        QVERIFY(mk.waitForFinished(60000));
        QVERIFY2(mk.exitCode() == 0, mk.readAll().constData());

        QProcess vm;
        vm.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer t;
        t.start();
        vm.start(src + "/tests/kernel/ovs-vm.sh", QStringList{tmp.filePath("payload"), "1536"});
        QVERIFY(vm.waitForFinished(360000));
        const QByteArray out = vm.readAll();
        qInfo("VM run took %.1f s; its output:\n%s", t.elapsed() / 1000.0, out.constData());
        QVERIFY2(out.contains("VM-EXIT 0"), "the conformance run inside the VM failed");
        QVERIFY2(out.contains("Totals:"), "the test binary did not run inside the VM");
        QVERIFY2(!out.contains("SKIP   : TestDatapathConformance::initTestCase"),
                 "the ovs backend was skipped inside the VM");
    }
};

QTEST_GUILESS_MAIN(TestKernelDatapath)
#include "tst_kernel_datapath.moc"
