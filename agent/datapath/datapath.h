// Datapath: the host's fast path as the agent sees it, one interface over two backends.
//
//   ovs        the Linux Open vSwitch kernel module, driven over Generic Netlink
//              (agent/datapath/ovs/).
//   userspace  our own forwarder for hosts without the module: AF_PACKET TPACKET_V3 rings, a
//              megaflow classifier behind an exact-match cache, VXLAN over UDP
//              (agent/datapath/userspace/).
//
// The model is the kernel's (linux/openvswitch.h): numbered ports; flows made of a key, a mask
// (flow::FlowMatch, a "megaflow") and a list of actions (flow::FlowActions); packets that match
// no flow go up as upcalls carrying the packet and its full flow key. Both backends give the same
// observable behaviour, so the agent cannot tell them apart; a new backend adds files and changes
// no caller (open one through openDatapath()).
//
// Contract, stated once for every call below:
// - Errors. Every failure throws DatapathError, whose code() is an errno value with one meaning
//   across backends:
//     ENOENT      no such datapath, port or flow
//     EEXIST      the datapath, port name or flow already exists (create-only calls)
//     EINVAL      a key, mask or action list the datapath cannot express (e.g. a mask that
//                 consults a userspace-only field such as icmpId on `ovs`), a bad port spec
//     EOPNOTSUPP  an optional call or feature this backend does not provide
//     EFBIG       a table is full (flow limit reached)
//     other       the system's own error (ENODEV, EPERM, ENOBUFS...), passed through
//   what() names the call and the object. A throwing call changes nothing.
// - Blocking. Control calls (ports, flows, stats) are synchronous: when they return, the change
//   is in effect for the next packet. They do not wait for traffic. Only pollUpcalls() waits,
//   and only up to its timeout.
// - Ownership. A Datapath object owns its handles (Netlink sockets, rings, threads) and closes
//   them when destroyed; destroying the object leaves the system datapath in place (the kernel
//   keeps forwarding), destroy() removes it. Packets in Upcall are copies the caller owns.
// - Optional calls. Every call is mandatory unless its comment says "Optional"; an optional call
//   a backend lacks throws EOPNOTSUPP and nothing else.
// - Counters. stats() reports four fast-path tiers that never overlap: every packet received on
//   a port is counted in exactly one of exactHit, megaflowHit, upcall (missed, sent up) and lost
//   (missed, and the upcall could not be queued). On `ovs` exactHit is always 0: the kernel's
//   mask cache is not an exact-match tier and it reports hit/missed/lost only.
//
// Thread-safety: one Datapath object may be used from several threads at once; every call is
// internally synchronised. pollUpcalls() may run in one thread while another puts flows (the
// usual split: handler threads poll, the flow manager puts and expires). Upcalls are delivered
// fairly across ports (round robin), so one port flooding misses cannot starve the others.
#pragma once

#include "common/flow/flow_actions.h"
#include "common/flow/flow_key.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace midonet::dp {

// The one exception type every Datapath call throws; code() is std::generic_category errno.
class DatapathError : public std::system_error {
public:
    DatapathError(int err, const std::string &what)
        : std::system_error(err, std::generic_category(), what) {}
    int errnum() const { return code().value(); }
};

enum class PortType {
    Netdev,   // an existing host interface (veth end, tap) attached to the datapath
    Internal, // a new interface owned by the datapath (the kernel creates it; userspace: a tap)
    Vxlan,    // a VXLAN tunnel endpoint; output needs a SetTunnelAction first
};
const char *portTypeName(PortType t); // "netdev", "internal", "vxlan"

struct PortSpec {
    PortSpec() = default;
    PortSpec(std::string n, PortType t = PortType::Netdev, uint16_t vxlan = 4789)
        : name(std::move(n)), type(t), vxlanPort(vxlan) {}

    std::string name;       // interface name (Netdev: must exist; Internal/Vxlan: created)
    PortType type = PortType::Netdev;
    uint16_t vxlanPort = 4789; // Vxlan only: UDP destination port
    std::optional<uint32_t> number; // ask for this port number; default: the backend picks
};

struct PortStats {
    uint64_t rxPackets = 0, txPackets = 0, rxBytes = 0, txBytes = 0, rxDropped = 0, txDropped = 0;
};

struct PortInfo {
    uint32_t number = 0;
    std::string name;
    PortType type = PortType::Netdev;
    uint16_t vxlanPort = 0;
    PortStats stats;
};

struct FlowStats {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    // Milliseconds on the steady clock (CLOCK_MONOTONIC) when a packet last matched; 0 = never.
    uint64_t lastUsedMs = 0;
    uint16_t tcpFlags = 0; // OR of the TCP flags seen
};

struct Flow {
    flow::FlowMatch match;
    flow::FlowActions actions;
    FlowStats stats;
};

enum class PutMode {
    Create,         // EEXIST if a flow with this match exists
    Modify,         // ENOENT if none exists; replaces the actions, keeps the stats
    CreateOrModify, // either
};

struct DatapathStats {
    uint64_t exactHit = 0;    // matched the exact-match cache (userspace only)
    uint64_t megaflowHit = 0; // matched a megaflow
    uint64_t upcall = 0;      // missed and queued for the agent
    uint64_t lost = 0;        // missed and dropped: upcall queue full
    uint64_t flows = 0;       // flows installed now
    uint64_t masks = 0;       // distinct masks now
    uint64_t processed() const { return exactHit + megaflowHit + upcall + lost; }
};

struct Upcall {
    enum class Kind { Miss, Action }; // Action: sent by a UserspaceAction
    Kind kind = Kind::Miss;
    uint32_t inPort = 0;
    flow::FlowKey key;            // the packet's full key (inPort and tunnel fields filled)
    std::vector<uint8_t> packet;  // the frame as received (after tunnel decapsulation)
    uint64_t cookie = 0;          // Action: the UserspaceAction's cookie
};

enum class Backend { Auto, Ovs, Userspace };
const char *backendName(Backend b);

struct DatapathOptions {
    Backend backend = Backend::Auto;
    size_t maxFlows = 65536;        // userspace: megaflow table bound (EFBIG beyond)
    size_t exactCacheEntries = 8192; // userspace: exact-match cache size
    size_t upcallQueuePerPort = 256; // userspace: queued misses per port before counting lost
    // userspace: VXLAN underlay. Local address and port the tunnel socket binds (0 = any).
    util::IPv4Address vxlanLocalIp{};
    int pollThreads = 1; // userspace: forwarding threads, each with its own poll loop
};

class Datapath {
public:
    virtual ~Datapath() = default;
    Datapath(const Datapath &) = delete;
    Datapath &operator=(const Datapath &) = delete;

    virtual Backend backend() const = 0;
    virtual const std::string &name() const = 0;

    // Removes the datapath (and its internal and tunnel ports) from the system. The object is
    // unusable afterwards except for destruction.
    virtual void destroy() = 0;

    // ---- ports ----
    // Returns the port number. EEXIST if the name is already a port; ENODEV for a Netdev port
    // whose interface does not exist.
    virtual uint32_t addPort(const PortSpec &spec) = 0;
    virtual void removePort(uint32_t port) = 0; // ENOENT if no such port
    virtual std::vector<PortInfo> listPorts() = 0; // with stats, ordered by number
    // ENOENT if no port has this name.
    virtual PortInfo portByName(const std::string &name) = 0;

    // ---- flows ----
    // The match identifies the flow: same key (pre-masked) and same mask. Actions are copied.
    // EINVAL for a mask the backend cannot match on; EFBIG when the table is full.
    virtual void putFlow(const flow::FlowMatch &match, const flow::FlowActions &actions,
                         PutMode mode = PutMode::CreateOrModify) = 0;
    virtual std::optional<Flow> getFlow(const flow::FlowMatch &match) = 0;
    // Returns the flow's final stats; ENOENT if there is no such flow.
    virtual FlowStats deleteFlow(const flow::FlowMatch &match) = 0;
    virtual std::vector<Flow> dumpFlows() = 0;
    virtual void flushFlows() = 0;
    // Deletes flows no packet matched for `idle` (a never-used flow counts from its install
    // time) and returns them with their last stats, so the agent can drop its own state.
    virtual std::vector<Flow> expireIdleFlows(std::chrono::milliseconds idle) = 0;

    // ---- packets ----
    // Runs `actions` on `packet` as if it had arrived on `key.inPort` with that key (the key
    // gives the metadata the actions need, such as the tunnel for a packet from a tunnel). The
    // flow table is neither consulted nor changed.
    virtual void execute(std::span<const uint8_t> packet, const flow::FlowKey &key,
                         const flow::FlowActions &actions) = 0;

    // Appends up to `max` upcalls to `out`, waiting up to `timeout` for the first one; returns
    // how many were appended (0 on timeout). Round robin across ports.
    virtual size_t pollUpcalls(std::vector<Upcall> &out, size_t max,
                               std::chrono::milliseconds timeout) = 0;
    // The pid a UserspaceAction must carry to reach pollUpcalls() of this object.
    virtual uint32_t upcallPid(uint32_t port) = 0;

    virtual DatapathStats stats() = 0;

protected:
    Datapath() = default;
};

// True when the kernel datapath can be used here: /sys/module/openvswitch exists or the
// `ovs_datapath` Generic Netlink family resolves. `why` gets a one-line reason when false.
bool kernelDatapathAvailable(std::string *why = nullptr);

// Creates a datapath named `name` (EEXIST if one exists) with the chosen backend. Auto takes
// `ovs` where kernelDatapathAvailable(), else `userspace`, and logs which and why.
std::unique_ptr<Datapath> createDatapath(const std::string &name, const DatapathOptions &opts = {});
// Opens an existing kernel datapath (ENOENT if none). Optional: `userspace` datapaths live in
// their process only, so Backend::Userspace throws EOPNOTSUPP.
std::unique_ptr<Datapath> openDatapath(const std::string &name, const DatapathOptions &opts = {});

// Steady clock in milliseconds, the time base of FlowStats::lastUsedMs.
uint64_t monotonicMs();

} // namespace midonet::dp
