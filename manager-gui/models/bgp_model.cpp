#include "manager-gui/models/bgp_model.h"

#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

namespace {
// Numeric value of a dotted IPv4 address for sorting (0 for anything else).
quint32 ipv4(const QString &s)
{
    const QStringList parts = s.split(QLatin1Char('.'));
    if (parts.size() != 4) return 0;
    quint32 v = 0;
    for (const auto &p : parts) v = v << 8 | (p.toUInt() & 0xff);
    return v;
}

QList<QJsonObject> ofRouter(TopologyModel *model, const QString &type, const QString &routerId,
                            const char *sortKey)
{
    QList<QJsonObject> out;
    for (const auto &o : model->objects(type))
        if (o.value(QLatin1String("routerId")).toString() == routerId) out << o;
    const QLatin1String key(sortKey);
    std::sort(out.begin(), out.end(), [key](const QJsonObject &a, const QJsonObject &b) {
        // Numeric order of IPv4 addresses, then id for a stable table.
        const quint32 x = ipv4(a.value(key).toString()), y = ipv4(b.value(key).toString());
        if (x != y) return x < y;
        return a.value(QLatin1String("id")).toString() < b.value(QLatin1String("id")).toString();
    });
    return out;
}
const QString kAbsent = QStringLiteral("—");
} // namespace

BgpPeersModel::BgpPeersModel(TopologyModel *model, QObject *parent) : QAbstractTableModel(parent), m_model(model)
{
    connect(model, &TopologyModel::changed, this, &BgpPeersModel::reload);
}

void BgpPeersModel::setRouter(const QString &routerId)
{
    m_router = routerId;
    reload();
}

void BgpPeersModel::reload()
{
    const QList<QJsonObject> peers = ofRouter(m_model, QStringLiteral("bgp_peers"), m_router, "address");
    if (peers == m_peers) return;
    if (peers.size() == m_peers.size()) {
        // Same rows, new status values (the common case while sessions run): no reset, so the
        // selection survives.
        bool sameIds = true;
        for (int i = 0; i < peers.size() && sameIds; ++i)
            sameIds = peers[i].value(QLatin1String("id")) == m_peers[i].value(QLatin1String("id"));
        if (sameIds) {
            m_peers = peers;
            if (!m_peers.isEmpty()) emit dataChanged(index(0, 0), index(int(m_peers.size()) - 1, ColumnCount - 1));
            return;
        }
    }
    beginResetModel();
    m_peers = peers;
    endResetModel();
}

QString BgpPeersModel::peerId(int row) const
{
    return row >= 0 && row < m_peers.size() ? m_peers[row].value(QLatin1String("id")).toString() : QString();
}

int BgpPeersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_peers.size());
}

int BgpPeersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BgpPeersModel::formatUptime(qint64 seconds)
{
    if (seconds < 0) return kAbsent;
    const qint64 d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
    const QString hms = QStringLiteral("%1:%2:%3").arg(h, 2, 10, QLatin1Char('0')).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return d > 0 ? tr("%1d %2").arg(d).arg(hms) : hms;
}

QVariant BgpPeersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_peers.size()) return {};
    const QJsonObject &p = m_peers[index.row()];
    const auto has = [&p](const char *k) {
        const QJsonValue v = p.value(QLatin1String(k));
        return !v.isUndefined() && !v.isNull();
    };
    const bool statusColumn = index.column() >= State;
    const char *field = nullptr;
    switch (index.column()) {
    case State: field = "sessionState"; break;
    case Received: field = "prefixesReceived"; break;
    case Advertised: field = "prefixesAdvertised"; break;
    case Uptime: field = "uptimeSeconds"; break;
    case Host: field = "hostId"; break;
    default: break;
    }
    if (role == Qt::ToolTipRole) {
        if (statusColumn && !has(field)) return tr("No agent reports this session (no gateway runs it, or the cluster does not say)");
        if (index.column() == Host) return p.value(QLatin1String("hostId")).toString();
        return {};
    }
    if (role == Qt::TextAlignmentRole && (index.column() == As || index.column() == Received || index.column() == Advertised))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Address: return p.value(QLatin1String("address")).toString();
    case As: return QString::number(p.value(QLatin1String("asNumber")).toInteger());
    default: break;
    }
    if (!has(field)) return kAbsent;
    switch (index.column()) {
    case State: return p.value(QLatin1String("sessionState")).toString();
    case Received: return QString::number(p.value(QLatin1String("prefixesReceived")).toInteger());
    case Advertised: return QString::number(p.value(QLatin1String("prefixesAdvertised")).toInteger());
    case Uptime: return formatUptime(p.value(QLatin1String("uptimeSeconds")).toInteger());
    case Host: {
        const QString host = p.value(QLatin1String("hostId")).toString();
        const QString name = m_model->object(QStringLiteral("hosts"), host).value(QLatin1String("name")).toString();
        return name.isEmpty() ? host.left(8) : name;
    }
    }
    return {};
}

QVariant BgpPeersModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Address: return tr("Peer address");
    case As: return tr("AS");
    case State: return tr("Session");
    case Received: return tr("Received");
    case Advertised: return tr("Advertised");
    case Uptime: return tr("Up for");
    case Host: return tr("Gateway host");
    }
    return {};
}

BgpNetworksModel::BgpNetworksModel(TopologyModel *model, QObject *parent) : QAbstractTableModel(parent), m_model(model)
{
    connect(model, &TopologyModel::changed, this, &BgpNetworksModel::reload);
}

void BgpNetworksModel::setRouter(const QString &routerId)
{
    m_router = routerId;
    reload();
}

void BgpNetworksModel::reload()
{
    const QList<QJsonObject> nets = ofRouter(m_model, QStringLiteral("bgp_networks"), m_router, "subnetAddress");
    if (nets == m_networks) return;
    beginResetModel();
    m_networks = nets;
    endResetModel();
}

QString BgpNetworksModel::networkId(int row) const
{
    return row >= 0 && row < m_networks.size() ? m_networks[row].value(QLatin1String("id")).toString() : QString();
}

int BgpNetworksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_networks.size());
}

int BgpNetworksModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1;
}

QVariant BgpNetworksModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || index.row() >= m_networks.size()) return {};
    const QJsonObject &n = m_networks[index.row()];
    return n.value(QLatin1String("subnetAddress")).toString() + QLatin1Char('/') +
           QString::number(n.value(QLatin1String("subnetLength")).toInt());
}

QVariant BgpNetworksModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole || section != 0) return {};
    return tr("Advertised network");
}

} // namespace midonet::manager
