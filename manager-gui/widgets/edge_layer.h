// EdgeLayer: every edge of a map (port attachment, port-to-port link, interface binding,
// tunnel-zone membership, load balancer attachment) drawn by ONE scene item.
//
// Why one item and not one per edge: a map of 2,000 devices and 4,000 links has 12,000 edges,
// many of them long. As separate items each cost an index lookup, a sort by stacking order and a
// painter setup per frame, and a long edge's bounding rect lands in many BSP leaves; that
// overhead was most of the frame time. Here a paint scans the edges' cached bounding boxes
// against the exposed rectangle (12,000 rectangle tests are a few microseconds), collects the
// lines per style into arrays kept between frames, and draws each style with one drawLines().
//
// Edges are not selectable and take no mouse events (hit tests only look for nodes). The layer's
// bounding rect only grows (its BSP entry changes when an edge leaves it, not on every move);
// moving a node repaints the old and new areas of its edges only.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsItem>
#include <QHash>
#include <QPen>
#include <QStaticText>

#include <memory>
#include <vector>

#include "manager-gui/models/map_graph.h"

namespace midonet::manager {

class MapScene;
class NodeItem;

class EdgeLayer : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };
    explicit EdgeLayer(MapScene *scene);
    ~EdgeLayer() override;

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    void addEdge(const MapEdge &edge, NodeItem *a, NodeItem *b);
    void removeEdge(const QString &id);
    bool contains(const QString &id) const { return m_byId.contains(id); }
    int edgeCount() const { return int(m_edges.size()); }
    const MapEdge *edge(const QString &id) const;
    // Forgets every edge touching this node (the node is being deleted).
    void removeEdgesOf(NodeItem *node);
    // The node moved: its edges follow.
    void nodeMoved(NodeItem *node);
    // An edge is drawn when both its nodes are visible (tenant filter): all edges, or one node's.
    void refreshVisibility();
    void nodeVisibilityChanged(NodeItem *node);
    // Theme or font changed: pens and labels again.
    void restyle();

private:
    struct Edge
    {
        MapEdge edge;
        NodeItem *a = nullptr, *b = nullptr;
        QLineF line;
        QRectF box; // bounding box of the line plus the label margin
        QStaticText label;
        size_t index = 0; // position in m_edges
        bool visible = true;
    };
    void place(Edge *e);
    void prepareLabel(Edge *e) const;

    MapScene *m_scene;
    std::vector<std::unique_ptr<Edge>> m_edges;
    QHash<QString, Edge *> m_byId;
    QHash<const NodeItem *, QList<Edge *>> m_byNode;
    QRectF m_bounds;
    QPen m_pens[5], m_midPens[5], m_farPens[5]; // as styled; 1 px; 1 px solid far out
    QFont m_labelFont;
    // Reused by every paint: lines per edge kind, and labels to draw (no allocation per frame).
    std::vector<QLineF> m_batch[5];
    std::vector<const Edge *> m_labels;
};

} // namespace midonet::manager
