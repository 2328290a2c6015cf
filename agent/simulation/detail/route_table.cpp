#include "agent/simulation/detail/route_table.h"

#include <algorithm>
#include <bit>

namespace midonet::sim::detail {

RouteTable::RouteTable(const std::vector<Route> &routes)
{
    // Sized for the worst case (every route its own prefix) so it is never more than half full.
    size_t cap = std::bit_ceil(std::max<size_t>(routes.size() * 2, 8));
    slots_.assign(cap, Slot{});
    shift_ = 64u - unsigned(std::countr_zero(cap));
    const size_t m = cap - 1;
    bool lengthSeen[33] = {};

    // Pass 1: one slot per (network, length), counting its routes.
    std::vector<uint32_t> slotOf(routes.size(), UINT32_MAX);
    for (size_t r = 0; r < routes.size(); ++r) {
        const uint8_t len = routes[r].dst.length;
        if (len > 32) continue;
        const uint32_t net = routes[r].dst.address.value & maskOf(len);
        size_t i = home(net, len);
        while (slots_[i].count != 0 && !(slots_[i].network == net && slots_[i].length == len)) i = (i + 1) & m;
        Slot &s = slots_[i];
        if (s.count == 0) {
            s.network = net;
            s.length = len;
            ++groups_;
        }
        ++s.count;
        slotOf[r] = uint32_t(i);
        lengthSeen[len] = true;
    }
    // Pass 2: groups laid out in slot order; each group's routes in list order.
    uint32_t next = 0;
    for (Slot &s : slots_) {
        s.begin = next;
        next += s.count;
    }
    members_.resize(next);
    std::vector<uint32_t> fill(cap, 0);
    for (size_t r = 0; r < routes.size(); ++r) {
        if (slotOf[r] == UINT32_MAX) continue;
        members_[slots_[slotOf[r]].begin + fill[slotOf[r]]++] = uint32_t(r);
    }
    for (int len = 32; len >= 0; --len)
        if (lengthSeen[len]) lengths_.push_back(uint8_t(len));
}

} // namespace midonet::sim::detail
