// Host registration as an operator sees it through the NSDB: a host object with its name and
// non-loopback addresses, the alive entry, and agents that start together ending up in ONE
// tunnel zone of the name they were given.
#include "agent/host/host_registrar.h"

#include "common/model/codec.h"
#include "common/model/tunnel_zone.h"
#include "common/store/memory_store.h"

#include <QtTest>

#include <thread>

using namespace midonet;

class TstHostRegistrar : public QObject
{
    Q_OBJECT
private slots:
    void registersHostAndAlive()
    {
        store::MemoryStore st;
        const auto id = util::Uuid::random();
        agent::HostRegistrar r(st, id, "compute-1");
        r.registerHost();
        auto host = model::decodeText<model::Host>(st.get("hosts", id).data, model::DecodeOptions::store());
        QCOMPARE(QString::fromStdString(host.name.value_or("")), QString("compute-1"));
        for (const auto &a : host.addresses) QVERIFY2(a != "127.0.0.1" && a != "::1", a.c_str());
        QVERIFY(st.getEphemeral("hosts", id, store::kAliveName));
        // Operator-set fields survive a re-registration.
        host.floodingProxyWeight = 7;
        st.update("hosts", id, model::encode(host, model::View::Store).dump());
        r.registerHost();
        host = model::decodeText<model::Host>(st.get("hosts", id).data, model::DecodeOptions::store());
        QCOMPARE(host.floodingProxyWeight.value_or(0), 7);
    }

    void agentsStartingTogetherShareOneZone()
    {
        auto db = store::MemoryStore::newDatabase();
        std::vector<std::unique_ptr<store::MemoryStore>> stores;
        std::vector<std::thread> agents;
        for (int i = 0; i < 4; ++i) stores.push_back(std::make_unique<store::MemoryStore>(db));
        for (int i = 0; i < 4; ++i)
            agents.emplace_back([&, i] {
                agent::HostRegistrar r(*stores[i], util::Uuid::random(), "h" + std::to_string(i));
                r.registerHost();
                r.joinTunnelZone("tz0", util::IPv4Address{0x0a4d000b + uint32_t(i)});
            });
        for (auto &t : agents) t.join();
        auto zones = stores[0]->list("tunnel_zones");
        QCOMPARE(zones.size(), size_t(1));
        auto z = model::decodeText<model::TunnelZone>(zones[0].data, model::DecodeOptions::store());
        QCOMPARE(z.hosts.size(), size_t(4));
        QCOMPARE(zones[0].id, agent::zoneIdForName("tz0"));
    }
};

QTEST_GUILESS_MAIN(TstHostRegistrar)
#include "tst_host_registrar.moc"
