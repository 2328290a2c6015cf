#include "manager-gui/models/design_commands.h"

#include <QJsonArray>
#include <QSet>
#include <QTimer>
#include <QUuid>

#include <memory>

#include "manager-gui/models/session.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/net/api_client.h"

namespace midonet::manager {

namespace {

QString idOf(const QJsonObject &o)
{
    return o.value(QLatin1String("id")).toString();
}

QUrl sub(const QUrl &base, const QString &tail)
{
    QUrl u = base;
    u.setPath(u.path() + QLatin1Char('/') + tail);
    return u;
}

// Fields the server owns or that are set by other calls (link, binding): left out of re-creates.
QJsonObject forCreate(QJsonObject o)
{
    // Server-owned and read-only fields (BGP peers' session status included).
    for (const char *k : {"vxLanPortIds", "peerId", "hostId", "interfaceName", "tunnelKey", "active",
                          "routerId", "uri", "sessionState", "prefixesReceived", "prefixesAdvertised",
                          "uptimeSeconds"})
        o.remove(QLatin1String(k));
    return o;
}

// Runs `n` parallel calls' completions into one continuation.
struct Join
{
    int left;
    bool ok = true;
    ApiResult firstError;
    std::function<void(bool, const ApiResult &)> then;
    void done(const ApiResult &r, bool tolerate404 = false)
    {
        if (!r.ok() && !(tolerate404 && r.status == 404) && ok) {
            ok = false;
            firstError = r;
        }
        if (--left == 0) then(ok, firstError);
    }
};

} // namespace

// ---------------------------------------------------------------- ApiCommand

ApiCommand::ApiCommand(Session *session, const QString &text)
    : QUndoCommand(text), m_session(session), m_ctx(new QObject)
{
}

ApiCommand::~ApiCommand()
{
    delete m_ctx;
}

ApiClient *ApiCommand::api() const
{
    return m_session->api();
}

ApiCommand::Callback ApiCommand::counted(Callback cb)
{
    ++m_inFlight;
    return [this, cb = std::move(cb)](const ApiResult &r) {
        cb(r); // may start the next call of a chain before this one counts as done
        if (--m_inFlight == 0 && m_next) {
            auto next = std::move(m_next);
            m_next = nullptr;
            next();
        }
    };
}

void ApiCommand::post(const QUrl &url, const QString &type, const QJsonObject &body, QObject *ctx, Callback cb)
{
    api()->post(url, type, body, ctx, counted(std::move(cb)));
}

void ApiCommand::put(const QUrl &url, const QString &type, const QJsonObject &body, QObject *ctx, Callback cb)
{
    api()->put(url, type, body, ctx, counted(std::move(cb)));
}

void ApiCommand::del(const QUrl &url, QObject *ctx, Callback cb)
{
    api()->del(url, ctx, counted(std::move(cb)));
}

void ApiCommand::whenIdle(std::function<void()> action)
{
    if (m_inFlight == 0) action();
    else m_next = std::move(action); // a newer request replaces an older queued one
}

void ApiCommand::failed(bool inRedo, const QString &objectId, const QString &what, const ApiResult &r)
{
    m_session->reportFailure(objectId, what, r);
    if (!inRedo || !m_firstRedo) return;
    setObsolete(true);
    // Dropping happens from the event loop: this command may be deep inside its own callback.
    QUndoStack *stack = m_session->undoStack();
    const QUndoCommand *self = this;
    QTimer::singleShot(0, m_session, [stack, self] {
        const int i = stack->index();
        if (i > 0 && stack->command(i - 1) == self) stack->undo(); // obsolete: deleted, not undone
    });
}

// ---------------------------------------------------------------- CreateObjectCommand

CreateObjectCommand::CreateObjectCommand(Session *session, const QString &type, const QUrl &collection,
                                         const QJsonObject &body, const QString &text)
    : ApiCommand(session, text), m_type(type), m_collection(collection), m_body(body), m_id(idOf(body))
{
}

void CreateObjectCommand::redo()
{
    whenIdle([this] {
        post(m_collection, ApiClient::itemMediaType(m_type), m_body, m_ctx, [this](const ApiResult &r) {
            if (!r.ok()) {
                failed(true, m_id, text(), r);
                return;
            }
            redoDone();
            m_session->refresh(m_type, m_id);
            if (m_type == QLatin1String("rules"))
                m_session->loadRules(m_body.value(QLatin1String("chainId")).toString().isEmpty()
                                         ? m_collection.path().section(QLatin1Char('/'), -2, -2)
                                         : m_body.value(QLatin1String("chainId")).toString());
            emit m_session->created(m_id);
        });
    });
}

void CreateObjectCommand::undo()
{
    whenIdle([this] {
        del(api()->itemUrl(m_type, m_id), m_ctx, [this](const ApiResult &r) {
            if (!r.ok() && r.status != 404) {
                failed(false, m_id, text(), r);
                return;
            }
            m_session->forget(m_type, m_id);
            if (m_type == QLatin1String("bridges") || m_type == QLatin1String("routers"))
                for (const auto &p : m_session->model()->portsOf(m_id)) m_session->forget(QStringLiteral("ports"), idOf(p));
            if (m_type == QLatin1String("rules"))
                m_session->loadRules(m_collection.path().section(QLatin1Char('/'), -2, -2));
        });
    });
}

// ---------------------------------------------------------------- LinkDevicesCommand

LinkDevicesCommand::LinkDevicesCommand(Session *session, const QString &a, const QString &b)
    : ApiCommand(session, QString())
{
    TopologyModel *m = session->model();
    m_devA = a;
    m_devB = b;
    m_typeA = m->typeOf(a);
    m_typeB = m->typeOf(b);
    setText(QObject::tr("Link %1 to %2").arg(m->displayName(a), m->displayName(b)));
    const bool bothRouters = m_typeA == QLatin1String("routers") && m_typeB == QLatin1String("routers");
    int len = 24;
    const QString net = (m_typeA == QLatin1String("routers") || m_typeB == QLatin1String("routers"))
                            ? session->freeSubnet(&len, bothRouters)
                            : QString();
    auto makePort = [&](const QString &type, int host) {
        QJsonObject p{{QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                      {QStringLiteral("adminStateUp"), true}};
        if (type == QLatin1String("routers")) {
            const QString addr = net + QLatin1Char('.') + QString::number(host);
            p.insert(QStringLiteral("type"), QStringLiteral("Router"));
            p.insert(QStringLiteral("portAddress"), addr);
            p.insert(QStringLiteral("networkAddress"), net + QStringLiteral(".0"));
            p.insert(QStringLiteral("networkLength"), len);
            p.insert(QStringLiteral("portSubnet"), QJsonArray{addr + QLatin1Char('/') + QString::number(len)});
        } else {
            p.insert(QStringLiteral("type"), QStringLiteral("Bridge"));
        }
        return p;
    };
    m_portA = makePort(m_typeA, 1);
    m_portB = makePort(m_typeB, bothRouters ? 2 : 1);
}

void LinkDevicesCommand::redo()
{
    whenIdle([this] {
        const QUrl portsA = sub(api()->itemUrl(m_typeA, m_devA), QStringLiteral("ports"));
        const QUrl portsB = sub(api()->itemUrl(m_typeB, m_devB), QStringLiteral("ports"));
        const QString pt = ApiClient::itemMediaType(QStringLiteral("ports"));
        post(portsA, pt, m_portA, m_ctx, [this, portsB, pt](const ApiResult &ra) {
            if (!ra.ok()) { failed(true, m_devA, text(), ra); return; }
            post(portsB, pt, m_portB, m_ctx, [this](const ApiResult &rb) {
                if (!rb.ok()) { removePorts(false); failed(true, m_devB, text(), rb); return; }
                QJsonObject link = m_portA;
                link.insert(QStringLiteral("peerId"), portB());
                link.insert(QStringLiteral("portId"), portA());
                post(sub(api()->itemUrl(QStringLiteral("ports"), portA()), QStringLiteral("link")),
                            ApiClient::itemMediaType(QStringLiteral("link")), link, m_ctx,
                            [this](const ApiResult &rl) {
                                if (!rl.ok()) { removePorts(false); failed(true, portA(), text(), rl); return; }
                                redoDone();
                                m_session->refresh(QStringLiteral("ports"), portA());
                                m_session->refresh(QStringLiteral("ports"), portB());
                            });
            });
        });
    });
}

void LinkDevicesCommand::undo()
{
    whenIdle([this] {
        removePorts(true);
    });
}

void LinkDevicesCommand::removePorts(bool report)
{
    for (const QString &id : {portA(), portB()}) {
        del(api()->itemUrl(QStringLiteral("ports"), id), m_ctx, [this, id, report](const ApiResult &r) {
            if (!r.ok() && r.status != 404) {
                if (report) failed(false, id, text(), r);
                return;
            }
            m_session->forget(QStringLiteral("ports"), id);
        });
    }
}

// ---------------------------------------------------------------- UpdateObjectCommand

UpdateObjectCommand::UpdateObjectCommand(Session *session, const QString &type, const QJsonObject &before,
                                         const QJsonObject &after, const QString &text)
    : ApiCommand(session, text), m_type(type), m_id(idOf(before)), m_before(before), m_after(after)
{
}

void UpdateObjectCommand::redo()
{
    whenIdle([this] {
        putDocument(m_after, true);
    });
}

void UpdateObjectCommand::undo()
{
    whenIdle([this] {
        putDocument(m_before, false);
    });
}

void UpdateObjectCommand::putDocument(const QJsonObject &doc, bool inRedo)
{
    QUrl url = doc.value(QLatin1String("uri")).toString().isEmpty()
                   ? api()->itemUrl(m_type, m_id)
                   : QUrl(doc.value(QLatin1String("uri")).toString());
    put(url, ApiClient::itemMediaType(m_type), doc, m_ctx, [this, inRedo](const ApiResult &r) {
        if (!r.ok()) {
            failed(inRedo, m_id, text(), r);
            return;
        }
        if (inRedo) redoDone();
        m_session->refresh(m_type, m_id);
    });
}

// ---------------------------------------------------------------- DeleteObjectsCommand

DeleteObjectsCommand::DeleteObjectsCommand(Session *session, const QStringList &ids)
    : ApiCommand(session, QString())
{
    TopologyModel *m = session->model();
    QSet<QString> devices;
    for (const auto &id : ids) devices.insert(id);
    QStringList names;
    for (const auto &id : ids) {
        const QString type = m->typeOf(id);
        names << m->displayName(id);
        if (type == QLatin1String("ports")) {
            // A port whose device is deleted too goes with the cascade.
            const QJsonObject p = m->object(type, id);
            if (!devices.contains(p.value(QLatin1String("deviceId")).toString())) m_ports.append({type, p});
            continue;
        }
        m_top.append({type, m->object(type, id)});
        for (const auto &p : m->portsOf(id)) m_ports.append({QStringLiteral("ports"), p});
    }
    setText(QObject::tr("Delete %1").arg(names.join(QStringLiteral(", "))));
}

void DeleteObjectsCommand::redo()
{
    whenIdle([this] {
        // Picked ports first (their devices stay), then the devices; each call on its own.
        QList<Saved> targets;
        QSet<QString> topIds;
        for (const auto &t : m_top) topIds.insert(idOf(t.object));
        for (const auto &p : m_ports)
            if (!topIds.contains(p.object.value(QLatin1String("deviceId")).toString())) targets << p;
        targets += m_top;
        if (targets.isEmpty()) { redoDone(); return; }
        auto join = std::make_shared<Join>();
        join->left = int(targets.size());
        join->then = [this](bool ok, const ApiResult &err) {
            if (!ok) { failed(true, QString(), text(), err); return; }
            redoDone();
        };
        for (const auto &t : targets) {
            const QString id = idOf(t.object);
            const QString type = t.type;
            del(api()->itemUrl(type, id), m_ctx, [this, id, type, join](const ApiResult &r) {
                if (r.ok() || r.status == 404) {
                    m_session->forget(type, id);
                    for (const auto &p : m_session->model()->portsOf(id)) m_session->forget(QStringLiteral("ports"), idOf(p));
                }
                join->done(r, true);
            });
        }
    });
}

void DeleteObjectsCommand::undo()
{
    whenIdle([this] {
        if (m_top.isEmpty()) { recreatePorts(); return; }
        auto join = std::make_shared<Join>();
        join->left = int(m_top.size());
        join->then = [this](bool ok, const ApiResult &err) {
            if (!ok) { failed(false, QString(), text(), err); return; }
            recreatePorts();
        };
        for (const auto &t : m_top) {
            const QString id = idOf(t.object);
            const QString type = t.type;
            QUrl coll = api()->collectionUrl(type);
            if (type == QLatin1String("routes"))
                coll = sub(api()->itemUrl(QStringLiteral("routers"), t.object.value(QLatin1String("routerId")).toString()),
                           QStringLiteral("routes"));
            else if (type == QLatin1String("rules"))
                coll = sub(api()->itemUrl(QStringLiteral("chains"), t.object.value(QLatin1String("chainId")).toString()),
                           QStringLiteral("rules"));
            else if (type == QLatin1String("bgp_peers") || type == QLatin1String("bgp_networks"))
                coll = sub(api()->itemUrl(QStringLiteral("routers"), t.object.value(QLatin1String("routerId")).toString()), type);
            post(coll, ApiClient::itemMediaType(type), forCreate(t.object), m_ctx,
                        [this, id, type, join](const ApiResult &r) {
                            if (r.ok()) m_session->refresh(type, id);
                            join->done(r);
                        });
        }
    });
}

void DeleteObjectsCommand::recreatePorts()
{
    if (m_ports.isEmpty()) return;
    auto join = std::make_shared<Join>();
    join->left = int(m_ports.size());
    join->then = [this](bool ok, const ApiResult &err) {
        if (!ok) m_session->reportFailure(QString(), text(), err);
        relink();
    };
    for (const auto &p : m_ports) {
        const QString id = idOf(p.object);
        const QString dev = p.object.value(QLatin1String("deviceId")).toString();
        const QString devType = p.object.value(QLatin1String("type")).toString().contains(QLatin1String("Router"))
                                    ? QStringLiteral("routers") : QStringLiteral("bridges");
        QJsonObject body = forCreate(p.object);
        body.remove(QStringLiteral("deviceId"));
        post(sub(api()->itemUrl(devType, dev), QStringLiteral("ports")),
                    ApiClient::itemMediaType(QStringLiteral("ports")), body, m_ctx,
                    [this, id, join](const ApiResult &r) {
                        if (r.ok()) m_session->refresh(QStringLiteral("ports"), id);
                        join->done(r);
                    });
    }
}

void DeleteObjectsCommand::relink()
{
    QSet<QString> done;
    for (const auto &p : m_ports) {
        const QString id = idOf(p.object);
        const QString peer = p.object.value(QLatin1String("peerId")).toString();
        if (!peer.isEmpty() && !done.contains(peer)) {
            done.insert(id);
            QJsonObject link = forCreate(p.object);
            link.insert(QStringLiteral("peerId"), peer);
            post(sub(api()->itemUrl(QStringLiteral("ports"), id), QStringLiteral("link")),
                        ApiClient::itemMediaType(QStringLiteral("link")), link, m_ctx,
                        [this, id, peer](const ApiResult &r) {
                            if (!r.ok()) { m_session->reportFailure(id, text(), r); return; }
                            m_session->refresh(QStringLiteral("ports"), id);
                            m_session->refresh(QStringLiteral("ports"), peer);
                        });
        }
        const QString host = p.object.value(QLatin1String("hostId")).toString();
        const QString iface = p.object.value(QLatin1String("interfaceName")).toString();
        if (!host.isEmpty() && !iface.isEmpty()) {
            post(sub(api()->itemUrl(QStringLiteral("hosts"), host), QStringLiteral("ports")),
                        ApiClient::itemMediaType(QStringLiteral("host_ports")),
                        QJsonObject{{QStringLiteral("portId"), id}, {QStringLiteral("interfaceName"), iface}},
                        m_ctx, [this, id](const ApiResult &r) {
                            if (r.ok()) m_session->refresh(QStringLiteral("ports"), id);
                        });
        }
    }
}

// ---------------------------------------------------------------- MoveRuleCommand

MoveRuleCommand::MoveRuleCommand(Session *session, const QJsonObject &rule, int to)
    : ApiCommand(session, QObject::tr("Move rule to position %1").arg(to)), m_rule(rule),
      m_from(rule.value(QLatin1String("position")).toInt()), m_to(to)
{
}

void MoveRuleCommand::redo()
{
    whenIdle([this] {
        move(m_to, true);
    });
}

void MoveRuleCommand::undo()
{
    whenIdle([this] {
        move(m_from, false);
    });
}

void MoveRuleCommand::move(int to, bool inRedo)
{
    const QString id = idOf(m_rule);
    const QString chain = m_rule.value(QLatin1String("chainId")).toString();
    del(api()->itemUrl(QStringLiteral("rules"), id), m_ctx, [this, id, chain, to, inRedo](const ApiResult &r) {
        if (!r.ok() && r.status != 404) { failed(inRedo, id, text(), r); return; }
        QJsonObject body = forCreate(m_rule);
        body.insert(QStringLiteral("position"), to);
        post(sub(api()->itemUrl(QStringLiteral("chains"), chain), QStringLiteral("rules")),
                    ApiClient::itemMediaType(QStringLiteral("rules")), body, m_ctx,
                    [this, id, chain, inRedo](const ApiResult &p) {
                        if (!p.ok()) {
                            // Put it back where it was rather than lose the rule.
                            QJsonObject back = forCreate(m_rule);
                            post(sub(api()->itemUrl(QStringLiteral("chains"), chain), QStringLiteral("rules")),
                                        ApiClient::itemMediaType(QStringLiteral("rules")), back, m_ctx,
                                        [this, chain](const ApiResult &) { m_session->loadRules(chain); });
                            failed(inRedo, id, text(), p);
                            return;
                        }
                        if (inRedo) redoDone();
                        m_session->loadRules(chain);
                    });
    });
}

// ---------------------------------------------------------------- BindPortCommand

BindPortCommand::BindPortCommand(Session *session, const QString &portId, const QString &hostId,
                                 const QString &interfaceName)
    : ApiCommand(session, QObject::tr("Bind port to %1").arg(interfaceName)), m_port(portId),
      m_host(hostId), m_iface(interfaceName)
{
}

void BindPortCommand::redo()
{
    whenIdle([this] {
        post(sub(api()->itemUrl(QStringLiteral("hosts"), m_host), QStringLiteral("ports")),
                    ApiClient::itemMediaType(QStringLiteral("host_ports")),
                    QJsonObject{{QStringLiteral("portId"), m_port}, {QStringLiteral("interfaceName"), m_iface}},
                    m_ctx, [this](const ApiResult &r) {
                        if (!r.ok()) { failed(true, m_port, text(), r); return; }
                        redoDone();
                        m_session->refresh(QStringLiteral("ports"), m_port);
                    });
    });
}

void BindPortCommand::undo()
{
    whenIdle([this] {
        del(sub(sub(api()->itemUrl(QStringLiteral("hosts"), m_host), QStringLiteral("ports")), m_port), m_ctx,
                   [this](const ApiResult &r) {
                       if (!r.ok() && r.status != 404) { failed(false, m_port, text(), r); return; }
                       m_session->refresh(QStringLiteral("ports"), m_port);
                   });
    });
}

} // namespace midonet::manager
