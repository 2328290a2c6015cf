// ChainsDialog: chains on the left, the selected chain's rules on the right in order. Rules are
// reordered by dragging rows; a form adds a rule (action, source, destination, protocol, port,
// jump target) at a position. Every change is an intent; the tables show what the cluster holds.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDialog>
#include <QJsonObject>

#include "manager-gui/models/api_types.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;

namespace midonet::manager {

class RulesModel;
class TopologyModel;

class ChainsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ChainsDialog(TopologyModel *model, QWidget *parent = nullptr);
    RulesModel *rules() const { return m_rules; }
    QTableView *rulesView() const { return m_table; }
    void selectChain(const QString &chainId);
    void showError(const ApiResult &r);

signals:
    void chainSelected(const QString &chainId);
    void createChainRequested(const QString &name);
    void deleteRequested(const QStringList &ids);
    void addRuleRequested(const QString &chainId, const QJsonObject &rule, int position);
    void moveRuleRequested(const QString &ruleId, int position);

public slots:
    void updateWidgets();

private:
    void reloadChains();
    TopologyModel *m_model;
    QListWidget *m_chains;
    RulesModel *m_rules;
    QTableView *m_table;
    QLineEdit *m_newChain, *m_src, *m_dst;
    QComboBox *m_action, *m_proto, *m_jump;
    QSpinBox *m_port, *m_position;
    QPushButton *m_addChain, *m_deleteChain, *m_addRule, *m_deleteRule;
    QLabel *m_error;
};

} // namespace midonet::manager
