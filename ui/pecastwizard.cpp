#include "pecastwizard.h"

#include <QLabel>
#include <QVBoxLayout>
#include <QWizardPage>

namespace pecast::ui {

PecastWizard::PecastWizard(QWidget *parent)
    : QWizard(parent)
{
    setWindowTitle(tr("PEcast"));
    auto *page = new QWizardPage(this);
    page->setTitle(tr("Welcome to PEcast"));
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(new QLabel(tr("Turn a WinPE WIM into a network-bootable disk image."), page));
    addPage(page);
}

} // namespace pecast::ui
