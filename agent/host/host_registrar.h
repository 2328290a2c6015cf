// HostRegistrar: makes this machine a MidoNet host in the NSDB: a stable id kept on disk, a
// `hosts/<id>` object with its name, addresses and interfaces, and the ephemeral `alive` child
// that tells everyone the agent is up (it vanishes with the agent's session). Optionally adds the
// host to a tunnel zone with its underlay address, so operators need not do it by hand.
//
// Invariants: the id never changes once written to <state dir>/host_uuid (MidoNet keeps it in
// /etc/midonet_host_id.properties); operator-set host fields (flooding proxy weight, container
// settings) survive re-registration.
// Thread-safety: call from one thread (the agent's start-up and its periodic refresh).
#pragma once

#include "common/model/host.h"
#include "common/store/store.h"

#include <optional>
#include <string>

namespace midonet::agent {

// Reads <stateDir>/host_uuid, or creates it with a new random id. Throws std::runtime_error
// naming the file when it cannot be read, parsed or written.
util::Uuid loadOrCreateHostId(const std::string &stateDir);

// This machine's interfaces as the REST API shows them (name, MAC, MTU, addresses, status).
std::vector<model::HostInterface> scanInterfaces(const util::Uuid &hostId);

// The id of the tunnel zone agents create for `name` (deterministic, so concurrent creates collide).
util::Uuid zoneIdForName(const std::string &name);

class HostRegistrar {
public:
    HostRegistrar(store::Store &store, util::Uuid hostId, std::string name);

    // Creates or refreshes the host object and the alive entry. Throws StoreError.
    void registerHost();
    // Re-reads interfaces and writes the host object if they changed. Returns true if written.
    bool refreshInterfaces();
    // Adds (or moves) this host to tunnel zone `zoneName` with `ip`. Creates a VXLAN zone of
    // that name when none exists. Retries on version conflicts (other agents join too).
    void joinTunnelZone(const std::string &zoneName, util::IPv4Address ip);
    // The address of this host in any tunnel zone, if it has one.
    std::optional<util::IPv4Address> tunnelAddress();

    const util::Uuid &hostId() const { return hostId_; }

private:
    store::Store &store_;
    util::Uuid hostId_;
    std::string name_;
    std::vector<model::HostInterface> lastInterfaces_;
};

} // namespace midonet::agent
