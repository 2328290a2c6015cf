// The agent's flow table against a real datapath object (the userspace backend needs no ports
// and no privileges for flow operations): flows go in with their tags, a tag change removes
// exactly the flows carrying it, and a stale simulation never leaves a flow behind.
#include "agent/flows/flow_table.h"

#include <QtTest>

using namespace midonet;
using namespace midonet::agent;

namespace {

flow::FlowMatch matchFor(uint32_t inPort, uint16_t tpDst)
{
    flow::FlowKey k;
    k.inPort = inPort;
    k.ethType = flow::kEthTypeIpv4;
    k.ipProto = flow::kIpProtoTcp;
    k.tpDst = tpDst;
    flow::FlowMask m;
    m.mark(flow::Field::InPort).mark(flow::Field::EthType).mark(flow::Field::IpProto).mark(flow::Field::TpDst);
    return flow::FlowMatch(k, m);
}

std::unique_ptr<dp::Datapath> datapath()
{
    dp::DatapathOptions o;
    o.backend = dp::Backend::Userspace;
    return dp::createDatapath("mnt-ft" + std::to_string(::getpid()), o);
}

} // namespace

class TstFlowTable : public QObject
{
    Q_OBJECT
private slots:
    void invalidationRemovesExactlyTheTaggedFlows()
    {
        auto dp = datapath();
        FlowTable t(*dp);
        const auto bridge = util::Uuid::random(), router = util::Uuid::random(), chain = util::Uuid::random();
        const auto a = matchFor(1, 80), b = matchFor(1, 22), c = matchFor(2, 80);
        const flow::FlowActions out{flow::OutputAction{2}};
        QVERIFY(t.install(a, out, {flow::FlowTag::device(bridge)}, 0, 60000));
        QVERIFY(t.install(b, {}, {flow::FlowTag::device(bridge), flow::FlowTag::device(chain)}, 0, 60000));
        QVERIFY(t.install(c, out, {flow::FlowTag::device(router)}, 0, 60000));
        QCOMPARE(dp->dumpFlows().size(), size_t(3));

        QCOMPARE(t.invalidate(flow::FlowTag::device(chain)), size_t(1));
        QVERIFY(!t.contains(b));
        QVERIFY(!dp->getFlow(b));
        QVERIFY(t.contains(a) && dp->getFlow(a));
        QVERIFY(t.contains(c) && dp->getFlow(c));

        // A flow listed under two of the changed tags is removed once.
        const std::vector<flow::FlowTag> both{flow::FlowTag::device(bridge), flow::FlowTag::device(router)};
        QCOMPARE(t.invalidate(both), size_t(2));
        QCOMPARE(dp->dumpFlows().size(), size_t(0));
        QCOMPARE(t.stats().invalidated, uint64_t(3));
        QCOMPARE(t.invalidate(flow::FlowTag::device(bridge)), size_t(0));
    }

    void reinstallReplacesTags()
    {
        auto dp = datapath();
        FlowTable t(*dp);
        const auto oldDep = util::Uuid::random(), newDep = util::Uuid::random();
        const auto m = matchFor(3, 443);
        QVERIFY(t.install(m, {}, {flow::FlowTag::device(oldDep)}, 0, 60000));
        QVERIFY(t.install(m, {flow::OutputAction{1}}, {flow::FlowTag::device(newDep)}, 0, 60000));
        QCOMPARE(t.invalidate(flow::FlowTag::device(oldDep)), size_t(0));
        QVERIFY(dp->getFlow(m));
        QCOMPARE(t.invalidate(flow::FlowTag::device(newDep)), size_t(1));
    }

    void staleSimulationIsNotInstalled()
    {
        auto dp = datapath();
        FlowTable t(*dp);
        const auto m = matchFor(1, 8080);
        QVERIFY(!t.install(m, {}, {}, 0, 60000, [] { return false; }));
        QVERIFY(!dp->getFlow(m));
        QCOMPARE(t.stats().stale, uint64_t(1));
    }

    void hardExpiry()
    {
        auto dp = datapath();
        FlowTable t(*dp);
        const auto shortDrop = matchFor(1, 1), forward = matchFor(1, 2);
        QVERIFY(t.install(shortDrop, {}, {}, 1000, 5000));
        QVERIFY(t.install(forward, {flow::OutputAction{2}}, {}, 1000, 60000));
        t.expire(5999, std::chrono::hours(1));
        QVERIFY(t.contains(shortDrop));
        t.expire(6000, std::chrono::hours(1));
        QVERIFY(!t.contains(shortDrop));
        QVERIFY(!dp->getFlow(shortDrop));
        QVERIFY(t.contains(forward));
    }

    void adoptedFlowsGoAfterGrace()
    {
        auto dp = datapath();
        const auto m = matchFor(4, 53);
        dp->putFlow(m, {flow::OutputAction{1}});
        FlowTable t(*dp);
        for (const auto &f : dp->dumpFlows()) t.adopt(f.match, 100, 5000);
        QVERIFY(t.contains(m));
        t.expire(5100, std::chrono::hours(1));
        QVERIFY(!dp->getFlow(m));
    }
};

QTEST_GUILESS_MAIN(TstFlowTable)
#include "tst_flow_table.moc"
