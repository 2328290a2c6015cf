// RoutesDialog: a router's routes in a table, with a form to add one (destination, next-hop
// port, gateway, weight) and a Delete button. Additions and deletions are intents; the table
// shows what the cluster holds. Server errors are shown under the form.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDialog>
#include <QJsonObject>

#include "manager-gui/models/api_types.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace midonet::manager {

class RoutesModel;
class TopologyModel;

class RoutesDialog : public QDialog
{
    Q_OBJECT
public:
    RoutesDialog(TopologyModel *model, const QString &routerId, QWidget *parent = nullptr);
    QString routerId() const { return m_router; }
    void showError(const ApiResult &r);

signals:
    void addRequested(const QString &routerId, const QJsonObject &route);
    void deleteRequested(const QStringList &ids);

public slots:
    void updateWidgets();

private:
    TopologyModel *m_model;
    QString m_router;
    RoutesModel *m_routes;
    QTableView *m_table;
    QLineEdit *m_dst, *m_gateway;
    QComboBox *m_port, *m_type;
    QSpinBox *m_weight;
    QPushButton *m_add, *m_delete;
    QLabel *m_error;
};

} // namespace midonet::manager
