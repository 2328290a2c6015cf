#include "gateway/bfd/packet.h"

#include <string>

namespace midonet::gateway::bfd {

namespace {

class PacketCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bfd-packet"; }
    std::string message(int e) const override
    {
        switch (PacketError(e)) {
        case PacketError::Truncated: return "BFD packet truncated";
        case PacketError::BadVersion: return "BFD version is not 1";
        case PacketError::BadLength: return "BFD Length field too small";
        case PacketError::ZeroDetectMult: return "BFD Detect Mult is 0";
        case PacketError::MultipointSet: return "BFD Multipoint bit set";
        case PacketError::ZeroMyDiscriminator: return "BFD My Discriminator is 0";
        case PacketError::ZeroYourDiscriminator: return "BFD Your Discriminator is 0 in state Init or Up";
        case PacketError::AuthTruncated: return "BFD authentication section truncated";
        case PacketError::BadAuthLength: return "BFD Auth Len wrong for its Auth Type";
        case PacketError::UnknownAuthType: return "BFD Auth Type unknown";
        case PacketError::AuthenticationNotInUse: return "BFD authentication present but not configured";
        case PacketError::UnknownDiscriminator: return "BFD Your Discriminator matches no session";
        case PacketError::NoSession: return "BFD packet from an address with no session";
        case PacketError::BadTtl: return "BFD TTL/hop limit is not 255";
        }
        return "unknown BFD packet error";
    }
};

class DiagCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bfd-diag"; }
    std::string message(int e) const override { return std::string("BFD: ") + toString(Diag(e)); }
};

uint32_t get32(std::span<const uint8_t> b, size_t at)
{
    return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
}
void put32(std::vector<uint8_t> &out, uint32_t v)
{
    out.push_back(uint8_t(v >> 24));
    out.push_back(uint8_t(v >> 16));
    out.push_back(uint8_t(v >> 8));
    out.push_back(uint8_t(v));
}

// RFC 5880 §4.2-4.4: the Auth Len each type allows (the whole section, type and length
// octets included).
bool authLengthValid(AuthType t, size_t len)
{
    switch (t) {
    case AuthType::SimplePassword: return len >= 4 && len <= 19; // 1..16 octets of password
    case AuthType::KeyedMd5:
    case AuthType::MeticulousKeyedMd5: return len == 24;
    case AuthType::KeyedSha1:
    case AuthType::MeticulousKeyedSha1: return len == 28;
    case AuthType::None: break;
    }
    return false;
}

} // namespace

const char *toString(State s)
{
    switch (s) {
    case State::AdminDown: return "AdminDown";
    case State::Down: return "Down";
    case State::Init: return "Init";
    case State::Up: return "Up";
    }
    return "?";
}

const char *toString(Diag d)
{
    switch (d) {
    case Diag::None: return "no diagnostic";
    case Diag::ControlDetectionTimeExpired: return "control detection time expired";
    case Diag::EchoFunctionFailed: return "echo function failed";
    case Diag::NeighborSignaledSessionDown: return "neighbor signaled session down";
    case Diag::ForwardingPlaneReset: return "forwarding plane reset";
    case Diag::PathDown: return "path down";
    case Diag::ConcatenatedPathDown: return "concatenated path down";
    case Diag::AdministrativelyDown: return "administratively down";
    case Diag::ReverseConcatenatedPathDown: return "reverse concatenated path down";
    }
    return "unknown diagnostic";
}

const std::error_category &packetCategory()
{
    static PacketCategory c;
    return c;
}

const std::error_category &diagCategory()
{
    static DiagCategory c;
    return c;
}

void encode(const ControlPacket &p, std::vector<uint8_t> &out)
{
    size_t authLen = 0;
    if (p.auth) authLen = 3 + p.auth->data.size();
    out.push_back(uint8_t(kVersion << 5 | (uint8_t(p.diag) & 0x1f)));
    bool fin = p.final && !p.poll; // §6.8.7: never both
    out.push_back(uint8_t(uint8_t(p.state) << 6 | p.poll << 5 | fin << 4 | p.controlPlaneIndependent << 3 |
                          bool(p.auth) << 2 | p.demand << 1 | p.multipoint));
    out.push_back(p.detectMult);
    out.push_back(uint8_t(kMandatorySize + authLen));
    put32(out, p.myDiscriminator);
    put32(out, p.yourDiscriminator);
    put32(out, p.desiredMinTxUs);
    put32(out, p.requiredMinRxUs);
    put32(out, p.requiredMinEchoRxUs);
    if (p.auth) {
        out.push_back(uint8_t(p.auth->type));
        out.push_back(uint8_t(authLen));
        out.push_back(p.auth->keyId);
        out.insert(out.end(), p.auth->data.begin(), p.auth->data.end());
    }
}

std::error_code decode(std::span<const uint8_t> b, ControlPacket &p)
{
    if (b.size() < kMandatorySize) return PacketError::Truncated;
    if (b[0] >> 5 != kVersion) return PacketError::BadVersion;
    bool a = b[1] & 0x04;
    size_t length = b[3];
    if (length < (a ? kMinSizeWithAuth : kMandatorySize)) return PacketError::BadLength;
    if (length > b.size()) return PacketError::Truncated;
    p = {};
    p.diag = Diag(b[0] & 0x1f);
    p.state = State(b[1] >> 6);
    p.poll = b[1] & 0x20;
    p.final = b[1] & 0x10;
    p.controlPlaneIndependent = b[1] & 0x08;
    p.demand = b[1] & 0x02;
    p.multipoint = b[1] & 0x01;
    p.detectMult = b[2];
    p.myDiscriminator = get32(b, 4);
    p.yourDiscriminator = get32(b, 8);
    p.desiredMinTxUs = get32(b, 12);
    p.requiredMinRxUs = get32(b, 16);
    p.requiredMinEchoRxUs = get32(b, 20);
    if (p.detectMult == 0) return PacketError::ZeroDetectMult;
    if (p.multipoint) return PacketError::MultipointSet;
    if (p.myDiscriminator == 0) return PacketError::ZeroMyDiscriminator;
    if (p.yourDiscriminator == 0 && (p.state == State::Init || p.state == State::Up))
        return PacketError::ZeroYourDiscriminator;
    if (a) {
        auto type = AuthType(b[24]);
        size_t authLen = b[25];
        if (type == AuthType::None || uint8_t(type) > uint8_t(AuthType::MeticulousKeyedSha1))
            return PacketError::UnknownAuthType;
        if (!authLengthValid(type, authLen)) return PacketError::BadAuthLength;
        if (kMandatorySize + authLen > length) return PacketError::AuthTruncated;
        AuthSection s;
        s.type = type;
        s.keyId = b[26];
        s.data.assign(b.begin() + 27, b.begin() + ptrdiff_t(kMandatorySize + authLen));
        p.auth = std::move(s);
    }
    return {};
}

} // namespace midonet::gateway::bfd
