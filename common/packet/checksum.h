// The Internet checksum (RFC 1071) and the pseudo-header sums TCP, UDP, ICMPv6 need
// (RFC 793, 768, 8200 section 8.1).
// Invariants: internetChecksum() over data that includes a correct checksum field returns 0.
// Thread-safety: pure functions.
#pragma once

#include "common/util/net_types.h"

#include <cstdint>
#include <span>

namespace midonet::packet {

// One's-complement sum of 16-bit big-endian words, not folded or inverted; odd tail padded.
uint32_t checksumPartial(std::span<const uint8_t> data, uint32_t sum = 0);
// Folds and inverts a partial sum into the value to store in a checksum field.
uint16_t checksumFinish(uint32_t sum);
uint16_t internetChecksum(std::span<const uint8_t> data);

uint32_t pseudoHeaderSum(util::IPv4Address src, util::IPv4Address dst, uint8_t proto,
                         uint32_t length);
uint32_t pseudoHeaderSum(const util::IPv6Address &src, const util::IPv6Address &dst,
                         uint8_t nextHeader, uint32_t length);

} // namespace midonet::packet
