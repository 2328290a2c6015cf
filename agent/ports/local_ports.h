// LocalPorts: which virtual ports are bound on this host and where they sit in the datapath:
// virtual port id <-> datapath port number <-> interface name, and the tunnel key of each, so
// an upcall finds its ingress virtual port and a tunnelled packet its local egress port.
//
// Invariants: a datapath port number maps to one virtual port (vlanId 0, an access binding) or
// to several L2 gateway ports of distinct VLANs (a trunk: frames are demultiplexed by their
// tag), never both; the tunnel port is never a virtual port. Entries exist only while the
// interface is in the datapath.
// Thread-safety: internally synchronised; the port binder writes, the upcall path reads.
#pragma once

#include "common/util/uuid.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

struct LocalPort {
    util::Uuid portId;
    std::string interfaceName;
    uint32_t dpPort = 0;
    uint32_t tunnelKey = 0;
    uint16_t vlanId = 0; // != 0: an L2 gateway port sharing the interface (a trunk) by VLAN
};

class LocalPorts {
public:
    void set(LocalPort p);
    void erase(const util::Uuid &portId);
    std::optional<LocalPort> byPort(const util::Uuid &portId) const;
    // The port a frame received on `dpPort` with outer tag `vlanTci` (flow key form, 0 when
    // untagged) belongs to: the access binding whatever the tag, else the trunk's port for
    // that VLAN; nullopt for an untagged or unknown-VLAN frame on a trunk.
    std::optional<LocalPort> byDpPort(uint32_t dpPort, uint16_t vlanTci = 0) const;
    // True if `dpPort` carries L2 gateway ports (frames on it must match on their tag).
    bool isTrunk(uint32_t dpPort) const;
    // How many virtual ports share `dpPort` (the binder keeps it while any remains).
    size_t usersOf(uint32_t dpPort) const;
    std::optional<LocalPort> byTunnelKey(uint32_t key) const;
    std::vector<LocalPort> all() const;
    uint32_t dpPortOf(const util::Uuid &portId) const; // 0 if not bound here

    void setTunnelPort(uint32_t n) { tunnelPort_ = n; }
    uint32_t tunnelPort() const { return tunnelPort_; }

private:
    void unindexDp(const LocalPort &p); // caller holds mu_
    mutable std::mutex mu_;
    std::unordered_map<util::Uuid, LocalPort> byId_;
    std::unordered_map<uint32_t, std::unordered_map<uint16_t, util::Uuid>> byDp_; // dp -> vlan -> port
    std::unordered_map<uint32_t, util::Uuid> byKey_;
    uint32_t tunnelPort_ = 0;
};

} // namespace midonet::agent
