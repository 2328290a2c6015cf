#include "common/store/store.h"

namespace midonet::store {

TableRef macTable(const Uuid &bridge, unsigned vlan)
{
    return {"bridges", bridge, "mac_table/" + std::to_string(vlan)};
}

TableRef arpTable(const Uuid &router) { return {"routers", router, "arp_table"}; }

Op Op::create(std::string type, const Uuid &id, std::string data)
{
    return {Kind::create, std::move(type), id, std::move(data), kAnyVersion};
}

Op Op::update(std::string type, const Uuid &id, std::string data, Version expected)
{
    return {Kind::update, std::move(type), id, std::move(data), expected};
}

Op Op::remove(std::string type, const Uuid &id, Version expected)
{
    return {Kind::remove, std::move(type), id, {}, expected};
}

Op Op::check(std::string type, const Uuid &id, Version expected)
{
    return {Kind::check, std::move(type), id, {}, expected};
}

const char *toString(ChangeOp op)
{
    switch (op) {
    case ChangeOp::created: return "created";
    case ChangeOp::updated: return "updated";
    case ChangeOp::deleted: return "deleted";
    }
    return "?";
}

const char *toString(SessionEvent e)
{
    switch (e) {
    case SessionEvent::connected: return "connected";
    case SessionEvent::disconnected: return "disconnected";
    case SessionEvent::expired: return "expired";
    case SessionEvent::reestablished: return "reestablished";
    }
    return "?";
}

Subscription &Subscription::operator=(Subscription &&o) noexcept
{
    if (this != &o) {
        cancel();
        cancel_ = std::move(o.cancel_);
        o.cancel_ = nullptr;
    }
    return *this;
}

void Subscription::cancel()
{
    if (cancel_) {
        auto fn = std::move(cancel_);
        cancel_ = nullptr;
        fn();
    }
}

} // namespace midonet::store
