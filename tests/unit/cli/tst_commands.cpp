// Every command form of midonet-cli, checked on the wire: which request it sends (method, URL,
// media type, body fields) to a recording fake of the REST API, and what it prints.
#include "cli/shell.h"

#include <QtTest>

#include "tests/unit/cli/cli_session.h"

using namespace midonet::cli;
using namespace midonet::cli::test;

namespace {

// Every key of `want` is in `got` with the same value.
bool containsAll(const Json &got, const Json &want, QString &why)
{
    for (auto it = want.begin(); it != want.end(); ++it) {
        if (!got.contains(it.key())) {
            why = QString::fromStdString("missing " + it.key() + " in " + got.dump());
            return false;
        }
        if (got[it.key()] != it.value()) {
            why = QString::fromStdString(it.key() + ": got " + got[it.key()].dump() + ", want " + it.value().dump());
            return false;
        }
    }
    return true;
}

} // namespace

class TstCommands : public QObject
{
    Q_OBJECT
private slots:
    void wire_data()
    {
        QTest::addColumn<QStringList>("setup");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("request"); // "METHOD url" of the last write
        QTest::addColumn<QString>("mediaType");
        QTest::addColumn<QString>("body");    // JSON subset of its body ("" = not checked)
        QTest::addColumn<QString>("output");

        const QStringList none;
        const QStringList bridge{"bridge create name front"};
        const QStringList router{"router create name edge"};
        const QStringList chain{"chain create name in"};

        QTest::newRow("bridge-create") << none << "bridge create name front" << "POST @/bridges"
                                       << "Bridge-v4" << R"({"name":"front"})" << "bridge0\n";
        QTest::newRow("create-verb-first") << none << "create bridge name front" << "POST @/bridges"
                                           << "Bridge-v4" << R"({"name":"front"})" << "bridge0\n";
        QTest::newRow("create-quoted-name") << none << "bridge create name 'front door'" << "POST @/bridges"
                                            << "Bridge-v4" << R"({"name":"front door"})" << "bridge0\n";
        QTest::newRow("bridge-state-down") << none << "bridge create name b state down" << "POST @/bridges"
                                           << "Bridge-v4" << R"({"adminStateUp":false})" << "bridge0\n";
        QTest::newRow("bridge-port-create") << bridge << "bridge bridge0 port create" << "POST @/bridges/$1/ports"
                                            << "Port-v3" << R"({"type":"Bridge","deviceId":"$1"})" << "bridge0:port0\n";
        QTest::newRow("bridge-port-vlan") << bridge << "bridge bridge0 add port vlan 10" << "POST @/bridges/$1/ports"
                                          << "Port-v3" << R"({"type":"Bridge","vlanId":10})" << "bridge0:port0\n";
        QTest::newRow("port-create-verb-first") << bridge << "create bridge bridge0 port" << "POST @/bridges/$1/ports"
                                                << "Port-v3" << R"({"type":"Bridge"})" << "bridge0:port0\n";
        QTest::newRow("router-port-addresses")
            << router << "router router0 add port addresses 10.0.0.1/24" << "POST @/routers/$1/ports" << "Port-v3"
            << R"({"type":"Router","deviceId":"$1","portSubnet":["10.0.0.1/24"],"portAddress":"10.0.0.1","networkAddress":"10.0.0.0","networkLength":24})"
            << "router0:port0\n";
        QTest::newRow("router-port-mac")
            << router << "router router0 add port mac 02:00:00:00:00:01 addresses 10.0.0.1/24,10.0.1.1/24"
            << "POST @/routers/$1/ports" << "Port-v3"
            << R"({"portMac":"02:00:00:00:00:01","portSubnet":["10.0.0.1/24","10.0.1.1/24"]})" << "router0:port0\n";
        QTest::newRow("route-add")
            << (router + QStringList{"router router0 add port addresses 10.0.0.1/24"})
            << "router router0 add route src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port router0:port0 type normal"
            << "POST @/routers/$1/routes" << "Route-v1"
            << R"({"srcNetworkAddr":"0.0.0.0","srcNetworkLength":0,"dstNetworkAddr":"0.0.0.0","dstNetworkLength":0,"nextHopGateway":"10.0.0.254","nextHopPort":"$2","type":"Normal","routerId":"$1"})"
            << "router0:route0\n";
        QTest::newRow("route-blackhole-weight")
            << router << "router router0 route create type blackhole src 0.0.0.0/0 dst 10.9.0.0/16 weight 100"
            << "POST @/routers/$1/routes" << "Route-v1"
            << R"({"type":"BlackHole","dstNetworkLength":16,"weight":100})" << "router0:route0\n";
        QTest::newRow("rule-dnat")
            << chain << "chain chain0 add rule type dnat action accept dst 1.2.3.4 target 10.0.0.5"
            << "POST @/chains/$1/rules" << "Rule-v2"
            << R"({"type":"dnat","flowAction":"accept","nwDstAddress":"1.2.3.4","nwDstLength":32,"invNwDst":false,"natTargets":[{"addressFrom":"10.0.0.5","addressTo":"10.0.0.5","portFrom":0,"portTo":0}],"chainId":"$1"})"
            << "chain0:rule0\n";
        QTest::newRow("rule-snat-range")
            << chain << "chain chain0 add rule type snat action continue target 1.1.1.1-1.1.1.2:1000-2000,2.2.2.2:80"
            << "POST @/chains/$1/rules" << "Rule-v2"
            << R"({"natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.2","portFrom":1000,"portTo":2000},{"addressFrom":"2.2.2.2","addressTo":"2.2.2.2","portFrom":80,"portTo":80}]})"
            << "chain0:rule0\n";
        QTest::newRow("rule-inverted-conditions")
            << chain << "chain chain0 add rule type drop src !10.0.0.0/8 dst-port 80-90 proto 6 hw-src !02:00:00:00:00:01 hw-src-mask ffff.ffff.0000"
            << "POST @/chains/$1/rules" << "Rule-v2"
            << R"({"type":"drop","invNwSrc":true,"nwSrcAddress":"10.0.0.0","nwSrcLength":8,"tpDst":{"start":80,"end":90},"invTpDst":false,"nwProto":6,"dlSrc":"02:00:00:00:00:01","invDlSrc":true,"dlSrcMask":"ff:ff:ff:ff:00:00"})"
            << "chain0:rule0\n";
        QTest::newRow("rule-flow-and-fragments")
            << chain << "chain chain0 add rule type accept flow return-flow fragment-policy unfragmented inverted yes pos 1"
            << "POST @/chains/$1/rules" << "Rule-v2"
            << R"({"matchForwardFlow":false,"matchReturnFlow":true,"fragmentPolicy":"unfragmented","condInvert":true,"position":1})"
            << "chain0:rule0\n";
        QTest::newRow("rule-jump")
            << QStringList{"chain create name a", "chain create name b"} << "chain chain0 add rule type jump jump-to chain1"
            << "POST @/chains/$1/rules" << "Rule-v2" << R"({"type":"jump","jumpChainId":"$2"})" << "chain0:rule0\n";
        QTest::newRow("rule-port-conditions")
            << QStringList{"chain create name a", "bridge create name b", "bridge bridge0 port create", "bridge bridge0 port create", "port-group create name pg"}
            << "chain chain0 add rule type accept in-ports bridge0:port0,bridge0:port1 port-group !pgroup0"
            << "POST @/chains/$1/rules" << "Rule-v2"
            << R"({"inPorts":["$3","$4"],"portGroup":"$5","invPortGroup":true})" << "chain0:rule0\n";
        QTest::newRow("set-verb-first") << bridge << "set bridge bridge0 name back" << "PUT @/bridges/$1"
                                        << "Bridge-v4" << R"({"name":"back","id":"$1"})" << "";
        QTest::newRow("set-state-down") << bridge << "bridge bridge0 set state down" << "PUT @/bridges/$1"
                                        << "Bridge-v4" << R"({"adminStateUp":false,"name":"front"})" << "";
        QTest::newRow("set-infilter")
            << (bridge + chain) << "bridge bridge0 set infilter chain0" << "PUT @/bridges/$1" << "Bridge-v4"
            << R"({"inboundFilterId":"$2"})" << "";
        QTest::newRow("set-infilter-uuid")
            << (bridge + chain) << "bridge bridge0 set infilter $2" << "PUT @/bridges/$1" << "Bridge-v4"
            << R"({"inboundFilterId":"$2"})" << "";
        QTest::newRow("set-infilter-root-path")
            << (bridge + chain) << "set bridge bridge0 infilter chain chain0" << "PUT @/bridges/$1" << "Bridge-v4"
            << R"({"inboundFilterId":"$2"})" << "";
        QTest::newRow("clear-infilter")
            << (bridge + chain + QStringList{"bridge bridge0 set infilter chain0"}) << "bridge bridge0 clear infilter"
            << "PUT @/bridges/$1" << "Bridge-v4" << R"({"inboundFilterId":null})" << "";
        QTest::newRow("router-set-load-balancer")
            << (router + QStringList{"load-balancer create"}) << "router router0 set load-balancer lb0"
            << "PUT @/routers/$1" << "Router-v3" << R"({"loadBalancerId":"$2"})" << "";
        QTest::newRow("set-peer-links")
            << QStringList{"bridge create name b", "bridge bridge0 port create", "router create name r", "router router0 port create"}
            << "bridge bridge0 port port0 set peer router0:port0" << "POST @/ports/$2/link" << "PortLink-v1"
            << R"({"peerId":"$4","id":"$2"})" << "";
        QTest::newRow("clear-peer-unlinks")
            << QStringList{"bridge create name b", "bridge bridge0 port create"} << "bridge bridge0 port port0 clear peer"
            << "DELETE @/ports/$2/link" << "" << "" << "";
        QTest::newRow("delete-path-verb") << bridge << "bridge bridge0 delete" << "DELETE @/bridges/$1" << "" << "" << "";
        QTest::newRow("delete-verb-first") << bridge << "delete bridge bridge0" << "DELETE @/bridges/$1" << "" << "" << "";
        QTest::newRow("delete-abbreviated") << bridge << "del bridge bridge0" << "DELETE @/bridges/$1" << "" << "" << "";
        QTest::newRow("delete-child-after-verb")
            << (chain + QStringList{"chain chain0 add rule type accept"}) << "chain chain0 delete rule rule0"
            << "DELETE @/rules/$2" << "" << "" << "";
        QTest::newRow("port-group-create") << none << "port-group create name pg stateful true" << "POST @/port_groups"
                                           << "PortGroup-v1" << R"({"name":"pg","stateful":true})" << "pgroup0\n";
        QTest::newRow("port-group-member")
            << QStringList{"port-group create name pg", "bridge create name b", "bridge bridge0 port create"}
            << "port-group pgroup0 add member port bridge0:port0" << "POST @/port_groups/$1/ports" << "PortGroupPort-v1"
            << R"({"portId":"$3","portGroupId":"$1"})" << "port bridge0:port0\n";
        QTest::newRow("ip-address-group-ip")
            << QStringList{"ip-address-group create name g"} << "ip-address-group ipg0 add ip address 10.0.0.1"
            << "POST @/ip_addr_groups/$1/ip_addrs" << "IpAddrGroupAddr-v1" << R"({"addr":"10.0.0.1","version":4})"
            << "address 10.0.0.1\n";
        QTest::newRow("ip-address-group-ipv6")
            << QStringList{"ip-address-group create name g"} << "ip-address-group ipg0 add ip address 2001:db8::1"
            << "POST @/ip_addr_groups/$1/ip_addrs" << "IpAddrGroupAddr-v1" << R"({"addr":"2001:db8::1","version":6})"
            << "address 2001:db8::1\n";
        QTest::newRow("tunnel-zone-create") << none << "tunnel-zone create name tz type vxlan" << "POST @/tunnel_zones"
                                            << "TunnelZone-v1" << R"({"name":"tz","type":"vxlan"})" << "tzone0\n";
        QTest::newRow("tunnel-zone-member")
            << QStringList{"@host h1", "host list", "tunnel-zone create name tz type vxlan"}
            << "tunnel-zone tzone0 add member host host0 address 10.0.0.1" << "POST @/tunnel_zones/$2/hosts"
            << "TunnelZoneHost-v1" << R"({"hostId":"$1","ipAddress":"10.0.0.1","tunnelZoneId":"$2"})"
            << "host host0 address 10.0.0.1\n";
        QTest::newRow("tunnel-zone-member-delete-by-filter")
            << QStringList{"@host h1", "host list", "tunnel-zone create name tz type vxlan",
                           "tunnel-zone tzone0 add member host host0 address 10.0.0.1"}
            << "tunnel-zone tzone0 member host host0 delete" << "DELETE @/tunnel_zones/$2/hosts/$1" << "" << "" << "";
        QTest::newRow("host-binding")
            << QStringList{"@host h1", "host list", "bridge create name b", "bridge bridge0 port create"}
            << "host host0 add binding interface eth0 port bridge0:port0" << "POST @/hosts/$1/ports"
            << "HostInterfacePort-v1" << R"({"interfaceName":"eth0","portId":"$3","hostId":"$1"})"
            << "interface eth0 port bridge0:port0\n";
        QTest::newRow("host-set-weight")
            << QStringList{"@host h1", "host list"} << "host host0 set flooding-proxy-weight 5 container-limit no-limit"
            << "PUT @/hosts/$1" << "Host-v3" << R"({"floodingProxyWeight":5,"containerLimit":-1})" << "";
        QTest::newRow("load-balancer-create") << none << "load-balancer create" << "POST @/load_balancers"
                                              << "LoadBalancer-v1" << "{}" << "lb0\n";
        QTest::newRow("pool-create")
            << QStringList{"load-balancer create"} << "load-balancer lb0 add pool lb-method ROUND_ROBIN"
            << "POST @/load_balancers/$1/pools" << "Pool-v1" << R"({"lbMethod":"ROUND_ROBIN","loadBalancerId":"$1"})"
            << "lb0:pool0\n";
        QTest::newRow("pool-member-create")
            << QStringList{"load-balancer create", "load-balancer lb0 add pool lb-method ROUND_ROBIN"}
            << "load-balancer lb0 pool pool0 add member address 10.0.0.10 protocol-port 80 weight 2"
            << "POST @/pools/$2/pool_members" << "PoolMember-v1"
            << R"({"address":"10.0.0.10","protocolPort":80,"weight":2,"poolId":"$2"})" << "lb0:pool0:pm0\n";
        QTest::newRow("vip-create")
            << QStringList{"load-balancer create", "load-balancer lb0 add pool lb-method ROUND_ROBIN"}
            << "load-balancer lb0 pool pool0 add vip address 1.1.1.1 protocol-port 80 persistence SOURCE_IP"
            << "POST @/pools/$2/vips" << "VIP-v1"
            << R"({"address":"1.1.1.1","protocolPort":80,"sessionPersistence":"SOURCE_IP","poolId":"$2"})"
            << "lb0:pool0:vip0\n";
        QTest::newRow("health-monitor-create")
            << none << "health-monitor create type TCP delay 5 timeout 3 max-retries 2" << "POST @/health_monitors"
            << "HealthMonitor-v1" << R"({"type":"TCP","delay":5,"timeout":3,"maxRetries":2})" << "hm0\n";
        QTest::newRow("pool-set-health-monitor")
            << QStringList{"load-balancer create", "load-balancer lb0 add pool lb-method ROUND_ROBIN", "health-monitor create type TCP"}
            << "load-balancer lb0 pool pool0 set health-monitor hm0" << "PUT @/pools/$2" << "Pool-v1"
            << R"({"healthMonitorId":"$3"})" << "";
        QTest::newRow("bgp-peer-create")
            << router << "router router0 add bgp-peer asn 65001 address 10.0.0.2 keep-alive 10" << "POST @/routers/$1/bgp_peers"
            << "BgpPeer-v1" << R"({"asNumber":65001,"address":"10.0.0.2","keepAlive":10})" << "router0:peer0\n";
        QTest::newRow("bgp-network-create")
            << router << "router router0 add bgp-network net 10.1.0.0/16" << "POST @/routers/$1/bgp_networks"
            << "BgpNetwork-v1" << R"({"subnetAddress":"10.1.0.0","subnetLength":16})" << "router0:net0\n";
        QTest::newRow("router-asn") << router << "router router0 set asn 65000" << "PUT @/routers/$1" << "Router-v3"
                                    << R"({"asNumber":65000})" << "";
        QTest::newRow("tracerequest-create")
            << bridge << "tracerequest create name t1 bridge bridge0 proto 6 dst 10.0.0.0/24 enabled yes" << "POST @/traces"
            << "TraceRequest-v1"
            << R"({"name":"t1","deviceType":"BRIDGE","deviceId":"$1","enabled":true,"condition":{"nwProto":6,"invNwProto":false,"nwDstAddress":"10.0.0.0","nwDstLength":24,"invNwDst":false}})"
            << "tr0\n";
        QTest::newRow("dhcp-subnet-create")
            << bridge << "bridge bridge0 add dhcp subnet 10.0.0.0/24 gw 10.0.0.1 dns-servers 8.8.8.8,8.8.4.4"
            << "POST @/bridges/$1/dhcp" << "DhcpSubnet-v2"
            << R"({"subnetPrefix":"10.0.0.0","subnetLength":24,"defaultGateway":"10.0.0.1","dnsServerAddrs":["8.8.8.8","8.8.4.4"]})"
            << "subnet 10.0.0.0/24 gw 10.0.0.1 dns-servers 8.8.8.8,8.8.4.4\n";
        QTest::newRow("tenant-on-create")
            << QStringList{"sett 0123456789abcdef0123456789abcdef"} << "router create name r" << "POST @/routers"
            << "Router-v3" << R"({"tenantId":"0123456789abcdef0123456789abcdef"})" << "router0\n";
    }
    void wire()
    {
        QFETCH(QStringList, setup);
        QFETCH(QString, line);
        QFETCH(QString, request);
        QFETCH(QString, mediaType);
        QFETCH(QString, body);
        QFETCH(QString, output);
        CliSession s;
        for (const auto &l : setup) {
            auto printed = s.run(expand(l.toStdString()));
            QVERIFY2(s.ok, qPrintable(l + " -> " + QString::fromStdString(printed)));
        }
        auto printed = s.run(expand(line.toStdString()));
        QCOMPARE(QString::fromStdString(printed), QString::fromStdString(expand(output.toStdString())));
        QVERIFY(s.ok);
        auto writes = s.api.writes();
        QVERIFY(!writes.empty());
        const auto &last = writes.back();
        QCOMPARE(QString::fromStdString(last.method + " " + last.url), QString::fromStdString(expand(request.toStdString())));
        if (!mediaType.isEmpty())
            QCOMPARE(QString::fromStdString(last.header("Content-Type").value_or("")),
                     QString::fromStdString(vendorType(mediaType.toStdString())));
        QCOMPARE(last.header("X-Auth-Token").value_or(""), std::string("00000000"));
        if (!body.isEmpty()) {
            QString why;
            QVERIFY2(containsAll(Json::parse(last.body), Json::parse(expand(body.toStdString())), why), qPrintable(why));
        }
    }

    void createFollowsLocation()
    {
        // create = POST, then GET the Location with the item media type (REST §6.1).
        CliSession s;
        s.run("bridge create name front");
        auto &rq = s.api.requests;
        QVERIFY(rq.size() >= 2);
        QCOMPARE(rq[rq.size() - 2].method, std::string("POST"));
        QCOMPARE(rq.back().method, std::string("GET"));
        QCOMPARE(rq.back().url, expand("@/bridges/$1"));
        QCOMPARE(rq.back().header("Accept").value_or(""), vendorType("Bridge-v4"));
    }

    void listSendsTenantFilter()
    {
        CliSession s;
        s.run("sett 0123456789abcdef0123456789abcdef");
        s.run("bridge list");
        QCOMPARE(s.api.requests.back().url, expand("@/bridges?tenant_id=0123456789abcdef0123456789abcdef"));
        QCOMPARE(s.api.requests.back().header("Accept").value_or(""), vendorCollectionType("Bridge-v4"));
        s.run("host list"); // hosts are not tenant-scoped
        QCOMPARE(s.api.requests.back().url, expand("@/hosts"));
    }

    void setPutsWholeObject()
    {
        // set changes fields locally and PUTs the whole object, URIs and unknown keys included.
        CliSession s;
        s.api.add("/bridges", {{"name", "front"}, {"vxLanPortIds", Json::array()}, {"futureField", 7}});
        s.run("bridge list");
        s.run("bridge bridge0 set name back");
        auto body = Json::parse(s.api.writes().back().body);
        QCOMPARE(body["futureField"], Json(7));
        QCOMPARE(body["uri"], Json(expand("@/bridges/$1")));
        QCOMPARE(body["name"], Json("back"));
    }
};

QTEST_GUILESS_MAIN(TstCommands)
#include "tst_commands.moc"
