#include "manager-gui/dialogs/bgp_dialog.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

#include "manager-gui/models/bgp_model.h"
#include "manager-gui/models/topology_model.h"

namespace midonet::manager {

namespace {
constexpr int kRefreshMs = 5000;

bool looksLikeIpv4(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    const auto m = re.match(s);
    if (!m.hasMatch()) return false;
    for (int i = 1; i <= 4; ++i)
        if (m.captured(i).toInt() > 255) return false;
    return true;
}

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *t = new QTableView(parent);
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->verticalHeader()->hide();
    return t;
}

QLabel *makeError(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setStyleSheet(QStringLiteral("color: #d23b3b;"));
    l->setWordWrap(true);
    l->hide();
    return l;
}
} // namespace

BgpDialog::BgpDialog(TopologyModel *model, const QString &routerId, QWidget *parent)
    : QDialog(parent), m_model(model), m_router(routerId)
{
    setWindowTitle(tr("BGP of %1").arg(model->displayName(routerId)));
    resize(820, 560);
    auto *v = new QVBoxLayout(this);

    // Peers.
    auto *peersBox = new QGroupBox(tr("BGP peers"), this);
    auto *pv = new QVBoxLayout(peersBox);
    m_peers = new BgpPeersModel(model, this);
    m_peers->setRouter(routerId);
    m_peerTable = makeTable(m_peers, peersBox);
    m_peerTable->setObjectName(QStringLiteral("bgpPeers"));
    pv->addWidget(m_peerTable, 1);
    auto *pf = new QHBoxLayout;
    m_address = new QLineEdit(peersBox);
    m_address->setObjectName(QStringLiteral("address"));
    m_address->setPlaceholderText(QStringLiteral("192.0.2.1"));
    m_as = new QLineEdit(peersBox);
    m_as->setObjectName(QStringLiteral("asNumber"));
    m_as->setPlaceholderText(QStringLiteral("65001"));
    m_as->setMaximumWidth(120);
    m_addPeer = new QPushButton(tr("Add peer"), peersBox);
    m_addPeer->setObjectName(QStringLiteral("addPeer"));
    m_deletePeer = new QPushButton(tr("Delete peer"), peersBox);
    m_deletePeer->setObjectName(QStringLiteral("deletePeer"));
    pf->addWidget(new QLabel(tr("Address:"), peersBox));
    pf->addWidget(m_address, 1);
    pf->addWidget(new QLabel(tr("AS:"), peersBox));
    pf->addWidget(m_as);
    pf->addWidget(m_addPeer);
    pf->addWidget(m_deletePeer);
    pv->addLayout(pf);
    m_peerError = makeError(peersBox);
    m_peerError->setObjectName(QStringLiteral("peerError"));
    pv->addWidget(m_peerError);
    v->addWidget(peersBox, 3);

    // Networks.
    auto *netBox = new QGroupBox(tr("Advertised networks"), this);
    auto *nv = new QVBoxLayout(netBox);
    m_networks = new BgpNetworksModel(model, this);
    m_networks->setRouter(routerId);
    m_networkTable = makeTable(m_networks, netBox);
    m_networkTable->setObjectName(QStringLiteral("bgpNetworks"));
    nv->addWidget(m_networkTable, 1);
    auto *nf = new QHBoxLayout;
    m_network = new QLineEdit(netBox);
    m_network->setObjectName(QStringLiteral("subnet"));
    m_network->setPlaceholderText(QStringLiteral("203.0.113.0/24"));
    m_addNetwork = new QPushButton(tr("Add network"), netBox);
    m_addNetwork->setObjectName(QStringLiteral("addNetwork"));
    m_deleteNetwork = new QPushButton(tr("Delete network"), netBox);
    m_deleteNetwork->setObjectName(QStringLiteral("deleteNetwork"));
    nf->addWidget(new QLabel(tr("Network:"), netBox));
    nf->addWidget(m_network, 1);
    nf->addWidget(m_addNetwork);
    nf->addWidget(m_deleteNetwork);
    nv->addLayout(nf);
    m_networkError = makeError(netBox);
    m_networkError->setObjectName(QStringLiteral("networkError"));
    nv->addWidget(m_networkError);
    v->addWidget(netBox, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    v->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (QLineEdit *e : {m_address, m_as, m_network}) connect(e, &QLineEdit::textChanged, this, &BgpDialog::updateWidgets);
    for (QTableView *t : {m_peerTable, m_networkTable})
        connect(t->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BgpDialog::updateWidgets);
    connect(m_model, &TopologyModel::changed, this, &BgpDialog::updateWidgets);
    connect(m_addPeer, &QPushButton::clicked, this, [this] {
        m_peerError->hide();
        emit addPeerRequested(m_router, QJsonObject{{QStringLiteral("address"), m_address->text().trimmed()},
                                                   {QStringLiteral("asNumber"), m_as->text().trimmed().toLongLong()}});
    });
    connect(m_addNetwork, &QPushButton::clicked, this, [this] {
        const QString n = m_network->text().trimmed();
        m_networkError->hide();
        emit addNetworkRequested(m_router, QJsonObject{{QStringLiteral("subnetAddress"), n.section(QLatin1Char('/'), 0, 0)},
                                                      {QStringLiteral("subnetLength"), n.section(QLatin1Char('/'), 1, 1).toInt()}});
    });
    connect(m_deletePeer, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (const auto &i : m_peerTable->selectionModel()->selectedRows()) ids << m_peers->peerId(i.row());
        emit deleteRequested(ids);
    });
    connect(m_deleteNetwork, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (const auto &i : m_networkTable->selectionModel()->selectedRows()) ids << m_networks->networkId(i.row());
        emit deleteRequested(ids);
    });
    // Session status is not pushed when only counters move: ask again while the dialog is open.
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, [this] { emit refreshRequested(m_router); });
    m_refresh.start();
    updateWidgets();
}

void BgpDialog::updateWidgets()
{
    bool asOk = false;
    const qint64 as = m_as->text().trimmed().toLongLong(&asOk);
    m_addPeer->setEnabled(looksLikeIpv4(m_address->text().trimmed()) && asOk && as > 0 && as <= 4294967295LL);
    m_deletePeer->setEnabled(m_peerTable->selectionModel()->hasSelection());
    const QString n = m_network->text().trimmed();
    bool lenOk = false;
    const int len = n.section(QLatin1Char('/'), 1, 1).toInt(&lenOk);
    m_addNetwork->setEnabled(looksLikeIpv4(n.section(QLatin1Char('/'), 0, 0)) && lenOk && len >= 0 && len <= 32);
    m_deleteNetwork->setEnabled(m_networkTable->selectionModel()->hasSelection());
}

void BgpDialog::showError(const ApiResult &r)
{
    // Peer fields (address, asNumber) vs network fields (subnetAddress, subnetLength): the error
    // goes under the form it belongs to; without a field name, under both is noise, so peers.
    bool network = false;
    for (const auto &v : r.violations)
        if (v.property.startsWith(QLatin1String("subnet"))) network = true;
    QLabel *target = network ? m_networkError : m_peerError;
    QString text = r.errorText();
    if (!r.violations.isEmpty()) {
        QStringList lines;
        for (const auto &v : r.violations) lines << v.property + QStringLiteral(": ") + v.message;
        text = lines.join(QLatin1Char('\n'));
    }
    target->setText(text);
    target->show();
}

} // namespace midonet::manager
