// LoginDialog: cluster URL, user, password and tenant. Everything but the password is remembered
// (QSettings, group "login"). It only collects values; the caller connects.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDialog>

#include "manager-gui/models/session.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace midonet::manager {

class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(QWidget *parent = nullptr);

    LoginInfo loginInfo() const;
    void setLoginInfo(const LoginInfo &info);
    // Shown under the fields after a failed attempt.
    void setError(const QString &text);
    // Saves URL, user and tenant (never the password).
    void remember() const;

public slots:
    void updateWidgets();

protected:
    void changeEvent(QEvent *e) override;

private:
    void retranslate();
    QLineEdit *m_url, *m_user, *m_password, *m_tenant;
    QLabel *m_urlLabel, *m_userLabel, *m_passwordLabel, *m_tenantLabel, *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace midonet::manager
