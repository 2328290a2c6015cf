// NodeItem: one node of a map (device, port, interface, host, tunnel zone, ...), painted by
// itself with level of detail: below a zoom threshold labels are skipped, further out only a
// flat shape is drawn, so a zoomed-out map of thousands of nodes stays cheap to paint.
//
// On a raster device the body (symbol, state dot, selection and highlight marks) is a pixmap
// blitted 1:1 from the scene's cache, keyed by look and zoom level: thousands of nodes share a
// dozen pixmaps, and antialiased curves are rasterised once instead of per node per frame. Ports
// are not drawn when zoomed out (they are a few pixels), labels only when they are readable. On
// vector devices (SVG export) everything is drawn as vectors.
//
// A plain QGraphicsItem (not a QObject) to keep 5,000 of them light. It tells its edges when it
// moves (through the scene, to the EdgeLayer). It never talks to models or the network; the scene updates it.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsItem>
#include <QList>
#include <QStaticText>

#include "manager-gui/models/map_graph.h"

namespace midonet::manager {

class MapScene;

class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    NodeItem(MapScene *scene, const MapNode &node);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    bool contains(const QPointF &point) const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const MapNode &node() const { return m_node; }
    QString id() const { return m_node.id; }
    void setNode(const MapNode &node);
    void setHighlighted(bool on);
    bool highlighted() const { return m_highlighted; }
    // Devices and hosts can be linked/dragged; ports and bindings follow their parents.
    bool isDevice() const;

    // Draws the kind's symbol centred on `r` (also used for the palette's icons).
    static void paintSymbol(QPainter *p, MapNode::Kind kind, const QRectF &r, const QColor &fill,
                            const QColor &outline);
    static QSizeF symbolSize(MapNode::Kind kind);

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    QFont labelFont(bool detail) const;
    // The body in item coordinates, on any device.
    void paintBody(QPainter *p, const QColor &fill, bool selected) const;
    QColor fillColor() const;
    bool isDead() const;
    MapScene *m_scene;
    MapNode m_node;
    bool m_highlighted = false;
    QRectF m_bounds;
    QPointF m_lastPos;
    // Labels laid out once per change, not per paint (text layout dominated frame time).
    QStaticText m_label, m_detail;
    double m_labelWidth = 0, m_detailWidth = 0;
};

} // namespace midonet::manager
