// FakeCluster: a STAND-IN for midonet-cluster, used by the Manager's GUI tests, screenshots and
// benchmarks while the real REST server (cluster/, issue 4) cannot yet serve what they need.
// It speaks just enough of MidoNet's REST API (../shared/reference/midonet-rest-api.md) over a
// QTcpServer: login with the sessionId cookie, the root resource, bridges, routers, ports with
// link/unlink, routes, chains and rules with positions, hosts, port bindings, tunnel zones and
// their members, load balancers, VIPs; 201 + Location, 204, 404, 409 and 400 with `violations`.
// `/midonet-api/events` is a WebSocket (QWebSocketServer takes over the upgraded socket) that
// sends {type, id, op, object, version} per change and replays from `?since=`.
//
// It is not the product: no ZooKeeper, no tenant isolation, one thread. The real cluster now
// serves what the Manager needs: tst_cluster.cpp runs the core paths (login, live events, drop,
// link, undo/redo, field errors, restart) against midonet-cluster itself; the stand-in stays for
// the demo topology (hosts, bindings, tunnel zones need agents on a real cluster) and for
// controlling failures (auth, restart with an empty store) cheaply.
//
// Thread-safety: one QObject in the test's thread.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QWebSocketServer>

class QTcpSocket;
class QWebSocket;

namespace midonet::manager::test {

class FakeCluster : public QObject
{
    Q_OBJECT
public:
    explicit FakeCluster(QObject *parent = nullptr);
    ~FakeCluster() override;

    // Listens on 127.0.0.1:`port` (0 = any free port).
    bool start(quint16 port = 0);
    // Closes the listener and every connection, like a crashed process. `wipe` empties the store
    // and restarts versions from 0, like a restarted memory-backed cluster.
    void stop(bool wipe);
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    // Basic credentials required at login; without them any login works (auth "none").
    void requireAuth(const QString &user, const QString &password);

    // Direct changes, as another client (the CLI) would make them: they emit events.
    QJsonObject create(const QString &type, QJsonObject obj);
    void update(const QString &type, const QJsonObject &obj);
    void remove(const QString &type, const QString &id);
    QJsonObject createPort(const QString &deviceId, QJsonObject port);
    void link(const QString &portA, const QString &portB);
    void bind(const QString &portId, const QString &hostId, const QString &iface);
    void addMember(const QString &zoneId, const QString &hostId, const QString &ip);
    // A small demo topology (two tenants, routers, bridges, ports, VMs, hosts, a tunnel zone,
    // a chain with rules, a load balancer).
    void loadDemo();
    // `devices` bridges and routers with ports and links, for benchmarks.
    void loadGenerated(int devices, int links);

    QJsonObject object(const QString &type, const QString &id) const;
    QList<QJsonObject> objects(const QString &type) const;
    QJsonObject findByName(const QString &type, const QString &name) const;
    int requests() const { return m_requests; }
    qint64 version() const { return m_version; }
    int eventClients() const;

private:
    struct Request
    {
        QByteArray method, path, query;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
    };
    struct Response
    {
        int status = 200;
        QJsonValue body;
        QByteArray location;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    void onNewConnection();
    void onReadyRead(QTcpSocket *s);
    Response handle(const Request &r);
    Response handleApi(const Request &r, const QStringList &parts);
    void send(QTcpSocket *s, const Response &resp);
    void publish(const QString &type, const QString &op, const QJsonObject &obj);
    QJsonObject decorate(const QString &type, QJsonObject o) const;
    QString newId() const;
    void removePort(const QString &id);
    static Response error(int status, const QString &message, const QJsonArray &violations = {});

    QTcpServer m_server;
    QWebSocketServer m_ws;
    QList<QPointer<QTcpSocket>> m_conns;
    QList<QPointer<QWebSocket>> m_clients;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, QMap<QString, QJsonObject>> m_store;
    QHash<QString, QStringList> m_ruleOrder; // chain → rule ids in order
    QList<QJsonObject> m_log;                // events, for ?since=
    qint64 m_version = 0;
    quint16 m_port = 0;
    QString m_user, m_password;
    QString m_base;
    int m_requests = 0;
    qint64 m_tunnelKey = 1;
};

} // namespace midonet::manager::test
