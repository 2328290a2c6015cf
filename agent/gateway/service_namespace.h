// ServiceNamespace: the small network namespace in which a gateway's BGP speaker runs with a
// virtual router port's own MAC and IP address (MidoNet did the same).
//
//   /run/netns/mbgp-<first 8 hex of the port id>     the namespace
//   mbgp-<8 hex> (in the agent's namespace)          veth end added to the datapath as the
//                                                    service port (service_ports.h)
//   uplink (inside)                                  the other end: port MAC, port IP/prefix,
//                                                    TX checksum offload off (the userspace
//                                                    datapath forwards frames as they are)
//
// Built with iproute2 and ethtool (`ip`, `ethtool` on PATH). create() first removes a leftover
// of the same name (an agent killed with -9 leaves its namespace behind). enter() moves the
// CALLING THREAD into the namespace (setns), which is how the speaker's sockets end up inside.
// Thread-safety: create/destroy from one thread (the agent's binder loop); enter() on the
// thread that should move.
#pragma once

#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <string>

namespace midonet::agent {

class ServiceNamespace {
public:
    static std::string nameFor(const util::Uuid &port);
    static constexpr const char *kInsideName = "uplink";

    // Throws std::runtime_error naming the command that failed. The inside end stays down
    // until up(): nothing leaves the namespace before the datapath knows the service port (a
    // frame from an unknown datapath port installs a short drop for that port).
    static void create(const std::string &name, util::MacAddress mac, util::IPv4Subnet address);
    static void up(const std::string &name);
    static void destroy(const std::string &name) noexcept;
    // setns(CLONE_NEWNET) of the calling thread; throws std::runtime_error.
    static void enter(const std::string &name);
};

} // namespace midonet::agent
