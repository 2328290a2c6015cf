#include "agent/host/host_registrar.h"

#include "common/model/codec.h"
#include "common/model/tunnel_zone.h"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

namespace midonet::agent {

util::Uuid loadOrCreateHostId(const std::string &stateDir)
{
    namespace fs = std::filesystem;
    const fs::path file = fs::path(stateDir) / "host_uuid";
    if (fs::exists(file)) {
        std::ifstream in(file);
        std::string text;
        in >> text;
        auto id = util::Uuid::parse(text);
        if (!id) throw std::runtime_error(file.string() + ": not a UUID ('" + text + "')");
        return *id;
    }
    std::error_code ec;
    fs::create_directories(stateDir, ec);
    if (ec) throw std::runtime_error("cannot create state directory " + stateDir + ": " + ec.message());
    const util::Uuid id = util::Uuid::random();
    std::ofstream out(file);
    out << id.toString() << "\n";
    if (!out) throw std::runtime_error("cannot write " + file.string());
    spdlog::info("new host id {} written to {}", id.toString(), file.string());
    return id;
}

std::vector<model::HostInterface> scanInterfaces(const util::Uuid &hostId)
{
    std::map<std::string, model::HostInterface> byName;
    ifaddrs *ifs = nullptr;
    if (::getifaddrs(&ifs) != 0) return {};
    for (ifaddrs *i = ifs; i; i = i->ifa_next) {
        auto &hi = byName[i->ifa_name];
        hi.hostId = hostId;
        hi.name = i->ifa_name;
        hi.status = ((i->ifa_flags & IFF_UP) ? 1 : 0) | ((i->ifa_flags & IFF_RUNNING) ? 2 : 0);
        hi.type = (i->ifa_flags & IFF_LOOPBACK) ? model::InterfaceType::Virtual : model::InterfaceType::Physical;
        hi.endpoint = (i->ifa_flags & IFF_LOOPBACK) ? model::InterfaceEndpoint::Localhost
                                                    : model::InterfaceEndpoint::Physical;
        if (!i->ifa_addr) continue;
        if (i->ifa_addr->sa_family == AF_PACKET) {
            auto *ll = reinterpret_cast<sockaddr_ll *>(i->ifa_addr);
            if (ll->sll_halen == 6) {
                util::MacAddress m;
                std::copy(ll->sll_addr, ll->sll_addr + 6, m.bytes.begin());
                hi.mac = m;
            }
        } else if (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6) {
            char buf[INET6_ADDRSTRLEN] = {};
            const void *src = i->ifa_addr->sa_family == AF_INET
                                  ? static_cast<const void *>(&reinterpret_cast<sockaddr_in *>(i->ifa_addr)->sin_addr)
                                  : static_cast<const void *>(&reinterpret_cast<sockaddr_in6 *>(i->ifa_addr)->sin6_addr);
            ::inet_ntop(i->ifa_addr->sa_family, src, buf, sizeof buf);
            hi.addresses.push_back(buf);
        }
    }
    ::freeifaddrs(ifs);
    std::vector<model::HostInterface> out;
    for (auto &[name, hi] : byName) {
        std::ifstream mtu("/sys/class/net/" + name + "/mtu");
        mtu >> hi.mtu;
        // Loopback reports 65536; the API's field is a 16-bit MTU (0..65535).
        hi.mtu = std::clamp(hi.mtu, 0, 65535);
        out.push_back(std::move(hi));
    }
    return out;
}

util::Uuid zoneIdForName(const std::string &name)
{
    // Two FNV-1a passes with different offsets; version 5-like bits so it reads as a UUID.
    auto fnv = [&](uint64_t h) {
        for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
        return h;
    };
    util::Uuid u{fnv(0xcbf29ce484222325ULL), fnv(0x84222325cbf29ce4ULL)};
    u.hi = (u.hi & ~0xf000ULL) | 0x5000ULL;
    u.lo = (u.lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);
    return u;
}

HostRegistrar::HostRegistrar(store::Store &store, util::Uuid hostId, std::string name)
    : store_(store), hostId_(hostId), name_(std::move(name))
{
}

void HostRegistrar::registerHost()
{
    lastInterfaces_ = scanInterfaces(hostId_);
    for (int attempt = 0; attempt < 5; ++attempt) {
        model::Host host;
        store::Version version = -1;
        try {
            auto obj = store_.get("hosts", hostId_);
            host = model::decodeText<model::Host>(obj.data, model::DecodeOptions::store());
            version = obj.version;
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::not_found) throw;
        }
        host.id = hostId_;
        host.name = name_;
        host.hostInterfaces = lastInterfaces_;
        host.addresses.clear();
        // The host's addresses as operators reach it: loopback says nothing about the host.
        for (const auto &i : lastInterfaces_)
            if (i.endpoint != model::InterfaceEndpoint::Localhost)
                for (const auto &a : i.addresses) host.addresses.push_back(a);
        const std::string data = model::encode(host, model::View::Store).dump();
        try {
            if (version < 0) store_.create("hosts", hostId_, data);
            else store_.update("hosts", hostId_, data, version);
            break;
        } catch (const store::StoreError &e) {
            // Someone (the API, an old agent session) wrote it meanwhile: read again.
            if (e.errc() != store::StoreErrc::version_conflict &&
                e.errc() != store::StoreErrc::already_exists)
                throw;
        }
    }
    store_.putEphemeral("hosts", hostId_, store::kAliveName, "{}");
    spdlog::info("host {} ({}) registered with {} interfaces; alive", hostId_.toString(), name_,
                 lastInterfaces_.size());
}

bool HostRegistrar::refreshInterfaces()
{
    auto now = scanInterfaces(hostId_);
    if (now == lastInterfaces_) return false;
    registerHost();
    return true;
}

void HostRegistrar::joinTunnelZone(const std::string &zoneName, util::IPv4Address ip)
{
    for (int attempt = 0; attempt < 10; ++attempt) {
        std::optional<store::Object> found;
        for (auto &obj : store_.list("tunnel_zones")) {
            auto z = model::decodeText<model::TunnelZone>(obj.data, model::DecodeOptions::store());
            if (z.name == zoneName) {
                found = std::move(obj);
                break;
            }
        }
        try {
            if (!found) {
                model::TunnelZone z;
                // Agents starting together must not each create a zone of this name: the id is
                // derived from the name, so the second create fails and that agent joins instead.
                z.id = zoneIdForName(zoneName);
                z.name = zoneName;
                z.type = model::TunnelZoneType::Vxlan;
                z.hosts.push_back({z.id, hostId_, ip});
                store_.create("tunnel_zones", z.id, model::encode(z, model::View::Store).dump());
                spdlog::info("created tunnel zone '{}' with this host at {}", zoneName, ip.toString());
                return;
            }
            auto z = model::decodeText<model::TunnelZone>(found->data, model::DecodeOptions::store());
            z.id = found->id;
            auto it = std::find_if(z.hosts.begin(), z.hosts.end(),
                                   [&](const auto &h) { return h.hostId == hostId_; });
            if (it != z.hosts.end() && it->ipAddress == ip) return; // already there
            if (it != z.hosts.end()) it->ipAddress = ip;
            else z.hosts.push_back({z.id, hostId_, ip});
            store_.update("tunnel_zones", z.id, model::encode(z, model::View::Store).dump(), found->version);
            spdlog::info("joined tunnel zone '{}' at {}", zoneName, ip.toString());
            return;
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::version_conflict &&
                e.errc() != store::StoreErrc::already_exists)
                throw;
        }
    }
    throw std::runtime_error("could not join tunnel zone '" + zoneName + "': too many concurrent changes");
}

std::optional<util::IPv4Address> HostRegistrar::tunnelAddress()
{
    for (const auto &obj : store_.list("tunnel_zones")) {
        auto z = model::decodeText<model::TunnelZone>(obj.data, model::DecodeOptions::store());
        for (const auto &h : z.hosts)
            if (h.hostId == hostId_) return h.ipAddress;
    }
    return std::nullopt;
}

} // namespace midonet::agent
