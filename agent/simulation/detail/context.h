// Internal: the state of one simulation while it walks the topology. Not part of the API.
//
// The walk is recursive: port ingress -> device -> port egress -> peer port ingress ...; a
// flood forks, and each branch runs on a copy of the per-path state (PathState) so one
// branch's rewrites and drops do not leak into the next. Every read of a packet field goes
// through see(), which records the field in the megaflow mask.
//
// Thread-safety: one Ctx per simulate() call, on the calling thread.
#pragma once

#include "agent/simulation/simulator.h"
#include "common/packet/packet.h"

#include <optional>

namespace midonet::sim::detail {

using flow::Field;
using flow::FlowKey;
using flow::FlowTag;

enum class ChainVerdict : uint8_t { Continue, Accept, Drop, Reject, Return };

// Where a chain runs: the current device's in/out ports (null when not known, e.g. out-port in
// in-filters) and the device whose NAT state rules use.
struct ChainScope {
    const Port *inPort = nullptr;
    const Port *outPort = nullptr;
    Uuid natDevice;
};

// What changes along one path and must be restored when a fork's branch returns.
struct PathState {
    FlowKey cur;               // the packet as the current device sees it
    int devices = 0;           // devices entered so far (loop guard)
    bool dstRewritten = false; // DNAT / reverse SNAT since the last port ingress
    const Port *lastExteriorIngress = nullptr;
};

// One egress of the packet to the datapath.
struct Emit {
    FlowKey key;                 // the packet as it leaves
    bool tunnel = false;
    uint32_t dpPort = 0;         // local output port (tunnel: the VXLAN port)
    uint32_t tunnelKey = 0;
    IPv4Address tunnelDst;
};

class Ctx {
public:
    Ctx(const SimulatorConfig &cfg, const TopologySnapshot &topo, const StateTables &state,
        const SimulationEnv &env, SimulationResult &res, const packet::ParsedPacket &parsed);

    // ---- bookkeeping ----
    const FlowKey &see(Field f)
    {
        res.mask.mark(f);
        return path.cur;
    }
    void tag(const FlowTag &t) { res.tags.push_back(t); }
    void step(StepKind kind, const Uuid &device, const Uuid &item = {}, uint32_t a = 0,
              uint32_t b = 0)
    {
        if (env.trace) res.trace.push_back(TraceStep{kind, device, item, a, b});
    }
    template <class C> void change(C c) { res.stateChanges.push_back(StateChange{std::move(c)}); }
    // Records the outcome of this path, unless an earlier one was recorded.
    void decide(Verdict v, DropReason r = DropReason::None);
    uint64_t random(); // deterministic stream from env.entropy
    bool traversed(const Uuid &device) const;

    // ---- the walk (simulator.cpp, bridge.cpp, router.cpp) ----
    void ingressPort(const Uuid &portId);
    void egressPort(const Port &port, bool runOutFilter);
    void bridge(const Port &inPort);
    void router(const Port &inPort);
    void finish(); // verdict, actions, tags

    // ---- chains, rules, NAT, LB (rules.cpp, load_balancer.cpp) ----
    ChainVerdict runFilter(const Uuid &chainId, const ChainScope &scope);
    ChainVerdict lbInbound(const Router &r);
    ChainVerdict lbOutbound(const Router &r);
    bool isForwardFlow(); // conntrack lookup (reference B9)
    void trackConnection(const Port &egress);

    // ---- generated packets (router.cpp) ----
    void sendIcmpError(const Port &inPort, uint8_t type, uint8_t code, uint32_t rest = 0);
    void generate(const Uuid &fromPort, std::vector<uint8_t> frame, const char *what);

    const SimulatorConfig &cfg;
    const TopologySnapshot &topo;
    const StateTables &state;
    const SimulationEnv &env;
    SimulationResult &res;
    const packet::ParsedPacket &parsed;
    const FlowKey orig; // as it entered the host
    PathState path;
    std::vector<Emit> emits;
    bool decided = false;
    bool generatedPacket = false;
    std::optional<bool> forwardFlow;
    Uuid ingressDevice; // device of the first ingress port (conntrack key)
    uint64_t rng;

private:
    ChainVerdict runChain(const Chain &chain, const ChainScope &scope,
                          std::vector<const Chain *> &visited);
    bool conditionMatches(const CompactCondition &cc, const Rule &rule, const ChainScope &scope);
    bool applyNat(const Rule &rule, const ChainScope &scope);
    bool applyDynamicSnat(const Rule &rule, const ChainScope &scope);
    bool applyDynamicDnat(const Rule &rule, const ChainScope &scope);
    bool applyReverseNat(const Rule &rule, const ChainScope &scope);
};

} // namespace midonet::sim::detail
