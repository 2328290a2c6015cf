// Inline part of ovs_codec.h: the attribute iterator template. Include ovs_codec.h instead.
#pragma once

#include <linux/netlink.h>

#include <cstring>

namespace midonet::dp::ovs {

template <typename F> void forEachAttr(std::span<const uint8_t> buf, F &&f)
{
    size_t off = 0;
    while (off + NLA_HDRLEN <= buf.size()) {
        nlattr hdr;
        std::memcpy(&hdr, buf.data() + off, sizeof hdr);
        if (hdr.nla_len < NLA_HDRLEN || off + hdr.nla_len > buf.size())
            return;
        Attr a{uint16_t(hdr.nla_type & NLA_TYPE_MASK),
               buf.subspan(off + NLA_HDRLEN, hdr.nla_len - NLA_HDRLEN)};
        f(a);
        off += NLA_ALIGN(hdr.nla_len);
    }
}

} // namespace midonet::dp::ovs
