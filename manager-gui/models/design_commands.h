// The undoable design actions. Each command does its work through the REST API in redo() and
// takes it back through the API in undo(); the model follows from the cluster's answers and
// events, never from the command editing it directly.
//
// API calls are asynchronous while QUndoStack is not: a command whose first redo() is refused
// reports the server's error (with its per-field violations) through Session::requestFailed,
// cleans up what it had already created, marks itself obsolete and is dropped from the stack, so
// undo never tries to take back something that never happened. Objects created by a command keep
// the ids the command chose (the API accepts client ids), so redo after undo restores the same
// objects and anything that refers to them.
//
// Thread-safety: GUI thread only. A command may be deleted while its calls are in flight; their
// callbacks are tied to a context object the command owns and are dropped with it.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUndoCommand>
#include <QUrl>

#include <functional>

#include "manager-gui/models/api_types.h"

namespace midonet::manager {

class Session;
class ApiClient;

class ApiCommand : public QUndoCommand
{
public:
    ApiCommand(Session *session, const QString &text);
    ~ApiCommand() override;

protected:
    using Callback = std::function<void(const ApiResult &)>;
    ApiClient *api() const;
    // The API calls of a command go through these: they count what is in flight, so an undo
    // asked for while the redo's calls are still running waits for them (and vice versa)
    // instead of racing them.
    void post(const QUrl &url, const QString &type, const QJsonObject &body, QObject *ctx, Callback cb);
    void put(const QUrl &url, const QString &type, const QJsonObject &body, QObject *ctx, Callback cb);
    void del(const QUrl &url, QObject *ctx, Callback cb);
    void whenIdle(std::function<void()> action);
    // Reports a failure; during the first redo also drops this command from the stack.
    void failed(bool inRedo, const QString &objectId, const QString &what, const ApiResult &r);
    void redoDone() { m_firstRedo = false; }

    Session *m_session;
    QObject *m_ctx; // callbacks' context; deleted with the command
    bool m_firstRedo = true;

private:
    Callback counted(Callback cb);
    int m_inFlight = 0;
    std::function<void()> m_next;
};

// Creates one object with a client-chosen id: a device, a chain, a route or a rule.
class CreateObjectCommand : public ApiCommand
{
public:
    // `type` is the collection path ("bridges", "routes", ...); `collection` where to POST.
    CreateObjectCommand(Session *session, const QString &type, const QUrl &collection,
                        const QJsonObject &body, const QString &text);
    void redo() override;
    void undo() override;
    QString objectId() const { return m_id; }

private:
    QString m_type;
    QUrl m_collection;
    QJsonObject m_body;
    QString m_id;
};

// Two new ports, one on each device, linked to each other. Router ports get a fresh subnet.
class LinkDevicesCommand : public ApiCommand
{
public:
    LinkDevicesCommand(Session *session, const QString &a, const QString &b);
    void redo() override;
    void undo() override;
    QString portA() const { return m_portA.value(QLatin1String("id")).toString(); }
    QString portB() const { return m_portB.value(QLatin1String("id")).toString(); }

private:
    void removePorts(bool report);
    QString m_devA, m_devB, m_typeA, m_typeB;
    QJsonObject m_portA, m_portB;
};

// Replaces an object with `after` (PUT); undo puts `before` back.
class UpdateObjectCommand : public ApiCommand
{
public:
    UpdateObjectCommand(Session *session, const QString &type, const QJsonObject &before,
                        const QJsonObject &after, const QString &text);
    void redo() override;
    void undo() override;

private:
    void putDocument(const QJsonObject &doc, bool inRedo);
    QString m_type, m_id;
    QJsonObject m_before, m_after;
};

// Deletes devices, ports, routes, rules or chains; undo recreates them with the same ids, then
// the devices' ports, their links and host bindings.
class DeleteObjectsCommand : public ApiCommand
{
public:
    DeleteObjectsCommand(Session *session, const QStringList &ids);
    void redo() override;
    void undo() override;

private:
    struct Saved
    {
        QString type;
        QJsonObject object;
    };
    QList<Saved> m_top;    // what the user deleted
    QList<Saved> m_ports;  // ports that go with the deleted devices (cascade) or were picked
    void recreatePorts();
    void relink();
};

// Moves a rule inside its chain: MidoNet rules have no PUT, so this deletes and re-creates the
// rule (same id) at the new position.
class MoveRuleCommand : public ApiCommand
{
public:
    MoveRuleCommand(Session *session, const QJsonObject &rule, int to);
    void redo() override;
    void undo() override;

private:
    void move(int to, bool inRedo);
    QJsonObject m_rule;
    int m_from, m_to;
};

// Binds a port to a host interface (the physical map shows it); undo unbinds.
class BindPortCommand : public ApiCommand
{
public:
    BindPortCommand(Session *session, const QString &portId, const QString &hostId,
                    const QString &interfaceName);
    void redo() override;
    void undo() override;

private:
    QString m_port, m_host, m_iface;
};

} // namespace midonet::manager
