// SettingsDialog: the user's language (system, English, Japanese) and theme (light, dark),
// stored in QSettings under "ui/language" and "ui/theme". The caller applies them.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QDialogButtonBox;

namespace midonet::manager {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);
    // "" (follow the system), "en" or "ja".
    QString language() const;
    // "light" or "dark".
    QString theme() const;
    void save() const;

public slots:
    void updateWidgets();

protected:
    void changeEvent(QEvent *e) override;

private:
    void retranslate();
    QComboBox *m_language, *m_theme;
    QLabel *m_languageLabel, *m_themeLabel, *m_note;
    QDialogButtonBox *m_buttons;
};

} // namespace midonet::manager
