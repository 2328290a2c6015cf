// Session: the Manager's connection to one cluster, and the only thing views talk to.
//
// It owns the API client and the event stream (both in net/), the TopologyModel they feed, and
// the QUndoStack of design actions. Views call its intent methods (createDevice, linkDevices,
// deleteObjects, updateObject, ...); each becomes a QUndoCommand that does its work through the
// API and undoes itself through the API. The map then changes when the cluster says so (event
// stream or the command's own read-back), never by a view editing the model.
//
// Connection life: connectTo() logs in, lists every collection into the model, then opens the
// event stream. When the stream drops (cluster restart) the state goes to Reconnecting; on every
// reconnection the collections are listed again and reconciled, so nothing stale stays.
//
// This header deliberately forward-declares the network classes: widgets include it, and no
// network header may reach a widget (STYLE.md, habit 13).
//
// Thread-safety: GUI thread only.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QUndoStack>
#include <QUrl>

#include <functional>

#include "manager-gui/models/api_types.h"

namespace midonet::manager {

class ApiClient;
class EventStream;
class TopologyModel;

struct LoginInfo
{
    QUrl url;          // cluster URL, e.g. http://127.0.0.1:8181
    QString user;
    QString password;  // never stored
    QString tenant;
};

class Session : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Online, Reconnecting, Failed };
    Q_ENUM(State)

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    TopologyModel *model() const { return m_model; }
    QUndoStack *undoStack() { return &m_undo; }
    ApiClient *api() const { return m_api; }
    EventStream *events() const { return m_events; }

    State state() const { return m_state; }
    LoginInfo login() const { return m_login; }
    // "user@host:port", the key under which this user's map positions are saved.
    QString profileKey() const;

    void connectTo(const LoginInfo &info);
    void disconnectFrom();
    // Lists every collection again and reconciles the model (also run after each reconnect).
    void resync();

    // ---- design intents (each is one undoable command) ----
    // kind: "bridge", "router", "load_balancer", "tunnel_zone", "chain". Returns the new id.
    QString createDevice(const QString &kind, const QString &name);
    // Creates a port on each device and links them; a load balancer is attached to the router.
    void linkDevices(const QString &a, const QString &b);
    void deleteObjects(const QStringList &ids);
    void renameObject(const QString &id, const QString &name);
    // Sets `fields` on the object (PUT of the whole document); errors come back per field.
    void updateObject(const QString &id, const QJsonObject &fields);
    void addRoute(const QString &routerId, const QJsonObject &route);
    // BGP of a router (undoable like every design action): a peer {address, asNumber}, an
    // advertised network {subnetAddress, subnetLength}.
    void addBgpPeer(const QString &routerId, const QJsonObject &peer);
    void addBgpNetwork(const QString &routerId, const QJsonObject &network);
    void addRule(const QString &chainId, const QJsonObject &rule, int position);
    void moveRule(const QString &ruleId, int newPosition);
    void bindPort(const QString &portId, const QString &hostId, const QString &interfaceName);

    // On-demand listings (not part of resync: thousands of routers would mean thousands of calls).
    void loadRoutes(const QString &routerId);
    // A router's BGP peers (with their session status) and networks.
    void loadBgp(const QString &routerId);
    void loadRules(const QString &chainId);
    // `done` runs when the answer is in (resync counts outstanding listings with it).
    void loadMembers(const QString &zoneId, std::function<void()> done = {});

    // Used by the commands: report a failed call against an object (shown on its fields).
    void reportFailure(const QString &objectId, const QString &what, const ApiResult &r);
    // Refreshes one object from the API into the model (after a write, without waiting for events).
    void refresh(const QString &type, const QString &id);
    void forget(const QString &type, const QString &id);
    // A fresh router-port subnet nobody uses yet: "10.a.b.1", 24.
    QString freeSubnet(int *prefixLength, bool pointToPoint);

signals:
    void stateChanged(midonet::manager::Session::State state, const QString &detail);
    // A write was refused: `objectId` names what was being written; r.violations name fields.
    void requestFailed(const QString &objectId, const QString &what,
                       const midonet::manager::ApiResult &r);
    // A device created through createDevice exists in the cluster now.
    void created(const QString &id);
    void resynced();

private:
    void setState(State s, const QString &detail = {});
    void onEvent(const QString &type, const QString &id, const QString &op, const QJsonObject &obj);

    ApiClient *m_api;
    EventStream *m_events;
    TopologyModel *m_model;
    QUndoStack m_undo;
    LoginInfo m_login;
    State m_state = State::Disconnected;
    int m_pendingLists = 0;
    int m_resyncGeneration = 0;
    int m_subnetCounter = 0;
};

} // namespace midonet::manager
