#include "manager-gui/widgets/main_window.h"

#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace midonet::manager {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("MidoNet Manager"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("Virtual topology"), central);
    title->setStyleSheet(QStringLiteral("font-size: 18pt; font-weight: bold;"));
    auto *hint = new QLabel(tr("Connect to a cluster to see bridges, routers and ports."), central);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addStretch();
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Quit"), this, &QWidget::close);

    m_connectionState = new QLabel(tr("Not connected"), this);
    statusBar()->addPermanentWidget(m_connectionState);
    resize(1024, 700);
}

} // namespace midonet::manager
