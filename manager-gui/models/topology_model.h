// TopologyModel: the Manager's copy of the cluster's objects, keyed by collection and id.
//
// Collections use the REST paths ("bridges", "routers", "ports", "hosts", "tunnel_zones",
// "load_balancers", "vips", "pools", "chains", "rules", "routes") plus "tunnel_zone_hosts" for
// tunnel-zone membership (id "<zone>/<host>"). Objects are the JSON documents the API returns.
//
// It is fed only by the Session (REST listings and the event stream); views read it and listen to
// its signals. `replaceCollection` reconciles a full listing with what is held, so objects deleted
// while the Manager was disconnected disappear: no stale objects after a reconnect.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace midonet::manager {

class TopologyModel : public QObject
{
    Q_OBJECT
public:
    explicit TopologyModel(QObject *parent = nullptr);

    // Inserts or replaces one object; emits objectChanged.
    void upsert(const QString &type, const QJsonObject &obj);
    void upsert(const QString &type, const QString &id, const QJsonObject &obj);
    // Removes one object (and, for a device, nothing else: the cluster sends the cascade).
    void remove(const QString &type, const QString &id);
    // Replaces a whole collection with a fresh listing; `scope` limits the replacement to the
    // objects for which it returns true (e.g. the rules of one chain).
    void replaceCollection(const QString &type, const QList<QJsonObject> &objs,
                           const std::function<bool(const QJsonObject &)> &scope = {});
    void clear();

    QJsonObject object(const QString &type, const QString &id) const;
    bool contains(const QString &type, const QString &id) const;
    const QHash<QString, QJsonObject> &objects(const QString &type) const;
    // The collection an id belongs to ("" when unknown). Ids are UUIDs, unique across types.
    QString typeOf(const QString &id) const;
    QJsonObject find(const QString &id) const { return object(typeOf(id), id); }
    // Counter bumped on every change, so views can tell whether they are up to date.
    quint64 revision() const { return m_revision; }
    // Ports of a device, rules of a chain in position order, routes of a router.
    QList<QJsonObject> portsOf(const QString &deviceId) const;
    QList<QJsonObject> rulesOf(const QString &chainId) const;
    QList<QJsonObject> routesOf(const QString &routerId) const;
    // A display name: the object's name, else a short id.
    QString displayName(const QString &id) const;

signals:
    void objectChanged(const QString &type, const QString &id);
    void objectRemoved(const QString &type, const QString &id);
    // Emitted once per event-loop turn after any change (views rebuild on it).
    void changed();

private:
    void touch();

    QHash<QString, QHash<QString, QJsonObject>> m_objects;
    QHash<QString, QString> m_typeOf;
    quint64 m_revision = 0;
    bool m_changePending = false;
};

} // namespace midonet::manager
