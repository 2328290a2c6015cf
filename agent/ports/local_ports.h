// LocalPorts: which virtual ports are bound on this host and where they sit in the datapath:
// virtual port id <-> datapath port number <-> interface name, and the tunnel key of each, so
// an upcall finds its ingress virtual port and a tunnelled packet its local egress port.
//
// Invariants: a datapath port number maps to at most one virtual port and back; the tunnel
// port is never a virtual port. Entries exist only while the interface is in the datapath.
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
};

class LocalPorts {
public:
    void set(LocalPort p);
    void erase(const util::Uuid &portId);
    std::optional<LocalPort> byPort(const util::Uuid &portId) const;
    std::optional<LocalPort> byDpPort(uint32_t dpPort) const;
    std::optional<LocalPort> byTunnelKey(uint32_t key) const;
    std::vector<LocalPort> all() const;
    uint32_t dpPortOf(const util::Uuid &portId) const; // 0 if not bound here

    void setTunnelPort(uint32_t n) { tunnelPort_ = n; }
    uint32_t tunnelPort() const { return tunnelPort_; }

private:
    mutable std::mutex mu_;
    std::unordered_map<util::Uuid, LocalPort> byId_;
    std::unordered_map<uint32_t, util::Uuid> byDp_;
    std::unordered_map<uint32_t, util::Uuid> byKey_;
    uint32_t tunnelPort_ = 0;
};

} // namespace midonet::agent
