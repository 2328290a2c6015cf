#include "manager-gui/dialogs/login_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace midonet::manager {

LoginDialog::LoginDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("loginDialog"));
    auto *grid = new QGridLayout(this);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("url"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("user"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_tenant = new QLineEdit(this);
    m_tenant->setObjectName(QStringLiteral("tenant"));
    m_urlLabel = new QLabel(this);
    m_userLabel = new QLabel(this);
    m_passwordLabel = new QLabel(this);
    m_tenantLabel = new QLabel(this);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("loginError"));
    m_error->setStyleSheet(QStringLiteral("color: #d23b3b;"));
    m_error->setWordWrap(true);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    int row = 0;
    for (auto [label, edit] : {std::pair{m_urlLabel, m_url}, {m_userLabel, m_user},
                               {m_passwordLabel, m_password}, {m_tenantLabel, m_tenant}}) {
        label->setBuddy(edit);
        grid->addWidget(label, row, 0);
        grid->addWidget(edit, row++, 1);
        connect(edit, &QLineEdit::textChanged, this, &LoginDialog::updateWidgets);
    }
    grid->addWidget(m_error, row++, 0, 1, 2);
    grid->addWidget(m_buttons, row, 0, 1, 2);
    grid->setColumnMinimumWidth(1, 300);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        remember();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    QSettings s;
    s.beginGroup(QStringLiteral("login"));
    m_url->setText(s.value(QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8181")).toString());
    m_user->setText(s.value(QStringLiteral("user"), QStringLiteral("admin")).toString());
    m_tenant->setText(s.value(QStringLiteral("tenant")).toString());
    retranslate();
    updateWidgets();
    if (!m_user->text().isEmpty()) m_password->setFocus();
}

void LoginDialog::retranslate()
{
    setWindowTitle(tr("Connect to a MidoNet cluster"));
    m_urlLabel->setText(tr("Cluster &URL:"));
    m_userLabel->setText(tr("&User:"));
    m_passwordLabel->setText(tr("&Password:"));
    m_tenantLabel->setText(tr("&Tenant:"));
    m_url->setPlaceholderText(tr("http://host:8181"));
    m_tenant->setPlaceholderText(tr("optional"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
}

void LoginDialog::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange) retranslate();
    QDialog::changeEvent(e);
}

void LoginDialog::updateWidgets()
{
    const QUrl u = QUrl::fromUserInput(m_url->text().trimmed());
    const bool ok = u.isValid() && !u.host().isEmpty() &&
                    (u.scheme() == QLatin1String("http") || u.scheme() == QLatin1String("https"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

LoginInfo LoginDialog::loginInfo() const
{
    return {QUrl::fromUserInput(m_url->text().trimmed()), m_user->text().trimmed(), m_password->text(),
            m_tenant->text().trimmed()};
}

void LoginDialog::setLoginInfo(const LoginInfo &info)
{
    m_url->setText(info.url.toString());
    m_user->setText(info.user);
    m_password->setText(info.password);
    m_tenant->setText(info.tenant);
    updateWidgets();
}

void LoginDialog::setError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void LoginDialog::remember() const
{
    QSettings s;
    s.beginGroup(QStringLiteral("login"));
    s.setValue(QStringLiteral("url"), m_url->text().trimmed());
    s.setValue(QStringLiteral("user"), m_user->text().trimmed());
    s.setValue(QStringLiteral("tenant"), m_tenant->text().trimmed());
}

} // namespace midonet::manager
