// PaletteWidget: the devices an operator can drag onto the virtual map (bridge, router, load
// balancer) and onto the physical map (tunnel zone). Dragging carries the device kind as
// MapView::kDeviceMime; double-click emits the same intent without a drop position.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QListWidget>

namespace midonet::manager {

class PaletteWidget : public QListWidget
{
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget *parent = nullptr);
    // The mime data a drag of `kind` carries (tests drop it on a map).
    static QMimeData *mimeFor(const QString &kind);

signals:
    void createRequested(const QString &kind);

protected:
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QList<QListWidgetItem *> &items) const override;
    void changeEvent(QEvent *e) override;

private:
    void retranslate();
    void fitToNames();
};

} // namespace midonet::manager
