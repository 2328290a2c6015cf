// EventStream: the cluster's `/midonet-api/events` WebSocket, the one source of live updates.
//
// Every NSDB change arrives as one JSON text message {type, id, op, object, version}. The first
// frame is a hello {type: "hello", version, epoch, resumed, complete}. The stream remembers the
// highest version seen and its epoch and asks for the changes after it (`?since=<v>&epoch=<e>`)
// when it reconnects, so nothing is missed across a dropped connection. Whether or not the cluster
// could resume (a restarted instance has a new epoch), the caller lists everything again on
// `reconnected`, so nothing stale survives either way.
//
// Reconnects back off exponentially (250 ms doubling up to 8 s, reset once a connection holds).
// A QWebSocket is never reused after it closes (DESIGN.md): each attempt builds a fresh one, and
// the old one is deleted later, disconnected first so its last signals cannot reach us.
//
// With a token refresher set, every retry first asks it for a fresh token: a restarted cluster
// (new token secret) refuses the old one at the handshake, and the stream would retry forever.
// A refresher that fails (cluster still down) counts as a failed attempt and backs off.
//
// Thread-safety: a QObject of the GUI thread; signals are emitted there.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QWebSocket;

namespace midonet::manager {

class EventStream : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    explicit EventStream(QObject *parent = nullptr);
    ~EventStream() override;

    // `apiRoot` is the REST root (http://host:port/midonet-api/); the stream URL is derived from it.
    void start(const QUrl &apiRoot, const QString &token);
    void stop();
    // Called before each retry: `done(token)` with a fresh token, or `done({})` if none could be
    // had (the call may complete later, or never if the stream was stopped meanwhile).
    using TokenRefresher = std::function<void(std::function<void(const QString &token)> done)>;
    void setTokenRefresher(TokenRefresher f) { m_refresher = std::move(f); }
    State state() const { return m_state; }
    qint64 lastVersion() const { return m_lastVersion; }
    // After a full resynchronisation the caller knows the store's version; a cluster restarted
    // with an empty memory store counts from zero again.
    void resetVersion(qint64 version) { m_lastVersion = version; }
    int attempts() const { return m_attempts; }
    // The socket of the current attempt; a new object for every reconnect (tests check this).
    const QWebSocket *socket() const { return m_socket; }

signals:
    void stateChanged(midonet::manager::EventStream::State state);
    // One NSDB change. `op` is normalised to "create", "update" or "delete".
    void changed(const QString &type, const QString &id, const QString &op, const QJsonObject &object,
                 qint64 version);
    // Emitted on every (re)connection after the first: the caller resynchronises its models.
    void reconnected();

private:
    void retry();
    void openSocket();
    void onDisconnected();
    void onMessage(const QString &text);
    void setState(State s);

    QUrl m_url;
    QString m_token;
    QWebSocket *m_socket = nullptr;
    QTimer m_retry;
    QTimer m_stable;
    State m_state = State::Stopped;
    qint64 m_lastVersion = 0;
    QString m_epoch; // the journal epoch `m_lastVersion` belongs to (from the hello frame)
    int m_backoffMs = 250;
    int m_attempts = 0;
    bool m_everConnected = false;
    TokenRefresher m_refresher;
    int m_generation = 0; // bumped by start/stop: a refresher answering late is ignored
};

} // namespace midonet::manager
