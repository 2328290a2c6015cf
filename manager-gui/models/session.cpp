#include "manager-gui/models/session.h"

#include <QJsonArray>
#include <QSet>
#include <QUrlQuery>
#include <QUuid>

#include "manager-gui/models/design_commands.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/net/api_client.h"
#include "manager-gui/net/event_stream.h"

namespace midonet::manager {

namespace {

// What resync lists: the top-level collections the maps draw. Routes and rules are per device and
// loaded when a table asks for them.
const QStringList kCollections = {
    QStringLiteral("bridges"),   QStringLiteral("routers"),        QStringLiteral("ports"),
    QStringLiteral("hosts"),     QStringLiteral("tunnel_zones"),   QStringLiteral("load_balancers"),
    QStringLiteral("pools"),     QStringLiteral("vips"),           QStringLiteral("chains"),
};

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString pathForKind(const QString &kind)
{
    if (kind == QLatin1String("bridge")) return QStringLiteral("bridges");
    if (kind == QLatin1String("router")) return QStringLiteral("routers");
    if (kind == QLatin1String("load_balancer")) return QStringLiteral("load_balancers");
    if (kind == QLatin1String("tunnel_zone")) return QStringLiteral("tunnel_zones");
    if (kind == QLatin1String("chain")) return QStringLiteral("chains");
    return {};
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent), m_api(new ApiClient(this)), m_events(new EventStream(this)),
      m_model(new TopologyModel(this))
{
    connect(m_events, &EventStream::changed, this,
            [this](const QString &type, const QString &id, const QString &op, const QJsonObject &obj,
                   qint64) { onEvent(type, id, op, obj); });
    connect(m_events, &EventStream::stateChanged, this, [this](EventStream::State s) {
        if (m_state == State::Disconnected || m_state == State::Failed) return;
        if (s == EventStream::State::Reconnecting) setState(State::Reconnecting, tr("cluster unreachable, retrying"));
    });
    // A restarted cluster may not know our token any more: each reconnection attempt logs in
    // again first (the password stays in memory for this session only).
    m_events->setTokenRefresher([this](std::function<void(const QString &)> done) {
        m_api->login(m_login.user, m_login.password, m_login.tenant, this, [this, done](const ApiResult &r) {
            done(r.ok() ? m_api->token() : QString());
        });
    });
    connect(m_events, &EventStream::reconnected, this, [this] {
        // The cluster may have restarted (a memory store comes back empty): log in again for a
        // fresh token, then list everything and drop what is gone.
        m_api->login(m_login.user, m_login.password, m_login.tenant, this, [this](const ApiResult &r) {
            if (r.ok()) resync();
            else setState(State::Reconnecting, r.errorText());
        });
    });
}

Session::~Session()
{
    m_undo.clear();
}

QString Session::profileKey() const
{
    return m_login.user + QLatin1Char('@') + m_login.url.host() + QLatin1Char(':') +
           QString::number(m_login.url.port(8181));
}

void Session::connectTo(const LoginInfo &info)
{
    m_events->stop();
    m_login = info;
    m_undo.clear();
    m_model->clear();
    m_api->setBaseUrl(info.url);
    setState(State::Connecting, info.url.toString());
    m_api->login(info.user, info.password, info.tenant, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            setState(State::Failed, r.errorText());
            return;
        }
        resync();
        m_events->start(m_api->apiRoot(), m_api->token());
    });
}

void Session::disconnectFrom()
{
    m_events->stop();
    ++m_resyncGeneration;
    m_undo.clear();
    m_model->clear();
    setState(State::Disconnected);
}

void Session::resync()
{
    const int gen = ++m_resyncGeneration;
    m_pendingLists = int(kCollections.size());
    auto finishOne = [this, gen] {
        if (gen != m_resyncGeneration) return;
        if (--m_pendingLists == 0) {
            // Routes and rules the user had open are refreshed too, so their tables stay true.
            QSet<QString> routers, chains;
            for (const auto &r : m_model->objects(QStringLiteral("routes")))
                routers.insert(r.value(QLatin1String("routerId")).toString());
            for (const auto &r : m_model->objects(QStringLiteral("rules")))
                chains.insert(r.value(QLatin1String("chainId")).toString());
            for (const auto &r : routers) {
                if (m_model->contains(QStringLiteral("routers"), r)) loadRoutes(r);
                else m_model->replaceCollection(QStringLiteral("routes"), {}, [r](const QJsonObject &o) {
                    return o.value(QLatin1String("routerId")).toString() == r;
                });
            }
            for (const auto &c : chains) {
                if (m_model->contains(QStringLiteral("chains"), c)) loadRules(c);
                else m_model->replaceCollection(QStringLiteral("rules"), {}, [c](const QJsonObject &o) {
                    return o.value(QLatin1String("chainId")).toString() == c;
                });
            }
            setState(State::Online, m_login.url.toString());
            emit resynced();
        }
    };
    for (const QString &type : kCollections) {
        m_api->get(m_api->collectionUrl(type), ApiClient::collectionMediaType(type), this,
                   [this, type, gen, finishOne](const ApiResult &r) {
                       if (gen != m_resyncGeneration) return;
                       QList<QJsonObject> objs;
                       for (const auto &v : r.body.toArray()) objs << v.toObject();
                       if (r.ok()) m_model->replaceCollection(type, objs);
                       if (r.ok() && type == QLatin1String("tunnel_zones")) {
                           // Membership is a sub-collection per zone; zones that vanished take
                           // their members along.
                           QSet<QString> zones;
                           for (const auto &tz : objs) zones.insert(tz.value(QLatin1String("id")).toString());
                           m_model->replaceCollection(QStringLiteral("tunnel_zone_hosts"), {}, [zones](const QJsonObject &o) {
                               return !zones.contains(o.value(QLatin1String("tunnelZoneId")).toString());
                           });
                           for (const auto &z : zones) {
                               ++m_pendingLists;
                               loadMembers(z, [gen, finishOne, this] {
                                   if (gen == m_resyncGeneration) finishOne();
                               });
                           }
                       }
                       finishOne();
                   });
    }
}

void Session::onEvent(const QString &type, const QString &id, const QString &op, const QJsonObject &obj)
{
    if (type == QLatin1String("tunnel_zone_hosts") || type == QLatin1String("tunnel_zone_members")) {
        const QString key = obj.value(QLatin1String("tunnelZoneId")).toString() + QLatin1Char('/') +
                            obj.value(QLatin1String("hostId")).toString();
        if (op == QLatin1String("delete")) m_model->remove(QStringLiteral("tunnel_zone_hosts"), key);
        else m_model->upsert(QStringLiteral("tunnel_zone_hosts"), key, obj);
        return;
    }
    if (op == QLatin1String("delete")) {
        m_model->remove(type, id);
        if (type == QLatin1String("bridges") || type == QLatin1String("routers")) {
            // The cascade removes the ports too; drop ours now in case their events come later.
            for (const auto &p : m_model->portsOf(id)) m_model->remove(QStringLiteral("ports"), p.value(QLatin1String("id")).toString());
        }
        if (type == QLatin1String("tunnel_zones")) {
            QStringList gone;
            for (auto it = m_model->objects(QStringLiteral("tunnel_zone_hosts")).begin();
                 it != m_model->objects(QStringLiteral("tunnel_zone_hosts")).end(); ++it)
                if (it.key().startsWith(id)) gone << it.key();
            for (const auto &g : gone) m_model->remove(QStringLiteral("tunnel_zone_hosts"), g);
        }
        return;
    }
    if (obj.isEmpty() || !obj.contains(QLatin1String("id"))) {
        refresh(type, id); // an event without the document: read it
        return;
    }
    m_model->upsert(type, id, obj);
    // Membership is a sub-collection the stream may report only as a change of the zone.
    if (type == QLatin1String("tunnel_zones")) loadMembers(id);
}

void Session::loadMembers(const QString &zoneId, std::function<void()> done)
{
    QUrl u = m_api->itemUrl(QStringLiteral("tunnel_zones"), zoneId);
    u.setPath(u.path() + QStringLiteral("/hosts"));
    m_api->get(u, ApiClient::collectionMediaType(QStringLiteral("tunnel_zone_hosts")), this,
               [this, zoneId, done](const ApiResult &m) {
                   if (done) done();
                   if (!m.ok()) return;
                   QList<QJsonObject> members;
                   for (const auto &v : m.body.toArray()) {
                       QJsonObject o = v.toObject();
                       o.insert(QStringLiteral("tunnelZoneId"), zoneId);
                       members << o;
                   }
                   m_model->replaceCollection(QStringLiteral("tunnel_zone_hosts"), members, [zoneId](const QJsonObject &o) {
                       return o.value(QLatin1String("tunnelZoneId")).toString() == zoneId;
                   });
               });
}

void Session::refresh(const QString &type, const QString &id)
{
    m_api->get(m_api->itemUrl(type, id), ApiClient::itemMediaType(type), this,
               [this, type, id](const ApiResult &r) {
                   if (r.ok() && r.body.isObject()) m_model->upsert(type, id, r.body.toObject());
                   else if (r.status == 404) m_model->remove(type, id);
               });
}

void Session::forget(const QString &type, const QString &id)
{
    m_model->remove(type, id);
}

void Session::setState(State s, const QString &detail)
{
    const bool same = s == m_state;
    m_state = s;
    if (!same || !detail.isEmpty()) emit stateChanged(s, detail);
}

void Session::reportFailure(const QString &objectId, const QString &what, const ApiResult &r)
{
    emit requestFailed(objectId, what, r);
}

QString Session::freeSubnet(int *prefixLength, bool pointToPoint)
{
    QSet<QString> used;
    for (const auto &p : m_model->objects(QStringLiteral("ports"))) {
        const QString a = p.value(QLatin1String("portAddress")).toString();
        used.insert(a.section(QLatin1Char('.'), 0, 2));
    }
    for (;;) {
        ++m_subnetCounter;
        const int n = m_subnetCounter;
        const QString net = pointToPoint
                                ? QStringLiteral("169.254.%1").arg(n % 250)
                                : QStringLiteral("10.%1.%2").arg(n / 250).arg(n % 250);
        if (used.contains(net) && m_subnetCounter < 60000) continue;
        *prefixLength = 24;
        return net;
    }
}

QString Session::createDevice(const QString &kind, const QString &name)
{
    const QString path = pathForKind(kind);
    if (path.isEmpty()) return {};
    QJsonObject body{{QStringLiteral("id"), newId()}};
    if (kind == QLatin1String("tunnel_zone")) {
        body.insert(QStringLiteral("name"), name);
        body.insert(QStringLiteral("type"), QStringLiteral("vxlan"));
    } else if (kind != QLatin1String("load_balancer")) {
        body.insert(QStringLiteral("name"), name);
        if (!m_login.tenant.isEmpty()) body.insert(QStringLiteral("tenantId"), m_login.tenant);
    }
    if (kind == QLatin1String("bridge") || kind == QLatin1String("router") || kind == QLatin1String("load_balancer"))
        body.insert(QStringLiteral("adminStateUp"), true);
    auto *cmd = new CreateObjectCommand(this, path, m_api->collectionUrl(path), body,
                                        tr("Create %1").arg(name.isEmpty() ? kind : name));
    const QString id = cmd->objectId();
    m_undo.push(cmd);
    return id;
}

void Session::linkDevices(const QString &a, const QString &b)
{
    if (a == b || a.isEmpty() || b.isEmpty()) return;
    const QString ta = m_model->typeOf(a), tb = m_model->typeOf(b);
    const auto isLb = [](const QString &t) { return t == QLatin1String("load_balancers"); };
    if (isLb(ta) || isLb(tb)) {
        // Attaching a load balancer is a router field, not a port link.
        const QString router = isLb(ta) ? b : a;
        const QString lb = isLb(ta) ? a : b;
        if (m_model->typeOf(router) != QLatin1String("routers")) return;
        QJsonObject after = m_model->find(router);
        const QJsonObject before = after;
        after.insert(QStringLiteral("loadBalancerId"), lb);
        m_undo.push(new UpdateObjectCommand(this, QStringLiteral("routers"), before, after,
                                            tr("Attach load balancer")));
        return;
    }
    const auto isDevice = [](const QString &t) {
        return t == QLatin1String("bridges") || t == QLatin1String("routers");
    };
    if (!isDevice(ta) || !isDevice(tb)) return;
    m_undo.push(new LinkDevicesCommand(this, a, b));
}

void Session::deleteObjects(const QStringList &ids)
{
    QStringList known;
    for (const auto &id : ids)
        if (!m_model->typeOf(id).isEmpty()) known << id;
    if (!known.isEmpty()) m_undo.push(new DeleteObjectsCommand(this, known));
}

void Session::renameObject(const QString &id, const QString &name)
{
    const QString type = m_model->typeOf(id);
    if (type.isEmpty()) return;
    QJsonObject after = m_model->find(id);
    const QJsonObject before = after;
    after.insert(QStringLiteral("name"), name);
    m_undo.push(new UpdateObjectCommand(this, type, before, after, tr("Rename to %1").arg(name)));
}

void Session::updateObject(const QString &id, const QJsonObject &fields)
{
    const QString type = m_model->typeOf(id);
    if (type.isEmpty()) return;
    QJsonObject after = m_model->find(id);
    const QJsonObject before = after;
    for (auto it = fields.begin(); it != fields.end(); ++it) after.insert(it.key(), it.value());
    if (after == before) return;
    m_undo.push(new UpdateObjectCommand(this, type, before, after,
                                        tr("Edit %1").arg(m_model->displayName(id))));
}

void Session::addRoute(const QString &routerId, const QJsonObject &route)
{
    QJsonObject body = route;
    body.insert(QStringLiteral("id"), newId());
    QUrl coll = m_api->itemUrl(QStringLiteral("routers"), routerId);
    coll.setPath(coll.path() + QStringLiteral("/routes"));
    m_undo.push(new CreateObjectCommand(this, QStringLiteral("routes"), coll, body, tr("Add route")));
}

void Session::addBgpPeer(const QString &routerId, const QJsonObject &peer)
{
    QJsonObject body = peer;
    body.insert(QStringLiteral("id"), newId());
    QUrl coll = m_api->itemUrl(QStringLiteral("routers"), routerId);
    coll.setPath(coll.path() + QStringLiteral("/bgp_peers"));
    m_undo.push(new CreateObjectCommand(this, QStringLiteral("bgp_peers"), coll, body,
                                        tr("Add BGP peer %1").arg(peer.value(QLatin1String("address")).toString())));
}

void Session::addBgpNetwork(const QString &routerId, const QJsonObject &network)
{
    QJsonObject body = network;
    body.insert(QStringLiteral("id"), newId());
    QUrl coll = m_api->itemUrl(QStringLiteral("routers"), routerId);
    coll.setPath(coll.path() + QStringLiteral("/bgp_networks"));
    m_undo.push(new CreateObjectCommand(this, QStringLiteral("bgp_networks"), coll, body,
                                        tr("Add BGP network %1/%2")
                                            .arg(network.value(QLatin1String("subnetAddress")).toString())
                                            .arg(network.value(QLatin1String("subnetLength")).toInt())));
}

void Session::loadBgp(const QString &routerId)
{
    for (const QString &type : {QStringLiteral("bgp_peers"), QStringLiteral("bgp_networks")}) {
        QUrl u = m_api->itemUrl(QStringLiteral("routers"), routerId);
        u.setPath(u.path() + QLatin1Char('/') + type);
        m_api->get(u, ApiClient::collectionMediaType(type), this, [this, routerId, type](const ApiResult &r) {
            if (!r.ok()) return;
            QList<QJsonObject> objs;
            for (const auto &v : r.body.toArray()) {
                QJsonObject o = v.toObject();
                if (o.value(QLatin1String("routerId")).toString().isEmpty()) o.insert(QStringLiteral("routerId"), routerId);
                objs << o;
            }
            m_model->replaceCollection(type, objs, [routerId](const QJsonObject &o) {
                return o.value(QLatin1String("routerId")).toString() == routerId;
            });
        });
    }
}

void Session::addRule(const QString &chainId, const QJsonObject &rule, int position)
{
    QJsonObject body = rule;
    body.insert(QStringLiteral("id"), newId());
    body.insert(QStringLiteral("position"), position);
    QUrl coll = m_api->itemUrl(QStringLiteral("chains"), chainId);
    coll.setPath(coll.path() + QStringLiteral("/rules"));
    m_undo.push(new CreateObjectCommand(this, QStringLiteral("rules"), coll, body, tr("Add rule")));
}

void Session::moveRule(const QString &ruleId, int newPosition)
{
    const QJsonObject rule = m_model->object(QStringLiteral("rules"), ruleId);
    if (rule.isEmpty() || rule.value(QLatin1String("position")).toInt() == newPosition) return;
    m_undo.push(new MoveRuleCommand(this, rule, newPosition));
}

void Session::bindPort(const QString &portId, const QString &hostId, const QString &interfaceName)
{
    m_undo.push(new BindPortCommand(this, portId, hostId, interfaceName));
}

void Session::loadRoutes(const QString &routerId)
{
    QUrl u = m_api->itemUrl(QStringLiteral("routers"), routerId);
    u.setPath(u.path() + QStringLiteral("/routes"));
    m_api->get(u, ApiClient::collectionMediaType(QStringLiteral("routes")), this,
               [this, routerId](const ApiResult &r) {
                   if (!r.ok()) return;
                   QList<QJsonObject> objs;
                   for (const auto &v : r.body.toArray()) {
                       QJsonObject o = v.toObject();
                       if (!o.contains(QLatin1String("routerId")) || o.value(QLatin1String("routerId")).isNull())
                           o.insert(QStringLiteral("routerId"), routerId);
                       objs << o;
                   }
                   m_model->replaceCollection(QStringLiteral("routes"), objs, [routerId](const QJsonObject &o) {
                       return o.value(QLatin1String("routerId")).toString() == routerId;
                   });
               });
}

void Session::loadRules(const QString &chainId)
{
    QUrl u = m_api->itemUrl(QStringLiteral("chains"), chainId);
    u.setPath(u.path() + QStringLiteral("/rules"));
    m_api->get(u, ApiClient::collectionMediaType(QStringLiteral("rules")), this,
               [this, chainId](const ApiResult &r) {
                   if (!r.ok()) return;
                   QList<QJsonObject> objs;
                   int pos = 0;
                   for (const auto &v : r.body.toArray()) {
                       QJsonObject o = v.toObject();
                       ++pos;
                       o.insert(QStringLiteral("chainId"), chainId);
                       if (!o.value(QLatin1String("position")).toInt()) o.insert(QStringLiteral("position"), pos);
                       objs << o;
                   }
                   m_model->replaceCollection(QStringLiteral("rules"), objs, [chainId](const QJsonObject &o) {
                       return o.value(QLatin1String("chainId")).toString() == chainId;
                   });
               });
}

} // namespace midonet::manager
