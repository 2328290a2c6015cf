// Gateway ports: exterior router ports whose router has a BGP peer in the port's subnet (the
// uplinks of L3 gateways, agent/gateway/gateways.h). Read only from what every agent loads whole
// (ports, bgp_peers), so every agent finds the same set: the underlay liveness of two hosts
// depends on both agreeing (agent/host/underlay_liveness.h), and the snapshot builder makes a
// gateway port inactive when its host is unreachable over the underlay.
//
// Invariants: pure functions of the ModelSet; a port without an address or subnet is no
// gateway port.
// Thread-safety: plain functions.
#pragma once

#include "agent/topology/model_set.h"

#include <optional>
#include <set>
#include <unordered_map>

namespace midonet::agent {

// The port's address with its subnet's length (portSubnet, else networkAddress/Length, with
// portAddress as the address); none when the port has no subnet.
std::optional<util::IPv4Subnet> gatewayPortSubnet(const model::Port &p);
// Gateway port -> its host.
std::unordered_map<util::Uuid, util::Uuid> gatewayPorts(const ModelSet &m);
// The hosts that bind at least one gateway port.
std::set<util::Uuid> gatewayHosts(const ModelSet &m);

} // namespace midonet::agent
