// UserspaceDatapath: the `userspace` backend, a software fast path for hosts and containers
// without the openvswitch module, with the kernel datapath's semantics.
//
// Ports: Netdev = an existing interface (veth end, tap) read and written through a PacketRing
// (AF_PACKET, TPACKET_V3 rings, PACKET_VNET_HDR); Internal = a tap device we create (I/O on
// its file descriptor, with the virtio-net header too); Vxlan = a UDP socket on the VXLAN
// port (encapsulation and decapsulation in userspace; output needs a SetTunnelAction first,
// whose tunnelId becomes the VNI).
//
// Per packet, in the poll thread that owns the ingress port: extract the key; look it up in the
// thread's exact-match cache (bounded, direct-mapped, validated by a table generation), then in
// the megaflow Classifier; on a hit run the flow's actions (outputs are queued in the egress
// rings and flushed once per batch) and update its stats; on a miss queue an upcall in the
// UpcallQueue (per-port bounded, round robin), or count it lost when the port's FIFO is full.
// Each packet lands in exactly one counter: exactHit, megaflowHit, upcall, lost.
//
// Invariants: the exact-match cache only returns flows installed at the generation it was
// filled in (every delete/flush bumps the generation), so a deleted flow is never used again;
// a flow's stats survive Modify; the megaflow table holds at most opts.maxFlows flows.
//
// Thread-safety: as Datapath. Control calls take the table lock exclusively (and make the poll
// threads yield to them); poll threads process each batch under the shared lock; port changes
// publish a new snapshot that poll threads pick up at their next wake-up.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/datapath/userspace/classifier.h"
#include "agent/datapath/userspace/packet_ops.h"
#include "agent/datapath/userspace/packet_ring.h"
#include "agent/datapath/userspace/upcall_queue.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

namespace midonet::dp::userspace {

class UserspaceDatapath final : public Datapath {
public:
    UserspaceDatapath(const std::string &name, const DatapathOptions &opts);
    ~UserspaceDatapath() override;

    Backend backend() const override { return Backend::Userspace; }
    const std::string &name() const override { return name_; }
    void destroy() override;

    uint32_t addPort(const PortSpec &spec) override;
    void removePort(uint32_t port) override;
    std::vector<PortInfo> listPorts() override;
    PortInfo portByName(const std::string &name) override;

    void putFlow(const flow::FlowMatch &match, const flow::FlowActions &actions,
                 PutMode mode) override;
    std::optional<Flow> getFlow(const flow::FlowMatch &match) override;
    FlowStats deleteFlow(const flow::FlowMatch &match) override;
    std::vector<Flow> dumpFlows() override;
    void flushFlows() override;
    std::vector<Flow> expireIdleFlows(std::chrono::milliseconds idle) override;

    void execute(std::span<const uint8_t> packet, const flow::FlowKey &key,
                 const flow::FlowActions &actions) override;
    size_t pollUpcalls(std::vector<Upcall> &out, size_t max,
                       std::chrono::milliseconds timeout) override;
    uint32_t upcallPid(uint32_t port) override;

    DatapathStats stats() override;

    struct Port;
    struct FlowEntry;
    struct Thread;

private:
    using PortMap = std::map<uint32_t, std::shared_ptr<Port>>;

    void pollLoop(Thread *t);
    void publishPorts(); // under portsMu_
    std::shared_ptr<Port> port(uint32_t number);
    void process(Thread &t, Port &in, const VnetHdr &vnet, std::span<const uint8_t> frame,
                 const flow::FlowKey *tunnelMeta, uint64_t now);
    void runActions(Thread *t, const flow::FlowActions &actions, const VnetHdr &vnet,
                    std::span<const uint8_t> frame, const flow::FlowKey &key, bool modifies);
    void output(Thread *t, uint32_t portNo, const VnetHdr &vnet,
                std::span<const uint8_t> frame, const flow::SetTunnelAction *tunnel);
    Flow snapshot(const FlowEntry &e) const;
    void removeEntry(FlowEntry *e); // under tableMu_ exclusive

    std::string name_;
    DatapathOptions opts_;

    // Flow table.
    std::shared_mutex tableMu_;
    std::atomic<int> writersWaiting_{0};
    Classifier classifier_;
    std::unordered_map<flow::FlowMatch, std::unique_ptr<FlowEntry>> flows_;
    std::atomic<uint64_t> generation_{1};

    // Ports.
    std::mutex portsMu_;
    PortMap ports_;
    std::shared_ptr<const PortMap> portsSnapshot_;
    std::atomic<uint64_t> portsVersion_{0};

    UpcallQueue upcalls_;
    std::atomic<uint64_t> exactHit_{0}, megaflowHit_{0}, upcall_{0}, lost_{0};

    std::vector<std::unique_ptr<Thread>> threads_;
    std::atomic<bool> stop_{false};
    bool destroyed_ = false;
};

} // namespace midonet::dp::userspace
