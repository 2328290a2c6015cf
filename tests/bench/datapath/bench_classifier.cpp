// Megaflow classifier lookups per second (tuple space search), medians of 3 runs, for a table
// shaped like an agent's: many flows over a few masks, lookups that hit.
//   bench_classifier  ->  BENCH classifier_lookups_<flows>f_<masks>m <value> lookups/s
#include "agent/datapath/userspace/classifier.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

using namespace midonet::flow;
using namespace midonet::dp::userspace;

namespace {
FlowMask maskNo(int i)
{
    FlowMask m;
    m.mark(Field::InPort).mark(Field::EthType);
    switch (i % 6) {
    case 0: m.mark(Field::EthDst); break;
    case 1: m.markIpv4DstPrefix(24); break;
    case 2: m.mark(Field::Ipv4Dst).mark(Field::IpProto).mark(Field::TpDst); break;
    case 3: m.mark(Field::Ipv4Src).mark(Field::Ipv4Dst); break;
    case 4: m.markIpv4DstPrefix(16).mark(Field::IpProto); break;
    case 5: m.mark(Field::Ipv4Src).mark(Field::Ipv4Dst).mark(Field::IpProto).mark(Field::TpSrc)
                .mark(Field::TpDst); break;
    }
    if (i >= 6) // more distinct masks: vary the in_port/ip_tos consultation too
        m.bits.ipTos = uint8_t(0xfc & (i << 2));
    return m;
}

double run(int flows, int masks, std::mt19937 &rng)
{
    Classifier c;
    std::vector<std::unique_ptr<ClassifierRule>> rules;
    std::vector<FlowKey> keys;
    for (int i = 0; i < flows; ++i) {
        FlowKey k;
        k.inPort = rng() % 16 + 1;
        k.ethType = kEthTypeIpv4;
        k.ethDst = MacAddress::fromU64(0x020000000000ULL | rng());
        k.ipv4Src.value = rng();
        k.ipv4Dst.value = rng();
        k.ipProto = kIpProtoUdp;
        k.tpSrc = uint16_t(rng());
        k.tpDst = uint16_t(rng());
        k.ipTos = uint8_t(rng());
        auto r = std::make_unique<ClassifierRule>();
        r->match = FlowMatch(k, maskNo(i % masks));
        if (!c.insert(r.get())) {
            rules.push_back(std::move(r));
            keys.push_back(k);
        }
    }
    std::shuffle(keys.begin(), keys.end(), rng);
    const int n = 2'000'000;
    size_t hits = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        hits += c.lookup(keys[size_t(i) % keys.size()]) != nullptr;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (hits != size_t(n))
        std::fprintf(stderr, "warning: %zu of %d lookups missed\n", size_t(n) - hits, n);
    return n / s;
}
} // namespace

int main()
{
    std::mt19937 rng(42);
    for (auto [flows, masks] : {std::pair{1000, 1}, {10000, 4}, {100000, 6}, {100000, 16}}) {
        std::vector<double> v;
        for (int i = 0; i < 3; ++i)
            v.push_back(run(flows, masks, rng));
        std::sort(v.begin(), v.end());
        std::printf("BENCH classifier_lookups_%df_%dm %.0f lookups/s\n", flows, masks, v[1]);
    }
    return 0;
}
