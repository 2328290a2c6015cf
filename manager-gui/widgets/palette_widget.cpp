#include "manager-gui/widgets/palette_widget.h"

#include <QEvent>
#include <QMimeData>
#include <QPainter>

#include "manager-gui/widgets/map_theme.h"
#include "manager-gui/widgets/map_view.h"
#include "manager-gui/widgets/node_item.h"

namespace midonet::manager {

namespace {
struct Entry
{
    const char *kind;
    MapNode::Kind symbol;
};
constexpr Entry kEntries[] = {
    {"bridge", MapNode::Kind::Bridge},
    {"router", MapNode::Kind::Router},
    {"load_balancer", MapNode::Kind::LoadBalancer},
    {"tunnel_zone", MapNode::Kind::TunnelZone},
};

QIcon iconFor(MapNode::Kind kind)
{
    const MapTheme t = MapTheme::light();
    QPixmap pm(48, 40);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QSizeF s = NodeItem::symbolSize(kind);
    QColor fill = kind == MapNode::Kind::Bridge ? t.bridge
                  : kind == MapNode::Kind::Router ? t.router
                  : kind == MapNode::Kind::LoadBalancer ? t.lb
                  : kind == MapNode::Kind::TunnelZone ? t.zone : t.port;
    NodeItem::paintSymbol(&p, kind, QRectF(QPointF(24 - s.width() / 2, 20 - s.height() / 2), s), fill, fill.darker(140));
    return QIcon(pm);
}
} // namespace

PaletteWidget::PaletteWidget(QWidget *parent) : QListWidget(parent)
{
    setObjectName(QStringLiteral("palette"));
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setIconSize(QSize(48, 40));
    setSpacing(2);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWordWrap(true); // long Japanese names wrap instead of being cut
    setTextElideMode(Qt::ElideNone);
    setMinimumWidth(170);
    for (const auto &e : kEntries) {
        auto *item = new QListWidgetItem(iconFor(e.symbol), QString(), this);
        item->setSizeHint(QSize(160, 52)); // room for a name wrapped on two lines
        item->setData(Qt::UserRole, QString::fromLatin1(e.kind));
    }
    retranslate();
    connect(this, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *i) {
        emit createRequested(i->data(Qt::UserRole).toString());
    });
}

void PaletteWidget::retranslate()
{
    for (int i = 0; i < count(); ++i) {
        const QString k = item(i)->data(Qt::UserRole).toString();
        QString text;
        if (k == QLatin1String("bridge")) text = tr("Bridge");
        else if (k == QLatin1String("router")) text = tr("Router");
        else if (k == QLatin1String("load_balancer")) text = tr("Load balancer");
        else if (k == QLatin1String("tunnel_zone")) text = tr("Tunnel zone");
        item(i)->setText(text);
        item(i)->setToolTip(tr("Drag onto the map to create a %1").arg(text.toLower()));
    }
    fitToNames();
}

void PaletteWidget::fitToNames()
{
    // Wide enough for the longest name on one line in this language and font (the web console's
    // VNC screen has other metrics than the desktop): a name cut in the middle of a word
    // ("ロードバラン / サー") reads badly. Wrapping stays on as a last resort.
    const QFontMetrics fm(font());
    int text = 0;
    for (int i = 0; i < count(); ++i) text = std::max(text, fm.horizontalAdvance(item(i)->text()));
    const int w = iconSize().width() + text + 4 * spacing() + 24;
    for (int i = 0; i < count(); ++i) item(i)->setSizeHint(QSize(w, 52));
    setMinimumWidth(std::max(170, w + 2 * frameWidth() + 6));
}

void PaletteWidget::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange) retranslate();
    if (e->type() == QEvent::FontChange) fitToNames();
    QListWidget::changeEvent(e);
}

QMimeData *PaletteWidget::mimeFor(const QString &kind)
{
    auto *m = new QMimeData;
    m->setData(QLatin1String(MapView::kDeviceMime), kind.toUtf8());
    return m;
}

QStringList PaletteWidget::mimeTypes() const
{
    return {QLatin1String(MapView::kDeviceMime)};
}

QMimeData *PaletteWidget::mimeData(const QList<QListWidgetItem *> &items) const
{
    if (items.isEmpty()) return nullptr;
    return mimeFor(items.first()->data(Qt::UserRole).toString());
}

} // namespace midonet::manager
