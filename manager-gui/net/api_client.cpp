#include "manager-gui/net/api_client.h"

#include <QJsonDocument>
#include <QNetworkCookie>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace midonet::manager {

namespace {

// Collection path → vendor type name and version (§3 of the REST reference).
struct MediaName
{
    const char *path;
    const char *name;
};
constexpr MediaName kMedia[] = {
    {"bridges", "Bridge-v4"},          {"routers", "Router-v3"},
    {"ports", "Port-v3"},              {"hosts", "Host-v3"},
    {"tunnel_zones", "TunnelZone-v1"}, {"routes", "Route-v1"},
    {"chains", "Chain-v1"},            {"rules", "Rule-v2"},
    {"load_balancers", "LoadBalancer-v1"}, {"pools", "Pool-v1"},
    {"vips", "VIP-v1"},                {"pool_members", "PoolMember-v1"},
    {"health_monitors", "HealthMonitor-v1"}, {"port_groups", "PortGroup-v1"},
    {"tenants", "Tenant-v2"},          {"link", "PortLink-v1"},
    {"tunnel_zone_hosts", "TunnelZoneHost-v1"}, {"host_ports", "HostInterfacePort-v1"},
    {"system_state", "SystemState-v2"},
    {"bgp_peers", "BgpPeer-v1"},       {"bgp_networks", "BgpNetwork-v1"},
};

// Root resource keys are camelCase ("tunnelZones"); our callers use the path ("tunnel_zones").
QString rootKeyFor(const QString &path)
{
    if (path == QLatin1String("traces")) return QStringLiteral("traceRequests");
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

ApiClient::ApiClient(QObject *parent) : QObject(parent) {}

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_base = url;
    m_collections.clear();
    m_token.clear();
}

QUrl ApiClient::apiRoot() const
{
    QUrl u = m_base;
    QString p = u.path();
    if (!p.contains(QLatin1String("/midonet-api"))) {
        if (p.endsWith(QLatin1Char('/'))) p.chop(1);
        p += QStringLiteral("/midonet-api");
    }
    if (!p.endsWith(QLatin1Char('/'))) p += QLatin1Char('/');
    u.setPath(p);
    return u;
}

QUrl ApiClient::collectionUrl(const QString &path) const
{
    if (auto it = m_collections.find(path); it != m_collections.end()) return *it;
    return apiRoot().resolved(QUrl(path));
}

QUrl ApiClient::itemUrl(const QString &path, const QString &id) const
{
    QUrl c = collectionUrl(path);
    QString p = c.path();
    if (!p.endsWith(QLatin1Char('/'))) p += QLatin1Char('/');
    c.setPath(p + id);
    return c;
}

QString ApiClient::itemMediaType(const QString &path)
{
    for (const auto &m : kMedia)
        if (path == QLatin1String(m.path))
            return QStringLiteral("application/vnd.org.midonet.%1+json").arg(QLatin1String(m.name));
    return QStringLiteral("application/json");
}

QString ApiClient::collectionMediaType(const QString &path)
{
    for (const auto &m : kMedia)
        if (path == QLatin1String(m.path))
            return QStringLiteral("application/vnd.org.midonet.collection.%1+json").arg(QLatin1String(m.name));
    return QStringLiteral("application/json");
}

void ApiClient::login(const QString &user, const QString &password, const QString &tenant,
                      QObject *context, Callback done)
{
    m_user = user;
    m_password = password;
    m_tenant = tenant;
    m_token.clear();
    QNetworkRequest req(apiRoot().resolved(QUrl(QStringLiteral("login"))));
    const QByteArray cred = (user + QLatin1Char(':') + password).toUtf8().toBase64();
    req.setRawHeader("Authorization", "Basic " + cred);
    if (!tenant.isEmpty()) req.setRawHeader("X-Auth-Project", tenant.toUtf8());
    req.setTransferTimeout(10000);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = m_nam.post(req, QByteArrayLiteral("{}"));
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [this, reply, guard, done] {
        reply->deleteLater();
        ApiResult r = parseReply(reply);
        if (r.ok()) {
            // MidoNet's clients read the token from the first cookie, `sessionId=<token>`.
            const QByteArray cookie = reply->rawHeader("Set-Cookie");
            const qsizetype eq = cookie.indexOf('=');
            const qsizetype semi = cookie.indexOf(';');
            if (cookie.startsWith("sessionId=") && eq > 0)
                m_token = QString::fromUtf8(cookie.mid(eq + 1, semi < 0 ? -1 : semi - eq - 1));
            else if (r.body.isObject())
                m_token = r.body[QLatin1String("key")].toString();
        }
        if (!guard) return;
        if (!r.ok()) {
            if (r.message.isEmpty()) r.message = tr("login refused");
            done(r);
            return;
        }
        fetchRoot(guard, done, r);
    });
}

void ApiClient::fetchRoot(QObject *context, Callback done, const ApiResult &loginResult)
{
    get(apiRoot(), QStringLiteral("application/vnd.org.midonet.Application-v5+json"), context,
        [this, done, loginResult](const ApiResult &r) {
            if (r.ok() && r.body.isObject()) {
                const QJsonObject root = r.body.toObject();
                for (auto it = root.begin(); it != root.end(); ++it) {
                    if (!it.value().isString() || it.key().endsWith(QLatin1String("Template"))) continue;
                    m_collections.insert(it.key(), QUrl(it.value().toString()));
                }
                // Index by path too: "tunnelZones" → also "tunnel_zones".
                const QStringList paths = {QStringLiteral("bridges"), QStringLiteral("routers"),
                                           QStringLiteral("ports"), QStringLiteral("hosts"),
                                           QStringLiteral("tunnel_zones"), QStringLiteral("chains"),
                                           QStringLiteral("load_balancers"), QStringLiteral("pools"),
                                           QStringLiteral("vips"), QStringLiteral("tenants"),
                                           QStringLiteral("port_groups")};
                for (const auto &p : paths) {
                    const QString key = rootKeyFor(p);
                    if (m_collections.contains(key)) m_collections.insert(p, m_collections.value(key));
                }
                done(loginResult);
            } else {
                // The root is what every MidoNet client reads first: without it we are not connected.
                ApiResult failed = r;
                if (failed.message.isEmpty()) failed.message = tr("the API root did not answer");
                if (failed.ok()) failed.status = 502;
                done(failed);
            }
        });
}

void ApiClient::get(const QUrl &url, const QString &accept, QObject *context, Callback done)
{
    send(Verb::Get, url, accept, {}, context, std::move(done), false);
}

void ApiClient::post(const QUrl &url, const QString &contentType, const QJsonObject &body,
                     QObject *context, Callback done)
{
    send(Verb::Post, url, contentType, QJsonDocument(body).toJson(QJsonDocument::Compact), context,
         std::move(done), false);
}

void ApiClient::put(const QUrl &url, const QString &contentType, const QJsonObject &body,
                    QObject *context, Callback done)
{
    send(Verb::Put, url, contentType, QJsonDocument(body).toJson(QJsonDocument::Compact), context,
         std::move(done), false);
}

void ApiClient::del(const QUrl &url, QObject *context, Callback done)
{
    send(Verb::Delete, url, {}, {}, context, std::move(done), false);
}

void ApiClient::send(Verb verb, const QUrl &url, const QString &mediaType, const QByteArray &body,
                     QObject *context, Callback done, bool retried)
{
    QNetworkRequest req(url);
    req.setTransferTimeout(15000);
    if (!m_token.isEmpty()) req.setRawHeader("X-Auth-Token", m_token.toUtf8());
    if (!mediaType.isEmpty()) {
        if (verb == Verb::Get) req.setRawHeader("Accept", mediaType.toUtf8());
        else req.setHeader(QNetworkRequest::ContentTypeHeader, mediaType);
    }
    if (verb != Verb::Get) req.setRawHeader("Accept", "*/*");
    QNetworkReply *reply = nullptr;
    switch (verb) {
    case Verb::Get: reply = m_nam.get(req); break;
    case Verb::Post: reply = m_nam.post(req, body); break;
    case Verb::Put: reply = m_nam.put(req, body); break;
    case Verb::Delete: reply = m_nam.deleteResource(req); break;
    }
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, guard, done, verb, url, mediaType, body, retried] {
                reply->deleteLater();
                const ApiResult r = parseReply(reply);
                if (r.status == 401 && !retried && !m_user.isEmpty()) {
                    // Token expired: log in again once and repeat the request once.
                    login(m_user, m_password, m_tenant, this,
                          [this, guard, done, verb, url, mediaType, body, r](const ApiResult &l) {
                              if (!guard) return;
                              if (!l.ok()) { done(r); return; }
                              send(verb, url, mediaType, body, guard, done, true);
                          });
                    return;
                }
                if (!guard) return;
                done(r);
                if (!r.ok()) emit requestFailed(r.errorText());
            });
}

ApiResult ApiClient::parseReply(QNetworkReply *reply)
{
    ApiResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray data = reply->readAll();
    if (!data.isEmpty()) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
        if (err.error == QJsonParseError::NoError)
            r.body = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    const QByteArray loc = reply->rawHeader("Location");
    if (!loc.isEmpty()) r.location = reply->url().resolved(QUrl(QString::fromUtf8(loc)));
    if (!r.ok()) {
        if (r.body.isObject()) {
            const QJsonObject o = r.body.toObject();
            r.message = o.value(QLatin1String("message")).toString();
            for (const auto &v : o.value(QLatin1String("violations")).toArray()) {
                const QJsonObject vo = v.toObject();
                r.violations.append({vo.value(QLatin1String("property")).toString(),
                                     vo.value(QLatin1String("message")).toString()});
            }
        }
        if (r.message.isEmpty())
            r.message = r.status ? reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()
                                 : reply->errorString();
    }
    return r;
}

} // namespace midonet::manager
