#include "manager-gui/models/rules_model.h"

#include <QJsonArray>
#include <QMimeData>

#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

RulesModel::RulesModel(TopologyModel *model, QObject *parent) : QAbstractTableModel(parent), m_model(model)
{
    connect(model, &TopologyModel::changed, this, &RulesModel::reload);
}

void RulesModel::setChain(const QString &chainId)
{
    m_chain = chainId;
    reload();
}

void RulesModel::reload()
{
    const QList<QJsonObject> rules = m_model->rulesOf(m_chain);
    if (rules == m_rules) return;
    beginResetModel();
    m_rules = rules;
    endResetModel();
}

QString RulesModel::ruleId(int row) const
{
    return row >= 0 && row < m_rules.size() ? m_rules[row].value(QLatin1String("id")).toString() : QString();
}

int RulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rules.size());
}

int RulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RulesModel::matchText(const QJsonObject &r)
{
    auto net = [&r](const char *addr, const char *len, const char *inv) {
        const QString a = r.value(QLatin1String(addr)).toString();
        if (a.isEmpty()) return QStringLiteral("any");
        return (r.value(QLatin1String(inv)).toBool() ? QStringLiteral("!") : QString()) + a + QLatin1Char('/') +
               QString::number(r.value(QLatin1String(len)).toInt());
    };
    QString t = net("nwSrcAddress", "nwSrcLength", "invNwSrc") + QStringLiteral(" → ") +
                net("nwDstAddress", "nwDstLength", "invNwDst");
    const int proto = r.value(QLatin1String("nwProto")).toInt();
    if (proto == 6) t += QStringLiteral(" tcp");
    else if (proto == 17) t += QStringLiteral(" udp");
    else if (proto == 1) t += QStringLiteral(" icmp");
    else if (proto) t += QStringLiteral(" proto ") + QString::number(proto);
    const QJsonObject dst = r.value(QLatin1String("tpDst")).toObject();
    if (!dst.isEmpty()) {
        const int s = dst.value(QLatin1String("start")).toInt(), e = dst.value(QLatin1String("end")).toInt();
        t += QLatin1Char(':') + (s == e ? QString::number(s) : QStringLiteral("%1-%2").arg(s).arg(e));
    }
    return t;
}

QVariant RulesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rules.size()) return {};
    const QJsonObject &r = m_rules[index.row()];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Position: return r.value(QLatin1String("position")).toInt();
    case Type: return r.value(QLatin1String("type")).toString();
    case Match: return matchText(r);
    case Target: {
        const QString jump = r.value(QLatin1String("jumpChainId")).toString();
        if (!jump.isEmpty()) return m_model->displayName(jump);
        QStringList targets;
        for (const auto &t : r.value(QLatin1String("natTargets")).toArray()) {
            const QJsonObject o = t.toObject();
            targets << o.value(QLatin1String("addressFrom")).toString() + QLatin1Char(':') +
                           QString::number(o.value(QLatin1String("portFrom")).toInt());
        }
        return targets.join(QStringLiteral(", "));
    }
    }
    return {};
}

QVariant RulesModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Position: return tr("#");
    case Type: return tr("Action");
    case Match: return tr("Match");
    case Target: return tr("Target");
    }
    return {};
}

Qt::ItemFlags RulesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid()) return Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList RulesModel::mimeTypes() const
{
    return {QLatin1String(kRowMime)};
}

QMimeData *RulesModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty()) return nullptr;
    auto *m = new QMimeData;
    m->setData(QLatin1String(kRowMime), ruleId(indexes.first().row()).toUtf8());
    return m;
}

bool RulesModel::dropMimeData(const QMimeData *data, Qt::DropAction, int row, int, const QModelIndex &parent)
{
    if (!data->hasFormat(QLatin1String(kRowMime))) return false;
    const QString id = QString::fromUtf8(data->data(QLatin1String(kRowMime)));
    int from = -1;
    for (int i = 0; i < m_rules.size(); ++i)
        if (ruleId(i) == id) from = i;
    if (from < 0) return false;
    // Dropped between rows (`row`) or onto a row (`parent`); past the end means last.
    int target = row >= 0 ? row : parent.isValid() ? parent.row() : int(m_rules.size());
    if (target > from) --target; // the rule leaves its old place first
    target = std::clamp(target, 0, int(m_rules.size()) - 1);
    if (target != from) emit moveRequested(id, target + 1);
    return false; // the view must not remove the source row: the cluster reorders
}

} // namespace midonet::manager
