// RulesModel: the rules of one chain, in position order, as a table (position, type, match,
// action target). Rows can be dragged to a new position; the model does not reorder itself but
// emits moveRequested, and the table follows when the cluster's new order comes back.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace midonet::manager {

class TopologyModel;

class RulesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Position, Type, Match, Target, ColumnCount };
    static constexpr const char *kRowMime = "application/x-midonet-rule";

    explicit RulesModel(TopologyModel *model, QObject *parent = nullptr);
    void setChain(const QString &chainId);
    QString chain() const { return m_chain; }
    QString ruleId(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    // A one-line summary of a rule's match conditions ("10.0.0.0/24 → any tcp:80").
    static QString matchText(const QJsonObject &rule);

signals:
    // The rule should move to `position` (1-based, the rule's place after the move).
    void moveRequested(const QString &ruleId, int position);

private:
    void reload();
    TopologyModel *m_model;
    QString m_chain;
    QList<QJsonObject> m_rules;
};

} // namespace midonet::manager
