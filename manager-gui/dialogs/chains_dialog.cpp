#include "manager-gui/dialogs/chains_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "manager-gui/models/rules_model.h"
#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

namespace {
// "10.0.0.0/24" → address and length; "" → nothing.
void putCidr(QJsonObject &rule, const QString &text, const char *addr, const char *len)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) return;
    rule.insert(QLatin1String(addr), t.section(QLatin1Char('/'), 0, 0));
    rule.insert(QLatin1String(len), t.contains(QLatin1Char('/')) ? t.section(QLatin1Char('/'), 1, 1).toInt() : 32);
}
} // namespace

ChainsDialog::ChainsDialog(TopologyModel *model, QWidget *parent) : QDialog(parent), m_model(model)
{
    setWindowTitle(tr("Chains and rules"));
    resize(900, 520);
    auto *v = new QVBoxLayout(this);
    auto *split = new QSplitter(this);
    auto *left = new QWidget(split);
    auto *lv = new QVBoxLayout(left);
    lv->setContentsMargins(0, 0, 0, 0);
    m_chains = new QListWidget(left);
    m_chains->setObjectName(QStringLiteral("chains"));
    m_newChain = new QLineEdit(left);
    m_newChain->setPlaceholderText(tr("new chain name"));
    auto *lb = new QHBoxLayout;
    m_addChain = new QPushButton(tr("Add chain"), left);
    m_deleteChain = new QPushButton(tr("Delete chain"), left);
    lb->addWidget(m_addChain);
    lb->addWidget(m_deleteChain);
    lv->addWidget(new QLabel(tr("Chains"), left));
    lv->addWidget(m_chains, 1);
    lv->addWidget(m_newChain);
    lv->addLayout(lb);

    auto *right = new QWidget(split);
    auto *rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    m_rules = new RulesModel(model, this);
    m_table = new QTableView(right);
    m_table->setObjectName(QStringLiteral("rules"));
    m_table->setModel(m_rules);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setDragEnabled(true);
    m_table->setAcceptDrops(true);
    m_table->setDropIndicatorShown(true);
    m_table->setDragDropMode(QAbstractItemView::InternalMove);
    m_table->setDefaultDropAction(Qt::MoveAction);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    rv->addWidget(new QLabel(tr("Rules (drag a row to reorder)"), right));
    rv->addWidget(m_table, 1);
    auto *form = new QFormLayout;
    m_action = new QComboBox(right);
    for (const char *a : {"accept", "drop", "reject", "return", "jump"}) m_action->addItem(QString::fromLatin1(a), QString::fromLatin1(a));
    m_src = new QLineEdit(right);
    m_src->setPlaceholderText(tr("any"));
    m_dst = new QLineEdit(right);
    m_dst->setPlaceholderText(tr("any"));
    m_proto = new QComboBox(right);
    m_proto->addItem(tr("any"), 0);
    m_proto->addItem(QStringLiteral("tcp"), 6);
    m_proto->addItem(QStringLiteral("udp"), 17);
    m_proto->addItem(QStringLiteral("icmp"), 1);
    m_port = new QSpinBox(right);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any"));
    m_jump = new QComboBox(right);
    m_position = new QSpinBox(right);
    m_position->setRange(1, 100000);
    form->addRow(tr("Action:"), m_action);
    form->addRow(tr("Source:"), m_src);
    form->addRow(tr("Destination:"), m_dst);
    form->addRow(tr("Protocol:"), m_proto);
    form->addRow(tr("Destination port:"), m_port);
    form->addRow(tr("Jump to:"), m_jump);
    form->addRow(tr("Position:"), m_position);
    rv->addLayout(form);
    auto *rb = new QHBoxLayout;
    m_addRule = new QPushButton(tr("Add rule"), right);
    m_deleteRule = new QPushButton(tr("Delete rule"), right);
    rb->addStretch();
    rb->addWidget(m_addRule);
    rb->addWidget(m_deleteRule);
    rv->addLayout(rb);
    split->setStretchFactor(1, 3);
    v->addWidget(split, 1);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #d23b3b;"));
    m_error->setWordWrap(true);
    m_error->hide();
    v->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    v->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_chains, &QListWidget::currentRowChanged, this, [this] {
        const QString id = m_chains->currentItem() ? m_chains->currentItem()->data(Qt::UserRole).toString() : QString();
        m_rules->setChain(id);
        if (!id.isEmpty()) emit chainSelected(id);
        updateWidgets();
    });
    connect(m_rules, &RulesModel::moveRequested, this, &ChainsDialog::moveRuleRequested);
    connect(m_rules, &QAbstractItemModel::modelReset, this, &ChainsDialog::updateWidgets);
    connect(m_model, &TopologyModel::changed, this, &ChainsDialog::reloadChains);
    connect(m_newChain, &QLineEdit::textChanged, this, &ChainsDialog::updateWidgets);
    connect(m_action, &QComboBox::currentIndexChanged, this, &ChainsDialog::updateWidgets);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ChainsDialog::updateWidgets);
    connect(m_addChain, &QPushButton::clicked, this, [this] {
        emit createChainRequested(m_newChain->text().trimmed());
        m_newChain->clear();
    });
    connect(m_deleteChain, &QPushButton::clicked, this, [this] {
        if (m_chains->currentItem()) emit deleteRequested({m_chains->currentItem()->data(Qt::UserRole).toString()});
    });
    connect(m_deleteRule, &QPushButton::clicked, this, [this] {
        const auto rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty()) emit deleteRequested({m_rules->ruleId(rows.first().row())});
    });
    connect(m_addRule, &QPushButton::clicked, this, [this] {
        QJsonObject r{{QStringLiteral("type"), m_action->currentData().toString()}};
        putCidr(r, m_src->text(), "nwSrcAddress", "nwSrcLength");
        putCidr(r, m_dst->text(), "nwDstAddress", "nwDstLength");
        if (m_proto->currentData().toInt()) r.insert(QStringLiteral("nwProto"), m_proto->currentData().toInt());
        if (m_port->value())
            r.insert(QStringLiteral("tpDst"), QJsonObject{{QStringLiteral("start"), m_port->value()}, {QStringLiteral("end"), m_port->value()}});
        if (m_action->currentData().toString() == QLatin1String("jump")) {
            r.insert(QStringLiteral("jumpChainId"), m_jump->currentData().toString());
            r.insert(QStringLiteral("jumpChainName"), m_jump->currentText());
        }
        m_error->hide();
        emit addRuleRequested(m_rules->chain(), r, m_position->value());
    });
    reloadChains();
    updateWidgets();
}

void ChainsDialog::reloadChains()
{
    const QString current = m_chains->currentItem() ? m_chains->currentItem()->data(Qt::UserRole).toString() : QString();
    QList<QPair<QString, QString>> chains;
    for (const auto &c : m_model->objects(QStringLiteral("chains")))
        chains << qMakePair(m_model->displayName(c.value(QLatin1String("id")).toString()), c.value(QLatin1String("id")).toString());
    std::sort(chains.begin(), chains.end());
    bool same = chains.size() == m_chains->count();
    for (int i = 0; same && i < chains.size(); ++i)
        same = m_chains->item(i)->data(Qt::UserRole).toString() == chains[i].second && m_chains->item(i)->text() == chains[i].first;
    if (!same) {
        const QSignalBlocker block(m_chains);
        m_chains->clear();
        m_jump->clear();
        for (const auto &c : chains) {
            auto *item = new QListWidgetItem(c.first, m_chains);
            item->setData(Qt::UserRole, c.second);
            m_jump->addItem(c.first, c.second);
        }
        for (int i = 0; i < m_chains->count(); ++i)
            if (m_chains->item(i)->data(Qt::UserRole).toString() == current) m_chains->setCurrentRow(i);
        if (!m_chains->currentItem() && !current.isEmpty()) m_rules->setChain({});
    }
    updateWidgets();
}

void ChainsDialog::selectChain(const QString &chainId)
{
    for (int i = 0; i < m_chains->count(); ++i)
        if (m_chains->item(i)->data(Qt::UserRole).toString() == chainId) m_chains->setCurrentRow(i);
}

void ChainsDialog::updateWidgets()
{
    const bool chain = !m_rules->chain().isEmpty();
    m_addChain->setEnabled(!m_newChain->text().trimmed().isEmpty());
    m_deleteChain->setEnabled(chain);
    m_addRule->setEnabled(chain);
    m_deleteRule->setEnabled(chain && m_table->selectionModel()->hasSelection());
    m_jump->setEnabled(m_action->currentData().toString() == QLatin1String("jump"));
    m_position->setMaximum(m_rules->rowCount() + 1);
}

void ChainsDialog::showError(const ApiResult &r)
{
    m_error->setText(r.errorText());
    m_error->show();
}

} // namespace midonet::manager
