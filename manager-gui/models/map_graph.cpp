#include "manager-gui/models/map_graph.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString() : (v.isDouble() ? QString::number(v.toInteger()) : QString());
}

QString stateOf(const QJsonObject &o)
{
    if (o.contains(QLatin1String("adminStateUp")) && !o.value(QLatin1String("adminStateUp")).toBool(true))
        return QStringLiteral("down");
    return QStringLiteral("up");
}

QString edgeKey(const QString &prefix, QString a, QString b)
{
    if (b < a) std::swap(a, b);
    return prefix + a + QLatin1Char('|') + b;
}

} // namespace

MapGraph::MapGraph(TopologyModel *model, View view, QObject *parent)
    : QObject(parent), m_model(model), m_view(view)
{
    connect(m_model, &TopologyModel::changed, this, [this] { rebuild(); });
    m_layoutTimer.setInterval(16);
    connect(&m_layoutTimer, &QTimer::timeout, this, [this] {
        // Several steps per tick while the graph is small; one when it is large.
        QElapsedTimer t;
        t.start();
        double moved = 0;
        do {
            moved = layoutStep();
        } while (t.elapsed() < 8 && moved > 0.5 && m_layoutSteps < 400);
        emit positionsChanged({});
        if (moved <= 0.5 || m_layoutSteps >= 400) m_layoutTimer.stop();
    });
}

void MapGraph::buildVirtual(QHash<QString, MapNode> &nodes, QHash<QString, MapEdge> &edges) const
{
    const QHash<QString, QJsonObject> &hosts = m_model->objects(QStringLiteral("hosts"));
    auto device = [&](const QJsonObject &o, MapNode::Kind kind) {
        MapNode n;
        n.id = str(o, "id");
        n.kind = kind;
        n.label = str(o, "name").isEmpty() ? n.id.left(8) : str(o, "name");
        n.tenant = str(o, "tenantId");
        n.detail = n.tenant;
        n.state = stateOf(o);
        n.search = (n.label + QLatin1Char(' ') + n.id).toLower();
        nodes.insert(n.id, n);
    };
    for (const auto &b : m_model->objects(QStringLiteral("bridges"))) device(b, MapNode::Kind::Bridge);
    for (const auto &r : m_model->objects(QStringLiteral("routers"))) {
        device(r, MapNode::Kind::Router);
        const QString lb = str(r, "loadBalancerId");
        if (!lb.isEmpty()) {
            MapEdge e{edgeKey(QStringLiteral("lb:"), str(r, "id"), lb), str(r, "id"), lb, MapEdge::Kind::LoadBalancer, {}};
            edges.insert(e.id, e);
        }
    }
    for (const auto &l : m_model->objects(QStringLiteral("load_balancers"))) {
        MapNode n;
        n.id = str(l, "id");
        n.kind = MapNode::Kind::LoadBalancer;
        n.label = str(l, "name").isEmpty() ? tr("LB %1").arg(n.id.left(6)) : str(l, "name");
        n.state = stateOf(l);
        QStringList vips;
        for (const auto &v : m_model->objects(QStringLiteral("vips")))
            if (str(v, "loadBalancerId") == n.id)
                vips << str(v, "address") + QLatin1Char(':') + str(v, "protocolPort");
        vips.sort();
        n.detail = vips.join(QStringLiteral(", "));
        const QString router = str(l, "routerId");
        if (!router.isEmpty()) n.tenant = str(m_model->object(QStringLiteral("routers"), router), "tenantId");
        n.search = (n.label + QLatin1Char(' ') + n.detail + QLatin1Char(' ') + n.id).toLower();
        nodes.insert(n.id, n);
    }
    for (const auto &p : m_model->objects(QStringLiteral("ports"))) {
        MapNode n;
        n.id = str(p, "id");
        n.kind = MapNode::Kind::Port;
        n.parent = str(p, "deviceId");
        if (!nodes.contains(n.parent)) continue; // device not listed (yet)
        n.tenant = nodes.value(n.parent).tenant;
        const QString addr = str(p, "portAddress");
        const QJsonArray subnets = p.value(QLatin1String("portSubnet")).toArray();
        if (!subnets.isEmpty()) n.label = subnets.first().toString();
        else if (!addr.isEmpty()) n.label = addr + QLatin1Char('/') + str(p, "networkLength");
        else if (p.value(QLatin1String("vlanId")).toInt() > 0) n.label = QStringLiteral("vlan %1").arg(p.value(QLatin1String("vlanId")).toInt());
        n.detail = str(p, "portMac");
        n.state = stateOf(p) == QLatin1String("down") ? QStringLiteral("down")
                  : p.value(QLatin1String("active")).toBool() ? QStringLiteral("up")
                                                              : QStringLiteral("idle");
        n.search = (n.label + QLatin1Char(' ') + addr + QLatin1Char(' ') + n.detail + QLatin1Char(' ') + n.id).toLower();
        nodes.insert(n.id, n);
        MapEdge att{QStringLiteral("att:") + n.id, n.parent, n.id, MapEdge::Kind::Attach, {}};
        edges.insert(att.id, att);
        const QString host = str(p, "hostId"), iface = str(p, "interfaceName");
        if (!host.isEmpty() && !iface.isEmpty()) {
            MapNode v;
            v.id = QStringLiteral("if:") + n.id;
            v.kind = MapNode::Kind::Interface;
            v.parent = n.id;
            v.tenant = n.tenant;
            v.label = iface;
            const QJsonObject h = hosts.value(host);
            v.detail = str(h, "name").isEmpty() ? host.left(8) : str(h, "name");
            QString extra;
            for (const auto &hi : h.value(QLatin1String("hostInterfaces")).toArray()) {
                const QJsonObject io = hi.toObject();
                if (str(io, "name") != iface) continue;
                extra += str(io, "mac") + QLatin1Char(' ');
                for (const auto &a : io.value(QLatin1String("addresses")).toArray()) extra += a.toString() + QLatin1Char(' ');
            }
            v.state = h.value(QLatin1String("alive")).toBool() ? QStringLiteral("up") : QStringLiteral("idle");
            v.search = (v.label + QLatin1Char(' ') + v.detail + QLatin1Char(' ') + extra).toLower();
            nodes.insert(v.id, v);
            MapEdge be{QStringLiteral("bind:") + n.id, n.id, v.id, MapEdge::Kind::Binding, {}};
            edges.insert(be.id, be);
        }
    }
    for (const auto &p : m_model->objects(QStringLiteral("ports"))) {
        const QString id = str(p, "id"), peer = str(p, "peerId");
        if (peer.isEmpty() || !nodes.contains(id) || !nodes.contains(peer)) continue;
        MapEdge e{edgeKey(QStringLiteral("link:"), id, peer), std::min(id, peer), std::max(id, peer), MapEdge::Kind::Link, {}};
        edges.insert(e.id, e);
    }
}

void MapGraph::buildPhysical(QHash<QString, MapNode> &nodes, QHash<QString, MapEdge> &edges) const
{
    for (const auto &tz : m_model->objects(QStringLiteral("tunnel_zones"))) {
        MapNode n;
        n.id = str(tz, "id");
        n.kind = MapNode::Kind::TunnelZone;
        n.label = str(tz, "name");
        n.detail = str(tz, "type");
        n.state = QStringLiteral("up");
        n.search = (n.label + QLatin1Char(' ') + n.id).toLower();
        nodes.insert(n.id, n);
    }
    for (const auto &h : m_model->objects(QStringLiteral("hosts"))) {
        MapNode n;
        n.id = str(h, "id");
        n.kind = MapNode::Kind::Host;
        n.label = str(h, "name").isEmpty() ? n.id.left(8) : str(h, "name");
        QStringList addrs;
        for (const auto &a : h.value(QLatin1String("addresses")).toArray()) addrs << a.toString();
        // What an operator recognises a host by: IPv4 first, then global IPv6; link-local
        // addresses (fe80::, on every interface) stay searchable but are not shown.
        auto rank = [](const QString &a) { return !a.contains(QLatin1Char(':')) ? 0 : a.startsWith(QLatin1String("fe80:")) ? 2 : 1; };
        QStringList shown = addrs;
        std::stable_sort(shown.begin(), shown.end(), [&](const QString &x, const QString &y) { return rank(x) < rank(y); });
        shown.erase(std::remove_if(shown.begin(), shown.end(), [&](const QString &a) { return rank(a) == 2; }), shown.end());
        n.detail = shown.mid(0, 2).join(QStringLiteral(", "));
        n.state = h.value(QLatin1String("alive")).toBool() ? QStringLiteral("alive") : QStringLiteral("dead");
        QString macs;
        for (const auto &hi : h.value(QLatin1String("hostInterfaces")).toArray()) macs += str(hi.toObject(), "mac") + QLatin1Char(' ');
        n.search = (n.label + QLatin1Char(' ') + addrs.join(QLatin1Char(' ')) + QLatin1Char(' ') + macs + n.id).toLower();
        nodes.insert(n.id, n);
    }
    const auto &members = m_model->objects(QStringLiteral("tunnel_zone_hosts"));
    for (auto it = members.begin(); it != members.end(); ++it) {
        const QString tz = str(*it, "tunnelZoneId"), host = str(*it, "hostId");
        if (!nodes.contains(tz) || !nodes.contains(host)) continue;
        MapEdge e{QStringLiteral("member:") + it.key(), tz, host, MapEdge::Kind::Member, str(*it, "ipAddress")};
        edges.insert(e.id, e);
    }
    for (const auto &p : m_model->objects(QStringLiteral("ports"))) {
        const QString host = str(p, "hostId"), iface = str(p, "interfaceName");
        if (host.isEmpty() || iface.isEmpty() || !nodes.contains(host)) continue;
        MapNode n;
        n.id = QStringLiteral("pb:") + str(p, "id");
        n.kind = MapNode::Kind::Binding;
        n.parent = host;
        n.label = iface;
        const QString dev = str(p, "deviceId");
        n.detail = m_model->displayName(dev);
        n.tenant = str(m_model->find(dev), "tenantId");
        n.state = p.value(QLatin1String("active")).toBool() ? QStringLiteral("up") : QStringLiteral("idle");
        n.search = (iface + QLatin1Char(' ') + n.detail + QLatin1Char(' ') + str(p, "portAddress") + QLatin1Char(' ') +
                    str(p, "portMac"))
                       .toLower();
        nodes.insert(n.id, n);
        MapEdge e{QStringLiteral("hb:") + str(p, "id"), host, n.id, MapEdge::Kind::Binding, {}};
        edges.insert(e.id, e);
    }
}

QPointF MapGraph::initialPosition(const MapNode &n, const QHash<QString, MapEdge> &edges) const
{
    auto *rng = QRandomGenerator::global();
    auto jitter = [rng](double r) {
        const double a = rng->generateDouble() * 2 * M_PI;
        return QPointF(std::cos(a) * r, std::sin(a) * r);
    };
    if (!n.parent.isEmpty() && m_nodes.contains(n.parent)) return m_nodes.value(n.parent).pos + jitter(40);
    for (const auto &e : edges) {
        const QString other = e.a == n.id ? e.b : e.b == n.id ? e.a : QString();
        if (!other.isEmpty() && m_nodes.contains(other)) return m_nodes.value(other).pos + jitter(80);
    }
    // Unconnected: somewhere around the current drawing, not on top of its centre.
    QPointF c;
    for (const auto &m : m_nodes) c += m.pos;
    if (!m_nodes.isEmpty()) c /= double(m_nodes.size());
    const double spread = 60 * std::sqrt(double(m_nodes.size()) + 1);
    return c + jitter(spread * (0.5 + rng->generateDouble() * 0.5));
}

void MapGraph::rebuild()
{
    QHash<QString, MapNode> nodes;
    QHash<QString, MapEdge> edges;
    if (m_view == View::Virtual) buildVirtual(nodes, edges);
    else buildPhysical(nodes, edges);

    QStringList removedNodes, addedNodes, changedNodes, removedEdges, addedEdges;
    for (auto it = m_edges.begin(); it != m_edges.end(); ++it)
        if (!edges.contains(it.key()) || !(edges.value(it.key()) == *it)) removedEdges << it.key();
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it)
        if (!nodes.contains(it.key())) removedNodes << it.key();
    for (const auto &id : removedEdges) m_edges.remove(id);
    for (const auto &id : removedEdges) emit edgeRemoved(id);
    for (const auto &id : removedNodes) m_nodes.remove(id);
    for (const auto &id : removedNodes) emit nodeRemoved(id);

    // Parents before children so a port starts next to its device.
    QList<MapNode> fresh;
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
        auto old = m_nodes.find(it.key());
        if (old == m_nodes.end()) {
            fresh << *it;
        } else if (!old->sameLook(*it)) {
            MapNode n = *it;
            n.pos = old->pos;
            n.pinned = old->pinned;
            *old = n;
            changedNodes << n.id;
        }
    }
    std::sort(fresh.begin(), fresh.end(), [](const MapNode &a, const MapNode &b) {
        return a.parent.isEmpty() > b.parent.isEmpty();
    });
    for (MapNode n : fresh) {
        if (m_placeNext.contains(n.id)) {
            n.pos = m_placeNext.take(n.id);
            n.pinned = true;
        } else if (m_saved.contains(n.id)) {
            const QVariantList v = m_saved.take(n.id).toList();
            n.pos = QPointF(v.value(0).toDouble(), v.value(1).toDouble());
            n.pinned = v.value(2).toBool();
        } else {
            n.pos = initialPosition(n, edges);
        }
        m_nodes.insert(n.id, n);
        addedNodes << n.id;
    }
    for (auto it = edges.begin(); it != edges.end(); ++it)
        if (!m_edges.contains(it.key())) {
            m_edges.insert(it.key(), *it);
            addedEdges << it.key();
        }
    for (const auto &id : addedNodes) emit nodeAdded(id);
    for (const auto &id : changedNodes) emit nodeChanged(id);
    for (const auto &id : addedEdges) emit edgeAdded(id);
    if (!addedNodes.isEmpty() || !removedNodes.isEmpty() || !addedEdges.isEmpty() || !removedEdges.isEmpty()) {
        m_layoutDirty = true;
        if (!addedNodes.isEmpty() || !addedEdges.isEmpty()) startLayout();
    }
    emit rebuilt();
}

void MapGraph::placeNext(const QString &id, QPointF pos)
{
    if (m_nodes.contains(id)) setPositions({{id, pos}});
    else m_placeNext.insert(id, pos);
}

void MapGraph::setPositions(const QHash<QString, QPointF> &positions, bool pin)
{
    QStringList ids;
    for (auto it = positions.begin(); it != positions.end(); ++it) {
        auto n = m_nodes.find(it.key());
        if (n == m_nodes.end()) continue;
        n->pos = it.value();
        n->pinned = pin;
        ids << it.key();
    }
    m_layoutDirty = true;
    emit positionsChanged(ids);
}

void MapGraph::unpinAll()
{
    for (auto &n : m_nodes) n.pinned = false;
    m_layoutDirty = true;
    startLayout();
}

void MapGraph::setLayoutEnabled(bool on)
{
    m_layoutEnabled = on;
    if (!on) m_layoutTimer.stop();
}

void MapGraph::startLayout()
{
    if (!m_layoutEnabled) return;
    m_layoutSteps = 0;
    prepareLayout();
    // Incremental: a gentle start so settled nodes hardly move while new ones find their place.
    m_layout.temperature = 30;
    if (!m_layoutTimer.isActive()) m_layoutTimer.start();
}

void MapGraph::prepareLayout()
{
    if (!m_layoutDirty) {
        // Pick up user moves (pinned positions) since the last run.
        for (int i = 0; i < m_layoutIds.size(); ++i) {
            const MapNode &n = m_nodes[m_layoutIds[i]];
            m_layout.x[size_t(i)] = n.pos.x();
            m_layout.y[size_t(i)] = n.pos.y();
            m_layout.pinned[size_t(i)] = n.pinned;
        }
        return;
    }
    m_layout.clear();
    m_layoutIds.clear();
    QHash<QString, int> index;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        index.insert(it.key(), m_layout.addNode(it->pos.x(), it->pos.y(), it->pinned));
        m_layoutIds << it.key();
    }
    for (const auto &e : m_edges) {
        const int a = index.value(e.a, -1), b = index.value(e.b, -1);
        if (a < 0 || b < 0) continue;
        // Ports and bindings sit close to their device; links and members get room.
        const float len = e.kind == MapEdge::Kind::Attach || e.kind == MapEdge::Kind::Binding ? 0.35f : 1.0f;
        m_layout.edges.push_back({a, b, len});
    }
    m_layoutDirty = false;
}

double MapGraph::layoutStep()
{
    prepareLayout();
    const double moved = m_layout.step();
    // Cool down to below the stop threshold (0.5), so a settled graph really stops.
    m_layout.temperature = std::max(0.4, m_layout.temperature * 0.95);
    ++m_layoutSteps;
    for (int i = 0; i < m_layoutIds.size(); ++i) {
        MapNode &n = m_nodes[m_layoutIds[i]];
        n.pos = QPointF(m_layout.x[size_t(i)], m_layout.y[size_t(i)]);
    }
    return moved;
}

int MapGraph::settle(int maxSteps, double epsilon)
{
    m_layoutSteps = 0;
    prepareLayout();
    m_layout.temperature = 60;
    int steps = 0;
    while (steps < maxSteps && layoutStep() > epsilon) ++steps;
    emit positionsChanged({});
    return steps;
}

QVariantMap MapGraph::savePositions() const
{
    QVariantMap out;
    for (const auto &n : m_nodes) out.insert(n.id, QVariantList{n.pos.x(), n.pos.y(), n.pinned});
    // Keep what we restored but have not seen yet (objects of another tenant, not listed now).
    for (auto it = m_saved.begin(); it != m_saved.end(); ++it)
        if (!out.contains(it.key())) out.insert(it.key(), it.value());
    return out;
}

void MapGraph::restorePositions(const QVariantMap &saved)
{
    for (auto it = saved.begin(); it != saved.end(); ++it) {
        const QVariantList v = it.value().toList();
        if (m_nodes.contains(it.key())) {
            auto &n = m_nodes[it.key()];
            n.pos = QPointF(v.value(0).toDouble(), v.value(1).toDouble());
            n.pinned = v.value(2).toBool();
        } else {
            m_saved.insert(it.key(), it.value());
        }
    }
    m_layoutDirty = true;
    emit positionsChanged({});
}

QStringList MapGraph::search(const QString &text) const
{
    QStringList out;
    const QString t = text.trimmed().toLower();
    if (t.isEmpty()) return out;
    for (const auto &n : m_nodes)
        if (n.search.contains(t)) out << n.id;
    out.sort();
    return out;
}

QStringList MapGraph::tenants() const
{
    QSet<QString> set;
    for (const auto &n : m_nodes)
        if (!n.tenant.isEmpty()) set.insert(n.tenant);
    QStringList out(set.begin(), set.end());
    out.sort();
    return out;
}

MoveNodesCommand::MoveNodesCommand(MapGraph *graph, const QHash<QString, QPointF> &before,
                                   const QHash<QString, QPointF> &after)
    : QUndoCommand(QObject::tr("Move %1 nodes").arg(after.size())), m_graph(graph),
      m_before(before), m_after(after)
{
}

void MoveNodesCommand::redo()
{
    m_graph->setPositions(m_after);
}

void MoveNodesCommand::undo()
{
    m_graph->setPositions(m_before);
}

} // namespace midonet::manager
