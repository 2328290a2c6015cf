#include "agent/state/flow_state_exchange.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace midonet::agent {

using nlohmann::json;

namespace {

json ctToJson(const sim::ConnTrackKey &k)
{
    return {{"src", k.src.toString()}, {"dst", k.dst.toString()}, {"sport", k.srcPort},
            {"dport", k.dstPort}, {"proto", k.proto}, {"dev", k.device.toString()}};
}

util::IPv4Address ip(const json &j, const char *f)
{
    auto a = util::IPv4Address::parse(j.at(f).get<std::string>());
    if (!a) throw std::invalid_argument(std::string("flow state: bad address in ") + f);
    return *a;
}

util::Uuid uuid(const json &j, const char *f)
{
    auto u = util::Uuid::parse(j.at(f).get<std::string>());
    if (!u) throw std::invalid_argument(std::string("flow state: bad id in ") + f);
    return *u;
}

} // namespace

std::string FlowStateExchange::encode(const std::vector<sim::StateChange> &changes)
{
    json ct = json::array(), nat = json::array();
    for (const auto &c : changes) {
        if (auto *a = std::get_if<sim::ConnTrackAdded>(&c.change)) {
            ct.push_back(ctToJson(a->key));
        } else if (auto *n = std::get_if<sim::NatBindingAdded>(&c.change)) {
            json j = {{"type", int(n->key.type)}, {"src", n->key.src.toString()},
                      {"dst", n->key.dst.toString()}, {"sport", n->key.srcPort},
                      {"dport", n->key.dstPort}, {"proto", n->key.proto},
                      {"dev", n->key.device.toString()}, {"ip", n->binding.ip.toString()},
                      {"port", n->binding.port}};
            nat.push_back(std::move(j));
        }
    }
    if (ct.empty() && nat.empty()) return {};
    return json{{"v", 1}, {"ct", ct}, {"nat", nat}}.dump();
}

std::vector<sim::StateChange> FlowStateExchange::decode(const std::string &text)
{
    json j = json::parse(text);
    if (j.value("v", 0) != 1) throw std::invalid_argument("flow state: unknown version");
    std::vector<sim::StateChange> out;
    for (const auto &c : j.at("ct")) {
        sim::ConnTrackKey k;
        k.src = ip(c, "src");
        k.dst = ip(c, "dst");
        k.srcPort = c.at("sport").get<uint16_t>();
        k.dstPort = c.at("dport").get<uint16_t>();
        k.proto = c.at("proto").get<uint8_t>();
        k.device = uuid(c, "dev");
        out.push_back({sim::ConnTrackAdded{k}});
    }
    for (const auto &c : j.at("nat")) {
        sim::NatKey k;
        int type = c.at("type").get<int>();
        if (type < 0 || type > int(sim::NatKeyType::RevStickyDnat))
            throw std::invalid_argument("flow state: bad NAT key type");
        k.type = sim::NatKeyType(type);
        k.src = ip(c, "src");
        k.dst = ip(c, "dst");
        k.srcPort = c.at("sport").get<uint16_t>();
        k.dstPort = c.at("dport").get<uint16_t>();
        k.proto = c.at("proto").get<uint8_t>();
        k.device = uuid(c, "dev");
        sim::NatBinding b{ip(c, "ip"), c.at("port").get<uint16_t>()};
        out.push_back({sim::NatBindingAdded{k, b}});
    }
    return out;
}

FlowStateExchange::FlowStateExchange(util::IPv4Address local, uint16_t port, Receive onReceive,
                                     uint16_t peerPort)
    : onReceive_(std::move(onReceive))
{
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "flow state socket");
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(local.value);
    if (::bind(fd_, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0) {
        int err = errno;
        ::close(fd_);
        throw std::system_error(err, std::generic_category(),
                                "flow state: bind " + local.toString() + ":" + std::to_string(port));
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr *>(&sa), &len);
    port_ = ntohs(sa.sin_port);
    peerPort_ = peerPort ? peerPort : port_;
    thread_ = std::thread([this] { run(); });
}

FlowStateExchange::~FlowStateExchange()
{
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
}

bool FlowStateExchange::send(util::IPv4Address to, const std::vector<sim::StateChange> &changes)
{
    const std::string msg = encode(changes);
    if (msg.empty()) return false;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(peerPort_);
    sa.sin_addr.s_addr = htonl(to.value);
    if (::sendto(fd_, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0) {
        spdlog::warn("flow state to {} not sent: {}", to.toString(), std::strerror(errno));
        return false;
    }
    ++sent_;
    return true;
}

void FlowStateExchange::run()
{
    std::string buf(65536, '\0');
    while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        sockaddr_in from{};
        socklen_t len = sizeof from;
        ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr *>(&from), &len);
        if (n <= 0) continue;
        util::IPv4Address src{ntohl(from.sin_addr.s_addr)};
        try {
            auto changes = decode(buf.substr(0, size_t(n)));
            ++received_;
            if (onReceive_) onReceive_(changes, src);
        } catch (const std::exception &e) {
            spdlog::warn("flow state from {} ignored: {}", src.toString(), e.what());
        }
    }
}

} // namespace midonet::agent
