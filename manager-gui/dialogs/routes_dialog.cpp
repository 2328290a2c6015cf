#include "manager-gui/dialogs/routes_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "manager-gui/models/routes_model.h"
#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

RoutesDialog::RoutesDialog(TopologyModel *model, const QString &routerId, QWidget *parent)
    : QDialog(parent), m_model(model), m_router(routerId)
{
    setWindowTitle(tr("Routes of %1").arg(model->displayName(routerId)));
    resize(720, 460);
    auto *v = new QVBoxLayout(this);
    m_routes = new RoutesModel(model, this);
    m_routes->setRouter(routerId);
    m_table = new QTableView(this);
    m_table->setModel(m_routes);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    v->addWidget(m_table, 1);

    auto *form = new QFormLayout;
    m_dst = new QLineEdit(this);
    m_dst->setObjectName(QStringLiteral("dstNetwork"));
    m_dst->setPlaceholderText(QStringLiteral("0.0.0.0/0"));
    m_port = new QComboBox(this);
    m_gateway = new QLineEdit(this);
    m_gateway->setObjectName(QStringLiteral("nextHopGateway"));
    m_weight = new QSpinBox(this);
    m_weight->setRange(0, 65535);
    m_weight->setValue(100);
    m_type = new QComboBox(this);
    m_type->addItem(tr("Normal"), QStringLiteral("Normal"));
    m_type->addItem(tr("Black hole"), QStringLiteral("BlackHole"));
    m_type->addItem(tr("Reject"), QStringLiteral("Reject"));
    for (const auto &p : model->portsOf(routerId))
        m_port->addItem(p.value(QLatin1String("portAddress")).toString() + QStringLiteral("  (") +
                            p.value(QLatin1String("id")).toString().left(8) + QLatin1Char(')'),
                        p.value(QLatin1String("id")).toString());
    form->addRow(tr("Destination:"), m_dst);
    form->addRow(tr("Next-hop port:"), m_port);
    form->addRow(tr("Gateway:"), m_gateway);
    form->addRow(tr("Weight:"), m_weight);
    form->addRow(tr("Type:"), m_type);
    v->addLayout(form);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #d23b3b;"));
    m_error->setWordWrap(true);
    m_error->hide();
    v->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_add = buttons->addButton(tr("Add route"), QDialogButtonBox::ActionRole);
    m_delete = buttons->addButton(tr("Delete"), QDialogButtonBox::ActionRole);
    v->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_dst, &QLineEdit::textChanged, this, &RoutesDialog::updateWidgets);
    connect(m_type, &QComboBox::currentIndexChanged, this, &RoutesDialog::updateWidgets);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RoutesDialog::updateWidgets);
    connect(m_add, &QPushButton::clicked, this, [this] {
        const QString dst = m_dst->text().trimmed();
        QJsonObject r{{QStringLiteral("type"), m_type->currentData().toString()},
                      {QStringLiteral("srcNetworkAddr"), QStringLiteral("0.0.0.0")},
                      {QStringLiteral("srcNetworkLength"), 0},
                      {QStringLiteral("dstNetworkAddr"), dst.section(QLatin1Char('/'), 0, 0)},
                      {QStringLiteral("dstNetworkLength"), dst.section(QLatin1Char('/'), 1, 1).toInt()},
                      {QStringLiteral("weight"), m_weight->value()}};
        if (m_type->currentData().toString() == QLatin1String("Normal"))
            r.insert(QStringLiteral("nextHopPort"), m_port->currentData().toString());
        if (!m_gateway->text().trimmed().isEmpty())
            r.insert(QStringLiteral("nextHopGateway"), m_gateway->text().trimmed());
        m_error->hide();
        emit addRequested(m_router, r);
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (const auto &i : m_table->selectionModel()->selectedRows()) ids << m_routes->routeId(i.row());
        emit deleteRequested(ids);
    });
    updateWidgets();
}

void RoutesDialog::updateWidgets()
{
    const bool normal = m_type->currentData().toString() == QLatin1String("Normal");
    m_port->setEnabled(normal);
    m_add->setEnabled(m_dst->text().contains(QLatin1Char('/')) && (!normal || m_port->count() > 0));
    m_delete->setEnabled(m_table->selectionModel()->hasSelection());
}

void RoutesDialog::showError(const ApiResult &r)
{
    m_error->setText(r.errorText());
    m_error->show();
}

} // namespace midonet::manager
