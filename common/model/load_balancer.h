// L4 load balancing: load balancer (attached to a router), pool, pool member, VIP, health
// monitor.
// Invariants: LoadBalancer::routerId, Pool::protocol/status, PoolMember::status and
// Vip::loadBalancerId are read-only (derived by the server); member weight >= 1.
// Thread-safety: plain values.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>

namespace midonet::model {

struct LoadBalancer {
    static constexpr std::string_view kType = "load_balancers";
    static constexpr std::string_view kMediaType = "LoadBalancer-v1";

    util::Uuid id;
    bool adminStateUp = true;
    std::optional<util::Uuid> routerId; // RO: the router whose loadBalancerId points here

    static const Schema<LoadBalancer> &schema();
    bool operator==(const LoadBalancer &) const = default;
};

struct Pool {
    static constexpr std::string_view kType = "pools";
    static constexpr std::string_view kMediaType = "Pool-v1";

    util::Uuid id;
    bool adminStateUp = true;
    std::optional<util::Uuid> loadBalancerId;
    std::optional<util::Uuid> healthMonitorId;
    LbMethod lbMethod = LbMethod::RoundRobin;
    LbProtocol protocol = LbProtocol::Tcp; // RO
    LbStatus status = LbStatus::Active;    // RO

    static const Schema<Pool> &schema();
    bool operator==(const Pool &) const = default;
};

struct PoolMember {
    static constexpr std::string_view kType = "pool_members";
    static constexpr std::string_view kMediaType = "PoolMember-v1";

    util::Uuid id;
    std::optional<util::Uuid> poolId;
    util::IPv4Address address;
    int32_t protocolPort = 0;
    int32_t weight = 1;
    bool adminStateUp = true;
    LbStatus status = LbStatus::Active; // RO

    static const Schema<PoolMember> &schema();
    bool operator==(const PoolMember &) const = default;
};

struct Vip {
    static constexpr std::string_view kType = "vips";
    static constexpr std::string_view kMediaType = "VIP-v1";

    util::Uuid id;
    bool adminStateUp = true;
    std::optional<util::Uuid> poolId;
    util::IPv4Address address;
    int32_t protocolPort = 0;
    std::optional<SessionPersistence> sessionPersistence;
    std::optional<util::Uuid> loadBalancerId; // RO: the pool's

    static const Schema<Vip> &schema();
    bool operator==(const Vip &) const = default;
};

struct HealthMonitor {
    static constexpr std::string_view kType = "health_monitors";
    static constexpr std::string_view kMediaType = "HealthMonitor-v1";

    util::Uuid id;
    bool adminStateUp = true;
    HealthMonitorType type = HealthMonitorType::Tcp;
    int32_t delay = 0;
    int32_t timeout = 0;
    int32_t maxRetries = 0;

    static const Schema<HealthMonitor> &schema();
    bool operator==(const HealthMonitor &) const = default;
};

} // namespace midonet::model
