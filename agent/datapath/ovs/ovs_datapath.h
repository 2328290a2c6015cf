// OvsDatapath: the `ovs` backend, the Linux Open vSwitch kernel datapath driven over Generic
// Netlink (families ovs_datapath, ovs_vport, ovs_flow, ovs_packet; libnl-genl-3).
//
// Netlink attributes used per family (requests we send / replies we read). Key, mask and action
// attributes are listed in ovs_codec.h.
//   ovs_datapath  OVS_DP_CMD_NEW/DEL/GET, header ovs_header.dp_ifindex (0 with NAME)
//     OVS_DP_ATTR_NAME           string  required in NEW; GET by name; always in replies
//     OVS_DP_ATTR_UPCALL_PID     u32     required in NEW: the socket for misses on the local
//                                        port (port 0); ignored in GET/DEL
//     OVS_DP_ATTR_USER_FEATURES  u32     optional in NEW: we ask OVS_DP_F_UNALIGNED |
//                                        OVS_DP_F_VPORT_PIDS (one upcall socket per port)
//     OVS_DP_ATTR_STATS          struct ovs_dp_stats  replies only: n_hit, n_missed (includes
//                                        n_lost), n_lost, n_flows
//     OVS_DP_ATTR_MEGAFLOW_STATS struct ovs_dp_megaflow_stats  replies only: n_masks
//   ovs_vport     OVS_VPORT_CMD_NEW/DEL/GET(+dump)/SET
//     OVS_VPORT_ATTR_NAME        string  required in NEW; GET by name; always in replies
//     OVS_VPORT_ATTR_TYPE        u32     required in NEW (NETDEV, INTERNAL, VXLAN); in replies
//     OVS_VPORT_ATTR_PORT_NO     u32     optional in NEW (kernel picks); DEL/GET by number;
//                                        always in replies
//     OVS_VPORT_ATTR_UPCALL_PID  u32[]   required in NEW (we give one pid: the port's own
//                                        socket); SET on open() to take over existing ports
//     OVS_VPORT_ATTR_OPTIONS     nested  VXLAN NEW: OVS_TUNNEL_ATTR_DST_PORT u16 (host order);
//                                        in replies for tunnel ports
//     OVS_VPORT_ATTR_STATS       struct ovs_vport_stats  replies only
//   ovs_flow      OVS_FLOW_CMD_NEW/SET/DEL/GET(+dump)
//     OVS_FLOW_ATTR_KEY          nested  required in NEW/SET/GET/DEL-one (absent: DEL flushes);
//                                        always in replies (the key as we put it)
//     OVS_FLOW_ATTR_MASK         nested  optional in NEW (absent = exact); in replies
//     OVS_FLOW_ATTR_ACTIONS      nested  required in NEW and SET; in replies
//     OVS_FLOW_ATTR_STATS        struct ovs_flow_stats  replies, only once a packet matched
//     OVS_FLOW_ATTR_USED         u64     replies, msec of CLOCK_MONOTONIC, once used
//     OVS_FLOW_ATTR_TCP_FLAGS    u8      replies, once a TCP packet matched
//   ovs_packet    OVS_PACKET_CMD_EXECUTE (request), OVS_PACKET_CMD_MISS/ACTION (upcalls)
//     OVS_PACKET_ATTR_PACKET     bytes   required in EXECUTE; in every upcall
//     OVS_PACKET_ATTR_KEY        nested  required in EXECUTE (metadata: in_port, tunnel);
//                                        in every upcall (the packet's full key)
//     OVS_PACKET_ATTR_ACTIONS    nested  required in EXECUTE
//     OVS_PACKET_ATTR_USERDATA   bytes   ACTION upcalls: the UserspaceAction cookie
//   Anything else in replies (PER_CPU_PIDS, IFINDEX, UFID, MRU, HASH...) is ignored.
//
// Upcalls: every port has its own Netlink socket (its pid is the port's UPCALL_PID), and
// pollUpcalls() reads them round robin, a bounded batch each, so a port flooding misses cannot
// starve the others; what the kernel cannot queue it counts in n_lost (our `lost`).
//
// Thread-safety: as Datapath. Control requests share one socket under a mutex; pollUpcalls()
// may run concurrently with them (its sockets are separate). Two threads calling pollUpcalls()
// at once are safe but may split a port's upcalls between them.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/datapath/ovs/genl_socket.h"

#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace midonet::dp::ovs {

struct Families {
    int datapath = -1, vport = -1, flow = -1, packet = -1;
    bool complete() const { return datapath >= 0 && vport >= 0 && flow >= 0 && packet >= 0; }
};
// Resolves the four families on `sock`; complete() is false when the module is not loaded.
Families resolveFamilies(GenlSocket &sock);

class OvsDatapath final : public Datapath {
public:
    // create=true: OVS_DP_CMD_NEW (EEXIST if present); false: open an existing one (ENOENT).
    OvsDatapath(const std::string &name, bool create, const DatapathOptions &opts);
    ~OvsDatapath() override;

    Backend backend() const override { return Backend::Ovs; }
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

    int ifindex() const { return ifindex_; }

private:
    Flow decodeFlow(const GenlReply &r) const;
    PortInfo decodeVport(const GenlReply &r) const;
    std::shared_ptr<GenlSocket> newUpcallSocket();

    std::string name_;
    DatapathOptions opts_;
    std::mutex mu_; // guards req_ and installedAt_
    GenlSocket req_;
    Families fam_;
    int ifindex_ = 0;
    // When we installed each flow: idle expiry needs it for flows never used (USED absent).
    std::unordered_map<flow::FlowMatch, uint64_t> installedAt_;

    std::mutex upMu_; // guards upcall_ and rr_
    std::map<uint32_t, std::shared_ptr<GenlSocket>> upcall_; // port -> its upcall socket
    uint32_t rr_ = 0; // the port pollUpcalls() starts with next time
};

} // namespace midonet::dp::ovs
