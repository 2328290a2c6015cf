#include "common/packet/checksum.h"

namespace midonet::packet {

uint32_t checksumPartial(std::span<const uint8_t> data, uint32_t sum)
{
    size_t n = data.size();
    size_t i = 0;
    for (; i + 1 < n; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
    if (i < n) sum += uint32_t(data[i]) << 8;
    // Fold early so long buffers cannot overflow 32 bits.
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

uint16_t checksumFinish(uint32_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(~sum);
}

uint16_t internetChecksum(std::span<const uint8_t> data)
{
    return checksumFinish(checksumPartial(data));
}

uint32_t pseudoHeaderSum(util::IPv4Address src, util::IPv4Address dst, uint8_t proto,
                         uint32_t length)
{
    uint32_t s = (src.value >> 16) + (src.value & 0xffff) + (dst.value >> 16) +
                 (dst.value & 0xffff) + proto + (length >> 16) + (length & 0xffff);
    return s;
}

uint32_t pseudoHeaderSum(const util::IPv6Address &src, const util::IPv6Address &dst,
                         uint8_t nextHeader, uint32_t length)
{
    uint32_t s = checksumPartial(src.bytes);
    s = checksumPartial(dst.bytes, s);
    s += (length >> 16) + (length & 0xffff) + nextHeader;
    return s;
}

} // namespace midonet::packet
