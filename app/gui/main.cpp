// PEcast's desktop entry point: sets up the application, loads the translation for the user's
// locale and shows the wizard. `pecast-gui [FILE.wim]` opens a WIM right away.

#include "pecastwizard.h"
#include "util/init.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PEcast"));
    QApplication::setOrganizationName(QStringLiteral("PEcast"));
    QApplication::setApplicationVersion(QStringLiteral(PECAST_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.pecast.PEcast"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/pecast.svg")));
    pecast::initLibraries();

    // Qt's own strings (the wizard's Back/Next/Cancel) and ours, embedded under :/i18n.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("pecast"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Turn a WinPE WIM into a network-bootable disk image."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("wim"),
        QApplication::translate(
            "main", "A WIM, an ISO, a WinPE folder or a disk image to open (optional)."));
    parser.process(app);

    pecast::ui::PecastWizard wizard;
    if (!parser.positionalArguments().isEmpty())
        wizard.openSource(parser.positionalArguments().constFirst());
    wizard.show();
    return app.exec();
}
