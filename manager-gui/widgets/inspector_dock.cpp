#include "manager-gui/widgets/inspector_dock.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

namespace {
const char *kErrorStyle = "color: #d23b3b;";
const char *kErrorEditorStyle = "border: 2px solid #d23b3b; border-radius: 3px;";

QString valueText(const QJsonValue &v)
{
    if (v.isString()) return v.toString();
    if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) return QString::number(v.toInteger());
    if (v.isArray()) {
        QStringList parts;
        for (const auto &e : v.toArray()) parts << valueText(e);
        return parts.join(QStringLiteral(", "));
    }
    return {};
}
} // namespace

InspectorDock::InspectorDock(TopologyModel *model, QWidget *parent) : QDockWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("inspector"));
    auto *outer = new QWidget(this);
    auto *v = new QVBoxLayout(outer);
    m_title = new QLabel(outer);
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    m_title->setStyleSheet(QStringLiteral("font-weight: bold; font-size: 11pt;"));
    m_title->setWordWrap(true);
    m_topError = new QLabel(outer);
    m_topError->setObjectName(QStringLiteral("inspectorError"));
    m_topError->setStyleSheet(QLatin1String(kErrorStyle));
    m_topError->setWordWrap(true);
    m_topError->hide();
    auto *scroll = new QScrollArea(outer);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_body = new QWidget(scroll);
    m_form = new QFormLayout(m_body);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    scroll->setWidget(m_body);
    auto *buttons = new QHBoxLayout;
    m_apply = new QPushButton(outer);
    m_apply->setObjectName(QStringLiteral("inspectorApply"));
    m_revert = new QPushButton(outer);
    m_routes = new QPushButton(outer);
    m_bgp = new QPushButton(outer);
    m_bgp->setObjectName(QStringLiteral("inspectorBgp"));
    m_delete = new QPushButton(outer);
    buttons->addWidget(m_apply);
    buttons->addWidget(m_revert);
    buttons->addStretch();
    buttons->addWidget(m_routes);
    buttons->addWidget(m_bgp);
    buttons->addWidget(m_delete);
    v->addWidget(m_title);
    v->addWidget(m_topError);
    v->addWidget(scroll, 1);
    v->addLayout(buttons);
    setWidget(outer);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        const QJsonObject fields = collectChanges();
        clearErrors();
        // Not dirty any more: the server's answer (the object's new state) may rebuild the form.
        m_dirty = false;
        updateWidgets();
        if (!fields.isEmpty()) emit applyRequested(m_id, fields);
    });
    connect(m_revert, &QPushButton::clicked, this, [this] {
        m_dirty = false;
        rebuild();
    });
    connect(m_routes, &QPushButton::clicked, this, [this] { emit routesRequested(m_id); });
    connect(m_bgp, &QPushButton::clicked, this, [this] { emit bgpRequested(m_id); });
    connect(m_delete, &QPushButton::clicked, this, [this] { emit deleteRequested({m_id}); });
    connect(model, &TopologyModel::objectChanged, this, [this](const QString &, const QString &id) {
        if (id == m_id && !m_dirty) rebuild();
    });
    connect(model, &TopologyModel::objectRemoved, this, [this](const QString &, const QString &id) {
        if (id == m_id) showObject({});
    });
    rebuild();
}

void InspectorDock::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange) rebuild();
    QDockWidget::changeEvent(e);
}

void InspectorDock::showObject(const QString &id)
{
    if (id == m_id && m_dirty) return;
    m_id = id;
    m_dirty = false;
    m_topError->hide();
    rebuild();
}

QString InspectorDock::labelFor(const QString &key) const
{
    static const QHash<QString, const char *> labels = {
        {QStringLiteral("id"), QT_TR_NOOP("Id")},
        {QStringLiteral("name"), QT_TR_NOOP("Name")},
        {QStringLiteral("tenantId"), QT_TR_NOOP("Tenant")},
        {QStringLiteral("adminStateUp"), QT_TR_NOOP("Admin state up")},
        {QStringLiteral("inboundFilterId"), QT_TR_NOOP("Inbound filter")},
        {QStringLiteral("outboundFilterId"), QT_TR_NOOP("Outbound filter")},
        {QStringLiteral("asNumber"), QT_TR_NOOP("Local AS")},
        {QStringLiteral("loadBalancerId"), QT_TR_NOOP("Load balancer")},
        {QStringLiteral("type"), QT_TR_NOOP("Type")},
        {QStringLiteral("deviceId"), QT_TR_NOOP("Device")},
        {QStringLiteral("portAddress"), QT_TR_NOOP("Port address")},
        {QStringLiteral("networkLength"), QT_TR_NOOP("Prefix length")},
        {QStringLiteral("portSubnet"), QT_TR_NOOP("Subnets")},
        {QStringLiteral("portMac"), QT_TR_NOOP("MAC address")},
        {QStringLiteral("vlanId"), QT_TR_NOOP("VLAN")},
        {QStringLiteral("peerId"), QT_TR_NOOP("Linked to")},
        {QStringLiteral("hostId"), QT_TR_NOOP("Host")},
        {QStringLiteral("interfaceName"), QT_TR_NOOP("Interface")},
        {QStringLiteral("tunnelKey"), QT_TR_NOOP("Tunnel key")},
        {QStringLiteral("active"), QT_TR_NOOP("Active")},
        {QStringLiteral("alive"), QT_TR_NOOP("Agent alive")},
        {QStringLiteral("addresses"), QT_TR_NOOP("Addresses")},
        {QStringLiteral("floodingProxyWeight"), QT_TR_NOOP("Flooding proxy weight")},
        {QStringLiteral("containerWeight"), QT_TR_NOOP("Container weight")},
        {QStringLiteral("containerLimit"), QT_TR_NOOP("Container limit")},
        {QStringLiteral("enforceContainerLimit"), QT_TR_NOOP("Enforce container limit")},
        {QStringLiteral("routerId"), QT_TR_NOOP("Router")},
    };
    const char *l = labels.value(key);
    return l ? tr(l) : key;
}

QList<InspectorDock::Field> InspectorDock::fieldsFor(const QString &type, const QJsonObject &o) const
{
    using K = FieldKind;
    if (type == QLatin1String("bridges"))
        return {{"name", K::Text}, {"tenantId", K::Text}, {"adminStateUp", K::Bool},
                {"inboundFilterId", K::Chain}, {"outboundFilterId", K::Chain}, {"id", K::ReadOnly}};
    if (type == QLatin1String("routers"))
        return {{"name", K::Text}, {"tenantId", K::Text}, {"adminStateUp", K::Bool}, {"asNumber", K::Int},
                {"inboundFilterId", K::Chain}, {"outboundFilterId", K::Chain}, {"loadBalancerId", K::ReadOnly},
                {"id", K::ReadOnly}};
    if (type == QLatin1String("ports")) {
        QList<Field> f = {{"type", K::ReadOnly}, {"deviceId", K::ReadOnly}, {"adminStateUp", K::Bool}};
        if (o.value(QLatin1String("type")).toString().contains(QLatin1String("Router")))
            f += {{"portAddress", K::Text}, {"networkLength", K::Int}, {"portSubnet", K::Cidr}, {"portMac", K::Text}};
        else
            f += {{"vlanId", K::Int}};
        f += {{"inboundFilterId", K::Chain}, {"outboundFilterId", K::Chain}, {"peerId", K::ReadOnly},
              {"hostId", K::ReadOnly}, {"interfaceName", K::ReadOnly}, {"tunnelKey", K::ReadOnly},
              {"active", K::ReadOnly}, {"id", K::ReadOnly}};
        return f;
    }
    if (type == QLatin1String("hosts"))
        return {{"name", K::ReadOnly}, {"alive", K::ReadOnly}, {"addresses", K::ReadOnly},
                {"floodingProxyWeight", K::Int}, {"containerWeight", K::Int}, {"containerLimit", K::Int},
                {"enforceContainerLimit", K::Bool}, {"id", K::ReadOnly}};
    if (type == QLatin1String("tunnel_zones"))
        return {{"name", K::Text}, {"type", K::ReadOnly}, {"id", K::ReadOnly}};
    if (type == QLatin1String("load_balancers"))
        return {{"adminStateUp", K::Bool}, {"routerId", K::ReadOnly}, {"id", K::ReadOnly}};
    return {{"id", K::ReadOnly}};
}

void InspectorDock::rebuild()
{
    setWindowTitle(tr("Inspector"));
    m_apply->setText(tr("Apply"));
    m_revert->setText(tr("Revert"));
    m_routes->setText(tr("Routes…"));
    m_bgp->setText(tr("BGP…"));
    m_bgp->setToolTip(tr("BGP peers, their session status, and advertised networks"));
    m_delete->setText(tr("Delete"));
    while (m_form->rowCount() > 0) m_form->removeRow(0);
    m_editors.clear();
    m_errors.clear();
    m_kinds.clear();
    m_type = m_model->typeOf(m_id);
    m_shown = m_model->object(m_type, m_id);
    if (m_id.isEmpty() || m_shown.isEmpty()) {
        m_title->setText(tr("Nothing selected"));
        m_id.clear();
        updateWidgets();
        return;
    }
    static const QHash<QString, const char *> typeNames = {
        {QStringLiteral("bridges"), QT_TR_NOOP("Bridge")},
        {QStringLiteral("routers"), QT_TR_NOOP("Router")},
        {QStringLiteral("ports"), QT_TR_NOOP("Port")},
        {QStringLiteral("hosts"), QT_TR_NOOP("Host")},
        {QStringLiteral("tunnel_zones"), QT_TR_NOOP("Tunnel zone")},
        {QStringLiteral("load_balancers"), QT_TR_NOOP("Load balancer")},
    };
    const char *tn = typeNames.value(m_type);
    m_title->setText((tn ? tr(tn) : m_type) + QStringLiteral(": ") + m_model->displayName(m_id));
    const auto markDirty = [this] {
        m_dirty = true;
        updateWidgets();
    };
    for (const Field &f : fieldsFor(m_type, m_shown)) {
        const QString key = QLatin1String(f.key);
        const QJsonValue v = m_shown.value(key);
        auto *cell = new QWidget(m_body);
        auto *cl = new QVBoxLayout(cell);
        cl->setContentsMargins(0, 0, 0, 0);
        cl->setSpacing(1);
        QWidget *editor = nullptr;
        switch (f.kind) {
        case FieldKind::Text:
        case FieldKind::Cidr: {
            auto *e = new QLineEdit(valueText(v), cell);
            connect(e, &QLineEdit::textEdited, this, markDirty);
            editor = e;
            break;
        }
        case FieldKind::Int: {
            auto *s = new QSpinBox(cell);
            s->setRange(-1, 2147483647);
            s->setValue(int(v.toInteger()));
            connect(s, &QSpinBox::valueChanged, this, markDirty);
            editor = s;
            break;
        }
        case FieldKind::Bool: {
            auto *c = new QCheckBox(cell);
            c->setChecked(v.toBool());
            connect(c, &QCheckBox::toggled, this, markDirty);
            editor = c;
            break;
        }
        case FieldKind::Chain: {
            auto *c = new QComboBox(cell);
            c->addItem(tr("(none)"), QString());
            for (const auto &ch : m_model->objects(QStringLiteral("chains")))
                c->addItem(m_model->displayName(ch.value(QLatin1String("id")).toString()), ch.value(QLatin1String("id")).toString());
            const int idx = c->findData(v.toString());
            c->setCurrentIndex(idx < 0 ? 0 : idx);
            connect(c, &QComboBox::currentIndexChanged, this, markDirty);
            editor = c;
            break;
        }
        case FieldKind::ReadOnly: {
            QString text = valueText(v);
            if ((key == QLatin1String("deviceId") || key == QLatin1String("peerId") || key == QLatin1String("hostId") ||
                 key == QLatin1String("routerId") || key == QLatin1String("loadBalancerId")) && !text.isEmpty())
                text = m_model->displayName(text) + QStringLiteral("  (") + text.left(8) + QLatin1Char(')');
            if (v.isBool()) text = v.toBool() ? tr("yes") : tr("no");
            // Ids have no spaces: allow breaks after '-' so they wrap instead of scrolling.
            text.replace(QLatin1Char('-'), QStringLiteral("-\u200b"));
            auto *l = new QLabel(text.isEmpty() ? QStringLiteral("—") : text, cell);
            l->setTextInteractionFlags(Qt::TextSelectableByMouse);
            l->setWordWrap(true);
            editor = l;
            break;
        }
        }
        editor->setObjectName(QStringLiteral("field_") + key);
        auto *err = new QLabel(cell);
        err->setObjectName(QStringLiteral("error_") + key);
        err->setStyleSheet(QLatin1String(kErrorStyle));
        err->setWordWrap(true);
        err->hide();
        cl->addWidget(editor);
        cl->addWidget(err);
        m_form->addRow(labelFor(key), cell);
        m_editors.insert(key, editor);
        m_errors.insert(key, err);
        m_kinds.insert(key, f.kind);
    }
    updateWidgets();
}

void InspectorDock::updateWidgets()
{
    const bool has = !m_id.isEmpty();
    m_apply->setEnabled(has && m_dirty);
    m_revert->setEnabled(has && m_dirty);
    m_routes->setVisible(m_type == QLatin1String("routers"));
    m_bgp->setVisible(m_type == QLatin1String("routers"));
    m_delete->setEnabled(has);
    m_delete->setVisible(has);
}

QJsonObject InspectorDock::collectChanges() const
{
    QJsonObject out;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        const QString key = it.key();
        const QJsonValue old = m_shown.value(key);
        QJsonValue now;
        switch (m_kinds.value(key)) {
        case FieldKind::Text: {
            const QString t = static_cast<QLineEdit *>(it.value())->text();
            now = t.isEmpty() && old.isNull() ? QJsonValue() : QJsonValue(t);
            break;
        }
        case FieldKind::Cidr: {
            QJsonArray a;
            for (const auto &part : static_cast<QLineEdit *>(it.value())->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
                a.append(part.trimmed());
            now = a;
            break;
        }
        case FieldKind::Int: now = static_cast<QSpinBox *>(it.value())->value(); break;
        case FieldKind::Bool: now = static_cast<QCheckBox *>(it.value())->isChecked(); break;
        case FieldKind::Chain: {
            const QString id = static_cast<QComboBox *>(it.value())->currentData().toString();
            now = id.isEmpty() ? QJsonValue() : QJsonValue(id);
            break;
        }
        case FieldKind::ReadOnly: continue;
        }
        const bool same = (now.isDouble() && old.isDouble()) ? now.toInteger() == old.toInteger()
                          : (now.isNull() && (old.isNull() || old.isUndefined())) || now == old;
        if (!same) out.insert(key, now);
    }
    return out;
}

void InspectorDock::clearErrors()
{
    m_topError->hide();
    for (auto *l : std::as_const(m_errors)) l->hide();
    for (auto *e : std::as_const(m_editors)) e->setStyleSheet(QString());
}

void InspectorDock::showErrors(const ApiResult &r)
{
    clearErrors();
    m_dirty = true; // the refused values stay in the form for the operator to correct
    updateWidgets();
    QStringList general;
    for (const Violation &v : r.violations) {
        // "portAddress" or a path such as "port.portAddress": match the last segment.
        const QString key = v.property.section(QLatin1Char('.'), -1);
        QLabel *l = m_errors.value(key);
        if (!l) {
            general << v.property + QStringLiteral(": ") + v.message;
            continue;
        }
        l->setText(v.message);
        l->show();
        m_editors.value(key)->setStyleSheet(QLatin1String(kErrorEditorStyle));
    }
    if (r.violations.isEmpty()) general << r.errorText();
    if (!general.isEmpty()) {
        m_topError->setText(general.join(QLatin1Char('\n')));
        m_topError->show();
    }
}

QString InspectorDock::generalError() const
{
    return m_topError->isVisible() ? m_topError->text() : QString();
}

} // namespace midonet::manager
