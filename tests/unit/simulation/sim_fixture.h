// Shared scenario fixture for the simulation tests: a small cloud built in code.
//
//   vm1 (dp 1) ─┐                                   ┌─ vm3 (dp 3)
//   vm2 (dp 2) ─┤ bridge A ── rA 10.0.0.1/24       │
//   vmR (remote)┘            router R ── rB 10.0.1.1/24 ── bridge B
//                            └─ rU 192.0.2.1/24 (exterior, dp 10) ── upstream 192.0.2.254
//
// Every id is a small number (id(n)) so failures print readable UUIDs.
#pragma once

#include "agent/simulation/simulator.h"
#include "common/packet/builder.h"
#include "common/packet/checksum.h"

#include <QtTest>

#include <algorithm>

namespace simtest {

using namespace midonet;
using namespace midonet::sim;
using flow::Field;
using flow::FlowKey;
using flow::FlowTag;

inline Uuid id(uint64_t n) { return Uuid{0x5151000000000000ULL, n}; }
inline IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
inline IPv4Subnet cidr(const char *s) { return *IPv4Subnet::parse(s); }
inline MacAddress mac(const char *s) { return *MacAddress::parse(s); }

// Well-known ids.
inline const Uuid kLocalHost = id(1), kRemoteHost = id(2);
inline const Uuid kBridgeA = id(10), kBridgeB = id(11), kRouter = id(20);
inline const Uuid kVm1 = id(101), kVm2 = id(102), kVmRemote = id(103), kVm3 = id(104);
inline const Uuid kBridgeAToRouter = id(110), kBridgeBToRouter = id(111);
inline const Uuid kRouterA = id(120), kRouterB = id(121), kUplink = id(122);
inline const Uuid kDefaultRoute = id(130);

inline const MacAddress kMacVm1 = mac("02:00:00:00:00:01");
inline const MacAddress kMacVm2 = mac("02:00:00:00:00:02");
inline const MacAddress kMacVmRemote = mac("02:00:00:00:00:03");
inline const MacAddress kMacVm3 = mac("02:00:00:00:01:03");
inline const MacAddress kMacRouterA = mac("02:aa:00:00:00:01");
inline const MacAddress kMacRouterB = mac("02:aa:00:00:00:02");
inline const MacAddress kMacUplink = mac("02:aa:00:00:00:03");
inline const MacAddress kMacUpstream = mac("02:ff:00:00:00:01");

struct Fixture {
    TopologySnapshot topo;
    StateTables state;
    Simulator sim;
    SimulationEnv env;

    Fixture()
    {
        topo.localHost = kLocalHost;
        topo.tunnelDpPort = 99;
        topo.addHost({kLocalHost, ip("192.168.100.1")});
        topo.addHost({kRemoteHost, ip("192.168.100.2")});
    }

    Port &port(const Uuid &pid) { return const_cast<Port &>(*topo.port(pid)); }
    Bridge &bridge(const Uuid &bid) { return const_cast<Bridge &>(*topo.bridge(bid)); }
    Router &router(const Uuid &rid) { return const_cast<Router &>(*topo.router(rid)); }

    void addBridge(const Uuid &bid)
    {
        Bridge b;
        b.id = bid;
        topo.addBridge(b);
    }
    void addExterior(const Uuid &pid, const Uuid &device, uint32_t dpPort,
                     const Uuid &host = kLocalHost, DeviceType type = DeviceType::Bridge)
    {
        Port p;
        p.id = pid;
        p.deviceId = device;
        p.deviceType = type;
        p.hostId = host;
        p.dpPortNo = dpPort;
        p.tunnelKey = uint32_t(pid.lo);
        topo.addPort(p);
    }
    void addInterior(const Uuid &pid, const Uuid &device, DeviceType type = DeviceType::Bridge)
    {
        Port p;
        p.id = pid;
        p.deviceId = device;
        p.deviceType = type;
        topo.addPort(p);
    }
    void addRouterPort(const Uuid &pid, const Uuid &router, MacAddress m, const char *address)
    {
        Port p;
        p.id = pid;
        p.deviceId = router;
        p.deviceType = DeviceType::Router;
        p.mac = m;
        p.address = cidr(address);
        topo.addPort(p);
    }
    void link(const Uuid &a, const Uuid &b)
    {
        port(a).peerId = b;
        port(b).peerId = a;
    }

    // Bridge A with vm1, vm2 (local) and vmRemote (on the remote host).
    void buildBridgeA()
    {
        addBridge(kBridgeA);
        addExterior(kVm1, kBridgeA, 1);
        addExterior(kVm2, kBridgeA, 2);
        addExterior(kVmRemote, kBridgeA, 0, kRemoteHost);
    }

    // The whole picture at the top of this file.
    void buildTwoTier()
    {
        buildBridgeA();
        addBridge(kBridgeB);
        addExterior(kVm3, kBridgeB, 3);
        Router r;
        r.id = kRouter;
        Route def;
        def.id = kDefaultRoute;
        def.dst = cidr("0.0.0.0/0");
        def.nextHopPort = kUplink;
        def.gateway = ip("192.0.2.254");
        r.routes.push_back(def);
        topo.addRouter(r);
        addRouterPort(kRouterA, kRouter, kMacRouterA, "10.0.0.1/24");
        addRouterPort(kRouterB, kRouter, kMacRouterB, "10.0.1.1/24");
        addRouterPort(kUplink, kRouter, kMacUplink, "192.0.2.1/24");
        port(kUplink).hostId = kLocalHost;
        port(kUplink).dpPortNo = 10;
        addInterior(kBridgeAToRouter, kBridgeA);
        addInterior(kBridgeBToRouter, kBridgeB);
        link(kBridgeAToRouter, kRouterA);
        link(kBridgeBToRouter, kRouterB);
        // The VMs' and the upstream router's MACs are known (learned / resolved earlier).
        learn(kBridgeA, kMacVm1, kVm1);
        learn(kBridgeA, kMacVm2, kVm2);
        learn(kBridgeB, kMacVm3, kVm3);
        arp(kRouter, ip("10.0.1.3"), kMacVm3);
        arp(kRouter, ip("10.0.0.11"), kMacVm1);
        arp(kRouter, ip("192.0.2.254"), kMacUpstream);
    }

    void learn(const Uuid &bridgeId, MacAddress m, const Uuid &pid, uint16_t vlan = 0)
    {
        state.macs[MacKey{bridgeId, vlan, m}] = pid;
    }
    void arp(const Uuid &routerId, IPv4Address a, MacAddress m)
    {
        state.arps[ArpKey{routerId, a}] = ArpEntry{m, false, UINT64_MAX};
    }

    Chain &chain(const Uuid &cid)
    {
        if (!topo.chain(cid)) topo.addChain(Chain{cid, "chain-" + std::to_string(cid.lo), {}, {}});
        return const_cast<Chain &>(*topo.chain(cid));
    }
    Rule &addRule(const Uuid &cid, const Uuid &rid, RuleAction action, RuleKind kind = RuleKind::Literal)
    {
        Chain &c = chain(cid);
        Rule r;
        r.id = rid;
        r.action = action;
        r.kind = kind;
        c.rules.push_back(r);
        return c.rules.back();
    }

    SimulationResult run(const FlowKey &key, const Uuid &ingress)
    {
        topo.finalize();
        auto frame = packet::buildFromKey(key, packet::Buffer{1, 2, 3, 4, 5, 6, 7, 8});
        return sim.simulate(frame, ingress, topo, state, env);
    }
    SimulationResult runFrame(const packet::Buffer &frame, const Uuid &ingress)
    {
        topo.finalize();
        return sim.simulate(frame, ingress, topo, state, env);
    }
    void apply(const SimulationResult &r)
    {
        for (const auto &c : r.stateChanges) state.apply(c, env.nowMs);
    }
};

// A VM-to-VM TCP packet on bridge A's subnet.
inline FlowKey tcp(MacAddress src, MacAddress dst, const char *ipSrc, const char *ipDst,
                   uint16_t sport, uint16_t dport)
{
    FlowKey k;
    k.ethSrc = src;
    k.ethDst = dst;
    k.ethType = flow::kEthTypeIpv4;
    k.ipv4Src = ip(ipSrc);
    k.ipv4Dst = ip(ipDst);
    k.ipProto = flow::kIpProtoTcp;
    k.ipTtl = 64;
    k.tpSrc = sport;
    k.tpDst = dport;
    k.tcpFlags = packet::kTcpSyn;
    return k;
}

inline FlowKey udp(MacAddress src, MacAddress dst, const char *ipSrc, const char *ipDst,
                   uint16_t sport, uint16_t dport)
{
    FlowKey k = tcp(src, dst, ipSrc, ipDst, sport, dport);
    k.ipProto = flow::kIpProtoUdp;
    k.tcpFlags = 0;
    return k;
}

inline FlowKey icmpEcho(MacAddress src, MacAddress dst, const char *ipSrc, const char *ipDst,
                        uint16_t icmpId = 7)
{
    FlowKey k = tcp(src, dst, ipSrc, ipDst, 0, 0);
    k.ipProto = flow::kIpProtoIcmp;
    k.tcpFlags = 0;
    k.icmpType = packet::kIcmpEchoRequest;
    k.icmpId = icmpId;
    return k;
}

inline FlowKey arpRequest(MacAddress src, const char *sip, const char *tip)
{
    FlowKey k;
    k.ethSrc = src;
    k.ethDst = MacAddress::broadcast();
    k.ethType = flow::kEthTypeArp;
    k.arpOp = packet::kArpRequest;
    k.arpSha = src;
    k.arpSip = ip(sip);
    k.arpTip = ip(tip);
    return k;
}

inline QString actions(const SimulationResult &r)
{
    return QString::fromStdString(flow::toString(r.actions));
}
inline QString verdict(const SimulationResult &r) { return QString(toString(r.verdict)); }
inline QString reason(const SimulationResult &r) { return QString(toString(r.reason)); }

// The packet a generated frame carries, parsed.
inline FlowKey generatedKey(const SimulationResult &r, size_t i = 0)
{
    auto k = packet::extractFlowKey(r.generated.at(i).frame);
    return k ? *k : FlowKey{};
}

} // namespace simtest
