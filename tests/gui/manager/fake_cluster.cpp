#include "fake_cluster.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>

namespace midonet::manager::test {

namespace {

const QStringList kTop = {QStringLiteral("bridges"), QStringLiteral("routers"), QStringLiteral("ports"),
                          QStringLiteral("hosts"), QStringLiteral("tunnel_zones"), QStringLiteral("load_balancers"),
                          QStringLiteral("pools"), QStringLiteral("vips"), QStringLiteral("chains"),
                          QStringLiteral("rules"), QStringLiteral("routes"), QStringLiteral("bgp_peers"),
                          QStringLiteral("bgp_networks")};
// Collections that live under a parent (listed and created there only).
bool underParent(const QString &t)
{
    return t == QLatin1String("rules") || t == QLatin1String("routes") || t == QLatin1String("bgp_peers") ||
           t == QLatin1String("bgp_networks");
}

bool validIPv4(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    const auto m = re.match(s);
    if (!m.hasMatch()) return false;
    for (int i = 1; i <= 4; ++i)
        if (m.captured(i).toInt() > 255) return false;
    return true;
}

QString str(const QJsonObject &o, const char *k)
{
    return o.value(QLatin1String(k)).toString();
}

QString rootKey(const QString &path)
{
    QString key;
    bool up = false;
    for (QChar c : path) {
        if (c == QLatin1Char('_')) { up = true; continue; }
        key += up ? c.toUpper() : c;
        up = false;
    }
    return key;
}

} // namespace

FakeCluster::FakeCluster(QObject *parent)
    : QObject(parent), m_ws(QStringLiteral("fake-cluster"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeCluster::onNewConnection);
    connect(&m_ws, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *c = m_ws.nextPendingConnection()) {
            c->setParent(this);
            m_clients << c;
            connect(c, &QWebSocket::disconnected, c, &QObject::deleteLater);
            const qint64 since = QUrlQuery(c->requestUrl()).queryItemValue(QStringLiteral("since")).toLongLong();
            // Greeting with the current version, then whatever the client missed.
            c->sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("version"), m_version}}).toJson(QJsonDocument::Compact)));
            for (const auto &e : std::as_const(m_log))
                if (e.value(QLatin1String("version")).toInteger() > since)
                    c->sendTextMessage(QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)));
        }
    });
}

FakeCluster::~FakeCluster()
{
    stop(false);
}

bool FakeCluster::start(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port)) return false;
    m_port = m_server.serverPort();
    m_base = QStringLiteral("http://127.0.0.1:%1/midonet-api").arg(m_port);
    return true;
}

void FakeCluster::stop(bool wipe)
{
    m_server.close();
    for (auto &c : m_clients)
        if (c) c->abort();
    m_clients.clear();
    for (auto &s : m_conns)
        if (s) s->abort();
    m_conns.clear();
    m_buffers.clear();
    if (wipe) {
        m_store.clear();
        m_ruleOrder.clear();
        m_log.clear();
        m_version = 0;
    }
}

void FakeCluster::requireAuth(const QString &user, const QString &password)
{
    m_user = user;
    m_password = password;
}

int FakeCluster::eventClients() const
{
    int n = 0;
    for (const auto &c : m_clients)
        if (c && c->state() == QAbstractSocket::ConnectedState) ++n;
    return n;
}

QString FakeCluster::newId() const
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

void FakeCluster::onNewConnection()
{
    while (QTcpSocket *s = m_server.nextPendingConnection()) {
        m_conns << s;
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            m_buffers.remove(s);
            s->deleteLater();
        });
    }
}

void FakeCluster::onReadyRead(QTcpSocket *s)
{
    if (!m_buffers.contains(s)) {
        // A WebSocket upgrade goes to QWebSocketServer untouched (peek, do not read).
        const QByteArray head = s->peek(4096).toLower();
        if (head.contains("upgrade: websocket") && head.contains("/midonet-api/events")) {
            if (!m_user.isEmpty() && !head.contains("x-auth-token: " + QByteArray("tok-") + m_user.toLower().toUtf8())) {
                s->write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
                s->disconnectFromHost();
                return;
            }
            disconnect(s, nullptr, this, nullptr);
            m_conns.removeAll(s);
            m_ws.handleConnection(s);
            return;
        }
    }
    QByteArray &buf = m_buffers[s];
    buf += s->readAll();
    for (;;) {
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        Request r;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        const QByteArray target = first.value(1);
        const qsizetype q = target.indexOf('?');
        r.path = q < 0 ? target : target.left(q);
        r.query = q < 0 ? QByteArray() : target.mid(q + 1);
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray l = lines[i].trimmed();
            const qsizetype c = l.indexOf(':');
            if (c > 0) r.headers.insert(l.left(c).trimmed().toLower(), l.mid(c + 1).trimmed());
        }
        const int len = r.headers.value("content-length").toInt();
        if (buf.size() < end + 4 + len) return;
        r.body = buf.mid(end + 4, len);
        buf.remove(0, end + 4 + len);
        ++m_requests;
        send(s, handle(r));
    }
}

void FakeCluster::send(QTcpSocket *s, const Response &resp)
{
    static const QHash<int, QByteArray> reasons = {{200, "OK"}, {201, "Created"}, {204, "No Content"},
                                                   {400, "Bad Request"}, {401, "Unauthorized"}, {404, "Not Found"},
                                                   {405, "Method Not Allowed"}, {409, "Conflict"}};
    QByteArray body;
    if (!resp.body.isUndefined())
        body = resp.body.isArray() ? QJsonDocument(resp.body.toArray()).toJson(QJsonDocument::Compact)
                                   : QJsonDocument(resp.body.toObject()).toJson(QJsonDocument::Compact);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(resp.status) + ' ' + reasons.value(resp.status, "Status") + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (!body.isEmpty())
        out += resp.status >= 400 ? "Content-Type: application/vnd.org.midonet.Error-v1+json\r\n"
                                  : "Content-Type: application/json\r\n";
    if (!resp.location.isEmpty()) out += "Location: " + resp.location + "\r\n";
    for (const auto &h : resp.headers) out += h.first + ": " + h.second + "\r\n";
    out += "Access-Control-Allow-Origin: *\r\n\r\n";
    s->write(out + body);
}

FakeCluster::Response FakeCluster::error(int status, const QString &message, const QJsonArray &violations)
{
    Response r;
    r.status = status;
    QJsonObject b{{QStringLiteral("message"), message}, {QStringLiteral("code"), status}};
    if (!violations.isEmpty()) b.insert(QStringLiteral("violations"), violations);
    r.body = b;
    return r;
}

QJsonObject FakeCluster::decorate(const QString &type, QJsonObject o) const
{
    const QString id = str(o, "id");
    if (type == QLatin1String("tunnel_zone_hosts"))
        o.insert(QStringLiteral("uri"), m_base + QStringLiteral("/tunnel_zones/") + str(o, "tunnelZoneId") + QStringLiteral("/hosts/") + str(o, "hostId"));
    else
        o.insert(QStringLiteral("uri"), m_base + QLatin1Char('/') + type + QLatin1Char('/') + id);
    return o;
}

void FakeCluster::publish(const QString &type, const QString &op, const QJsonObject &obj)
{
    ++m_version;
    QJsonObject e{{QStringLiteral("type"), type}, {QStringLiteral("id"), str(obj, "id")}, {QStringLiteral("op"), op},
                  {QStringLiteral("object"), op == QLatin1String("delete") ? QJsonObject() : decorate(type, obj)},
                  {QStringLiteral("version"), m_version}};
    if (type == QLatin1String("tunnel_zone_hosts")) e.insert(QStringLiteral("object"), decorate(type, obj));
    m_log << e;
    const QString text = QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
    for (const auto &c : std::as_const(m_clients))
        if (c && c->state() == QAbstractSocket::ConnectedState) c->sendTextMessage(text);
}

QJsonObject FakeCluster::create(const QString &type, QJsonObject obj)
{
    if (str(obj, "id").isEmpty()) obj.insert(QStringLiteral("id"), newId());
    if ((type == QLatin1String("bridges") || type == QLatin1String("routers") || type == QLatin1String("load_balancers")) &&
        !obj.contains(QLatin1String("adminStateUp")))
        obj.insert(QStringLiteral("adminStateUp"), true);
    if (type == QLatin1String("hosts") && !obj.contains(QLatin1String("alive"))) obj.insert(QStringLiteral("alive"), false);
    m_store[type].insert(str(obj, "id"), obj);
    publish(type, QStringLiteral("create"), obj);
    return obj;
}

void FakeCluster::update(const QString &type, const QJsonObject &obj)
{
    m_store[type].insert(str(obj, "id"), obj);
    publish(type, QStringLiteral("update"), obj);
}

void FakeCluster::remove(const QString &type, const QString &id)
{
    if (type == QLatin1String("ports")) {
        removePort(id);
        return;
    }
    const QJsonObject o = m_store[type].take(id);
    if (o.isEmpty()) return;
    if (type == QLatin1String("bridges") || type == QLatin1String("routers")) {
        for (const auto &p : m_store.value(QStringLiteral("ports")))
            if (str(p, "deviceId") == id) removePort(str(p, "id"));
        for (const auto &r : m_store.value(QStringLiteral("routes")))
            if (str(r, "routerId") == id) remove(QStringLiteral("routes"), str(r, "id"));
    }
    if (type == QLatin1String("chains")) {
        for (const auto &rid : m_ruleOrder.take(id)) {
            const QJsonObject r = m_store[QStringLiteral("rules")].take(rid);
            publish(QStringLiteral("rules"), QStringLiteral("delete"), r);
        }
    }
    if (type == QLatin1String("rules")) {
        QStringList &order = m_ruleOrder[str(o, "chainId")];
        order.removeAll(id);
        for (int i = 0; i < order.size(); ++i) {
            QJsonObject r = m_store[QStringLiteral("rules")].value(order[i]);
            if (r.value(QLatin1String("position")).toInt() != i + 1) {
                r.insert(QStringLiteral("position"), i + 1);
                update(QStringLiteral("rules"), r);
            }
        }
    }
    publish(type, QStringLiteral("delete"), o);
}

void FakeCluster::removePort(const QString &id)
{
    const QJsonObject p = m_store[QStringLiteral("ports")].take(id);
    if (p.isEmpty()) return;
    const QString peer = str(p, "peerId");
    if (!peer.isEmpty() && m_store[QStringLiteral("ports")].contains(peer)) {
        QJsonObject q = m_store[QStringLiteral("ports")].value(peer);
        q.insert(QStringLiteral("peerId"), QJsonValue());
        update(QStringLiteral("ports"), q);
    }
    for (const auto &r : m_store.value(QStringLiteral("routes")))
        if (str(r, "nextHopPort") == id) remove(QStringLiteral("routes"), str(r, "id"));
    publish(QStringLiteral("ports"), QStringLiteral("delete"), p);
}

QJsonObject FakeCluster::createPort(const QString &deviceId, QJsonObject port)
{
    if (str(port, "id").isEmpty()) port.insert(QStringLiteral("id"), newId());
    port.insert(QStringLiteral("deviceId"), deviceId);
    port.insert(QStringLiteral("tunnelKey"), m_tunnelKey++);
    if (!port.contains(QLatin1String("adminStateUp"))) port.insert(QStringLiteral("adminStateUp"), true);
    if (!port.contains(QLatin1String("active"))) port.insert(QStringLiteral("active"), false);
    for (const char *k : {"peerId", "hostId", "interfaceName"})
        if (!port.contains(QLatin1String(k))) port.insert(QLatin1String(k), QJsonValue());
    const bool router = m_store.value(QStringLiteral("routers")).contains(deviceId);
    port.insert(QStringLiteral("type"), router ? QStringLiteral("Router") : QStringLiteral("Bridge"));
    if (router) {
        if (port.value(QLatin1String("portSubnet")).toArray().isEmpty() && !str(port, "portAddress").isEmpty())
            port.insert(QStringLiteral("portSubnet"), QJsonArray{str(port, "portAddress") + QLatin1Char('/') +
                                                                 QString::number(port.value(QLatin1String("networkLength")).toInt())});
        if (str(port, "portMac").isEmpty())
            port.insert(QStringLiteral("portMac"), QStringLiteral("ac:ca:ba:%1:%2:%3")
                                                       .arg(m_tunnelKey % 256, 2, 16, QLatin1Char('0'))
                                                       .arg((m_tunnelKey / 256) % 256, 2, 16, QLatin1Char('0'))
                                                       .arg(7, 2, 16, QLatin1Char('0')));
    }
    m_store[QStringLiteral("ports")].insert(str(port, "id"), port);
    publish(QStringLiteral("ports"), QStringLiteral("create"), port);
    return port;
}

void FakeCluster::link(const QString &a, const QString &b)
{
    QJsonObject pa = m_store[QStringLiteral("ports")].value(a), pb = m_store[QStringLiteral("ports")].value(b);
    pa.insert(QStringLiteral("peerId"), b);
    pb.insert(QStringLiteral("peerId"), a);
    update(QStringLiteral("ports"), pa);
    update(QStringLiteral("ports"), pb);
}

void FakeCluster::bind(const QString &portId, const QString &hostId, const QString &iface)
{
    QJsonObject p = m_store[QStringLiteral("ports")].value(portId);
    p.insert(QStringLiteral("hostId"), hostId);
    p.insert(QStringLiteral("interfaceName"), iface);
    const QJsonObject h = m_store.value(QStringLiteral("hosts")).value(hostId);
    p.insert(QStringLiteral("active"), h.value(QLatin1String("alive")).toBool());
    update(QStringLiteral("ports"), p);
}

void FakeCluster::addMember(const QString &zoneId, const QString &hostId, const QString &ip)
{
    const QJsonObject m{{QStringLiteral("id"), zoneId + QLatin1Char('/') + hostId}, {QStringLiteral("tunnelZoneId"), zoneId},
                        {QStringLiteral("hostId"), hostId}, {QStringLiteral("ipAddress"), ip}};
    m_store[QStringLiteral("tunnel_zone_hosts")].insert(str(m, "id"), m);
    publish(QStringLiteral("tunnel_zone_hosts"), QStringLiteral("create"), m);
}

QJsonObject FakeCluster::object(const QString &type, const QString &id) const
{
    return m_store.value(type).value(id);
}

QList<QJsonObject> FakeCluster::objects(const QString &type) const
{
    return m_store.value(type).values();
}

QJsonObject FakeCluster::findByName(const QString &type, const QString &name) const
{
    for (const auto &o : m_store.value(type))
        if (str(o, "name") == name) return o;
    return {};
}

FakeCluster::Response FakeCluster::handle(const Request &r)
{
    QString path = QString::fromUtf8(r.path);
    if (!path.startsWith(QLatin1String("/midonet-api"))) return error(404, QStringLiteral("Root resource not found"));
    path = path.mid(12);
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.value(0) == QLatin1String("login")) {
        QString user = QStringLiteral("admin");
        if (!m_user.isEmpty()) {
            const QByteArray auth = r.headers.value("authorization");
            if (!auth.toLower().startsWith("basic ")) return error(401, QStringLiteral("Authorization header is not set."));
            const QString cred = QString::fromUtf8(QByteArray::fromBase64(auth.mid(6)));
            if (cred != m_user + QLatin1Char(':') + m_password) return error(401, QStringLiteral("Authentication error"));
            user = m_user;
        }
        Response resp;
        const QByteArray token = "tok-" + user.toLower().toUtf8();
        resp.headers << qMakePair(QByteArray("Set-Cookie"), "sessionId=" + token + "; Expires=Fri, 13-12-2030 04:24:22 UTC");
        resp.body = QJsonObject{{QStringLiteral("key"), QString::fromUtf8(token)}, {QStringLiteral("expires"), QJsonValue()}};
        return resp;
    }
    if (!m_user.isEmpty() && r.headers.value("x-auth-token") != "tok-" + m_user.toLower().toUtf8())
        return error(401, QStringLiteral("Authentication error"));
    if (parts.isEmpty()) {
        QJsonObject root{{QStringLiteral("uri"), m_base + QLatin1Char('/')}, {QStringLiteral("version"), QStringLiteral("v5.0")}};
        for (const auto &t : kTop) {
            if (!underParent(t)) root.insert(rootKey(t), m_base + QLatin1Char('/') + t);
            root.insert(rootKey(t).chopped(1) + QStringLiteral("Template"), m_base + QLatin1Char('/') + t + QStringLiteral("/{id}"));
        }
        root.insert(QStringLiteral("systemState"), m_base + QStringLiteral("/system_state"));
        Response resp;
        resp.body = root;
        return resp;
    }
    return handleApi(r, parts);
}

FakeCluster::Response FakeCluster::handleApi(const Request &r, const QStringList &parts)
{
    const QString type = parts.value(0);
    const QString id = parts.value(1);
    const QString sub = parts.value(2);
    const QByteArray m = r.method;
    const QJsonObject body = QJsonDocument::fromJson(r.body).object();
    auto ok = [](const QJsonValue &v) { Response resp; resp.body = v; return resp; };
    auto created = [this](const QString &t, const QString &newId) {
        Response resp;
        resp.status = 201;
        resp.location = (m_base + QLatin1Char('/') + t + QLatin1Char('/') + newId).toUtf8();
        return resp;
    };
    auto noContent = [] { Response resp; resp.status = 204; return resp; };
    if (type == QLatin1String("system_state"))
        return ok(QJsonObject{{QStringLiteral("state"), QStringLiteral("ACTIVE")}, {QStringLiteral("availability"), QStringLiteral("READWRITE")},
                              {QStringLiteral("version"), QStringLiteral("5.0.0")}, {QStringLiteral("information"), QJsonValue()}});
    if (!kTop.contains(type)) return error(404, QStringLiteral("Root resource %1 not found").arg(type));
    auto &store = m_store[type];
    auto list = [this](const QString &t, const std::function<bool(const QJsonObject &)> &keep = {}) {
        QJsonArray a;
        for (const auto &o : m_store.value(t))
            if (!keep || keep(o)) a.append(decorate(t, o));
        return a;
    };
    // ---- collections
    if (id.isEmpty()) {
        if (m == "GET") {
            if (underParent(type)) return error(405, {});
            const QString tenant = QUrlQuery(QString::fromUtf8(r.query)).queryItemValue(QStringLiteral("tenant_id"));
            return ok(list(type, [tenant](const QJsonObject &o) { return tenant.isEmpty() || str(o, "tenantId") == tenant; }));
        }
        if (m == "POST") {
            if (type == QLatin1String("ports") || underParent(type)) return error(405, {});
            QJsonArray v;
            if (str(body, "name").size() > 255) v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("name")}, {QStringLiteral("message"), QStringLiteral("size must be between 0 and 255")}});
            if (type == QLatin1String("tunnel_zones")) {
                if (str(body, "name").isEmpty()) v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("name")}, {QStringLiteral("message"), QStringLiteral("may not be null")}});
                if (!QStringList{QStringLiteral("gre"), QStringLiteral("vxlan"), QStringLiteral("vtep")}.contains(str(body, "type")))
                    v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("type")}, {QStringLiteral("message"), QStringLiteral("must be gre, vxlan or vtep")}});
            }
            if (!v.isEmpty()) return error(400, QStringLiteral("Validation error(s) found"), v);
            if (!str(body, "id").isEmpty() && store.contains(str(body, "id"))) return error(409, QStringLiteral("duplicate id"));
            const QJsonObject o = create(type, body);
            return created(type, str(o, "id"));
        }
        return error(405, {});
    }
    // ---- sub-resources
    if (!sub.isEmpty()) {
        if (!store.contains(id)) return error(404, QStringLiteral("%1 %2 not found").arg(type, id));
        if (sub == QLatin1String("ports") && (type == QLatin1String("bridges") || type == QLatin1String("routers"))) {
            if (m == "GET") return ok(list(QStringLiteral("ports"), [id](const QJsonObject &o) { return str(o, "deviceId") == id; }));
            if (m != "POST") return error(405, {});
            if (type == QLatin1String("routers")) {
                QString addr = str(body, "portAddress");
                if (addr.isEmpty()) addr = body.value(QLatin1String("portSubnet")).toArray().first().toString().section(QLatin1Char('/'), 0, 0);
                if (!validIPv4(addr))
                    return error(400, QStringLiteral("Validation error(s) found"),
                                 {QJsonObject{{QStringLiteral("property"), QStringLiteral("portAddress")}, {QStringLiteral("message"), QStringLiteral("is an invalid IP format")}}});
            }
            if (!str(body, "id").isEmpty() && m_store.value(QStringLiteral("ports")).contains(str(body, "id"))) return error(409, QStringLiteral("duplicate id"));
            const QJsonObject p = createPort(id, body);
            return created(QStringLiteral("ports"), str(p, "id"));
        }
        if (sub == QLatin1String("link") && type == QLatin1String("ports")) {
            if (m == "POST") {
                const QString peer = str(body, "peerId");
                if (!store.contains(peer)) return error(404, QStringLiteral("peer port not found"));
                if (!str(store.value(id), "peerId").isEmpty() || !str(store.value(peer), "peerId").isEmpty())
                    return error(409, QStringLiteral("Port already linked"));
                link(id, peer);
                return created(QStringLiteral("ports"), id + QStringLiteral("/link"));
            }
            if (m == "DELETE") {
                const QString peer = str(store.value(id), "peerId");
                QJsonObject a = store.value(id);
                a.insert(QStringLiteral("peerId"), QJsonValue());
                update(QStringLiteral("ports"), a);
                if (store.contains(peer)) {
                    QJsonObject b = store.value(peer);
                    b.insert(QStringLiteral("peerId"), QJsonValue());
                    update(QStringLiteral("ports"), b);
                }
                return noContent();
            }
            return error(405, {});
        }
        if ((sub == QLatin1String("bgp_peers") || sub == QLatin1String("bgp_networks")) && type == QLatin1String("routers")) {
            if (m == "GET") return ok(list(sub, [id](const QJsonObject &o) { return str(o, "routerId") == id; }));
            if (m != "POST") return error(405, {});
            const char *addr = sub == QLatin1String("bgp_peers") ? "address" : "subnetAddress";
            if (!validIPv4(str(body, addr)))
                return error(400, QStringLiteral("Validation error(s) found"),
                             QJsonArray{QJsonObject{{QStringLiteral("property"), QLatin1String(addr)}, {QStringLiteral("message"), QStringLiteral("is an invalid IP format")}}});
            QJsonObject o = body;
            o.insert(QStringLiteral("routerId"), id);
            return created(sub, str(create(sub, o), "id"));
        }
        if (sub == QLatin1String("routes") && type == QLatin1String("routers")) {
            if (m == "GET") return ok(list(QStringLiteral("routes"), [id](const QJsonObject &o) { return str(o, "routerId") == id; }));
            QJsonArray v;
            if (!validIPv4(str(body, "dstNetworkAddr")))
                v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("dstNetworkAddr")}, {QStringLiteral("message"), QStringLiteral("is an invalid IP format")}});
            if (!v.isEmpty()) return error(400, QStringLiteral("Validation error(s) found"), v);
            QJsonObject route = body;
            route.insert(QStringLiteral("routerId"), id);
            const QJsonObject o = create(QStringLiteral("routes"), route);
            return created(QStringLiteral("routes"), str(o, "id"));
        }
        if (sub == QLatin1String("rules") && type == QLatin1String("chains")) {
            QStringList &order = m_ruleOrder[id];
            if (m == "GET") {
                QJsonArray a;
                for (const auto &rid : order) a.append(decorate(QStringLiteral("rules"), m_store.value(QStringLiteral("rules")).value(rid)));
                return ok(a);
            }
            int pos = body.value(QLatin1String("position")).toInt();
            if (pos <= 0) pos = 1;
            if (pos > order.size() + 1) return error(400, QStringLiteral("Position exceeds number of rules in chain"),
                                                     {QJsonObject{{QStringLiteral("property"), QStringLiteral("position")}, {QStringLiteral("message"), QStringLiteral("Position exceeds number of rules in chain")}}});
            QJsonObject rule = body;
            if (str(rule, "id").isEmpty()) rule.insert(QStringLiteral("id"), newId());
            if (m_store.value(QStringLiteral("rules")).contains(str(rule, "id"))) return error(409, QStringLiteral("duplicate id"));
            rule.insert(QStringLiteral("chainId"), id);
            order.insert(pos - 1, str(rule, "id"));
            rule.insert(QStringLiteral("position"), pos);
            create(QStringLiteral("rules"), rule);
            for (int i = 0; i < order.size(); ++i) {
                QJsonObject o = m_store[QStringLiteral("rules")].value(order[i]);
                if (o.value(QLatin1String("position")).toInt() != i + 1) {
                    o.insert(QStringLiteral("position"), i + 1);
                    update(QStringLiteral("rules"), o);
                }
            }
            return created(QStringLiteral("rules"), str(rule, "id"));
        }
        if (sub == QLatin1String("hosts") && type == QLatin1String("tunnel_zones")) {
            if (m == "GET") {
                QJsonArray a;
                for (const auto &o : m_store.value(QStringLiteral("tunnel_zone_hosts")))
                    if (str(o, "tunnelZoneId") == id) a.append(decorate(QStringLiteral("tunnel_zone_hosts"), o));
                return ok(a);
            }
            if (m == "POST") {
                addMember(id, str(body, "hostId"), str(body, "ipAddress"));
                Response resp;
                resp.status = 201;
                return resp;
            }
            if (m == "DELETE") {
                const QJsonObject o = m_store[QStringLiteral("tunnel_zone_hosts")].take(id + QLatin1Char('/') + parts.value(3));
                if (o.isEmpty()) return error(404, {});
                publish(QStringLiteral("tunnel_zone_hosts"), QStringLiteral("delete"), o);
                return noContent();
            }
        }
        if (sub == QLatin1String("ports") && type == QLatin1String("hosts")) {
            if (m == "POST") {
                const QString port = str(body, "portId");
                if (!m_store.value(QStringLiteral("ports")).contains(port)) return error(404, QStringLiteral("port not found"));
                if (!str(m_store.value(QStringLiteral("ports")).value(port), "interfaceName").isEmpty()) return error(409, QStringLiteral("port already bound"));
                bind(port, id, str(body, "interfaceName"));
                return created(QStringLiteral("hosts"), id + QStringLiteral("/ports/") + port);
            }
            if (m == "DELETE") {
                QJsonObject p = m_store[QStringLiteral("ports")].value(parts.value(3));
                if (p.isEmpty()) return error(404, {});
                p.insert(QStringLiteral("hostId"), QJsonValue());
                p.insert(QStringLiteral("interfaceName"), QJsonValue());
                update(QStringLiteral("ports"), p);
                return noContent();
            }
            return ok(list(QStringLiteral("ports"), [id](const QJsonObject &o) { return str(o, "hostId") == id; }));
        }
        return error(404, QStringLiteral("no such sub-resource"));
    }
    // ---- items
    if (!store.contains(id)) return error(404, QStringLiteral("%1 %2 not found").arg(type, id));
    if (m == "GET") return ok(decorate(type, store.value(id)));
    if (m == "DELETE") {
        remove(type, id);
        return noContent();
    }
    if (m == "PUT") {
        if (type == QLatin1String("rules") || type == QLatin1String("routes") || type == QLatin1String("chains")) return error(405, {});
        QJsonObject next = store.value(id);
        // Server-owned fields stay; everything else comes from the body.
        static const QStringList kept = {QStringLiteral("id"), QStringLiteral("deviceId"), QStringLiteral("tunnelKey"),
                                          QStringLiteral("peerId"), QStringLiteral("hostId"), QStringLiteral("interfaceName"),
                                          QStringLiteral("type"), QStringLiteral("active"), QStringLiteral("alive"),
                                          QStringLiteral("addresses"), QStringLiteral("hostInterfaces")};
        for (auto it = body.begin(); it != body.end(); ++it)
            if (!kept.contains(it.key()) && it.key() != QLatin1String("uri")) next.insert(it.key(), it.value());
        QJsonArray v;
        if (str(next, "name").size() > 255) v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("name")}, {QStringLiteral("message"), QStringLiteral("size must be between 0 and 255")}});
        if (type == QLatin1String("ports") && str(next, "type") == QLatin1String("Router")) {
            if (!validIPv4(str(next, "portAddress")))
                v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("portAddress")}, {QStringLiteral("message"), QStringLiteral("is an invalid IP format")}});
            const int len = next.value(QLatin1String("networkLength")).toInt();
            if (len < 0 || len > 32)
                v.append(QJsonObject{{QStringLiteral("property"), QStringLiteral("networkLength")}, {QStringLiteral("message"), QStringLiteral("must be between 0 and 32")}});
        }
        if (!v.isEmpty()) return error(400, QStringLiteral("Validation error(s) found"), v);
        if (type == QLatin1String("routers") && str(next, "loadBalancerId") != str(store.value(id), "loadBalancerId")) {
            // The load balancer's routerId mirrors the router that points at it.
            for (const QString &lbId : {str(store.value(id), "loadBalancerId"), str(next, "loadBalancerId")}) {
                if (lbId.isEmpty() || !m_store.value(QStringLiteral("load_balancers")).contains(lbId)) continue;
                QJsonObject lb = m_store[QStringLiteral("load_balancers")].value(lbId);
                lb.insert(QStringLiteral("routerId"), lbId == str(next, "loadBalancerId") ? QJsonValue(id) : QJsonValue());
                update(QStringLiteral("load_balancers"), lb);
            }
        }
        update(type, next);
        return noContent();
    }
    return error(405, {});
}

void FakeCluster::loadDemo()
{
    // Hosts with agents (alive) and one whose agent is down.
    auto host = [this](const QString &name, const QString &addr, bool alive, const QString &mac) {
        return create(QStringLiteral("hosts"),
                      QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("alive"), alive},
                                  {QStringLiteral("addresses"), QJsonArray{addr}},
                                  {QStringLiteral("hostInterfaces"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("eth0")}, {QStringLiteral("mac"), mac}, {QStringLiteral("addresses"), QJsonArray{addr}}}}},
                                  {QStringLiteral("floodingProxyWeight"), 1}, {QStringLiteral("containerWeight"), 1},
                                  {QStringLiteral("containerLimit"), -1}, {QStringLiteral("enforceContainerLimit"), false}});
    };
    const QJsonObject h1 = host(QStringLiteral("compute-1"), QStringLiteral("192.168.10.11"), true, QStringLiteral("52:54:00:12:34:01"));
    const QJsonObject h2 = host(QStringLiteral("compute-2"), QStringLiteral("192.168.10.12"), true, QStringLiteral("52:54:00:12:34:02"));
    const QJsonObject h3 = host(QStringLiteral("compute-3"), QStringLiteral("192.168.10.13"), false, QStringLiteral("52:54:00:12:34:03"));
    const QJsonObject gw = host(QStringLiteral("gateway-1"), QStringLiteral("192.168.10.2"), true, QStringLiteral("52:54:00:12:34:10"));
    const QJsonObject tz = create(QStringLiteral("tunnel_zones"), QJsonObject{{QStringLiteral("name"), QStringLiteral("tz-vxlan")}, {QStringLiteral("type"), QStringLiteral("vxlan")}});
    int n = 11;
    for (const auto &h : {h1, h2, h3}) addMember(str(tz, "id"), str(h, "id"), QStringLiteral("10.99.0.%1").arg(n++));
    addMember(str(tz, "id"), str(gw, "id"), QStringLiteral("10.99.0.2"));

    const QJsonObject provider = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("provider-router")}, {QStringLiteral("tenantId"), QStringLiteral("admin")}, {QStringLiteral("asNumber"), 64512}});
    const QJsonObject uplink = createPort(str(provider, "id"), QJsonObject{{QStringLiteral("portAddress"), QStringLiteral("203.0.113.2")}, {QStringLiteral("networkLength"), 24}});
    bind(str(uplink, "id"), str(gw, "id"), QStringLiteral("eth1"));
    // BGP on the provider router: one session the gateway's agent reports on, one no agent runs
    // (no status fields, as the cluster answers then).
    create(QStringLiteral("bgp_peers"), QJsonObject{{QStringLiteral("routerId"), str(provider, "id")}, {QStringLiteral("address"), QStringLiteral("203.0.113.1")},
                                                    {QStringLiteral("asNumber"), 64496}, {QStringLiteral("sessionState"), QStringLiteral("Established")},
                                                    {QStringLiteral("prefixesReceived"), 812}, {QStringLiteral("prefixesAdvertised"), 3},
                                                    {QStringLiteral("uptimeSeconds"), 266590}, {QStringLiteral("hostId"), str(gw, "id")}});
    create(QStringLiteral("bgp_peers"), QJsonObject{{QStringLiteral("routerId"), str(provider, "id")}, {QStringLiteral("address"), QStringLiteral("198.51.100.7")},
                                                    {QStringLiteral("asNumber"), 4200000001LL}});
    for (const char *net : {"10.1.0.0", "10.2.0.0"})
        create(QStringLiteral("bgp_networks"), QJsonObject{{QStringLiteral("routerId"), str(provider, "id")}, {QStringLiteral("subnetAddress"), QLatin1String(net)},
                                                           {QStringLiteral("subnetLength"), 16}});
    struct Tenant { const char *name, *router, *bridge, *net; };
    const Tenant tenants[] = {{"acme", "acme-router", "acme-web", "10.1.0"}, {"globex", "globex-router", "globex-db", "10.2.0"}};
    int tenantIndex = 0;
    for (const auto &t : tenants) {
        const QString tenant = QLatin1String(t.name);
        const QJsonObject rt = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QLatin1String(t.router)}, {QStringLiteral("tenantId"), tenant}});
        const QJsonObject br = create(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("name"), QLatin1String(t.bridge)}, {QStringLiteral("tenantId"), tenant}});
        const QString net = QLatin1String(t.net);
        // Tenant router ↔ provider router over a /30.
        const QJsonObject up = createPort(str(rt, "id"), QJsonObject{{QStringLiteral("portAddress"), QStringLiteral("169.254.%1.2").arg(tenantIndex)}, {QStringLiteral("networkLength"), 30}});
        const QJsonObject down = createPort(str(provider, "id"), QJsonObject{{QStringLiteral("portAddress"), QStringLiteral("169.254.%1.1").arg(tenantIndex)}, {QStringLiteral("networkLength"), 30}});
        link(str(up, "id"), str(down, "id"));
        // Router ↔ bridge.
        const QJsonObject rp = createPort(str(rt, "id"), QJsonObject{{QStringLiteral("portAddress"), net + QStringLiteral(".1")}, {QStringLiteral("networkLength"), 24}});
        const QJsonObject bp = createPort(str(br, "id"), QJsonObject{});
        link(str(rp, "id"), str(bp, "id"));
        create(QStringLiteral("routes"), QJsonObject{{QStringLiteral("routerId"), str(rt, "id")}, {QStringLiteral("type"), QStringLiteral("Normal")},
                                                     {QStringLiteral("srcNetworkAddr"), QStringLiteral("0.0.0.0")}, {QStringLiteral("srcNetworkLength"), 0},
                                                     {QStringLiteral("dstNetworkAddr"), QStringLiteral("0.0.0.0")}, {QStringLiteral("dstNetworkLength"), 0},
                                                     {QStringLiteral("nextHopPort"), str(up, "id")}, {QStringLiteral("nextHopGateway"), QStringLiteral("169.254.%1.1").arg(tenantIndex)},
                                                     {QStringLiteral("weight"), 100}});
        // VMs on the bridge, bound on hosts.
        const QJsonObject hosts[] = {h1, h2, h3};
        for (int vm = 0; vm < 3; ++vm) {
            const QJsonObject vp = createPort(str(br, "id"), QJsonObject{});
            bind(str(vp, "id"), str(hosts[(vm + tenantIndex) % 3], "id"), QStringLiteral("tap-%1-vm%2").arg(tenant).arg(vm + 1));
        }
        ++tenantIndex;
    }
    const QJsonObject lb = create(QStringLiteral("load_balancers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("acme-lb")}});
    const QJsonObject pool = create(QStringLiteral("pools"), QJsonObject{{QStringLiteral("loadBalancerId"), str(lb, "id")}, {QStringLiteral("lbMethod"), QStringLiteral("ROUND_ROBIN")}});
    create(QStringLiteral("vips"), QJsonObject{{QStringLiteral("loadBalancerId"), str(lb, "id")}, {QStringLiteral("poolId"), str(pool, "id")},
                                               {QStringLiteral("address"), QStringLiteral("10.1.0.100")}, {QStringLiteral("protocolPort"), 80}});
    QJsonObject acmeRouter = findByName(QStringLiteral("routers"), QStringLiteral("acme-router"));
    acmeRouter.insert(QStringLiteral("loadBalancerId"), str(lb, "id"));
    update(QStringLiteral("routers"), acmeRouter);
    QJsonObject lbo = object(QStringLiteral("load_balancers"), str(lb, "id"));
    lbo.insert(QStringLiteral("routerId"), str(acmeRouter, "id"));
    update(QStringLiteral("load_balancers"), lbo);
    const QJsonObject chain = create(QStringLiteral("chains"), QJsonObject{{QStringLiteral("name"), QStringLiteral("acme-web-in")}, {QStringLiteral("tenantId"), QStringLiteral("acme")}});
    int pos = 0;
    for (const auto &rule : {QJsonObject{{QStringLiteral("type"), QStringLiteral("accept")}, {QStringLiteral("nwProto"), 6}, {QStringLiteral("tpDst"), QJsonObject{{QStringLiteral("start"), 80}, {QStringLiteral("end"), 80}}}},
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("accept")}, {QStringLiteral("nwSrcAddress"), QStringLiteral("10.1.0.0")}, {QStringLiteral("nwSrcLength"), 24}},
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("drop")}}}) {
        QJsonObject r = rule;
        r.insert(QStringLiteral("id"), newId());
        r.insert(QStringLiteral("chainId"), str(chain, "id"));
        r.insert(QStringLiteral("position"), ++pos);
        m_ruleOrder[str(chain, "id")] << str(r, "id");
        create(QStringLiteral("rules"), r);
    }
}

void FakeCluster::loadGenerated(int devices, int links)
{
    QStringList ids;
    for (int i = 0; i < devices; ++i) {
        const bool router = i % 4 == 0;
        const QJsonObject d = create(router ? QStringLiteral("routers") : QStringLiteral("bridges"),
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("%1-%2").arg(router ? QStringLiteral("router") : QStringLiteral("bridge")).arg(i)},
                                                 {QStringLiteral("tenantId"), QStringLiteral("tenant-%1").arg(i % 20)}});
        ids << str(d, "id");
    }
    for (int l = 0; l < links; ++l) {
        // A connected backbone (l < devices - 1) plus random extra links.
        const int a = l < devices - 1 ? l + 1 : int(qHash(l) % uint(devices));
        const int b = l < devices - 1 ? int(qHash(l * 7919) % uint(l + 1)) : int(qHash(l * 31) % uint(devices));
        if (a == b) continue;
        QJsonObject pa, pb;
        if (m_store[QStringLiteral("routers")].contains(ids[a])) pa = QJsonObject{{QStringLiteral("portAddress"), QStringLiteral("10.%1.%2.1").arg(l / 250 % 250).arg(l % 250)}, {QStringLiteral("networkLength"), 24}};
        if (m_store[QStringLiteral("routers")].contains(ids[b])) pb = QJsonObject{{QStringLiteral("portAddress"), QStringLiteral("10.%1.%2.2").arg(l / 250 % 250).arg(l % 250)}, {QStringLiteral("networkLength"), 24}};
        link(str(createPort(ids[a], pa), "id"), str(createPort(ids[b], pb), "id"));
    }
}

} // namespace midonet::manager::test
