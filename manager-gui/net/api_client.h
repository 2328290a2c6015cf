// ApiClient: the Manager's one door to the MidoNet REST API (../shared/reference/midonet-rest-api.md).
//
// It logs in (Basic credentials to /midonet-api/login; the token is the `sessionId` cookie and goes
// back as `X-Auth-Token`), reads the root resource for the collection URIs, and sends requests with
// the vendor media types MidoNet clients use (Bridge-v4, Router-v3, Port-v3, ...). Replies come back
// as ApiResult values: status, JSON body, `Location`, and the server's message and per-field
// `violations`, so a caller can put an error on the field that caused it.
//
// A 401 after login triggers one re-login and one retry, as MidoNet's own clients do.
//
// Thread-safety: a QObject living in the GUI thread; every call and every callback runs there.
// Callbacks are bound to a context object and are dropped if that object is gone.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>

#include "manager-gui/models/api_types.h"

class QNetworkReply;

namespace midonet::manager {

class ApiClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit ApiClient(QObject *parent = nullptr);

    // Base URL of the cluster, e.g. http://127.0.0.1:8181 or http://host:8181/midonet-api.
    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_base; }
    // The API root (`.../midonet-api/`), always with a trailing slash.
    QUrl apiRoot() const;
    QString token() const { return m_token; }

    // Logs in, then fetches the root resource. `done` gets the login result (ok() on success).
    void login(const QString &user, const QString &password, const QString &tenant,
               QObject *context, Callback done);

    // URL of a top-level collection ("bridges", "routers", "ports", "hosts", "tunnel_zones", ...):
    // from the root resource when known, else built from the documented path.
    QUrl collectionUrl(const QString &path) const;
    QUrl itemUrl(const QString &path, const QString &id) const;

    // Media types of §3, by collection path ("bridges" → Bridge-v4). Unknown → application/json.
    static QString itemMediaType(const QString &path);
    static QString collectionMediaType(const QString &path);

    void get(const QUrl &url, const QString &accept, QObject *context, Callback done);
    void post(const QUrl &url, const QString &contentType, const QJsonObject &body,
              QObject *context, Callback done);
    void put(const QUrl &url, const QString &contentType, const QJsonObject &body,
             QObject *context, Callback done);
    void del(const QUrl &url, QObject *context, Callback done);

signals:
    // Emitted for every failed request, after the caller's callback (for the status bar).
    void requestFailed(const QString &what);

private:
    enum class Verb { Get, Post, Put, Delete };
    void send(Verb verb, const QUrl &url, const QString &mediaType, const QByteArray &body,
              QObject *context, Callback done, bool retried);
    void fetchRoot(QObject *context, Callback done, const ApiResult &loginResult);
    static ApiResult parseReply(QNetworkReply *reply);

    QNetworkAccessManager m_nam;
    QUrl m_base;
    QString m_token;
    QString m_user, m_password, m_tenant;
    QHash<QString, QUrl> m_collections; // "bridges" → URL, from the root resource
};

} // namespace midonet::manager
