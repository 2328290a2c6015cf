// MapGraph: what one map shows, derived from the TopologyModel: nodes (devices, ports, bound
// interfaces, load balancers; or hosts, tunnel zones and bindings) and edges, each with its label,
// detail line, state and tenant, plus the node positions and the live layout that moves them.
//
// Two projections: View::Virtual (bridges, routers, ports, links, bound interfaces, load
// balancers) and View::Physical (hosts with agent liveness, tunnel zones and their members, which
// ports are bound on which host). The graph is rebuilt from the model once per event-loop turn
// after a change and diffed against the previous one, so views get precise add/change/remove
// signals and nothing stale survives a resync.
//
// Positions: a node keeps its position across rebuilds; a node the user placed (dropped from the
// palette, dragged) is pinned and the layout never moves it. New nodes start next to a neighbour
// and the incremental layout settles them without shaking the rest. Positions can be saved and
// restored (per user, by the caller).
//
// Thread-safety: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointF>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUndoCommand>
#include <QVariantMap>

#include "manager-gui/models/force_layout.h"

namespace midonet::manager {

class TopologyModel;

struct MapNode
{
    enum class Kind { Bridge, Router, Port, Interface, LoadBalancer, Host, TunnelZone, Binding };
    QString id;
    Kind kind = Kind::Bridge;
    QString label;   // name or address
    QString detail;  // second line: addresses, host, type
    QString state;   // "up", "down", "idle", "alive", "dead"
    QString tenant;
    QString search;  // lower-case text matched by search: names, IPs, MACs
    QString parent;  // the device a port hangs off
    QPointF pos;
    bool pinned = false;

    bool sameLook(const MapNode &o) const
    {
        return kind == o.kind && label == o.label && detail == o.detail && state == o.state &&
               tenant == o.tenant && search == o.search && parent == o.parent;
    }
};

struct MapEdge
{
    enum class Kind { Attach, Link, Binding, Member, LoadBalancer };
    QString id;
    QString a, b;
    Kind kind = Kind::Attach;
    QString label;
    bool operator==(const MapEdge &o) const
    {
        return a == o.a && b == o.b && kind == o.kind && label == o.label;
    }
};

class MapGraph : public QObject
{
    Q_OBJECT
public:
    enum class View { Virtual, Physical };

    MapGraph(TopologyModel *model, View view, QObject *parent = nullptr);

    View view() const { return m_view; }
    const QHash<QString, MapNode> &nodes() const { return m_nodes; }
    const QHash<QString, MapEdge> &edges() const { return m_edges; }
    // Rebuilds now (normally it happens on its own after model changes).
    void rebuild();

    // A node about to appear (e.g. dropped from the palette) will start pinned at `pos`.
    void placeNext(const QString &id, QPointF pos);
    // Positions set by the user: pinned, the layout leaves them alone.
    void setPositions(const QHash<QString, QPointF> &positions, bool pin = true);
    QPointF position(const QString &id) const { return m_nodes.value(id).pos; }
    void unpinAll();

    // Live layout: runs steps on a timer until it settles.
    void startLayout();
    bool layoutRunning() const { return m_layoutTimer.isActive(); }
    void setLayoutEnabled(bool on);
    // One layout step (also used by the benchmark); returns the largest move.
    double layoutStep();
    // Runs steps until the largest move is below `epsilon` or `maxSteps` ran.
    int settle(int maxSteps, double epsilon = 0.5);

    // Saved positions: id → [x, y, pinned].
    QVariantMap savePositions() const;
    void restorePositions(const QVariantMap &saved);

    // Ids of nodes whose search text contains `text` (case-insensitive); empty text → none.
    QStringList search(const QString &text) const;
    QStringList tenants() const;

signals:
    void nodeAdded(const QString &id);
    void nodeChanged(const QString &id);
    void nodeRemoved(const QString &id);
    void edgeAdded(const QString &id);
    void edgeRemoved(const QString &id);
    // Positions changed (layout step or user move); `ids` empty means "many, look at all".
    void positionsChanged(const QStringList &ids);
    void rebuilt();

private:
    void buildVirtual(QHash<QString, MapNode> &nodes, QHash<QString, MapEdge> &edges) const;
    void buildPhysical(QHash<QString, MapNode> &nodes, QHash<QString, MapEdge> &edges) const;
    QPointF initialPosition(const MapNode &n, const QHash<QString, MapEdge> &edges) const;
    void prepareLayout();

    TopologyModel *m_model;
    View m_view;
    QHash<QString, MapNode> m_nodes;
    QHash<QString, MapEdge> m_edges;
    QHash<QString, QPointF> m_placeNext;
    QHash<QString, QVariant> m_saved; // restored positions for nodes not seen yet
    bool m_rebuildPending = false;
    bool m_layoutDirty = true;
    bool m_layoutEnabled = true;
    ForceLayout m_layout;
    QStringList m_layoutIds;
    QTimer m_layoutTimer;
    int m_layoutSteps = 0;
};

// A group move on a map: positions before and after, both pinned. Local only (no API call), but
// undoable like every design action.
class MoveNodesCommand : public QUndoCommand
{
public:
    MoveNodesCommand(MapGraph *graph, const QHash<QString, QPointF> &before,
                     const QHash<QString, QPointF> &after);
    void redo() override;
    void undo() override;

private:
    MapGraph *m_graph;
    QHash<QString, QPointF> m_before, m_after;
};

} // namespace midonet::manager
