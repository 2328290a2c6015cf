// Request-level rules of MidoNet's REST API that look at the raw body or the stored object
// rather than one field (the codec ignores read-only fields on input, but these resources
// refuse a body that tries to set them). Each throws ValidationError naming the property.
//
// Thread-safety: pure functions.
#pragma once

#include "common/model/bridge.h"
#include "common/model/errors.h"
#include "common/model/load_balancer.h"
#include "common/model/port.h"
#include "common/model/schema.h"

namespace midonet::model {

// Host PUT: floodingProxyWeight, containerWeight, containerLimit, enforceContainerLimit must
// all be present and non-null.
void checkHostUpdate(const json &body);
// Bridge: vxLanPortIds must be absent/null on POST (stored == nullptr) and, if given on PUT,
// equal to the stored list.
void checkBridgeWrite(const json &body, const Bridge *stored);
// Load balancer: routerId must be absent/null on POST and unchanged on PUT.
void checkLoadBalancerWrite(const json &body, const LoadBalancer *stored);
// POST /bridges/{id}/ports takes bridge ports only ("Not a bridge port."), routers likewise.
void checkPortKind(const Port &port, PortType device);

} // namespace midonet::model
