// midonet-fake-cluster: the GUI tests' stand-in REST server as a program (see fake_cluster.h),
// for screenshots and benchmarks. Not the product: use midonet-cluster for real work.
#include <QCommandLineParser>
#include <QCoreApplication>

#include "fake_cluster.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Stand-in MidoNet REST server for the Manager's tests"));
    p.addHelpOption();
    QCommandLineOption port(QStringLiteral("port"), QStringLiteral("port on 127.0.0.1"), QStringLiteral("port"), QStringLiteral("8181"));
    QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("load the demo topology"));
    QCommandLineOption gen(QStringLiteral("generate"), QStringLiteral("generate N devices with 2N links"), QStringLiteral("n"));
    p.addOption(port);
    p.addOption(demo);
    p.addOption(gen);
    p.process(app);
    midonet::manager::test::FakeCluster fake;
    if (!fake.start(quint16(p.value(port).toUInt()))) {
        qCritical("cannot listen on 127.0.0.1:%s", qPrintable(p.value(port)));
        return 1;
    }
    if (p.isSet(demo)) fake.loadDemo();
    if (p.isSet(gen)) fake.loadGenerated(p.value(gen).toInt(), 2 * p.value(gen).toInt());
    qInfo("fake cluster on %s", qPrintable(fake.url()));
    return app.exec();
}
