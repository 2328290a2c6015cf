// libFuzzer target: any byte string given to parsePacket() yields a value or an error, never a
// read outside the buffer (ASan) or undefined behaviour (UBSan). For frames that parse, the flow
// key must print, and a frame rebuilt from the key must parse again.
#include "common/packet/builder.h"
#include "common/packet/packet.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace midonet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Copy to an exactly-sized heap block so an over-read by even one byte hits a redzone.
    std::vector<uint8_t> frame(data, data + size);
    auto parsed = packet::parsePacket(frame);
    if (!parsed) {
        if (parsed.error().offset > size) std::abort();
        (void)parsed.error().toString();
        return 0;
    }
    const packet::ParsedPacket &p = *parsed;
    if (p.l4End > size || p.l4Offset > p.l4End || p.l3Offset > size) std::abort();
    if (p.l4Payload.data() && (p.l4Payload.data() < frame.data() ||
                               p.l4Payload.data() + p.l4Payload.size() > frame.data() + size))
        std::abort();
    flow::FlowKey key = packet::flowKeyOf(p, 1);
    (void)key.toString();
    flow::FlowMask mask;
    mask.mark(flow::Field::EthDst).markIpv4DstPrefix(size % 33);
    flow::FlowMatch match(key, mask);
    if (!match.matches(key)) std::abort();
    packet::Buffer rebuilt = packet::buildFromKey(key, p.l4Payload.first(std::min<size_t>(p.l4Payload.size(), 64)));
    if (!packet::parsePacket(rebuilt)) std::abort();
    return 0;
}
