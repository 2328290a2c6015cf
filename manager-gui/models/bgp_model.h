// BgpPeersModel and BgpNetworksModel: a router's BGP peers and advertised networks as tables,
// read from the TopologyModel ("bgp_peers", "bgp_networks", filled by Session::loadBgp and the
// event stream).
//
// A peer's status comes from read-only fields the cluster adds when an agent runs the session:
// sessionState, prefixesReceived, prefixesAdvertised, uptimeSeconds, hostId. Any of them may be
// absent (no agent runs the session, or an older cluster): the cell then shows "—" and its
// tooltip says why, never a made-up zero.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace midonet::manager {

class TopologyModel;

class BgpPeersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Address, As, State, Received, Advertised, Uptime, Host, ColumnCount };
    explicit BgpPeersModel(TopologyModel *model, QObject *parent = nullptr);
    void setRouter(const QString &routerId);
    QString peerId(int row) const;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    // "3d 04:05:06" / "04:05:06" (also used by tests).
    static QString formatUptime(qint64 seconds);

private:
    void reload();
    TopologyModel *m_model;
    QString m_router;
    QList<QJsonObject> m_peers;
};

class BgpNetworksModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit BgpNetworksModel(TopologyModel *model, QObject *parent = nullptr);
    void setRouter(const QString &routerId);
    QString networkId(int row) const;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    void reload();
    TopologyModel *m_model;
    QString m_router;
    QList<QJsonObject> m_networks;
};

} // namespace midonet::manager
