// An agent loads only the part of the virtual topology its ports can reach (agent/topology/
// reach.h), and follows the frontier as bindings and links change: tenant B's bridge, chains and
// rules stay out of an agent that only hosts tenant A's VMs, until a B port is bound there.
#include "agent/topology/reach.h"
#include "agent/topology/topology_cache.h"
#include "common/model/codec.h"
#include "common/store/memory_store.h"

#include <QtTest>

using namespace midonet;
using namespace midonet::agent;
using util::Uuid;

namespace {

template <class T> void put(store::Store &st, const T &obj)
{
    const std::string data = model::encode(obj, model::View::Store).dump();
    try {
        st.create(std::string(T::kType), obj.id, data);
    } catch (const store::StoreError &) {
        st.update(std::string(T::kType), obj.id, data);
    }
}
template <class T> void put(ModelSet &m, const T &obj)
{
    std::string err;
    if (!m.apply(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump(), &err))
        qFatal("apply %s: %s", std::string(T::kType).c_str(), err.c_str());
}

// Two tenants. A: bridge a (VM port bound on `me`) linked to router ra, whose inbound filter
// jumps to a second chain with an IP address group rule; ra has a load balancer. B: bridge b
// with a filter chain, its VM port bound on another host, not linked to A.
struct Tenants {
    Uuid me = Uuid::random(), other = Uuid::random();
    Uuid a = Uuid::random(), ra = Uuid::random(), aVm = Uuid::random(), aR = Uuid::random(), raA = Uuid::random();
    Uuid chainA = Uuid::random(), jumpA = Uuid::random(), ruleJump = Uuid::random(), ruleGroup = Uuid::random();
    Uuid groupA = Uuid::random(), lbA = Uuid::random();
    Uuid b = Uuid::random(), bVm = Uuid::random(), chainB = Uuid::random(), ruleB = Uuid::random();

    static model::Port port(Uuid id, Uuid device, bool router)
    {
        model::Port p;
        p.id = id;
        p.type = router ? model::PortType::Router : model::PortType::Bridge;
        p.deviceId = device;
        if (router) {
            p.portSubnet = {*util::IPv4Subnet::parse("10.0.0.1/24")};
            p.portAddress = p.portSubnet[0].address;
            p.portMac = *util::MacAddress::parse("02:00:00:00:00:01");
        }
        return p;
    }
    static model::Port bound(model::Port p, Uuid host, const char *ifname)
    {
        p.hostId = host;
        p.interfaceName = ifname;
        return p;
    }
    template <class Sink> void write(Sink &s) const
    {
        model::Bridge ba;
        ba.id = a;
        put(s, ba);
        model::Router r;
        r.id = ra;
        r.inboundFilterId = chainA;
        r.loadBalancerId = lbA;
        put(s, r);
        model::LoadBalancer lb;
        lb.id = lbA;
        put(s, lb);
        auto pa = port(aR, a, false), pr = port(raA, ra, true);
        pa.peerId = raA;
        pr.peerId = aR;
        put(s, pa);
        put(s, pr);
        put(s, bound(port(aVm, a, false), me, "tap-a"));
        model::IpAddrGroup g;
        g.id = groupA;
        g.name = "web-servers";
        put(s, g);
        model::Rule jump;
        jump.id = ruleJump;
        jump.chainId = chainA;
        jump.type = model::RuleType::Jump;
        jump.jumpChainId = jumpA;
        put(s, jump);
        model::Rule grp;
        grp.id = ruleGroup;
        grp.chainId = jumpA;
        grp.type = model::RuleType::Drop;
        grp.condition.ipAddrGroupSrc = groupA;
        put(s, grp);
        model::Chain ca, cj;
        ca.id = chainA;
        ca.ruleIds = {ruleJump};
        cj.id = jumpA;
        cj.ruleIds = {ruleGroup};
        put(s, ca);
        put(s, cj);

        model::Bridge bb;
        bb.id = b;
        bb.inboundFilterId = chainB;
        put(s, bb);
        model::Rule rb;
        rb.id = ruleB;
        rb.chainId = chainB;
        rb.type = model::RuleType::Drop;
        put(s, rb);
        model::Chain cb;
        cb.id = chainB;
        cb.ruleIds = {ruleB};
        put(s, cb);
        put(s, bound(port(bVm, b, false), other, "tap-b"));
    }
};

using Ids = std::unordered_set<Uuid>;

} // namespace

class TstTopologyReach : public QObject {
    Q_OBJECT
private slots:
    void reachFollowsLinksFiltersJumpsAndGroups()
    {
        Tenants t;
        ModelSet m;
        t.write(m);
        auto r = computeReach(m, t.me);
        QCOMPARE(r["bridges"], (Ids{t.a}));
        QCOMPARE(r["routers"], (Ids{t.ra}));
        QCOMPARE(r["chains"], (Ids{t.chainA, t.jumpA}));
        QCOMPARE(r["rules"], (Ids{t.ruleJump, t.ruleGroup}));
        QCOMPARE(r["ip_addr_groups"], (Ids{t.groupA}));
        QCOMPARE(r["load_balancers"], (Ids{t.lbA}));
        // The other host reaches B only.
        auto rb = computeReach(m, t.other);
        QCOMPARE(rb["bridges"], (Ids{t.b}));
        QCOMPARE(rb["chains"], (Ids{t.chainB}));
        QVERIFY(rb["routers"].empty());
        // A host with nothing bound loads nothing.
        auto none = computeReach(m, Uuid::random());
        for (const auto &type : lazyTypes()) QVERIFY2(none[type].empty(), type.c_str());
    }

    // A snapshot never runs ahead of the frontier: asked for right after a router's filter is
    // set, it already has the chain and its rules (else the filter would let everything by).
    void snapshotWaitsForNewlyReachableObjects()
    {
        store::MemoryStore st;
        Tenants t;
        t.write(st);
        LocalBindings local;
        local.localHost = t.me;
        TopologyCache cache(st, local, {});
        cache.start();
        model::Chain extra;
        extra.id = Uuid::random();
        put(st, extra);
        model::Router r;
        r.id = t.ra;
        r.inboundFilterId = extra.id;
        r.loadBalancerId = t.lbA;
        put(st, r);
        // Once the router's change is seen, the snapshot must hold the chain it names.
        QTRY_VERIFY(cache.models().routers.at(t.ra).inboundFilterId == extra.id);
        auto [snap, gen] = cache.snapshot();
        QVERIFY(snap->chain(extra.id) != nullptr);
        cache.stop();
    }

    void cacheLoadsWhatIsReachedAndFollowsBindings()
    {
        store::MemoryStore st;
        Tenants t;
        t.write(st);
        int allInvalidations = 0;
        LocalBindings local;
        local.localHost = t.me;
        TopologyCache cache(st, local, [&](const std::vector<flow::FlowTag> &, bool all) {
            if (all) ++allInvalidations;
        });
        cache.start();
        auto m = cache.models();
        QVERIFY(m.bridges.count(t.a) && m.routers.count(t.ra) && m.chains.count(t.jumpA) &&
                m.rules.count(t.ruleGroup) && m.ipAddrGroups.count(t.groupA));
        QVERIFY(!m.bridges.count(t.b));
        QVERIFY(!m.chains.count(t.chainB));
        QVERIFY(!m.rules.count(t.ruleB));
        QCOMPARE(m.ports.size(), size_t(4)); // ports are an index: all of them are known

        // A B port is bound here: B becomes reachable and is loaded.
        const int before = allInvalidations;
        const auto gen = cache.generation();
        put(st, Tenants::bound(Tenants::port(Uuid::random(), t.b, false), t.me, "tap-b2"));
        // Polled as the binder thread does (the watch is asynchronous); QTRY re-evaluates its
        // expression once more after success, so the side effect is latched.
        bool changed = false;
        QTRY_VERIFY((changed = changed || cache.refreshReach()));
        QVERIFY(cache.generation() > gen); // the next snapshot is rebuilt with B
        QCOMPARE(allInvalidations, before); // loading invalidates no flow (the binding's change did)
        m = cache.models();
        QVERIFY(m.bridges.count(t.b) && m.chains.count(t.chainB) && m.rules.count(t.ruleB));
        // Nothing changed since: nothing to do.
        QVERIFY(!cache.refreshReach());

        // A change to a loaded object arrives through its own watch.
        model::Bridge renamed;
        renamed.id = t.b;
        renamed.name = "b-renamed";
        renamed.inboundFilterId = t.chainB;
        put(st, renamed);
        QTRY_COMPARE(cache.models().bridges.at(t.b).name.value_or(""), std::string("b-renamed"));

        // A's only VM port is unbound: A goes (and with it its router, chains, rules, group).
        put(st, Tenants::port(t.aVm, t.a, false));
        changed = false;
        QTRY_VERIFY((changed = changed || cache.refreshReach()));
        m = cache.models();
        QVERIFY(!m.bridges.count(t.a) && !m.routers.count(t.ra) && !m.chains.count(t.chainA) &&
                !m.rules.count(t.ruleGroup) && !m.ipAddrGroups.count(t.groupA) && !m.loadBalancers.count(t.lbA));
        QVERIFY(m.bridges.count(t.b));
        const auto loaded = cache.lazyLoaded();
        QCOMPARE(loaded.at("bridges"), size_t(1));
        QCOMPARE(loaded.at("rules"), size_t(1));
        cache.stop();
    }
};

QTEST_GUILESS_MAIN(TstTopologyReach)
#include "tst_topology_reach.moc"
