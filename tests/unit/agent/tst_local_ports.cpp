// LocalPorts as the upcall path sees it: an access port takes every frame of its interface; a
// trunk's L2 gateway ports each take their VLAN, and nothing else (untagged, unknown VLAN).
#include "agent/ports/local_ports.h"

#include "common/flow/flow_key.h"

#include <QtTest/QtTest>

using namespace midonet;
using namespace midonet::agent;

namespace {
util::Uuid id(uint64_t n) { return util::Uuid{0x10ca1, n}; }
uint16_t tagged(uint16_t vlan) { return uint16_t(vlan | flow::kVlanPresent); }
} // namespace

class TstLocalPorts : public QObject
{
    Q_OBJECT
private slots:
    void accessPortTakesEverything()
    {
        LocalPorts lp;
        lp.set({id(1), "tap0", 3, 100});
        QCOMPARE(lp.byDpPort(3)->portId, id(1));
        QCOMPARE(lp.byDpPort(3, tagged(10))->portId, id(1));
        QVERIFY(!lp.isTrunk(3));
    }

    void trunkDemultiplexesByVlan()
    {
        LocalPorts lp;
        lp.set({id(1), "trunk0", 5, 101, 10});
        lp.set({id(2), "trunk0", 5, 102, 20});
        QVERIFY(lp.isTrunk(5));
        QCOMPARE(lp.usersOf(5), size_t(2));
        QCOMPARE(lp.byDpPort(5, tagged(10))->portId, id(1));
        QCOMPARE(lp.byDpPort(5, tagged(20))->portId, id(2));
        QVERIFY(!lp.byDpPort(5, tagged(30)));
        QVERIFY(!lp.byDpPort(5, 0)); // untagged on a trunk: nobody's
        QCOMPARE(lp.byTunnelKey(102)->portId, id(2));

        lp.erase(id(1));
        QCOMPARE(lp.usersOf(5), size_t(1));
        QVERIFY(!lp.byDpPort(5, tagged(10)));
        QCOMPARE(lp.byDpPort(5, tagged(20))->portId, id(2));
        lp.erase(id(2));
        QCOMPARE(lp.usersOf(5), size_t(0));
        QVERIFY(!lp.isTrunk(5));
    }

    void rebindingMovesThePort()
    {
        LocalPorts lp;
        lp.set({id(1), "trunk0", 5, 101, 10});
        lp.set({id(1), "trunk0", 5, 101, 30}); // its vlanId changed
        QVERIFY(!lp.byDpPort(5, tagged(10)));
        QCOMPARE(lp.byDpPort(5, tagged(30))->portId, id(1));
        QCOMPARE(lp.usersOf(5), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TstLocalPorts)
#include "tst_local_ports.moc"
