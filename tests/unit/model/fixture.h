// A small topology in a MemoryResolver, shared by the referential and cascade tests:
//   hosts H1 (in tunnel zone TZ), H2 (in none); bridges B1, B2; routers R1, R2 (R2 has LB1)
//   ports BP1 BP2 BP5 on B1 (BP5 bound to H1/tap0), BP3 BV(vlan 10) BP4 on B2,
//         RP1 (10.0.0.1/24) RP2 (10.1.0.1/24) on R1, RP3 RP4 on R2; BP4 <-> RP4 linked
//   chains C1 (rules A1, A2), C2 (rule J: jump to C1); B1 inbound filter C1
//   port group PG1 {BP1}; IP group IG1; trace T1 on BP1; BGP peer BGP1 on R1 (65000 192.0.2.1)
//   LB1 <- pool P1 (health monitor HM1) <- member M1, VIP V1; route N1 on R1 via RP1
#pragma once

#include "common/model/derived.h"
#include "common/model/model.h"
#include "common/model/resolver.h"

#include <QString>

#include <map>

namespace fixture {

using namespace midonet::model;
using midonet::util::IPv4Address;
using midonet::util::IPv4Subnet;
using midonet::util::Uuid;

inline const std::map<std::string, Uuid> &ids()
{
    static const std::map<std::string, Uuid> m = [] {
        std::map<std::string, Uuid> out;
        uint64_t n = 1;
        for (const char *name :
             {"H1", "H2", "TZ", "B1", "B2", "R1", "R2", "BP1", "BP2", "BP3", "BP4", "BP5", "BV",
              "RP1", "RP2", "RP3", "RP4", "C1", "C2", "A1", "A2", "J", "PG1", "IG1", "T1", "BGP1",
              "LB1", "P1", "HM1", "M1", "V1", "N1", "NONE"})
            out[name] = Uuid{0x1000000000004000ULL + (n << 16), 0x8000000000000000ULL + n++};
        return out;
    }();
    return m;
}
inline Uuid id(const std::string &name) { return ids().at(name); }

// "$NAME" -> the fixture id's text (longest names first, so $BP1 is not read as $B...).
inline std::string subst(const QString &text)
{
    QString s = text;
    std::vector<std::string> names;
    for (const auto &[k, v] : ids()) names.push_back(k);
    std::sort(names.begin(), names.end(),
              [](const auto &a, const auto &b) { return a.size() > b.size(); });
    for (const auto &n : names)
        s.replace(QString::fromStdString("$" + n), QString::fromStdString(id(n).toString()));
    return s.toStdString();
}

inline Port bridgePort(const std::string &name, const std::string &bridge)
{
    Port p;
    p.id = id(name);
    p.type = PortType::Bridge;
    p.deviceId = id(bridge);
    return p;
}

inline Port routerPort(const std::string &name, const std::string &router, const char *cidr)
{
    Port p;
    p.id = id(name);
    p.type = PortType::Router;
    p.deviceId = id(router);
    p.portSubnet = {*IPv4Subnet::parse(cidr)};
    p.portAddress = p.portSubnet[0].address;
    p.networkAddress = p.portSubnet[0].network();
    p.networkLength = p.portSubnet[0].length;
    return p;
}

inline MemoryResolver build()
{
    MemoryResolver r;
    for (const char *h : {"H1", "H2"}) {
        Host host;
        host.id = id(h);
        host.name = h;
        r.put(host);
    }
    TunnelZone tz;
    tz.id = id("TZ");
    tz.name = "tz";
    tz.hosts = {{tz.id, id("H1"), *IPv4Address::parse("192.168.0.1")}};
    r.put(tz);

    Chain c1, c2;
    c1.id = id("C1");
    c1.ruleIds = {id("A1"), id("A2")};
    c2.id = id("C2");
    c2.ruleIds = {id("J")};
    r.put(c1);
    r.put(c2);
    for (const char *name : {"A1", "A2"}) {
        Rule rule;
        rule.id = id(name);
        rule.chainId = id("C1");
        rule.type = RuleType::Drop;
        rule.condition.fragmentPolicy = FragmentPolicy::Any;
        r.put(rule);
    }
    Rule j;
    j.id = id("J");
    j.chainId = id("C2");
    j.type = RuleType::Jump;
    j.jumpChainId = id("C1");
    j.condition.fragmentPolicy = FragmentPolicy::Any;
    r.put(j);

    Bridge b1, b2;
    b1.id = id("B1");
    b1.inboundFilterId = id("C1");
    b2.id = id("B2");
    r.put(b1);
    r.put(b2);

    LoadBalancer lb;
    lb.id = id("LB1");
    r.put(lb);
    Router r1, r2;
    r1.id = id("R1");
    r2.id = id("R2");
    r2.loadBalancerId = id("LB1");
    r.put(r1);
    r.put(r2);

    for (auto [p, b] : {std::pair{"BP1", "B1"}, {"BP2", "B1"}, {"BP5", "B1"}, {"BP3", "B2"},
                        {"BP4", "B2"}, {"BV", "B2"}}) {
        Port port = bridgePort(p, b);
        if (std::string(p) == "BV") port.vlanId = 10;
        if (std::string(p) == "BP5") {
            port.hostId = id("H1");
            port.interfaceName = "tap0";
        }
        if (std::string(p) == "BP4") port.peerId = id("RP4");
        r.put(port);
    }
    Port rp1 = routerPort("RP1", "R1", "10.0.0.1/24");
    Port rp2 = routerPort("RP2", "R1", "10.1.0.1/24");
    Port rp3 = routerPort("RP3", "R2", "10.2.0.1/24");
    Port rp4 = routerPort("RP4", "R2", "10.3.0.1/24");
    rp4.peerId = id("BP4");
    for (const auto &p : {rp1, rp2, rp3, rp4}) {
        r.put(p);
        for (const auto &route : localRoutes(p)) r.put(route);
    }
    Route n1;
    n1.id = id("N1");
    n1.routerId = id("R1");
    n1.type = RouteType::Normal;
    n1.dstNetworkAddr = *IPv4Address::parse("172.16.0.0");
    n1.dstNetworkLength = 12;
    n1.nextHopPort = id("RP1");
    r.put(n1);

    PortGroup pg;
    pg.id = id("PG1");
    pg.portIds = {id("BP1")};
    r.put(pg);
    IpAddrGroup ig;
    ig.id = id("IG1");
    ig.name = "ig";
    r.put(ig);
    TraceRequest t;
    t.id = id("T1");
    t.name = "t1";
    t.deviceType = TraceDeviceType::Port;
    t.deviceId = id("BP1");
    t.condition.fragmentPolicy = FragmentPolicy::Any;
    r.put(t);
    BgpPeer peer;
    peer.id = id("BGP1");
    peer.routerId = id("R1");
    peer.asNumber = 65000;
    peer.address = *IPv4Address::parse("192.0.2.1");
    r.put(peer);

    HealthMonitor hm;
    hm.id = id("HM1");
    r.put(hm);
    Pool pool;
    pool.id = id("P1");
    pool.loadBalancerId = id("LB1");
    pool.healthMonitorId = id("HM1");
    r.put(pool);
    PoolMember m;
    m.id = id("M1");
    m.poolId = id("P1");
    m.address = *IPv4Address::parse("10.0.0.10");
    r.put(m);
    Vip v;
    v.id = id("V1");
    v.poolId = id("P1");
    v.address = *IPv4Address::parse("198.51.100.1");
    r.put(v);
    return r;
}

// Runs f and returns the HTTP code of the model error it threw (0 if none) and its property.
template <class F> std::pair<int, std::string> outcome(F &&f)
{
    try {
        f();
        return {0, ""};
    } catch (const ValidationError &e) {
        return {400, e.violations().empty() ? "" : e.violations()[0].property};
    } catch (const ReferenceError &e) {
        return {e.httpCode(), e.property()};
    }
}

} // namespace fixture
