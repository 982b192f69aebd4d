// Renders every wizard page to PNG for the README: walks the real flow with a fixture WIM (a real
// inspection, build and server on 127.0.0.1), grabbing each page when it has settled.
// Usage: pecast-screenshots OUTPUT_DIR   (packaging/screenshots.sh runs it under xvfb-run)

#include "fixtures.h"
#include "pages/buildpage.h"
#include "pages/customizepage.h"
#include "pages/editimagepage.h"
#include "pages/imagepage.h"
#include "pages/servepage.h"
#include "pages/sourcepage.h"
#include "pecastwizard.h"
#include "pipeline/buildrunner.h"
#include "serve/servecontroller.h"
#include "settings.h"
#include "util/init.h"
#include "wizardcontext.h"

#include <QApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <cstdio>

using namespace pecast;

namespace {

// The README shows the pages at the wizard's default size.
constexpr QSize kShotSize(860, 640);
constexpr int kWaitMs = 120000;

bool save(QWidget *window, const QString &dir, const QString &name)
{
    QApplication::processEvents();
    QTest::qWait(50); // let queued repaints (progress bars, text browsers) land
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
    const bool ok = window->grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

void get(QNetworkAccessManager &manager, const QString &url)
{
    QNetworkReply *reply = manager.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(kWaitMs);
    reply->deleteLater();
}

int fail(const QString &why)
{
    std::fprintf(stderr, "pecast-screenshots: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QApplication::setOrganizationName(QStringLiteral("PEcastScreenshots"));
    QApplication::setApplicationName(QStringLiteral("pecast-screenshots"));
    pecast::initLibraries();
    // The locale picks the language, as in app/gui/main.cpp (LC_ALL=de_DE.UTF-8 → German).
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("pecast"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);
    if (argc < 2)
        return fail(QStringLiteral("usage: pecast-screenshots OUTPUT_DIR"));
    const QString outDir = QFileInfo(QString::fromLocal8Bit(argv[1])).absoluteFilePath();
    QDir().mkpath(outDir);

    QTemporaryDir temp;
    QString error;
    test::FixtureWimOptions options;
    options.fileName = QStringLiteral("boot.wim");
    test::FixtureImage pe;
    pe.name = QStringLiteral("Microsoft Windows PE (x64)");
    pe.description = QStringLiteral("Microsoft Windows PE (x64)");
    test::FixtureImage setup;
    setup.name = QStringLiteral("Microsoft Windows Setup (x64)");
    setup.description = QStringLiteral("Windows Setup without boot files");
    setup.tree.withBootFiles = false;
    options.images = { pe, setup };
    options.bootIndex = 1;
    const QString wim
        = test::makeFixtureWim(temp.filePath(QStringLiteral("media")), options, &error);
    if (wim.isEmpty())
        return fail(error);
    ui::Settings::setValue(ui::settingsKey::recentFiles, QStringList {});
    ui::Settings::addRecentFile(wim);

    ui::PecastWizard wizard;
    wizard.resize(kShotSize);
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return fail(QStringLiteral("the window was never shown"));

    wizard.sourcePage()->setSourcePath(wim);
    save(&wizard, outDir, QStringLiteral("01-source"));

    wizard.next();
    if (!QTest::qWaitFor([&] { return !wizard.imagePage()->isInspecting(); }, kWaitMs))
        return fail(QStringLiteral("inspection did not finish"));
    save(&wizard, outDir, QStringLiteral("02-image"));

    // Customize: a tools folder and an edited startnet.cmd, shown, then taken back so the build
    // below uses the WIM as it is.
    wizard.next();
    const QString tools = temp.filePath(QStringLiteral("Tools"));
    QDir().mkpath(tools);
    QFile tool(tools + QStringLiteral("/diag.cmd"));
    if (tool.open(QIODevice::WriteOnly))
        tool.write("ipconfig /all\r\n");
    tool.close();
    wizard.customizePage()->addPaths({ tools });
    wizard.customizePage()->setTextFile(QStringLiteral("\\Windows\\System32\\startnet.cmd"),
        QStringLiteral("wpeinit\nX:\\Tools\\diag.cmd\n"));
    save(&wizard, outDir, QStringLiteral("09-customize"));
    wizard.customizePage()->removeChange(1);
    wizard.customizePage()->removeChange(0);

    wizard.next();
    save(&wizard, outDir, QStringLiteral("03-boot-files"));
    wizard.next();
    save(&wizard, outDir, QStringLiteral("04-boot-configuration"));
    wizard.next();
    wizard.findChild<QLineEdit *>(QStringLiteral("outputPath"))
        ->setText(temp.filePath(QStringLiteral("media/winpe.img")));
    save(&wizard, outDir, QStringLiteral("05-output"));

    QSignalSpy finished(&wizard.context()->runner(), &pipeline::BuildRunner::finished);
    wizard.next();
    if (finished.isEmpty() && !finished.wait(kWaitMs))
        return fail(QStringLiteral("the build did not finish"));
    if (wizard.buildPage()->state() != ui::BuildPage::State::Succeeded)
        return fail(QStringLiteral("the build failed:\n") + wizard.buildPage()->logText());
    QTest::qWait(1000); // the summary's inspection line
    save(&wizard, outDir, QStringLiteral("06-build"));

    wizard.next();
    wizard.servePage()->setPort(0);
    wizard.servePage()->startServing();
    if (!wizard.context()->isServing())
        return fail(QStringLiteral("the server did not start"));
    QNetworkAccessManager manager;
    const QString base
        = QStringLiteral("http://127.0.0.1:%1/").arg(wizard.context()->server().httpPort());
    get(manager, base + QStringLiteral("boot.ipxe"));
    get(manager, base + QStringLiteral("memdisk"));
    get(manager, base + wizard.context()->server().imageName());
    if (!QTest::qWaitFor([&] { return wizard.servePage()->clientRows() >= 3; }, kWaitMs))
        return fail(QStringLiteral("the clients table did not fill in"));
    save(&wizard, outDir, QStringLiteral("07-serve"));
    wizard.findChild<QTabWidget *>(QStringLiteral("serveTabs"))->setCurrentIndex(1);
    save(&wizard, outDir, QStringLiteral("08-serve-script"));
    wizard.servePage()->stopServing();

    // The edit flow: the image just built, opened again, its WIM replaced into a new file.
    ui::PecastWizard editor;
    editor.resize(kShotSize);
    editor.show();
    if (!QTest::qWaitForWindowExposed(&editor))
        return fail(QStringLiteral("the second window was never shown"));
    editor.sourcePage()->setSourcePath(temp.filePath(QStringLiteral("media/winpe.img")));
    editor.next();
    ui::EditImagePage *edit = editor.editImagePage();
    if (!QTest::qWaitFor([&] { return edit->state() == ui::EditImagePage::State::Ready; }, kWaitMs))
        return fail(QStringLiteral("the image inspection did not finish"));
    edit->setNewWim(wim);
    QSignalSpy replaced(edit, &ui::EditImagePage::replaceFinished);
    edit->startReplace();
    if (replaced.isEmpty() && !replaced.wait(kWaitMs))
        return fail(QStringLiteral("the WIM replacement did not finish"));
    save(&editor, outDir, QStringLiteral("10-edit-image"));
    return 0;
}
