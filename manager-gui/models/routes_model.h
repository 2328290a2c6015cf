// RoutesModel: the routes of one router (refreshed by Session::loadRoutes and events) as a table.
// Thread-safety: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace midonet::manager {

class TopologyModel;

// RoutesModel: the routes of one router as a table.
class RoutesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Destination, Source, NextHopPort, Gateway, Weight, Type, ColumnCount };
    explicit RoutesModel(TopologyModel *model, QObject *parent = nullptr);
    void setRouter(const QString &routerId);
    QString routeId(int row) const;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    void reload();
    TopologyModel *m_model;
    QString m_router;
    QList<QJsonObject> m_routes;
};

} // namespace midonet::manager
