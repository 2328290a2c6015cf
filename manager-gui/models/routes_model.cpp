#include "manager-gui/models/routes_model.h"

#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

RoutesModel::RoutesModel(TopologyModel *model, QObject *parent) : QAbstractTableModel(parent), m_model(model)
{
    connect(model, &TopologyModel::changed, this, &RoutesModel::reload);
}

void RoutesModel::setRouter(const QString &routerId)
{
    m_router = routerId;
    reload();
}

void RoutesModel::reload()
{
    const QList<QJsonObject> routes = m_model->routesOf(m_router);
    if (routes == m_routes) return;
    beginResetModel();
    m_routes = routes;
    endResetModel();
}

QString RoutesModel::routeId(int row) const
{
    return row >= 0 && row < m_routes.size() ? m_routes[row].value(QLatin1String("id")).toString() : QString();
}

int RoutesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_routes.size());
}

int RoutesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoutesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || index.row() >= m_routes.size()) return {};
    const QJsonObject &r = m_routes[index.row()];
    auto cidr = [&r](const char *a, const char *l) {
        return r.value(QLatin1String(a)).toString() + QLatin1Char('/') + QString::number(r.value(QLatin1String(l)).toInt());
    };
    switch (index.column()) {
    case Destination: return cidr("dstNetworkAddr", "dstNetworkLength");
    case Source: return cidr("srcNetworkAddr", "srcNetworkLength");
    case NextHopPort: {
        const QString port = r.value(QLatin1String("nextHopPort")).toString();
        if (port.isEmpty()) return QString();
        const QJsonObject p = m_model->object(QStringLiteral("ports"), port);
        const QString addr = p.value(QLatin1String("portAddress")).toString();
        return addr.isEmpty() ? port.left(8) : addr;
    }
    case Gateway: return r.value(QLatin1String("nextHopGateway")).toString();
    case Weight: return r.value(QLatin1String("weight")).toInt();
    case Type: return r.value(QLatin1String("type")).toString();
    }
    return {};
}

QVariant RoutesModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Destination: return tr("Destination");
    case Source: return tr("Source");
    case NextHopPort: return tr("Next-hop port");
    case Gateway: return tr("Gateway");
    case Weight: return tr("Weight");
    case Type: return tr("Type");
    }
    return {};
}

} // namespace midonet::manager
