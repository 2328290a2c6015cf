#include "manager-gui/models/topology_model.h"

#include <QSet>
#include <QTimer>

#include <algorithm>

namespace midonet::manager {

TopologyModel::TopologyModel(QObject *parent) : QObject(parent) {}

void TopologyModel::upsert(const QString &type, const QJsonObject &obj)
{
    upsert(type, obj.value(QLatin1String("id")).toString(), obj);
}

void TopologyModel::upsert(const QString &type, const QString &id, const QJsonObject &obj)
{
    if (id.isEmpty()) return;
    auto &coll = m_objects[type];
    auto it = coll.find(id);
    if (it != coll.end() && *it == obj) return;
    coll.insert(id, obj);
    m_typeOf.insert(id, type);
    emit objectChanged(type, id);
    touch();
}

void TopologyModel::remove(const QString &type, const QString &id)
{
    auto it = m_objects.find(type);
    if (it == m_objects.end() || !it->remove(id)) return;
    m_typeOf.remove(id);
    emit objectRemoved(type, id);
    touch();
}

void TopologyModel::replaceCollection(const QString &type, const QList<QJsonObject> &objs,
                                      const std::function<bool(const QJsonObject &)> &scope)
{
    QSet<QString> fresh;
    for (const auto &o : objs) {
        QString id = o.value(QLatin1String("id")).toString();
        if (type == QLatin1String("tunnel_zone_hosts"))
            id = o.value(QLatin1String("tunnelZoneId")).toString() + QLatin1Char('/') +
                 o.value(QLatin1String("hostId")).toString();
        fresh.insert(id);
        upsert(type, id, o);
    }
    QStringList gone;
    const auto coll = m_objects.value(type);
    for (auto it = coll.begin(); it != coll.end(); ++it)
        if (!fresh.contains(it.key()) && (!scope || scope(it.value()))) gone << it.key();
    for (const auto &id : gone) remove(type, id);
}

void TopologyModel::clear()
{
    const auto all = m_objects;
    for (auto t = all.begin(); t != all.end(); ++t)
        for (auto o = t->begin(); o != t->end(); ++o) remove(t.key(), o.key());
}

QJsonObject TopologyModel::object(const QString &type, const QString &id) const
{
    return m_objects.value(type).value(id);
}

bool TopologyModel::contains(const QString &type, const QString &id) const
{
    auto it = m_objects.find(type);
    return it != m_objects.end() && it->contains(id);
}

const QHash<QString, QJsonObject> &TopologyModel::objects(const QString &type) const
{
    static const QHash<QString, QJsonObject> empty;
    auto it = m_objects.find(type);
    return it == m_objects.end() ? empty : *it;
}

QString TopologyModel::typeOf(const QString &id) const
{
    return m_typeOf.value(id);
}

QList<QJsonObject> TopologyModel::portsOf(const QString &deviceId) const
{
    QList<QJsonObject> out;
    for (const auto &p : objects(QStringLiteral("ports")))
        if (p.value(QLatin1String("deviceId")).toString() == deviceId) out << p;
    std::sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("id")).toString() < b.value(QLatin1String("id")).toString();
    });
    return out;
}

QList<QJsonObject> TopologyModel::rulesOf(const QString &chainId) const
{
    QList<QJsonObject> out;
    for (const auto &r : objects(QStringLiteral("rules")))
        if (r.value(QLatin1String("chainId")).toString() == chainId) out << r;
    std::sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("position")).toInt() < b.value(QLatin1String("position")).toInt();
    });
    return out;
}

QList<QJsonObject> TopologyModel::routesOf(const QString &routerId) const
{
    QList<QJsonObject> out;
    for (const auto &r : objects(QStringLiteral("routes")))
        if (r.value(QLatin1String("routerId")).toString() == routerId) out << r;
    std::sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("dstNetworkAddr")).toString() < b.value(QLatin1String("dstNetworkAddr")).toString();
    });
    return out;
}

QString TopologyModel::displayName(const QString &id) const
{
    const QJsonObject o = find(id);
    const QString name = o.value(QLatin1String("name")).toString();
    if (!name.isEmpty()) return name;
    // Nameless objects people know by an address: BGP peers and networks.
    if (o.contains(QLatin1String("address"))) return o.value(QLatin1String("address")).toString();
    if (o.contains(QLatin1String("subnetAddress")))
        return o.value(QLatin1String("subnetAddress")).toString() + QLatin1Char('/') +
               QString::number(o.value(QLatin1String("subnetLength")).toInt());
    return id.left(8);
}

void TopologyModel::touch()
{
    ++m_revision;
    if (m_changePending) return;
    m_changePending = true;
    QTimer::singleShot(0, this, [this] {
        m_changePending = false;
        emit changed();
    });
}

} // namespace midonet::manager
