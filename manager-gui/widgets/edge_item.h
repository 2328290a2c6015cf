// EdgeItem: a line between two NodeItems (port attachment, port-to-port link, interface binding,
// tunnel-zone membership, load balancer attachment), styled by kind; membership edges carry the
// member's tunnel address as a label when zoomed in.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsItem>

#include "manager-gui/models/map_graph.h"

namespace midonet::manager {

class MapScene;
class NodeItem;

class EdgeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };
    EdgeItem(MapScene *scene, const MapEdge &edge, NodeItem *a, NodeItem *b);
    ~EdgeItem() override;

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    // The line itself (a few pixels wide), not its bounding rect: a long edge must not catch
    // clicks meant for what lies under its rectangle.
    QPainterPath shape() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const MapEdge &edge() const { return m_edge; }
    // Follows the end nodes after they moved.
    void adjust();
    void detach() { m_a = m_b = nullptr; }

private:
    MapScene *m_scene;
    MapEdge m_edge;
    NodeItem *m_a, *m_b;
    QLineF m_line;
};

} // namespace midonet::manager
