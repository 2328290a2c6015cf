// MapView: the interactive view of a MapScene. Zoom (wheel, anchored under the mouse), pan
// (middle or right button drag), fit, rubber-band multi-select and group move; a minimap in the
// corner. Design gestures become intent signals, never API calls: a palette drop asks to create
// a device, an Alt-drag (or a drag in link mode) from one device to another asks to link them,
// Delete asks to delete the selection, and a finished drag reports the moves for undo.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsView>
#include <QHash>
#include <QPointF>

namespace midonet::manager {

class MapScene;
class Minimap;
class NodeItem;

class MapView : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr const char *kDeviceMime = "application/x-midonet-device";

    explicit MapView(MapScene *scene, QWidget *parent = nullptr);

    MapScene *mapScene() const { return m_scene; }
    Minimap *minimap() const { return m_minimap; }
    double zoom() const { return transform().m11(); }
    void setZoom(double z);
    void zoomBy(double factor);
    void fit();
    void centerOnIds(const QStringList &ids);
    void setLinkMode(bool on) { m_linkMode = on; }
    bool linkMode() const { return m_linkMode; }

signals:
    void createRequested(const QString &kind, QPointF scenePos);
    void linkRequested(const QString &from, const QString &to);
    void deleteRequested(const QStringList &ids);
    void renameRequested(const QString &id);
    void nodesMoved(const QHash<QString, QPointF> &before, const QHash<QString, QPointF> &after);
    void selectionIdsChanged(const QStringList &ids);
    void viewportMoved();

protected:
    void wheelEvent(QWheelEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mouseReleaseEvent(QMouseEvent *e) override;
    void mouseDoubleClickEvent(QMouseEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void dragEnterEvent(QDragEnterEvent *e) override;
    void dragMoveEvent(QDragMoveEvent *e) override;
    void dropEvent(QDropEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    NodeItem *deviceAt(const QPoint &viewPos) const;

    MapScene *m_scene;
    Minimap *m_minimap;
    bool m_linkMode = false;
    NodeItem *m_linkFrom = nullptr;
    class QGraphicsLineItem *m_linkLine = nullptr;
    bool m_panning = false;
    QPoint m_panLast;
    bool m_moving = false;
};

} // namespace midonet::manager
