// Delete cascades and derived fields: each plan removes and clears exactly what MidoNet does,
// applies cleanly (no object twice, nothing dangling afterwards), and rule positions stay dense.
#include "common/model/cascade.h"

#include "common/model/references.h"
#include "fixture.h"

#include <QtTest>

#include <set>

using namespace fixture;
using nlohmann::json;

namespace {

std::set<std::string> deletedNames(const std::vector<StoreOp> &ops)
{
    std::set<std::string> out;
    for (const auto &op : ops)
        if (op.kind == StoreOp::Kind::Delete)
            for (const auto &[name, u] : ids())
                if (u == op.id) out.insert(name);
    return out;
}

size_t count(const std::vector<StoreOp> &ops, StoreOp::Kind kind, std::string_view type)
{
    size_t n = 0;
    for (const auto &op : ops) n += op.kind == kind && op.type == type;
    return n;
}

// After applying, no object refers to anything missing.
void verifyNoDangling(const MemoryResolver &r)
{
    for (const auto &t : allTypes()) {
        if (t.type.empty() || t.type == "tenants") continue;
        for (const auto &oid : r.list(t.type)) {
            auto doc = *r.get(t.type, oid);
            try {
                checkDanglingReferences(r, *t.schema, doc);
            } catch (const ReferenceError &e) {
                QFAIL(qPrintable(QString::fromStdString(std::string(t.type) + " " +
                                                        oid.toString() + ": " + e.what())));
            }
        }
    }
}

} // namespace

class TstModelCascade : public QObject
{
    Q_OBJECT
private slots:
    void deletes_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("deleted"); // fixture names; routes by count below
        QTest::addColumn<int>("routesDeleted"); // LOCAL routes (no fixture name)
        QTest::newRow("bridge") << "bridges" << "B1" << QStringList{"B1", "BP1", "BP2", "BP5", "T1"}
                                << 0;
        QTest::newRow("bridge-with-linked-port")
            << "bridges" << "B2" << QStringList{"B2", "BP3", "BP4", "BV"} << 0;
        QTest::newRow("router") << "routers" << "R1" << QStringList{"R1", "RP1", "RP2", "N1", "BGP1"}
                                << 2; // the LOCAL routes of RP1 and RP2
        QTest::newRow("router-port") << "ports" << "RP1" << QStringList{"RP1", "N1"} << 1;
        QTest::newRow("bridge-port") << "ports" << "BP1" << QStringList{"BP1", "T1"} << 0;
        QTest::newRow("chain") << "chains" << "C1" << QStringList{"C1", "A1", "A2", "J"} << 0;
        QTest::newRow("rule") << "rules" << "A1" << QStringList{"A1"} << 0;
        QTest::newRow("load-balancer") << "load_balancers" << "LB1"
                                       << QStringList{"LB1", "P1", "M1", "V1"} << 0;
        QTest::newRow("pool") << "pools" << "P1" << QStringList{"P1", "M1", "V1"} << 0;
        QTest::newRow("health-monitor") << "health_monitors" << "HM1" << QStringList{"HM1"} << 0;
        QTest::newRow("host-without-bindings") << "hosts" << "H2" << QStringList{"H2"} << 0;
        QTest::newRow("port-group") << "port_groups" << "PG1" << QStringList{"PG1"} << 0;
        QTest::newRow("trace") << "traces" << "T1" << QStringList{"T1"} << 0;
        QTest::newRow("bgp-peer") << "bgp_peers" << "BGP1" << QStringList{"BGP1"} << 0;
    }
    void deletes()
    {
        QFETCH(QString, type);
        QFETCH(QString, name);
        QFETCH(QStringList, deleted);
        QFETCH(int, routesDeleted);
        MemoryResolver r = build();
        auto ops = planDelete(r, type.toStdString(), id(name.toStdString()));
        std::set<std::string> want;
        for (const auto &d : deleted) want.insert(d.toStdString());
        QCOMPARE(deletedNames(ops), want);
        QCOMPARE(int(count(ops, StoreOp::Kind::Delete, "routes")) -
                     int(want.count("N1")),
                 routesDeleted);
        std::set<std::pair<std::string, Uuid>> seen;
        for (const auto &op : ops) {
            QVERIFY2(seen.insert({op.type, op.id}).second, "an object appears twice in the plan");
            if (op.kind == StoreOp::Kind::Update)
                QVERIFY(findType(op.type)->validate(op.value, DecodeOptions::store()).empty());
        }
        r.apply(ops);
        QVERIFY(!r.exists(type.toStdString(), id(name.toStdString())));
        verifyNoDangling(r);
    }

    void deleteClears()
    {
        MemoryResolver r = build();
        r.apply(planDelete(r, "chains", id("C1")));
        QVERIFY(!r.find<Bridge>(id("B1"))->inboundFilterId);
        QVERIFY(r.find<Chain>(id("C2"))->ruleIds.empty()); // the jump rule left C2's order

        r = build();
        r.apply(planDelete(r, "ports", id("RP4")));
        QVERIFY(!r.find<Port>(id("BP4"))->peerId);

        r = build();
        r.apply(planDelete(r, "ports", id("BP1")));
        QVERIFY(r.find<PortGroup>(id("PG1"))->portIds.empty());

        r = build();
        r.apply(planDelete(r, "load_balancers", id("LB1")));
        QVERIFY(!r.find<Router>(id("R2"))->loadBalancerId);

        r = build();
        r.apply(planDelete(r, "health_monitors", id("HM1")));
        QVERIFY(!r.find<Pool>(id("P1"))->healthMonitorId);

        r = build();
        r.apply(planDelete(r, "rules", id("A1")));
        QCOMPARE(r.find<Chain>(id("C1"))->ruleIds, std::vector<Uuid>{id("A2")});

        r = build();
        r.apply(planAddTunnelZoneMember(r, {id("TZ"), id("H2"), *IPv4Address::parse("10.9.9.9")}));
        r.apply(planDelete(r, "hosts", id("H2")));
        QCOMPARE(r.find<TunnelZone>(id("TZ"))->hosts.size(), size_t(1));

        r = build();
        Rule redirect = decode<Rule>(json{{"type", "l2_transform"}, {"flowAction", "redirect"},
                                          {"targetPortId", id("BP2").toString()},
                                          {"inPorts", {id("BP2").toString(), id("BP1").toString()}}},
                                     DecodeOptions::apiInput());
        r.apply(planCreateRule(r, id("C2"), redirect));
        Rule filter = decode<Rule>(json{{"type", "drop"},
                                        {"inPorts", {id("BP2").toString(), id("BP1").toString()}},
                                        {"ipAddrGroupDst", id("IG1").toString()}},
                                   DecodeOptions::apiInput());
        r.apply(planCreateRule(r, id("C2"), filter));
        r.apply(planDelete(r, "ports", id("BP2")));
        QCOMPARE(r.find<Chain>(id("C2"))->ruleIds.size(), size_t(2)); // J and the filter
        auto kept = rulesInOrder(r, id("C2"));
        QCOMPARE(kept[0].condition.inPorts, std::vector<Uuid>{id("BP1")});
        r.apply(planDelete(r, "ip_addr_groups", id("IG1")));
        QVERIFY(!rulesInOrder(r, id("C2"))[0].condition.ipAddrGroupDst);

        r = build();
        Rule pgRule;
        pgRule.id = Uuid::random();
        pgRule.chainId = id("C2");
        pgRule.type = RuleType::Drop;
        pgRule.condition.portGroup = id("PG1");
        pgRule.condition.fragmentPolicy = FragmentPolicy::Any;
        r.put(pgRule);
        r.apply(planDelete(r, "port_groups", id("PG1")));
        QVERIFY(!r.find<Rule>(pgRule.id)->condition.portGroup);
    }

    void refusedDeletes()
    {
        MemoryResolver r = build();
        QCOMPARE(outcome([&] { planDelete(r, "routers", id("R2")); }),
                 std::pair(409, std::string("loadBalancerId")));
        QCOMPARE(outcome([&] { planDelete(r, "hosts", id("H1")); }).first, 403);
        QCOMPARE(outcome([&] { planDelete(r, "bridges", id("NONE")); }).first, 404);
        Bridge b = *r.find<Bridge>(id("B2"));
        b.vxLanPortIds = {id("BP3")};
        r.put(b);
        QCOMPARE(outcome([&] { planDelete(r, "bridges", id("B2")); }),
                 std::pair(409, std::string("vxLanPortIds")));
    }

    void localRoutesPerAddress()
    {
        Port p = routerPort("RP1", "R1", "10.0.0.1/24");
        p.portSubnet.push_back(*IPv4Subnet::parse("10.8.0.5/16"));
        auto routes = localRoutes(p);
        QCOMPARE(routes.size(), size_t(2));
        json j = encode(routes[1]);
        QCOMPARE(j["type"], json("Local"));
        QCOMPARE(j["srcNetworkAddr"], json("0.0.0.0"));
        QCOMPARE(j["srcNetworkLength"], json(0));
        QCOMPARE(j["dstNetworkAddr"], json("10.8.0.5"));
        QCOMPARE(j["dstNetworkLength"], json(32));
        QCOMPARE(j["nextHopPort"], json(id("RP1").toString()));
        QCOMPARE(j["routerId"], json(id("R1").toString()));
        QCOMPARE(j["weight"], json(0));
        QVERIFY(routes[0].id != routes[1].id);
        QCOMPARE(localRoutes(p)[0].id, routes[0].id); // deterministic
        QVERIFY(localRoutes(bridgePort("BP1", "B1")).empty());
    }

    void createAndUpdateRouterPort()
    {
        MemoryResolver r = build();
        auto port = decode<Port>(json{{"type", "Router"}, {"portSubnet", {"10.20.0.1/24"}}},
                                 DecodeOptions::apiInput());
        prepareNewPort(port, id("R1"));
        QVERIFY(!port.id.isNil());
        QVERIFY(port.portMac && !port.portMac->isMulticast());
        QCOMPARE(port.portMac->toString().substr(0, 9), std::string("ac:ca:ba:"));
        auto ops = planCreatePort(r, port);
        QCOMPARE(count(ops, StoreOp::Kind::Create, "ports"), size_t(1));
        QCOMPARE(count(ops, StoreOp::Kind::Create, "routes"), size_t(1));
        r.apply(ops);

        port.portSubnet = {*IPv4Subnet::parse("10.30.0.1/24"), *IPv4Subnet::parse("10.40.0.1/24")};
        ops = planUpdatePort(r, port);
        QCOMPARE(count(ops, StoreOp::Kind::Update, "ports"), size_t(1));
        QCOMPARE(count(ops, StoreOp::Kind::Delete, "routes"), size_t(1));
        QCOMPARE(count(ops, StoreOp::Kind::Create, "routes"), size_t(2));
        r.apply(ops);
        QCOMPARE(r.referencing("routes", "nextHopPort", port.id).size(), size_t(2));

        auto orphan = port;
        orphan.deviceId = id("NONE");
        QCOMPARE(outcome([&] { planCreatePort(r, orphan); }).first, 404);
    }

    void insertPosition_data()
    {
        QTest::addColumn<int>("position"); // -100 = null
        QTest::addColumn<int>("index");    // where it lands, -1 = error
        QTest::newRow("null-is-head") << -100 << 0;
        QTest::newRow("zero-is-head") << 0 << 0;
        QTest::newRow("first") << 1 << 0;
        QTest::newRow("middle") << 2 << 1;
        QTest::newRow("append") << 3 << 2;
        QTest::newRow("past-end") << 4 << -1;
        QTest::newRow("negative") << -1 << -1;
    }
    void insertPosition()
    {
        QFETCH(int, position);
        QFETCH(int, index);
        std::vector<Uuid> ids{Uuid::random(), Uuid::random()};
        Uuid fresh = Uuid::random();
        std::optional<int32_t> pos;
        if (position != -100) pos = position;
        auto [code, prop] = outcome([&] { insertRuleId(ids, fresh, pos); });
        if (index < 0) {
            QCOMPARE(code, 400);
            QCOMPARE(prop, std::string("position"));
            QCOMPARE(ids.size(), size_t(2));
            return;
        }
        QCOMPARE(code, 0);
        QCOMPARE(ids[size_t(index)], fresh);
        QCOMPARE(rulePosition(ids, fresh), index + 1);
    }

    void createRulesKeepsPositionsDense()
    {
        MemoryResolver r = build();
        Rule rule = decode<Rule>(json{{"type", "accept"}, {"position", 2}}, DecodeOptions::apiInput());
        auto ops = planCreateRule(r, id("C1"), rule);
        QCOMPARE(ops.size(), size_t(2));
        r.apply(ops);
        auto rules = rulesInOrder(r, id("C1"));
        QCOMPARE(rules.size(), size_t(3));
        QCOMPARE(rules[0].id, id("A1"));
        QCOMPARE(rules[1].type, RuleType::Accept);
        QCOMPARE(rules[2].id, id("A2"));
        for (size_t i = 0; i < rules.size(); ++i) QCOMPARE(*rules[i].position, int32_t(i + 1));
        QCOMPARE(encode(rules[1])["chainId"], json(id("C1").toString()));
        QVERIFY(!encode(rules[1], View::Store).contains("position"));
        r.apply(planDelete(r, "rules", id("A1")));
        rules = rulesInOrder(r, id("C1"));
        QCOMPARE(*rules[1].position, 2);
        QCOMPARE(rules[1].id, id("A2"));

        Rule tooFar = decode<Rule>(json{{"type", "drop"}, {"position", 9}}, DecodeOptions::apiInput());
        QCOMPARE(outcome([&] { planCreateRule(r, id("C1"), tooFar); }),
                 std::pair(400, std::string("position")));
        Rule dangling = decode<Rule>(json{{"type", "jump"}, {"jumpChainId", id("NONE").toString()}},
                                     DecodeOptions::apiInput());
        QCOMPARE(outcome([&] { planCreateRule(r, id("C1"), dangling); }),
                 std::pair(404, std::string("jumpChainId")));
        QCOMPARE(outcome([&] { planCreateRule(r, id("NONE"), tooFar); }).first, 404);
    }

    void derivedLoadBalancerFields()
    {
        MemoryResolver r = build();
        Vip v = *r.find<Vip>(id("V1"));
        deriveVip(r, v);
        QCOMPARE(v.loadBalancerId, id("LB1"));
        LoadBalancer lb = *r.find<LoadBalancer>(id("LB1"));
        deriveLoadBalancer(r, lb);
        QCOMPARE(lb.routerId, id("R2"));
    }
};

QTEST_GUILESS_MAIN(TstModelCascade)
#include "tst_cascade.moc"
