// Gateway ports: exterior router ports whose router has a BGP peer in the port's subnet (the
// uplinks of L3 gateways, agent/gateway/gateways.h). L2 gateway hosts: hosts binding an exterior
// bridge port with a vlanId (a VLAN on a trunk, agent/gateway/l2_gateway.h). Read only from what
// every agent loads whole (ports, bgp_peers), so every agent finds the same sets: the underlay
// liveness of two hosts depends on both agreeing (agent/host/underlay_liveness.h), and the
// snapshot builder makes an (L3) gateway port inactive when its host is unreachable over the
// underlay. L2 gateway ports are not made inactive that way: their activity is the L2 gateway
// election's (a standby takes the claim over when the holder's host is unreachable).
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
// The hosts that bind at least one L2 gateway port (exterior bridge port with a vlanId).
std::set<util::Uuid> l2GatewayHosts(const ModelSet &m);
// The hosts whose liveness every host of their tunnel zones follows: gateway hosts, L3 and L2.
std::set<util::Uuid> livenessHosts(const ModelSet &m);

} // namespace midonet::agent
