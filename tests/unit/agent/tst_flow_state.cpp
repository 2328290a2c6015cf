// Flow state between agents: what one host learns about a connection reaches the host that will
// see the reply, intact, over a real UDP socket on loopback.
#include "agent/state/flow_state_exchange.h"

#include <QtTest>

#include <condition_variable>
#include <mutex>

using namespace midonet;
using namespace midonet::agent;

namespace {
util::IPv4Address ip(const char *s) { return *util::IPv4Address::parse(s); }

std::vector<sim::StateChange> sample()
{
    sim::ConnTrackKey ct;
    ct.src = ip("10.0.0.1");
    ct.dst = ip("192.0.2.9");
    ct.srcPort = 40000;
    ct.dstPort = 80;
    ct.proto = 6;
    ct.device = util::Uuid::random();
    sim::NatKey nk;
    nk.type = sim::NatKeyType::RevSnat;
    nk.src = ip("192.0.2.9");
    nk.dst = ip("203.0.113.1");
    nk.srcPort = 80;
    nk.dstPort = 1025;
    nk.proto = 6;
    nk.device = util::Uuid::random();
    return {{sim::ConnTrackAdded{ct}}, {sim::NatBindingAdded{nk, {ip("10.0.0.1"), 40000}}},
            {sim::MacLearned{util::Uuid::random(), 0, util::MacAddress::broadcast(), util::Uuid::random()}}};
}
} // namespace

class TstFlowState : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip()
    {
        auto in = sample();
        auto out = FlowStateExchange::decode(FlowStateExchange::encode(in));
        QCOMPARE(out.size(), size_t(2)); // the MAC entry is not flow state: not sent
        QVERIFY(std::get<sim::ConnTrackAdded>(out[0].change).key == std::get<sim::ConnTrackAdded>(in[0].change).key);
        const auto &n = std::get<sim::NatBindingAdded>(out[1].change);
        QVERIFY(n.key == std::get<sim::NatBindingAdded>(in[1].change).key);
        QCOMPARE(n.binding.port, uint16_t(40000));
    }
    void nothingToSendIsEmpty()
    {
        QVERIFY(FlowStateExchange::encode({}).empty());
    }
    void badInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("not-json") << QByteArray("{{{");
        QTest::newRow("wrong-version") << QByteArray(R"({"v":2,"ct":[],"nat":[]})");
        QTest::newRow("bad-address") << QByteArray(R"({"v":1,"ct":[{"src":"10.0.0.300","dst":"1.1.1.1","sport":1,"dport":2,"proto":6,"dev":"6ba7b810-9dad-11d1-80b4-00c04fd430c8"}],"nat":[]})");
        QTest::newRow("bad-nat-type") << QByteArray(R"({"v":1,"ct":[],"nat":[{"type":99,"src":"1.1.1.1","dst":"1.1.1.1","sport":1,"dport":2,"proto":6,"dev":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","ip":"1.1.1.1","port":3}]})");
        QTest::newRow("missing-field") << QByteArray(R"({"v":1,"ct":[{"src":"1.1.1.1"}],"nat":[]})");
    }
    void badInput()
    {
        QFETCH(QByteArray, text);
        QVERIFY_THROWS_EXCEPTION(std::exception, FlowStateExchange::decode(text.toStdString()));
    }
    void overUdp()
    {
        std::mutex mu;
        std::condition_variable cv;
        std::vector<sim::StateChange> got;
        FlowStateExchange receiver(ip("127.0.0.1"), 0, [&](const auto &changes, util::IPv4Address) {
            std::lock_guard l(mu);
            got = changes;
            cv.notify_all();
        });
        // In production both ends use 2925; here the sender has its own port on loopback.
        FlowStateExchange sender(ip("127.0.0.1"), 0, nullptr, receiver.port());
        QVERIFY(sender.send(ip("127.0.0.1"), sample()));
        std::unique_lock l(mu);
        QVERIFY(cv.wait_for(l, std::chrono::seconds(5), [&] { return !got.empty(); }));
        QCOMPARE(got.size(), size_t(2));
        QCOMPARE(receiver.received(), uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TstFlowState)
#include "tst_flow_state.moc"
