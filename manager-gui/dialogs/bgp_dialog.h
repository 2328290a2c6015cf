// BgpDialog: a router's BGP peers (address, AS and the session status an agent reports) and the
// networks it advertises, each in a table with a small form to add one and a Delete button.
// Additions and deletions are intents (signals); the tables show what the cluster holds. While
// open it asks every few seconds for fresh status (refreshRequested). Server errors are shown
// under the forms, on the field they name when they name one.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QTimer>

#include "manager-gui/models/api_types.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace midonet::manager {

class BgpNetworksModel;
class BgpPeersModel;
class TopologyModel;

class BgpDialog : public QDialog
{
    Q_OBJECT
public:
    BgpDialog(TopologyModel *model, const QString &routerId, QWidget *parent = nullptr);
    QString routerId() const { return m_router; }
    void showError(const ApiResult &r);
    BgpPeersModel *peersModel() const { return m_peers; }
    BgpNetworksModel *networksModel() const { return m_networks; }

signals:
    void addPeerRequested(const QString &routerId, const QJsonObject &peer);
    void addNetworkRequested(const QString &routerId, const QJsonObject &network);
    void deleteRequested(const QStringList &ids);
    void refreshRequested(const QString &routerId);

public slots:
    void updateWidgets();

private:
    TopologyModel *m_model;
    QString m_router;
    BgpPeersModel *m_peers;
    BgpNetworksModel *m_networks;
    QTableView *m_peerTable, *m_networkTable;
    QLineEdit *m_address, *m_as, *m_network;
    QPushButton *m_addPeer, *m_deletePeer, *m_addNetwork, *m_deleteNetwork;
    QLabel *m_peerError, *m_networkError;
    QTimer m_refresh;
};

} // namespace midonet::manager
