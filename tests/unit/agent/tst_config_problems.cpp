// Routes to nowhere are found and explained (agent/topology/config_problems.h); good routes are
// not reported.
#include "agent/topology/config_problems.h"
#include "common/model/codec.h"

#include <QtTest>

using namespace midonet;
using namespace midonet::agent;
using util::Uuid;

namespace {
template <class T> void put(ModelSet &m, const T &obj)
{
    std::string err;
    if (!m.apply(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump(), &err))
        qFatal("apply %s: %s", std::string(T::kType).c_str(), err.c_str());
}
const Uuid kRouter = *Uuid::parse("00000000-0000-0000-0000-00000000a001");
const Uuid kOther = *Uuid::parse("00000000-0000-0000-0000-00000000a002");
const Uuid kLinked = *Uuid::parse("00000000-0000-0000-0000-000000000001");
const Uuid kBound = *Uuid::parse("00000000-0000-0000-0000-000000000002");
const Uuid kLoose = *Uuid::parse("00000000-0000-0000-0000-000000000003");
const Uuid kOthers = *Uuid::parse("00000000-0000-0000-0000-000000000004");
const Uuid kMissing = *Uuid::parse("00000000-0000-0000-0000-000000000009");

model::Port routerPort(Uuid id, Uuid router, const char *cidr)
{
    model::Port p;
    p.id = id;
    p.type = model::PortType::Router;
    p.deviceId = router;
    p.portSubnet = {*util::IPv4Subnet::parse(cidr)};
    p.portAddress = p.portSubnet[0].address;
    p.portMac = *util::MacAddress::parse("02:00:00:00:00:01");
    return p;
}

ModelSet topology()
{
    ModelSet m;
    for (Uuid id : {kRouter, kOther}) {
        model::Router r;
        r.id = id;
        put(m, r);
    }
    auto linked = routerPort(kLinked, kRouter, "10.0.1.1/24");
    linked.peerId = Uuid::random();
    auto bound = routerPort(kBound, kRouter, "192.0.2.1/24");
    bound.hostId = Uuid::random();
    bound.interfaceName = "uplink0";
    put(m, linked);
    put(m, bound);
    put(m, routerPort(kLoose, kRouter, "10.9.0.1/24"));
    put(m, routerPort(kOthers, kOther, "10.8.0.1/24"));
    return m;
}
} // namespace

class TstConfigProblems : public QObject {
    Q_OBJECT
private slots:
    void routes_data()
    {
        QTest::addColumn<Uuid>("port");
        QTest::addColumn<QString>("gateway");
        QTest::addColumn<QString>("problem"); // empty: none expected
        QTest::newRow("linked port") << kLinked << "" << "";
        QTest::newRow("bound uplink with gateway") << kBound << "192.0.2.254" << "";
        QTest::newRow("missing port") << kMissing << "" << "does not exist";
        QTest::newRow("another router's port") << kOthers << "" << "is not a port of router";
        QTest::newRow("port neither linked nor bound") << kLoose << "" << "goes nowhere";
        QTest::newRow("gateway outside the subnet") << kBound << "198.51.100.1" << "outside next-hop port's subnet";
    }
    void routes()
    {
        QFETCH(Uuid, port);
        QFETCH(QString, gateway);
        QFETCH(QString, problem);
        ModelSet m = topology();
        model::Route r;
        r.id = Uuid::random();
        r.routerId = kRouter;
        r.dstNetworkAddr = *util::IPv4Address::parse("10.99.0.0");
        r.dstNetworkLength = 16;
        r.nextHopPort = port;
        if (!gateway.isEmpty()) r.nextHopGateway = *util::IPv4Address::parse(gateway.toStdString());
        m.routes[r.id] = r; // as the store holds it, whatever the API would have refused
        auto found = findConfigProblems(m);
        if (problem.isEmpty()) {
            QVERIFY2(found.empty(), found.empty() ? "" : found[0].problem.c_str());
            return;
        }
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].id, r.id);
        QVERIFY2(QString::fromStdString(found[0].problem).contains(problem), found[0].problem.c_str());
        QVERIFY2(QString::fromStdString(found[0].problem).startsWith("route to 10.99.0.0/16"), found[0].problem.c_str());
    }

    // Routers this agent does not simulate are not its business.
    void routesOfRoutersNotLoadedAreIgnored()
    {
        ModelSet m = topology();
        model::Route r;
        r.id = Uuid::random();
        r.routerId = Uuid::random();
        r.nextHopPort = kMissing;
        m.routes[r.id] = r;
        QVERIFY(findConfigProblems(m).empty());
    }
};

QTEST_GUILESS_MAIN(TstConfigProblems)
#include "tst_config_problems.moc"
