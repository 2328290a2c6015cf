#include "gateway/bgp/attributes.h"

#include "gateway/bgp/detail/wire.h"

#include <arpa/inet.h>

#include <algorithm>

namespace midonet::gateway::bgp {

using detail::Reader;
using detail::Writer;
using E = AttributeError;
using Span = std::span<const uint8_t>;

namespace {

class AttributeCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bgp-attributes"; }
    std::string message(int e) const override
    {
        switch (E(e)) {
        case E::FlagsMismatch: return "attribute flags do not match its type";
        case E::BadLength: return "attribute length wrong for its type";
        case E::BadOrigin: return "ORIGIN value not IGP, EGP or INCOMPLETE";
        case E::MalformedAsPath: return "malformed AS_PATH";
        case E::FirstAsMismatch: return "AS_PATH does not start with the peer's AS";
        case E::BadNextHop: return "invalid NEXT_HOP";
        case E::MissingWellKnown: return "missing well-known mandatory attribute";
        case E::Duplicate: return "attribute appears twice";
        case E::AttributeOverrun: return "attribute length overruns the attribute block";
        case E::UnrecognisedWellKnown: return "unrecognised well-known attribute";
        case E::MalformedMpReach: return "malformed MP_REACH_NLRI";
        case E::MalformedMpUnreach: return "malformed MP_UNREACH_NLRI";
        case E::DuplicateMp: return "MP_REACH_NLRI or MP_UNREACH_NLRI appears twice";
        }
        return "unknown attribute error";
    }
};

std::string ipv4String(uint32_t a)
{
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
           std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::error_code decodeAsPathValue(Span v, bool fourOctet, AsPath &out)
{
    Reader r(v);
    unsigned width = fourOctet ? 4 : 2;
    while (!r.atEnd()) {
        if (!r.has(2)) return E::MalformedAsPath;
        AsPathSegment s;
        s.type = r.u8();
        uint8_t n = r.u8();
        if (s.type < attr::AsSet || s.type > attr::AsConfedSet || n == 0) return E::MalformedAsPath;
        if (!r.has(size_t(n) * width)) return E::MalformedAsPath;
        s.asns.reserve(n);
        for (unsigned i = 0; i < n; ++i) s.asns.push_back(fourOctet ? r.u32() : r.u16());
        out.push_back(std::move(s));
    }
    return {};
}

// Writes segments; with 2-octet width, ASes above 65535 become AS_TRANS (RFC 6793 §4.2.2).
// Segments longer than 255 ASes are split, as the count field is one octet.
void encodeAsPathValue(const AsPath &p, bool fourOctet, std::vector<uint8_t> &out)
{
    Writer w(out);
    for (auto &s : p) {
        for (size_t i = 0; i < s.asns.size(); i += 255) {
            size_t n = std::min<size_t>(255, s.asns.size() - i);
            w.u8(s.type);
            w.u8(uint8_t(n));
            for (size_t j = i; j < i + n; ++j) {
                uint32_t as = s.asns[j];
                if (fourOctet) w.u32(as);
                else w.u16(as > 0xffff ? kAsTrans : uint16_t(as));
            }
        }
    }
}

bool needsAs4(const AsPath &p)
{
    for (auto &s : p)
        for (auto as : s.asns)
            if (as > 0xffff) return true;
    return false;
}

// --- rows ---------------------------------------------------------------------------------

std::error_code decOrigin(Span v, const AttributeContext &, PathAttributes &a)
{
    if (v.size() != 1) return E::BadLength;
    a.origin = v[0];
    return {};
}
std::error_code valOrigin(const PathAttributes &a, const AttributeContext &)
{
    return *a.origin > attr::OriginIncomplete ? std::error_code(E::BadOrigin) : std::error_code{};
}
bool encOrigin(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!a.origin) return false;
    v.push_back(*a.origin);
    return true;
}
void fmtOrigin(const PathAttributes &a, std::string &o)
{
    static const char *n[] = {"igp", "egp", "incomplete"};
    if (a.origin) o += std::string("origin ") + (*a.origin < 3 ? n[*a.origin] : "?");
}

std::error_code decAsPath(Span v, const AttributeContext &c, PathAttributes &a)
{
    AsPath p;
    if (auto e = decodeAsPathValue(v, c.fourOctetAs, p)) return e;
    a.asPath = std::move(p);
    return {};
}
std::error_code valAsPath(const PathAttributes &a, const AttributeContext &c)
{
    if (!c.ebgp || c.peerAs == 0) return {};
    // An eBGP peer must put its own AS first (RFC 4271 §6.3); AS_TRANS stands in on 2-octet
    // sessions for a 4-octet peer AS.
    const auto &p = *a.asPath;
    if (p.empty() || p.front().type != attr::AsSequence) return E::FirstAsMismatch;
    uint32_t first = p.front().asns.front();
    if (first != c.peerAs && !(first == kAsTrans && !c.fourOctetAs && c.peerAs > 0xffff))
        return E::FirstAsMismatch;
    return {};
}
bool encAsPath(const PathAttributes &a, const AttributeContext &c, std::vector<uint8_t> &v)
{
    if (!a.asPath) return false;
    encodeAsPathValue(*a.asPath, c.fourOctetAs, v);
    return true;
}
void fmtAsPath(const PathAttributes &a, std::string &o)
{
    if (a.asPath) o += "as-path " + formatAsPath(*a.asPath);
}

std::error_code decNextHop(Span v, const AttributeContext &, PathAttributes &a)
{
    if (v.size() != 4) return E::BadLength;
    Reader r(v);
    a.nextHop = r.u32();
    return {};
}
std::error_code valNextHop(const PathAttributes &a, const AttributeContext &)
{
    uint32_t nh = *a.nextHop;
    if (nh == 0 || (nh >> 28) == 0xe || nh == 0xffffffff) return E::BadNextHop;
    return {};
}
bool encNextHop(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!a.nextHop) return false;
    Writer(v).u32(*a.nextHop);
    return true;
}
void fmtNextHop(const PathAttributes &a, std::string &o)
{
    if (a.nextHop) o += "next-hop " + ipv4String(*a.nextHop);
}

template <std::optional<uint32_t> PathAttributes::*F>
std::error_code decU32(Span v, const AttributeContext &, PathAttributes &a)
{
    if (v.size() != 4) return E::BadLength;
    a.*F = Reader(v).u32();
    return {};
}
template <std::optional<uint32_t> PathAttributes::*F>
bool encU32(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!(a.*F)) return false;
    Writer(v).u32(*(a.*F));
    return true;
}
void fmtMed(const PathAttributes &a, std::string &o)
{
    if (a.med) o += "med " + std::to_string(*a.med);
}
void fmtLocalPref(const PathAttributes &a, std::string &o)
{
    if (a.localPref) o += "local-pref " + std::to_string(*a.localPref);
}
std::error_code decLocalPref(Span v, const AttributeContext &c, PathAttributes &a)
{
    if (v.size() != 4) return E::BadLength;
    // RFC 7606 §7.5: from an external peer it is ignored, whatever it holds.
    if (!c.ebgp) a.localPref = Reader(v).u32();
    return {};
}

std::error_code decAtomic(Span v, const AttributeContext &, PathAttributes &a)
{
    if (!v.empty()) return E::BadLength;
    a.atomicAggregate = true;
    return {};
}
bool encAtomic(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &)
{
    return a.atomicAggregate;
}
void fmtAtomic(const PathAttributes &a, std::string &o)
{
    if (a.atomicAggregate) o += "atomic-aggregate";
}

std::error_code decAggregator(Span v, const AttributeContext &c, PathAttributes &a)
{
    if (v.size() != (c.fourOctetAs ? 8u : 6u)) return E::BadLength;
    Reader r(v);
    Aggregator g;
    g.as = c.fourOctetAs ? r.u32() : r.u16();
    g.address = r.u32();
    a.aggregator = g;
    return {};
}
bool encAggregator(const PathAttributes &a, const AttributeContext &c, std::vector<uint8_t> &v)
{
    if (!a.aggregator) return false;
    Writer w(v);
    if (c.fourOctetAs) w.u32(a.aggregator->as);
    else w.u16(a.aggregator->as > 0xffff ? kAsTrans : uint16_t(a.aggregator->as));
    w.u32(a.aggregator->address);
    return true;
}
void fmtAggregator(const PathAttributes &a, std::string &o)
{
    if (a.aggregator)
        o += "aggregator " + std::to_string(a.aggregator->as) + " " + ipv4String(a.aggregator->address);
}

std::error_code decCommunities(Span v, const AttributeContext &, PathAttributes &a)
{
    if (v.empty() || v.size() % 4) return E::BadLength;
    Reader r(v);
    std::vector<uint32_t> c;
    while (!r.atEnd()) c.push_back(r.u32());
    a.communities = std::move(c);
    return {};
}
bool encCommunities(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!a.communities || a.communities->empty()) return false;
    Writer w(v);
    for (auto c : *a.communities) w.u32(c);
    return true;
}
void fmtCommunities(const PathAttributes &a, std::string &o)
{
    if (!a.communities) return;
    o += "communities";
    for (auto c : *a.communities) o += " " + std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff);
}

Afi afiOf(uint16_t v) { return Afi(v); }
bool knownFamily(uint16_t afi, uint8_t safi) { return (afi == 1 || afi == 2) && safi == kSafiUnicast; }

std::error_code decMpReach(Span v, const AttributeContext &, PathAttributes &a)
{
    Reader r(v);
    if (!r.has(5)) return E::MalformedMpReach;
    MpReach m;
    uint16_t afi = r.u16();
    m.family.afi = afiOf(afi);
    m.family.safi = r.u8();
    uint8_t nhLen = r.u8();
    if (!r.has(size_t(nhLen) + 1)) return E::MalformedMpReach;
    auto nh = r.bytes(nhLen);
    m.nextHop.assign(nh.begin(), nh.end());
    r.u8(); // reserved
    if (knownFamily(afi, m.family.safi)) {
        bool nhOk = afi == 1 ? (nhLen == 4 || nhLen == 16 || nhLen == 32) : (nhLen == 16 || nhLen == 32);
        if (!nhOk) return E::MalformedMpReach;
        if (!decodePrefixes(r.rest(), m.family.afi, m.nlri)) return E::MalformedMpReach;
    }
    a.mpReach = std::move(m);
    return {};
}
bool encMpReach(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!a.mpReach) return false;
    Writer w(v);
    w.u16(uint16_t(a.mpReach->family.afi));
    w.u8(a.mpReach->family.safi);
    w.u8(uint8_t(a.mpReach->nextHop.size()));
    w.bytes(a.mpReach->nextHop);
    w.u8(0);
    for (auto &p : a.mpReach->nlri) encodePrefix(p, v);
    return true;
}
void fmtMpReach(const PathAttributes &a, std::string &o)
{
    if (!a.mpReach) return;
    o += "mp-reach afi " + std::to_string(int(a.mpReach->family.afi)) + " next-hop";
    const auto &nh = a.mpReach->nextHop;
    for (size_t off = 0; off + 4 <= nh.size(); off += (nh.size() == 4 ? 4 : 16)) {
        char buf[INET6_ADDRSTRLEN] = {};
        inet_ntop(nh.size() == 4 ? AF_INET : AF_INET6, nh.data() + off, buf, sizeof buf);
        o += std::string(" ") + buf;
        if (nh.size() == 4) break;
    }
    o += " nlri " + std::to_string(a.mpReach->nlri.size());
}

std::error_code decMpUnreach(Span v, const AttributeContext &, PathAttributes &a)
{
    Reader r(v);
    if (!r.has(3)) return E::MalformedMpUnreach;
    MpUnreach m;
    uint16_t afi = r.u16();
    m.family.afi = afiOf(afi);
    m.family.safi = r.u8();
    if (knownFamily(afi, m.family.safi) && !decodePrefixes(r.rest(), m.family.afi, m.withdrawn))
        return E::MalformedMpUnreach;
    a.mpUnreach = std::move(m);
    return {};
}
bool encMpUnreach(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &v)
{
    if (!a.mpUnreach) return false;
    Writer w(v);
    w.u16(uint16_t(a.mpUnreach->family.afi));
    w.u8(a.mpUnreach->family.safi);
    for (auto &p : a.mpUnreach->withdrawn) encodePrefix(p, v);
    return true;
}
void fmtMpUnreach(const PathAttributes &a, std::string &o)
{
    if (a.mpUnreach)
        o += "mp-unreach afi " + std::to_string(int(a.mpUnreach->family.afi)) + " withdrawn " +
             std::to_string(a.mpUnreach->withdrawn.size());
}

std::error_code decAs4Path(Span v, const AttributeContext &c, PathAttributes &a)
{
    AsPath p;
    if (auto e = decodeAsPathValue(v, true, p)) return e;
    // RFC 6793 §6: confederation segments in AS4_PATH make it malformed.
    for (auto &s : p)
        if (s.type != attr::AsSet && s.type != attr::AsSequence) return E::MalformedAsPath;
    if (!c.fourOctetAs) a.as4Path = std::move(p); // a NEW speaker must ignore it (§4.1)
    return {};
}
bool encAs4Path(const PathAttributes &a, const AttributeContext &c, std::vector<uint8_t> &v)
{
    // Sent only on 2-octet sessions and only when AS_TRANS had to stand in for someone.
    if (c.fourOctetAs || !a.asPath || !needsAs4(*a.asPath)) return false;
    encodeAsPathValue(*a.asPath, true, v);
    return true;
}
void fmtAs4Path(const PathAttributes &a, std::string &o)
{
    if (a.as4Path) o += "as4-path " + formatAsPath(*a.as4Path);
}

std::error_code decAs4Aggregator(Span v, const AttributeContext &c, PathAttributes &a)
{
    if (v.size() != 8) return E::BadLength;
    Reader r(v);
    Aggregator g;
    g.as = r.u32();
    g.address = r.u32();
    if (!c.fourOctetAs) a.as4Aggregator = g;
    return {};
}
bool encAs4Aggregator(const PathAttributes &a, const AttributeContext &c, std::vector<uint8_t> &v)
{
    if (c.fourOctetAs || !a.aggregator || a.aggregator->as <= 0xffff) return false;
    Writer w(v);
    w.u32(a.aggregator->as);
    w.u32(a.aggregator->address);
    return true;
}
void fmtAs4Aggregator(const PathAttributes &a, std::string &o)
{
    if (a.as4Aggregator)
        o += "as4-aggregator " + std::to_string(a.as4Aggregator->as) + " " +
             ipv4String(a.as4Aggregator->address);
}

constexpr uint8_t WK = attr::FlagTransitive;                          // well-known
constexpr uint8_t OT = attr::FlagOptional | attr::FlagTransitive;     // optional transitive
constexpr uint8_t ON = attr::FlagOptional;                            // optional non-transitive
using A = ErrorAction;

// One row per attribute. Actions: RFC 7606 §7.1–7.12 and RFC 6793 §6.
const AttributeRow kTable[] = {
    {attr::Origin, "ORIGIN", WK, A::TreatAsWithdraw, 6, decOrigin, valOrigin, encOrigin, fmtOrigin},
    {attr::AsPath, "AS_PATH", WK, A::TreatAsWithdraw, 11, decAsPath, valAsPath, encAsPath, fmtAsPath},
    {attr::NextHop, "NEXT_HOP", WK, A::TreatAsWithdraw, 8, decNextHop, valNextHop, encNextHop, fmtNextHop},
    {attr::Med, "MULTI_EXIT_DISC", ON, A::TreatAsWithdraw, 9, decU32<&PathAttributes::med>, nullptr,
     encU32<&PathAttributes::med>, fmtMed},
    {attr::LocalPref, "LOCAL_PREF", WK, A::TreatAsWithdraw, 5, decLocalPref, nullptr,
     encU32<&PathAttributes::localPref>, fmtLocalPref},
    {attr::AtomicAggregate, "ATOMIC_AGGREGATE", WK, A::AttributeDiscard, 5, decAtomic, nullptr,
     encAtomic, fmtAtomic},
    {attr::Aggregator, "AGGREGATOR", OT, A::AttributeDiscard, 5, decAggregator, nullptr,
     encAggregator, fmtAggregator},
    {attr::Communities, "COMMUNITIES", OT, A::TreatAsWithdraw, 9, decCommunities, nullptr,
     encCommunities, fmtCommunities},
    {attr::MpReach, "MP_REACH_NLRI", ON, A::SessionReset, 9, decMpReach, nullptr, encMpReach, fmtMpReach},
    {attr::MpUnreach, "MP_UNREACH_NLRI", ON, A::SessionReset, 9, decMpUnreach, nullptr, encMpUnreach,
     fmtMpUnreach},
    {attr::As4Path, "AS4_PATH", OT, A::AttributeDiscard, 9, decAs4Path, nullptr, encAs4Path, fmtAs4Path},
    {attr::As4Aggregator, "AS4_AGGREGATOR", OT, A::AttributeDiscard, 9, decAs4Aggregator, nullptr,
     encAs4Aggregator, fmtAs4Aggregator},
};

// RFC 6793 §4.2.3: rebuild the true path from AS_PATH (2-octet, with AS_TRANS) and AS4_PATH.
void mergeAs4(PathAttributes &a)
{
    if (a.aggregator && a.as4Aggregator) {
        if (a.aggregator->as == kAsTrans) a.aggregator = a.as4Aggregator;
        else a.as4Path.reset(); // AGGREGATOR not AS_TRANS: AS4_PATH and AS4_AGGREGATOR ignored
    }
    a.as4Aggregator.reset();
    if (!a.as4Path || !a.asPath) return;
    unsigned n2 = asPathLength(*a.asPath), n4 = asPathLength(*a.as4Path);
    if (n2 < n4) {
        a.as4Path.reset();
        return;
    }
    // Keep the leading (n2 - n4) counted ASes of AS_PATH, then append AS4_PATH.
    unsigned keep = n2 - n4;
    AsPath merged;
    for (auto &s : *a.asPath) {
        if (keep == 0) break;
        if (s.type == attr::AsConfedSequence || s.type == attr::AsConfedSet) {
            merged.push_back(s);
            continue;
        }
        if (s.type == attr::AsSet) {
            merged.push_back(s);
            --keep;
            continue;
        }
        AsPathSegment part{s.type, {}};
        for (auto as : s.asns) {
            if (keep == 0) break;
            part.asns.push_back(as);
            --keep;
        }
        merged.push_back(std::move(part));
    }
    for (auto &s : *a.as4Path) merged.push_back(s);
    a.asPath = std::move(merged);
    a.as4Path.reset();
}

Notification updateError(uint8_t subcode, Span data = {}) { return {notify::Update, subcode, {data.begin(), data.end()}}; }

} // namespace

const std::error_category &attributeCategory()
{
    static AttributeCategory c;
    return c;
}

const char *toString(ErrorAction a)
{
    switch (a) {
    case ErrorAction::None: return "none";
    case ErrorAction::AttributeDiscard: return "attribute-discard";
    case ErrorAction::TreatAsWithdraw: return "treat-as-withdraw";
    case ErrorAction::SessionReset: return "session-reset";
    }
    return "?";
}

unsigned asPathLength(const AsPath &p)
{
    unsigned n = 0;
    for (auto &s : p) {
        if (s.type == attr::AsSequence) n += unsigned(s.asns.size());
        else if (s.type == attr::AsSet) n += 1;
    }
    return n;
}

bool asPathContains(const AsPath &p, uint32_t as)
{
    for (auto &s : p)
        if (std::find(s.asns.begin(), s.asns.end(), as) != s.asns.end()) return true;
    return false;
}

std::string formatAsPath(const AsPath &p)
{
    std::string o;
    for (auto &s : p) {
        bool set = s.type == attr::AsSet || s.type == attr::AsConfedSet;
        if (!o.empty()) o += ' ';
        if (set) o += '{';
        for (size_t i = 0; i < s.asns.size(); ++i) o += (i ? (set ? "," : " ") : "") + std::to_string(s.asns[i]);
        if (set) o += '}';
    }
    return o.empty() ? "(empty)" : o;
}

std::span<const AttributeRow> attributeTable() { return kTable; }

const AttributeRow *findAttributeRow(uint8_t code)
{
    for (auto &r : kTable)
        if (r.code == code) return &r;
    return nullptr;
}

AttributeDecodeResult decodeAttributes(Span in, const AttributeContext &ctx, bool hasIpv4Nlri)
{
    AttributeDecodeResult res;
    auto problem = [&](uint8_t code, std::error_code e, ErrorAction act, Notification n = {}) {
        res.problems.push_back({code, e, act});
        if (act > res.action) {
            res.action = act;
            if (act == ErrorAction::SessionReset) res.notification = std::move(n);
        }
    };
    uint8_t seen[256 / 8] = {};
    Reader r(in);
    while (!r.atEnd()) {
        if (!r.has(3)) {
            problem(0, E::AttributeOverrun, ErrorAction::TreatAsWithdraw);
            break;
        }
        size_t start = r.pos();
        uint8_t flags = r.u8(), code = r.u8();
        bool ext = flags & attr::FlagExtendedLength;
        if (ext && !r.has(2)) {
            problem(code, E::AttributeOverrun, ErrorAction::TreatAsWithdraw);
            break;
        }
        size_t len = ext ? r.u16() : r.u8();
        if (!r.has(len)) {
            // RFC 7606 §4: the rest cannot be parsed; treat-as-withdraw, unless an MP
            // attribute is what overran (its NLRI are lost: reset).
            bool mp = code == attr::MpReach || code == attr::MpUnreach;
            problem(code, E::AttributeOverrun, mp ? ErrorAction::SessionReset : ErrorAction::TreatAsWithdraw,
                    updateError(1));
            break;
        }
        auto value = r.bytes(len);
        if (seen[code / 8] & (1u << (code % 8))) {
            bool mp = code == attr::MpReach || code == attr::MpUnreach;
            problem(code, mp ? E::DuplicateMp : E::Duplicate,
                    mp ? ErrorAction::SessionReset : ErrorAction::AttributeDiscard, updateError(1));
            continue; // §3.g: all but the first occurrence are discarded
        }
        seen[code / 8] |= uint8_t(1u << (code % 8));
        const AttributeRow *row = findAttributeRow(code);
        if (!row) {
            if (!(flags & attr::FlagOptional)) {
                problem(code, E::UnrecognisedWellKnown, ErrorAction::SessionReset,
                        updateError(2, in.subspan(start, r.pos() - start)));
            } else if (flags & attr::FlagTransitive) {
                res.attrs.unrecognised.push_back(
                    {uint8_t(flags | attr::FlagPartial), code, {value.begin(), value.end()}});
            } // optional non-transitive: quietly ignored (RFC 4271 §9)
            continue;
        }
        auto notifyData = in.subspan(start, r.pos() - start);
        if ((flags & (attr::FlagOptional | attr::FlagTransitive)) != row->flags) {
            problem(code, E::FlagsMismatch, row->onMalformed, updateError(4, notifyData));
            continue;
        }
        // Decoders assign only on success, so a malformed attribute leaves nothing behind.
        std::error_code e = row->decode(value, ctx, res.attrs);
        if (e) {
            problem(code, e, row->onMalformed, updateError(row->notifySubcode, notifyData));
            continue;
        }
        if (row->validate) {
            if (auto v = row->validate(res.attrs, ctx)) {
                problem(code, v, row->onMalformed, updateError(row->notifySubcode, notifyData));
                continue;
            }
        }
    }
    if (!ctx.fourOctetAs) mergeAs4(res.attrs);

    // RFC 7606 §3.d / RFC 4760 §4: mandatory attributes are required only when routes are
    // announced; a pure withdrawal or End-of-RIB needs none.
    bool announces = hasIpv4Nlri || (res.attrs.mpReach && !res.attrs.mpReach->nlri.empty());
    if (announces && res.action < ErrorAction::TreatAsWithdraw) {
        bool originBad = false, pathBad = false, nhBad = false;
        for (auto &p : res.problems) {
            originBad |= p.code == attr::Origin;
            pathBad |= p.code == attr::AsPath;
            nhBad |= p.code == attr::NextHop;
        }
        if ((!res.attrs.origin && !originBad) || (!res.attrs.asPath && !pathBad) ||
            (hasIpv4Nlri && !res.attrs.nextHop && !nhBad))
            problem(0, E::MissingWellKnown, ErrorAction::TreatAsWithdraw);
    }
    return res;
}

void encodeAttributes(const PathAttributes &a, const AttributeContext &ctx, std::vector<uint8_t> &out)
{
    std::vector<uint8_t> value;
    Writer w(out);
    auto emit = [&](uint8_t flags, uint8_t code) {
        bool ext = value.size() > 255;
        w.u8(uint8_t(flags | (ext ? attr::FlagExtendedLength : 0)));
        w.u8(code);
        if (ext) w.u16(uint16_t(value.size()));
        else w.u8(uint8_t(value.size()));
        w.bytes(value);
    };
    size_t u = 0;
    for (auto &row : kTable) {
        // Unrecognised transitive attributes keep type-code order with ours.
        for (; u < a.unrecognised.size() && a.unrecognised[u].code < row.code; ++u) {
            value = a.unrecognised[u].value;
            emit(a.unrecognised[u].flags & ~attr::FlagExtendedLength, a.unrecognised[u].code);
        }
        value.clear();
        if (row.encode(a, ctx, value)) emit(row.flags, row.code);
    }
    for (; u < a.unrecognised.size(); ++u) {
        value = a.unrecognised[u].value;
        emit(a.unrecognised[u].flags & ~attr::FlagExtendedLength, a.unrecognised[u].code);
    }
}

std::string formatAttributes(const PathAttributes &a)
{
    std::string out;
    for (auto &row : kTable) {
        size_t before = out.size();
        if (before) out += ", ";
        size_t mark = out.size();
        row.format(a, out);
        if (out.size() == mark) out.resize(before);
    }
    return out;
}

} // namespace midonet::gateway::bgp
