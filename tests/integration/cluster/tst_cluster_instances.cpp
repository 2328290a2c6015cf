// Two midonet-cluster instances on one private ZooKeeper, over real sockets: many concurrent
// clients creating, linking and deleting through both; afterwards the NSDB has no orphan port,
// no half link, no orphan route, and every acknowledged (2xx) create that nobody deleted is there.
// Also: a token from one instance works on the other; the event stream resumes without loss.
#include "cluster/cluster_app.h"

#include "common/model/model.h"
#include "common/store/zookeeper_store.h"
#include "http_client.h"
#include "tests/support/zookeeper_server.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace midonet;
using namespace midonet::cluster;
using namespace midonet::cluster::test;
using nlohmann::json;

namespace {

std::string basic(const std::string &userPass)
{
    static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : userPass) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(t[(val >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(t[((val << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

std::string login(uint16_t port, const std::string &userPass)
{
    HttpClient c(port);
    auto r = c.request("POST", "/midonet-api/login", "{}", "application/json", "Authorization: Basic " + basic(userPass) + "\r\n");
    if (r.status != 200) return {};
    auto cookie = r.header("set-cookie");
    auto first = cookie.substr(0, cookie.find(';'));
    return first.substr(first.find('=') + 1);
}

std::string idFromLocation(const std::string &loc) { return loc.substr(loc.rfind('/') + 1); }

} // namespace

class TstClusterInstances : public QObject
{
    Q_OBJECT

    std::unique_ptr<midonet::test::ZooKeeperServer> zk_;
    std::unique_ptr<ClusterApp> a_, b_;
    std::string root_;

    std::unique_ptr<ClusterApp> instance()
    {
        ClusterOptions o;
        o.listen = "127.0.0.1:0";
        o.store = "zookeeper";
        o.zookeeper = zk_->connectString();
        o.zookeeperRoot = root_;
        o.auth = "password";
        o.adminPassword = "adminpw";
        o.fastPasswordHash = true;
        o.threads = 4;
        auto app = std::make_unique<ClusterApp>(o);
        app->start();
        return app;
    }

    // No orphan port, no half link, no orphan route; returns what is stored.
    void checkConsistent(std::map<std::string, model::Port> &ports, std::set<std::string> &devices)
    {
        // Inspect the NSDB directly with a third client.
        store::ZooKeeperStore::Options zo;
        zo.servers = zk_->connectString();
        zo.root = root_;
        store::ZooKeeperStore nsdb(zo);
        for (const auto &o : nsdb.list("ports"))
            ports[o.id.toString()] = model::decodeText<model::Port>(o.data, model::DecodeOptions::store());
        for (const auto &o : nsdb.list("bridges")) devices.insert(o.id.toString());
        for (const auto &o : nsdb.list("routers")) devices.insert(o.id.toString());
        for (const auto &[id, p] : ports) {
            QVERIFY2(p.deviceId && devices.count(p.deviceId->toString()), ("orphan port " + id).c_str());
            if (p.peerId) {
                auto peer = ports.find(p.peerId->toString());
                QVERIFY2(peer != ports.end(), ("half link: peer of " + id + " is gone").c_str());
                QVERIFY2(peer->second.peerId && peer->second.peerId->toString() == id, ("half link at " + id).c_str());
            }
        }
        for (const auto &o : nsdb.list("routes")) {
            auto r = model::decodeText<model::Route>(o.data, model::DecodeOptions::store());
            QVERIFY2(r.routerId && devices.count(r.routerId->toString()), "orphan route");
            if (r.nextHopPort) QVERIFY2(ports.count(r.nextHopPort->toString()), "route to a deleted port");
        }
    }

private slots:
    void initTestCase()
    {
        if (auto why = midonet::test::zooKeeperUnavailableReason(); !why.empty()) QSKIP(why.c_str());
        zk_ = std::make_unique<midonet::test::ZooKeeperServer>();
        root_ = "/cluster-test-" + util::Uuid::random().toString().substr(0, 8) + "/v1";
        a_ = instance();
        b_ = instance();
    }
    void cleanupTestCase()
    {
        a_.reset();
        b_.reset();
        zk_.reset();
    }

    void tokenFromOneInstanceWorksOnTheOther()
    {
        auto token = login(a_->port(), "admin:adminpw");
        QVERIFY(!token.empty());
        HttpClient onB(b_->port());
        onB.token = token;
        QCOMPARE(onB.request("GET", "/midonet-api/bridges").status, 200);
        onB.token = "m1.forged.token";
        QCOMPARE(onB.request("GET", "/midonet-api/bridges").status, 401);
        QVERIFY(login(b_->port(), "admin:wrong").empty());
    }

    void keepAliveAndPipelining()
    {
        HttpClient c(a_->port());
        c.token = login(a_->port(), "admin:adminpw");
        for (int i = 0; i < 50; ++i) QCOMPARE(c.request("GET", "/midonet-api/system_state").status, 200);
        // A body over the cap is refused from its Content-Length, before it is read.
        int fd = connectTo(a_->port());
        std::string req = "POST /midonet-api/bridges HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: 5000000\r\n\r\n";
        ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
        char buf[256] = {};
        auto n = ::recv(fd, buf, sizeof buf - 1, 0);
        ::close(fd);
        QVERIFY(n > 12);
        QCOMPARE(std::string(buf, 12), std::string("HTTP/1.1 413"));
    }

    void concurrentClientsThroughBothInstancesLeaveAConsistentNsdb()
    {
        const std::string token = login(a_->port(), "admin:adminpw");
        QVERIFY(!token.empty());
        HttpClient setup(a_->port());
        setup.token = token;
        // Shared devices everybody races on.
        std::vector<std::string> routers, bridges;
        for (int i = 0; i < 3; ++i) {
            routers.push_back(idFromLocation(setup.request("POST", "/midonet-api/routers", json{{"name", "r" + std::to_string(i)}}.dump()).header("location")));
            bridges.push_back(idFromLocation(setup.request("POST", "/midonet-api/bridges", json{{"name", "b" + std::to_string(i)}}.dump()).header("location")));
        }
        std::mutex m;
        std::set<std::string> createdPorts, createdBridges, deleted; // acknowledged (2xx)
        std::map<std::string, std::string> portDevice;
        std::atomic<int> ok{0}, conflicts{0}, failures{0};
        auto worker = [&](int n) {
            std::mt19937 rng(n * 7919);
            HttpClient viaA(a_->port()), viaB(b_->port());
            viaA.token = viaB.token = token;
            auto pick = [&]() -> HttpClient & { return rng() % 2 ? viaA : viaB; };
            for (int it = 0; it < 40; ++it) {
                // A bridge of our own with a port linked to a port on a shared router.
                auto b = pick().request("POST", "/midonet-api/bridges", json{{"name", "w" + std::to_string(n)}}.dump());
                if (b.status != 201) { ++failures; continue; }
                auto bid = idFromLocation(b.header("location"));
                auto rid = routers[rng() % routers.size()];
                auto bp = pick().request("POST", "/midonet-api/bridges/" + bid + "/ports", "{\"type\":\"Bridge\"}");
                auto rp = pick().request("POST", "/midonet-api/routers/" + rid + "/ports",
                                         json{{"type", "Router"}, {"portSubnet", {"10." + std::to_string(n) + "." + std::to_string(it) + ".1/24"}}}.dump());
                std::string bpid, rpid;
                {
                    std::lock_guard lock(m);
                    createdBridges.insert(bid);
                    if (bp.status == 201) bpid = idFromLocation(bp.header("location")), createdPorts.insert(bpid), portDevice[bpid] = bid;
                    if (rp.status == 201) rpid = idFromLocation(rp.header("location")), createdPorts.insert(rpid), portDevice[rpid] = rid;
                }
                if (!bpid.empty() && !rpid.empty()) {
                    auto l = pick().request("POST", "/midonet-api/ports/" + bpid + "/link", json{{"peerId", rpid}}.dump());
                    if (l.status == 201) ++ok;
                    else if (l.status == 409 || l.status == 404) ++conflicts;
                    else ++failures;
                }
                // A port on a shared bridge, raced against deletes of other workers' bridges.
                auto sb = bridges[rng() % bridges.size()];
                auto sp = pick().request("POST", "/midonet-api/bridges/" + sb + "/ports", "{\"type\":\"Bridge\"}");
                if (sp.status == 201) {
                    std::lock_guard lock(m);
                    auto id = idFromLocation(sp.header("location"));
                    createdPorts.insert(id);
                    portDevice[id] = sb;
                }
                // Delete: sometimes our bridge (cascade), sometimes our router port (half-link risk).
                int what = rng() % 3;
                if (what == 0) {
                    auto d = pick().request("DELETE", "/midonet-api/bridges/" + bid);
                    if (d.status == 204) { std::lock_guard lock(m); deleted.insert(bid); }
                    else ++failures;
                } else if (what == 1 && !rpid.empty()) {
                    auto d = pick().request("DELETE", "/midonet-api/ports/" + rpid);
                    if (d.status == 204) { std::lock_guard lock(m); deleted.insert(rpid); }
                    else ++failures;
                }
            }
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i) threads.emplace_back(worker, i);
        for (auto &t : threads) t.join();
        QCOMPARE(failures.load(), 0);
        QVERIFY(ok.load() > 0);

        std::map<std::string, model::Port> ports;
        std::set<std::string> devices;
        checkConsistent(ports, devices);
        // Every acknowledged create not deleted (itself or through its device) is there.
        for (const auto &b : createdBridges)
            if (!deleted.count(b)) QVERIFY2(devices.count(b), ("lost bridge " + b).c_str());
        int kept = 0;
        for (const auto &p : createdPorts) {
            if (deleted.count(p) || deleted.count(portDevice[p])) continue;
            QVERIFY2(ports.count(p), ("lost port " + p).c_str());
            ++kept;
        }
        qInfo("%d links made, %d link conflicts, %zu ports acknowledged, %d kept", ok.load(), conflicts.load(), createdPorts.size(), kept);
    }

    void deletesOfDevicesRaceWithPortsAndLinks()
    {
        const std::string token = login(a_->port(), "admin:adminpw");
        HttpClient setup(b_->port());
        setup.token = token;
        std::vector<std::string> bridges, routers;
        for (int i = 0; i < 6; ++i) {
            bridges.push_back(idFromLocation(setup.request("POST", "/midonet-api/bridges", "{}").header("location")));
            routers.push_back(idFromLocation(setup.request("POST", "/midonet-api/routers", "{}").header("location")));
        }
        std::atomic<bool> stop{false};
        std::atomic<int> created{0}, failures{0};
        auto adder = [&](int n) {
            std::mt19937 rng(n);
            HttpClient c(n % 2 ? a_->port() : b_->port());
            c.token = token;
            while (!stop) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                auto i = rng() % bridges.size();
                auto bp = c.request("POST", "/midonet-api/bridges/" + bridges[i] + "/ports", "{\"type\":\"Bridge\"}");
                auto rp = c.request("POST", "/midonet-api/routers/" + routers[i] + "/ports",
                                    json{{"type", "Router"}, {"portSubnet", {"10.200." + std::to_string(n) + ".1/24"}}}.dump());
                for (int st : {bp.status, rp.status})
                    if (st != 201 && st != 404) ++failures;
                if (bp.status == 201 && rp.status == 201) {
                    ++created;
                    auto l = c.request("POST", "/midonet-api/ports/" + idFromLocation(bp.header("location")) + "/link",
                                       json{{"peerId", idFromLocation(rp.header("location"))}}.dump());
                    if (l.status != 201 && l.status != 404) ++failures;
                }
            }
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) threads.emplace_back(adder, i);
        HttpClient deleter(a_->port());
        deleter.token = token;
        for (size_t i = 0; i < bridges.size(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            auto db = deleter.request("DELETE", "/midonet-api/bridges/" + bridges[i]);
            QVERIFY2(db.status == 204, (std::to_string(db.status) + " " + db.body).c_str());
            auto dr = deleter.request("DELETE", "/midonet-api/routers/" + routers[i]);
            QVERIFY2(dr.status == 204, (std::to_string(dr.status) + " " + dr.body).c_str());
        }
        stop = true;
        for (auto &t : threads) t.join();
        QCOMPARE(failures.load(), 0);
        std::map<std::string, model::Port> ports;
        std::set<std::string> devices;
        checkConsistent(ports, devices);
        for (const auto &[id, p] : ports)
            for (const auto &b : bridges) QVERIFY2(p.deviceId->toString() != b, "a port survived its deleted bridge");
        qInfo("%d port pairs created while their devices were being deleted", created.load());
    }

    void eventStreamResumesWithoutLoss()
    {
        auto token = login(a_->port(), "admin:adminpw");
        HttpClient api(a_->port());
        api.token = token;
        uint64_t last = 0;
        std::string epoch;
        std::vector<std::string> seen;
        {
            WsReader ws(a_->port(), "/midonet-api/events?type=bridges", token);
            QCOMPARE(ws.status, 101);
            auto hello = json::parse(ws.next().value_or("{}"));
            QCOMPARE(QString::fromStdString(hello.value("type", "")), QString("hello"));
            epoch = hello["epoch"];
            for (int i = 0; i < 3; ++i)
                QCOMPARE(api.request("POST", "/midonet-api/bridges", json{{"name", "ev" + std::to_string(i)}}.dump()).status, 201);
            while (seen.size() < 3) {
                auto f = ws.next();
                QVERIFY2(f, "event missing");
                auto e = json::parse(*f);
                QCOMPARE(QString::fromStdString(e["type"]), QString("bridges"));
                QVERIFY(e["version"].get<uint64_t>() > last);
                last = e["version"];
                seen.push_back(e["object"]["name"]);
            }
        }
        // Changes while disconnected, then resume from the last version seen.
        for (int i = 3; i < 6; ++i)
            QCOMPARE(api.request("POST", "/midonet-api/bridges", json{{"name", "ev" + std::to_string(i)}}.dump()).status, 201);
        WsReader again(a_->port(), "/midonet-api/events?type=bridges&since=" + std::to_string(last) + "&epoch=" + epoch, token);
        QCOMPARE(again.status, 101);
        auto hello = json::parse(again.next().value_or("{}"));
        QCOMPARE(hello["complete"].get<bool>(), true);
        while (seen.size() < 6) {
            auto f = again.next();
            QVERIFY2(f, "missed event after resume");
            auto e = json::parse(*f);
            QVERIFY(e["version"].get<uint64_t>() > last);
            last = e["version"];
            seen.push_back(e["object"]["name"]);
        }
        // Nothing missed, nothing twice. Order is promised per object only: ZooKeeper's watches
        // may report creates of different bridges in another order than they were made.
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, (std::vector<std::string>{"ev0", "ev1", "ev2", "ev3", "ev4", "ev5"}));
        QVERIFY(!again.next(std::chrono::milliseconds(300))); // nothing twice
        // Another instance's epoch: told to re-list.
        WsReader other(b_->port(), "/midonet-api/events?since=" + std::to_string(last) + "&epoch=" + epoch, token);
        QCOMPARE(json::parse(other.next().value_or("{}"))["complete"].get<bool>(), false);
        // Without a token: refused before the upgrade.
        WsReader anon(a_->port(), "/midonet-api/events");
        QCOMPARE(anon.status, 401);
    }
};

QTEST_GUILESS_MAIN(TstClusterInstances)
#include "tst_cluster_instances.moc"
