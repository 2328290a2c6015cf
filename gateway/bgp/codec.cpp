#include "gateway/bgp/codec.h"

#include "gateway/bgp/detail/wire.h"

#include <algorithm>

namespace midonet::gateway::bgp {

using detail::Reader;
using detail::Writer;

namespace {

class CodecCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bgp-codec"; }
    std::string message(int e) const override
    {
        switch (CodecError(e)) {
        case CodecError::HeaderTruncated: return "message shorter than the 19-octet header";
        case CodecError::BadMarker: return "header marker is not all ones";
        case CodecError::BadMessageLength: return "bad message length";
        case CodecError::BadMessageType: return "unknown message type";
        case CodecError::LengthMismatch: return "buffer size differs from the header length";
        case CodecError::OpenTruncated: return "OPEN shorter than its fixed part";
        case CodecError::UnsupportedVersion: return "unsupported BGP version";
        case CodecError::BadBgpIdentifier: return "BGP identifier is 0";
        case CodecError::UnacceptableHoldTime: return "hold time 1 or 2 seconds";
        case CodecError::OptionalParametersOverrun: return "optional parameters overrun the OPEN";
        case CodecError::UnsupportedOptionalParameter: return "unsupported optional parameter";
        case CodecError::CapabilityOverrun: return "capability overruns its parameter";
        case CodecError::CapabilityMalformed: return "capability value has a wrong length";
        case CodecError::UpdateTruncated: return "UPDATE too short for its length fields";
        case CodecError::WithdrawnRoutesOverrun: return "withdrawn routes overrun the UPDATE";
        case CodecError::PathAttributesOverrun: return "path attributes overrun the UPDATE";
        case CodecError::InvalidNetworkField: return "invalid prefix in NLRI or withdrawn routes";
        case CodecError::NotificationTruncated: return "NOTIFICATION without code and subcode";
        case CodecError::RouteRefreshLength: return "ROUTE-REFRESH body is not 4 octets";
        }
        return "unknown codec error";
    }
};

bool readPrefix(Reader &r, Afi afi, std::vector<Prefix> &out)
{
    uint8_t len = r.u8();
    if (len > Prefix::maxLength(afi)) return false;
    size_t n = (len + 7u) / 8u;
    if (!r.has(n)) return false;
    uint8_t addr[16] = {};
    auto b = r.bytes(n);
    std::copy(b.begin(), b.end(), addr);
    out.push_back(*Prefix::make(afi, addr, len));
    return true;
}

void header(Writer &w, MessageType t)
{
    for (int i = 0; i < 16; ++i) w.u8(0xff);
    w.u16(0); // patched by finish()
    w.u8(uint8_t(t));
}

void finish(std::vector<uint8_t> &out, size_t start)
{
    size_t n = out.size() - start;
    out[start + 16] = uint8_t(n >> 8);
    out[start + 17] = uint8_t(n);
}

void decodeCapabilities(Reader r, Capabilities &caps, std::error_code &ec)
{
    while (!r.atEnd()) {
        if (!r.has(2)) return void(ec = CodecError::CapabilityOverrun);
        uint8_t code = r.u8(), len = r.u8();
        if (!r.has(len)) return void(ec = CodecError::CapabilityOverrun);
        Reader v(r.bytes(len));
        switch (code) {
        case 1: // multiprotocol: AFI(2) reserved(1) SAFI(1)
            if (len != 4) return void(ec = CodecError::CapabilityMalformed);
            {
                AfiSafi f;
                f.afi = Afi(v.u16());
                v.u8();
                f.safi = v.u8();
                if (std::find(caps.multiprotocol.begin(), caps.multiprotocol.end(), f) ==
                    caps.multiprotocol.end())
                    caps.multiprotocol.push_back(f);
            }
            break;
        case 2:
        case 128:
            if (len != 0) return void(ec = CodecError::CapabilityMalformed);
            caps.routeRefresh = true;
            break;
        case 65:
            if (len != 4) return void(ec = CodecError::CapabilityMalformed);
            caps.fourOctetAs = v.u32();
            break;
        case 64: {
            if (len < 2 || (len - 2) % 4 != 0) return void(ec = CodecError::CapabilityMalformed);
            GracefulRestartCapability gr;
            uint16_t flagsTime = v.u16();
            gr.restarting = flagsTime & 0x8000;
            gr.notification = flagsTime & 0x4000;
            gr.restartTime = flagsTime & 0x0fff;
            while (!v.atEnd()) {
                GracefulRestartCapability::Family f;
                f.family.afi = Afi(v.u16());
                f.family.safi = v.u8();
                f.forwardingPreserved = v.u8() & 0x80;
                gr.families.push_back(f);
            }
            caps.gracefulRestart = gr;
            break;
        }
        default: {
            auto b = v.rest();
            caps.unknown.push_back({code, {b.begin(), b.end()}});
        }
        }
    }
}

void encodeCapability(Writer &w, uint8_t code, std::span<const uint8_t> value)
{
    w.u8(code);
    w.u8(uint8_t(value.size()));
    w.bytes(value);
}

} // namespace

const std::error_category &codecCategory()
{
    static CodecCategory c;
    return c;
}

bool Capabilities::supports(AfiSafi f) const
{
    if (multiprotocol.empty()) return f == AfiSafi{Afi::Ipv4, kSafiUnicast};
    return std::find(multiprotocol.begin(), multiprotocol.end(), f) != multiprotocol.end();
}

std::string Notification::describe() const
{
    static const char *codes[] = {"?", "Message Header Error", "OPEN Message Error",
                                  "UPDATE Message Error", "Hold Timer Expired",
                                  "Finite State Machine Error", "Cease", "ROUTE-REFRESH Message Error"};
    static const char *cease[] = {"?", "Maximum Prefixes", "Administrative Shutdown",
                                  "Peer De-configured", "Administrative Reset", "Connection Rejected",
                                  "Other Configuration Change", "Connection Collision Resolution",
                                  "Out of Resources", "Hard Reset"};
    std::string s = code < 8 ? codes[code] : "code " + std::to_string(code);
    if (code == notify::Cease && subcode >= 1 && subcode <= 9) return s + "/" + cease[subcode];
    return s + "/" + std::to_string(subcode);
}

Notification notificationFor(std::error_code e, std::span<const uint8_t> data)
{
    Notification n;
    n.data.assign(data.begin(), data.end());
    if (e.category() != codecCategory()) {
        n.code = notify::Cease;
        n.subcode = notify::CeaseOutOfResources;
        return n;
    }
    switch (CodecError(e.value())) {
    case CodecError::HeaderTruncated:
    case CodecError::BadMessageLength:
    case CodecError::LengthMismatch:
    case CodecError::OpenTruncated:
    case CodecError::NotificationTruncated: n = {notify::MessageHeader, 2, n.data}; break;
    case CodecError::BadMarker: n = {notify::MessageHeader, 1, {}}; break;
    case CodecError::BadMessageType: n = {notify::MessageHeader, 3, n.data}; break;
    case CodecError::UnsupportedVersion: n = {notify::Open, 1, {0, 4}}; break;
    case CodecError::BadBgpIdentifier: n = {notify::Open, 3, {}}; break;
    case CodecError::UnacceptableHoldTime: n = {notify::Open, 6, {}}; break;
    case CodecError::UnsupportedOptionalParameter: n = {notify::Open, 4, {}}; break;
    case CodecError::OptionalParametersOverrun:
    case CodecError::CapabilityOverrun:
    case CodecError::CapabilityMalformed: n = {notify::Open, 0, {}}; break;
    case CodecError::UpdateTruncated:
    case CodecError::WithdrawnRoutesOverrun:
    case CodecError::PathAttributesOverrun: n = {notify::Update, 1, {}}; break;
    case CodecError::InvalidNetworkField: n = {notify::Update, 10, {}}; break;
    case CodecError::RouteRefreshLength: n = {notify::RouteRefresh, 1, n.data}; break;
    }
    return n;
}

size_t frameLength(std::span<const uint8_t> s, std::error_code &ec)
{
    if (s.size() < kHeaderSize) return 0;
    for (int i = 0; i < 16; ++i)
        if (s[i] != 0xff) return ec = CodecError::BadMarker, 0;
    size_t len = size_t(s[16]) << 8 | s[17];
    if (len < kHeaderSize || len > kMaxMessageSize) return ec = CodecError::BadMessageLength, 0;
    if (s[18] < 1 || s[18] > 5) return ec = CodecError::BadMessageType, 0;
    return s.size() >= len ? len : 0;
}

Message decodeMessage(std::span<const uint8_t> msg, std::error_code &ec)
{
    ec.clear();
    if (msg.size() < kHeaderSize) return ec = CodecError::HeaderTruncated, KeepaliveMessage{};
    size_t len = frameLength(msg, ec);
    if (ec) return KeepaliveMessage{};
    if (len == 0 || len != msg.size()) return ec = CodecError::LengthMismatch, KeepaliveMessage{};
    auto body = msg.subspan(kHeaderSize);
    switch (MessageType(msg[18])) {
    case MessageType::Open:
        if (len < 29) return ec = CodecError::BadMessageLength, KeepaliveMessage{};
        return decodeOpen(body, ec);
    case MessageType::Update:
        if (len < 23) return ec = CodecError::BadMessageLength, KeepaliveMessage{};
        return decodeUpdate(body, ec);
    case MessageType::Notification:
        if (len < 21) return ec = CodecError::BadMessageLength, KeepaliveMessage{};
        return decodeNotification(body, ec);
    case MessageType::Keepalive:
        if (len != kHeaderSize) return ec = CodecError::BadMessageLength, KeepaliveMessage{};
        return KeepaliveMessage{};
    case MessageType::RouteRefresh: return decodeRouteRefresh(body, ec);
    }
    ec = CodecError::BadMessageType;
    return KeepaliveMessage{};
}

OpenMessage decodeOpen(std::span<const uint8_t> body, std::error_code &ec)
{
    ec.clear();
    OpenMessage m;
    Reader r(body);
    if (!r.has(10)) return ec = CodecError::OpenTruncated, m;
    m.version = r.u8();
    m.myAs = r.u16();
    m.holdTime = r.u16();
    m.bgpId = r.u32();
    uint8_t optLen = r.u8();
    if (m.version != 4) return ec = CodecError::UnsupportedVersion, m;
    if (r.left() != optLen) return ec = CodecError::OptionalParametersOverrun, m;
    while (!r.atEnd()) {
        if (!r.has(2)) return ec = CodecError::OptionalParametersOverrun, m;
        uint8_t type = r.u8(), len = r.u8();
        if (!r.has(len)) return ec = CodecError::OptionalParametersOverrun, m;
        auto value = r.bytes(len);
        if (type != 2) return ec = CodecError::UnsupportedOptionalParameter, m;
        decodeCapabilities(Reader(value), m.caps, ec);
        if (ec) return m;
    }
    // Checked after the parameters so a malformed OPEN reports its first structural error.
    if (m.holdTime == 1 || m.holdTime == 2) return ec = CodecError::UnacceptableHoldTime, m;
    if (m.bgpId == 0) return ec = CodecError::BadBgpIdentifier, m;
    return m;
}

bool decodePrefixes(std::span<const uint8_t> in, Afi afi, std::vector<Prefix> &out)
{
    Reader r(in);
    while (!r.atEnd())
        if (!readPrefix(r, afi, out)) return false;
    return true;
}

UpdateView decodeUpdate(std::span<const uint8_t> body, std::error_code &ec)
{
    ec.clear();
    UpdateView u;
    Reader r(body);
    if (!r.has(2)) return ec = CodecError::UpdateTruncated, u;
    uint16_t wlen = r.u16();
    if (!r.has(size_t(wlen) + 2)) return ec = CodecError::WithdrawnRoutesOverrun, u;
    auto withdrawn = r.bytes(wlen);
    uint16_t alen = r.u16();
    if (!r.has(alen)) return ec = CodecError::PathAttributesOverrun, u;
    u.attributes = r.bytes(alen);
    if (!decodePrefixes(withdrawn, Afi::Ipv4, u.withdrawn))
        return ec = CodecError::InvalidNetworkField, u;
    if (!decodePrefixes(r.rest(), Afi::Ipv4, u.nlri)) return ec = CodecError::InvalidNetworkField, u;
    return u;
}

Notification decodeNotification(std::span<const uint8_t> body, std::error_code &ec)
{
    ec.clear();
    Notification n;
    if (body.size() < 2) return ec = CodecError::NotificationTruncated, n;
    n.code = body[0];
    n.subcode = body[1];
    n.data.assign(body.begin() + 2, body.end());
    return n;
}

RouteRefreshMessage decodeRouteRefresh(std::span<const uint8_t> body, std::error_code &ec)
{
    ec.clear();
    RouteRefreshMessage m;
    if (body.size() != 4) return ec = CodecError::RouteRefreshLength, m;
    Reader r(body);
    m.family.afi = Afi(r.u16());
    m.subtype = r.u8();
    m.family.safi = r.u8();
    return m;
}

void encodeOpen(const OpenMessage &m, std::vector<uint8_t> &out, CapabilityPacking packing)
{
    size_t start = out.size();
    Writer w(out);
    header(w, MessageType::Open);
    w.u8(m.version);
    w.u16(m.myAs);
    w.u16(m.holdTime);
    w.u32(m.bgpId);
    size_t optMark = w.mark8();
    // Each capability is written into its own small buffer first so the two packings share code.
    std::vector<std::vector<uint8_t>> caps;
    auto add = [&](uint8_t code, std::vector<uint8_t> value) {
        std::vector<uint8_t> c;
        Writer cw(c);
        encodeCapability(cw, code, value);
        caps.push_back(std::move(c));
    };
    for (auto f : m.caps.multiprotocol)
        add(1, {uint8_t(uint16_t(f.afi) >> 8), uint8_t(f.afi), 0, f.safi});
    if (m.caps.routeRefresh) add(2, {});
    if (m.caps.gracefulRestart) {
        const auto &gr = *m.caps.gracefulRestart;
        uint16_t ft = uint16_t((gr.restarting ? 0x8000 : 0) | (gr.notification ? 0x4000 : 0) |
                               (gr.restartTime & 0x0fff));
        std::vector<uint8_t> v{uint8_t(ft >> 8), uint8_t(ft)};
        for (auto &f : gr.families) {
            v.push_back(uint8_t(uint16_t(f.family.afi) >> 8));
            v.push_back(uint8_t(f.family.afi));
            v.push_back(f.family.safi);
            v.push_back(f.forwardingPreserved ? 0x80 : 0);
        }
        add(64, std::move(v));
    }
    if (m.caps.fourOctetAs) {
        uint32_t a = *m.caps.fourOctetAs;
        add(65, {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)});
    }
    for (auto &u : m.caps.unknown) add(u.code, u.value);
    if (packing == CapabilityPacking::OneParameter && !caps.empty()) {
        w.u8(2);
        size_t pm = w.mark8();
        for (auto &c : caps) w.bytes(c);
        w.patch8(pm);
    } else {
        for (auto &c : caps) {
            w.u8(2);
            w.u8(uint8_t(c.size()));
            w.bytes(c);
        }
    }
    w.patch8(optMark);
    finish(out, start);
}

void encodePrefix(const Prefix &p, std::vector<uint8_t> &out)
{
    out.push_back(p.length);
    out.insert(out.end(), p.bytes.begin(), p.bytes.begin() + p.wireOctets());
}

void encodeUpdate(std::span<const Prefix> withdrawn, std::span<const uint8_t> attributes,
                  std::span<const Prefix> nlri, std::vector<uint8_t> &out)
{
    size_t start = out.size();
    Writer w(out);
    header(w, MessageType::Update);
    size_t wm = w.mark16();
    for (auto &p : withdrawn) encodePrefix(p, out);
    w.patch16(wm);
    w.u16(uint16_t(attributes.size()));
    w.bytes(attributes);
    for (auto &p : nlri) encodePrefix(p, out);
    finish(out, start);
}

void encodeNotification(const Notification &n, std::vector<uint8_t> &out)
{
    size_t start = out.size();
    Writer w(out);
    header(w, MessageType::Notification);
    w.u8(n.code);
    w.u8(n.subcode);
    w.bytes(n.data);
    finish(out, start);
}

void encodeKeepalive(std::vector<uint8_t> &out)
{
    size_t start = out.size();
    Writer w(out);
    header(w, MessageType::Keepalive);
    finish(out, start);
}

void encodeRouteRefresh(const RouteRefreshMessage &m, std::vector<uint8_t> &out)
{
    size_t start = out.size();
    Writer w(out);
    header(w, MessageType::RouteRefresh);
    w.u16(uint16_t(m.family.afi));
    w.u8(m.subtype);
    w.u8(m.family.safi);
    finish(out, start);
}

} // namespace midonet::gateway::bgp
