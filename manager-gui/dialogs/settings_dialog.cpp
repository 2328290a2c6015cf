#include "manager-gui/dialogs/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>

namespace midonet::manager {

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    auto *form = new QFormLayout(this);
    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("language"));
    m_theme = new QComboBox(this);
    m_theme->setObjectName(QStringLiteral("theme"));
    m_languageLabel = new QLabel(this);
    m_themeLabel = new QLabel(this);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_themeLabel, m_theme);
    form->addRow(m_note);
    form->addRow(m_buttons);
    // Language names are shown in their own language, so anyone can find theirs.
    m_language->addItem(QString(), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("日本語"), QStringLiteral("ja"));
    m_theme->addItem(QString(), QStringLiteral("light"));
    m_theme->addItem(QString(), QStringLiteral("dark"));
    QSettings s;
    m_language->setCurrentIndex(std::max(0, m_language->findData(s.value(QStringLiteral("ui/language")).toString())));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(s.value(QStringLiteral("ui/theme"), QStringLiteral("light")).toString())));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_language, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateWidgets);
    retranslate();
    updateWidgets();
}

void SettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings"));
    m_languageLabel->setText(tr("&Language:"));
    m_themeLabel->setText(tr("&Theme:"));
    m_language->setItemText(0, tr("System default"));
    m_theme->setItemText(0, tr("Light"));
    m_theme->setItemText(1, tr("Dark"));
}

void SettingsDialog::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange) retranslate();
    QDialog::changeEvent(e);
}

void SettingsDialog::updateWidgets()
{
    m_note->setText(language().isEmpty() ? tr("The language follows the system locale.") : QString());
    m_note->setVisible(language().isEmpty());
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

QString SettingsDialog::theme() const
{
    return m_theme->currentData().toString();
}

void SettingsDialog::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("ui/language"), language());
    s.setValue(QStringLiteral("ui/theme"), theme());
}

} // namespace midonet::manager
