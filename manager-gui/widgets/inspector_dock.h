// InspectorDock: the properties of the selected object as an editable form. Apply emits the
// changed fields as an intent (the Session turns it into an undoable PUT); when the server
// refuses, showErrors() puts each violation under the field it names, in red, so the operator
// sees which value was wrong and why.
//
// The form is rebuilt when the selection or the object changes, except while the user has
// unsaved edits on the same object (a live update must not wipe what they are typing).
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDockWidget>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPointer>

#include "manager-gui/models/api_types.h"

class QFormLayout;
class QLabel;
class QPushButton;
class QWidget;

namespace midonet::manager {

class TopologyModel;

class InspectorDock : public QDockWidget
{
    Q_OBJECT
public:
    InspectorDock(TopologyModel *model, QWidget *parent = nullptr);

    // Shows the object with this id (empty: nothing selected).
    void showObject(const QString &id);
    QString currentId() const { return m_id; }
    // Puts the server's per-field messages under their fields; the rest goes to the top line.
    void showErrors(const ApiResult &r);
    // The editor of a field, and the error label under it (tests and screenshots look at them).
    QWidget *editorFor(const QString &property) const { return m_editors.value(property); }
    QLabel *errorLabelFor(const QString &property) const { return m_errors.value(property); }
    QString generalError() const;

signals:
    void applyRequested(const QString &id, const QJsonObject &fields);
    void routesRequested(const QString &routerId);
    void bgpRequested(const QString &routerId);
    void deleteRequested(const QStringList &ids);

protected:
    void changeEvent(QEvent *e) override;

private:
    enum class FieldKind { Text, Int, Bool, Chain, ReadOnly, Cidr };
    struct Field
    {
        const char *key;
        FieldKind kind;
    };
    void rebuild();
    void updateWidgets();
    QJsonObject collectChanges() const;
    QString labelFor(const QString &key) const;
    QList<Field> fieldsFor(const QString &type, const QJsonObject &o) const;
    void clearErrors();

    TopologyModel *m_model;
    QString m_id, m_type;
    QJsonObject m_shown;
    QWidget *m_body = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_topError = nullptr;
    QPushButton *m_apply = nullptr, *m_revert = nullptr, *m_routes = nullptr, *m_bgp = nullptr, *m_delete = nullptr;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QLabel *> m_errors;
    QHash<QString, FieldKind> m_kinds;
    bool m_dirty = false;
};

} // namespace midonet::manager
