#include "manager-gui/net/event_stream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

namespace midonet::manager {

namespace {
constexpr int kMinBackoffMs = 250;
constexpr int kMaxBackoffMs = 8000;

QString normaliseOp(QString op)
{
    op = op.toLower();
    if (op.startsWith(QLatin1String("creat")) || op == QLatin1String("add") || op == QLatin1String("put"))
        return QStringLiteral("create");
    if (op.startsWith(QLatin1String("delet")) || op.startsWith(QLatin1String("remov")))
        return QStringLiteral("delete");
    return QStringLiteral("update");
}
} // namespace

EventStream::EventStream(QObject *parent) : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventStream::retry);
    // A connection that holds for 5 s earns the short backoff back.
    m_stable.setSingleShot(true);
    m_stable.setInterval(5000);
    connect(&m_stable, &QTimer::timeout, this, [this] { m_backoffMs = kMinBackoffMs; });
}

EventStream::~EventStream()
{
    stop();
}

void EventStream::start(const QUrl &apiRoot, const QString &token)
{
    stop();
    m_url = apiRoot;
    m_url.setScheme(apiRoot.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString p = m_url.path();
    if (!p.endsWith(QLatin1Char('/'))) p += QLatin1Char('/');
    m_url.setPath(p + QStringLiteral("events"));
    ++m_generation;
    m_token = token;
    m_backoffMs = kMinBackoffMs;
    m_everConnected = false;
    m_attempts = 0;
    openSocket();
}

void EventStream::stop()
{
    ++m_generation;
    m_retry.stop();
    m_stable.stop();
    if (m_socket) {
        QWebSocket *s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    setState(State::Stopped);
}

void EventStream::retry()
{
    if (!m_refresher) {
        openSocket();
        return;
    }
    const int gen = m_generation;
    m_refresher([this, gen, guard = QPointer<EventStream>(this)](const QString &token) {
        if (!guard || gen != m_generation || m_state == State::Stopped) return;
        if (token.isEmpty()) {
            ++m_attempts;
            onDisconnected(); // back off, try again
            return;
        }
        m_token = token;
        openSocket();
    });
}

void EventStream::openSocket()
{
    if (m_socket) {
        QWebSocket *old = m_socket;
        old->disconnect(this);
        old->abort();
        old->deleteLater();
    }
    ++m_attempts;
    setState(m_everConnected ? State::Reconnecting : State::Connecting);
    auto *s = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = s;
    connect(s, &QWebSocket::connected, this, [this] {
        const bool again = m_everConnected;
        m_everConnected = true;
        m_stable.start();
        setState(State::Connected);
        if (again) emit reconnected();
    });
    connect(s, &QWebSocket::disconnected, this, &EventStream::onDisconnected);
    connect(s, &QWebSocket::textMessageReceived, this, &EventStream::onMessage);
    QUrl u = m_url;
    if (m_lastVersion > 0) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("since"), QString::number(m_lastVersion));
        if (!m_epoch.isEmpty()) q.addQueryItem(QStringLiteral("epoch"), m_epoch);
        u.setQuery(q);
    }
    QNetworkRequest req(u);
    if (!m_token.isEmpty()) req.setRawHeader("X-Auth-Token", m_token.toUtf8());
    s->open(req);
}

void EventStream::onDisconnected()
{
    m_stable.stop();
    if (m_state == State::Stopped) return;
    setState(State::Reconnecting);
    m_retry.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, kMaxBackoffMs);
}

void EventStream::onMessage(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    // A batch (array) or a single event; anything else is ignored rather than fatal.
    const QJsonArray events = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    for (const auto &ev : events) {
        const QJsonObject e = ev.toObject();
        const qint64 version = e.value(QLatin1String("version")).toInteger();
        const QString type = e.value(QLatin1String("type")).toString();
        if (type.isEmpty() || type == QLatin1String("hello")) {
            // The greeting: where the stream stands. A restarted cluster (new epoch, or versions
            // counting from zero again) cannot replay what we missed.
            const QString epoch = e.value(QLatin1String("epoch")).toString();
            const bool newEpoch = !epoch.isEmpty() && !m_epoch.isEmpty() && epoch != m_epoch;
            if (newEpoch || version < m_lastVersion) m_lastVersion = version;
            if (!epoch.isEmpty()) m_epoch = epoch;
            continue;
        }
        if (version > m_lastVersion) m_lastVersion = version;
        const QJsonObject obj = e.value(QLatin1String("object")).toObject();
        QString id = e.value(QLatin1String("id")).toString();
        if (id.isEmpty()) id = obj.value(QLatin1String("id")).toString();
        emit changed(type, id, normaliseOp(e.value(QLatin1String("op")).toString()), obj, version);
    }
}

void EventStream::setState(State s)
{
    if (s == m_state) return;
    m_state = s;
    emit stateChanged(s);
}

} // namespace midonet::manager
