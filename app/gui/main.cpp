// PEcast's desktop entry point: sets up the application and shows the wizard.

#include "pecastwizard.h"
#include "util/init.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PEcast"));
    QApplication::setOrganizationName(QStringLiteral("PEcast"));
    QApplication::setApplicationVersion(QStringLiteral(PECAST_VERSION));
    pecast::initLibraries();

    pecast::ui::PecastWizard wizard;
    wizard.show();
    return app.exec();
}
