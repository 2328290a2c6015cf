// The Manager's top-level window. Views only: it never talks to the network itself (DESIGN.md,
// "The Manager"); later issues feed it from the API client and event stream models.
#pragma once

#include <QMainWindow>

class QLabel;

namespace midonet::manager {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

private:
    QLabel *m_connectionState = nullptr;
};

} // namespace midonet::manager
