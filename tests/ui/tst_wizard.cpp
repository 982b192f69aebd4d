// Drives the whole wizard on the offscreen platform with real components: a fixture WIM made by
// wimlib, the real build pipeline on its worker thread, the real HTTP server on 127.0.0.1, and
// checks each result with an independent reader (sha256 of the file, disk::inspectImage, HTTP).

#include "disk/imagereport.h"
#include "disk/ntfsvolume.h"
#include "fixtures.h"
#include "pages/bootconfigpage.h"
#include "pages/bootfilespage.h"
#include "pages/buildpage.h"
#include "pages/customizepage.h"
#include "pages/editimagepage.h"
#include "pages/imagepage.h"
#include "pages/outputpage.h"
#include "pages/servepage.h"
#include "pages/sourcepage.h"
#include "pecastwizard.h"
#include "pipeline/buildrunner.h"
#include "pipeline/imageinspection.h"
#include "pipeline/runbuild.h"
#include "serve/servecontroller.h"
#include "settings.h"
#include "sourceresolver.h"
#include "testenv.h"
#include "util/filehash.h"
#include "util/init.h"
#include "widgets/bootfilechooser.h"
#include "widgets/inlinemessage.h"
#include "widgets/textfiledialog.h"
#include "wim/wimedit.h"
#include "wim/wiminspect.h"
#include "wizardcontext.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDragEnterEvent>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>

using namespace pecast;
using namespace pecast::ui;

namespace {

// Bounds for waits: a fixture build takes a few seconds; ASan and a busy CI make it slower.
constexpr int kInspectTimeoutMs = 30000;
constexpr int kBuildTimeoutMs = 180000;
constexpr int kHttpTimeoutMs = 30000;

// Sends the drag-enter / drop pair a real drag would, to `target`; QApplication propagates
// them to the first ancestor that accepts drops, as it does for a drag from a file manager.
bool dropFile(QWidget *target, const QString &path)
{
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

QByteArray httpGet(const QString &url, int *status = nullptr)
{
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(kHttpTimeoutMs))
        return {};
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

// A file of the image's boot partition, copied out with libntfs-3g.
bool copyOutOfImage(const QString &image, const QString &pathInImage, const QString &target)
{
    const auto report = disk::inspectImage(image);
    if (!report)
        return false;
    auto volume = disk::NtfsVolume::open(
        image, report->partitionOffset(), disk::NtfsVolume::Mode::ReadOnly);
    if (!volume)
        return false;
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    Progress progress;
    const bool ok
        = volume
              ->readFile(
                  pathInImage,
                  [&out](const char *data, qint64 size) { return out.write(data, size) == size; },
                  progress)
              .ok();
    return volume->close().ok() && ok;
}

QString sha256(const QString &path)
{
    const auto digest = sha256File(path);
    return digest ? *digest : QString();
}

struct BuiltImage
{
    QString path; // empty when the build failed
    QString sha256;
};

// Builds `dir`/pe.img (the folder is created) from `wim` with the real pipeline (what
// `pecast build` does).
BuiltImage buildImage(const QString &wim, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return {};
    pipeline::BuildPlan plan;
    plan.wimPath = wim;
    plan.outputPath = dir + QStringLiteral("/pe.img");
    auto result = pipeline::runBuild(plan, {});
    if (!result)
        return {};
    return { result->outputPath, sha256(result->outputPath) };
}

QStringList dirEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Answers the next modal message box with `button` once it appears.
void answerNextMessageBox(QMessageBox::StandardButton button)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        timer->stop();
        timer->deleteLater();
        box->button(button)->click();
    });
    timer->start();
}

} // namespace

class TestWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sourcePageValidation();
    void fullFlow();
    void dropReplacesWim();
    void cancelMidBuild();
    void recompressSolidWim();
    void closeDuringBuildAsks();
    void editImageSavesAsNew();
    void cancelReplaceKeepsOriginal();
    void customizeAddsFiles();
    void cancelCustomizeLeavesNothing();
    void isoAndFolderSources();

private:
    // Shows the wizard and walks Source → Output with the big WIM (so a cancel lands
    // mid-build), the output `outDir`/big.img in that new, empty folder; leaves the wizard on
    // the Output page.
    void walkBigWimToOutput(PecastWizard &wizard, const QString &outDir);
    // On the Output page: sets the output path, presses Next and waits for the build to end.
    // False when it did not end in time.
    bool buildFromOutputPage(PecastWizard &wizard, const QString &output);
    void waitForInspection(PecastWizard &wizard);

    QTemporaryDir m_dir;
    QString m_wim; // two images: 1 bootable (boot index), 2 without boot files
    QString m_secondWim; // one image, another name
    QString m_bigWim; // ~100 MiB, so a cancel lands mid-build
};

void TestWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a throwaway location
    QCoreApplication::setOrganizationName(QStringLiteral("PEcastTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_wizard"));
    pecast::initLibraries();
    qRegisterMetaType<pecast::pipeline::BuildResult>();
    qRegisterMetaType<pecast::serve::ClientTransfer>();
    QVERIFY(m_dir.isValid());

    QString error;
    test::FixtureWimOptions options;
    options.fileName = QStringLiteral("winpe.wim");
    test::FixtureImage bootable;
    bootable.name = QStringLiteral("Microsoft Windows PE (x64)");
    test::FixtureImage setup;
    setup.name = QStringLiteral("Setup without boot files");
    setup.tree.withBootFiles = false;
    options.images = { bootable, setup };
    options.bootIndex = 1;
    m_wim = test::makeFixtureWim(m_dir.filePath(QStringLiteral("a")), options, &error);
    QVERIFY2(!m_wim.isEmpty(), qPrintable(error));

    test::FixtureWimOptions second;
    second.fileName = QStringLiteral("second.wim");
    second.imageCount = 1;
    m_secondWim = test::makeFixtureWim(m_dir.filePath(QStringLiteral("b")), second, &error);
    QVERIFY2(!m_secondWim.isEmpty(), qPrintable(error));

    test::FixtureWimOptions big;
    big.fileName = QStringLiteral("big.wim");
    big.targetSize = 100LL * 1024 * 1024;
    m_bigWim = test::makeFixtureWim(m_dir.filePath(QStringLiteral("c")), big, &error);
    QVERIFY2(!m_bigWim.isEmpty(), qPrintable(error));
}

void TestWizard::waitForInspection(PecastWizard &wizard)
{
    QVERIFY(QTest::qWaitFor(
        [&] { return !wizard.imagePage()->isInspecting() && wizard.context()->wimInfo(); },
        kInspectTimeoutMs));
}

void TestWizard::sourcePageValidation()
{
    PecastWizard wizard;
    wizard.show();
    QCOMPARE(wizard.currentId(), int(PecastWizard::SourceId));
    auto *path = wizard.findChild<QLineEdit *>(QStringLiteral("sourcePath"));
    QVERIFY(path);
    QAbstractButton *next = wizard.button(QWizard::NextButton);
    QVERIFY(!next->isEnabled());

    path->setText(m_dir.filePath(QStringLiteral("missing.wim")));
    QVERIFY(!next->isEnabled());
    auto *message = wizard.sourcePage()->findChild<InlineMessage *>();
    QCOMPARE(message->kind(), InlineMessage::Error);
    QVERIFY(message->text().contains(QStringLiteral("does not exist")));

    QFile text(m_dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not a wim");
    text.close();
    path->setText(text.fileName());
    QVERIFY(!next->isEnabled());
    QVERIFY(message->text().contains(QStringLiteral("not a WIM")));

    path->setText(m_wim);
    QVERIFY(next->isEnabled());
    QCOMPARE(message->kind(), InlineMessage::Ok);

    // A drop onto the drop zone fills the path; a non-WIM drop is refused.
    path->clear();
    auto *zone = wizard.sourcePage()->findChild<QWidget *>(QStringLiteral("dropZone"));
    QVERIFY(zone);
    QVERIFY(!dropFile(zone, text.fileName()));
    QVERIFY(path->text().isEmpty());
    QVERIFY(dropFile(zone, m_secondWim));
    QCOMPARE(QDir::fromNativeSeparators(path->text()), m_secondWim);

    // Next remembers the file in the recent list (QSettings).
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::ImageId));
    QVERIFY(Settings::recentFiles().contains(m_secondWim));
    waitForInspection(wizard);
}

void TestWizard::walkBigWimToOutput(PecastWizard &wizard, const QString &outDir)
{
    wizard.show();
    QVERIFY(QDir().mkpath(outDir));
    wizard.sourcePage()->setSourcePath(m_bigWim);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::ImageId));
    waitForInspection(wizard);
    QVERIFY(wizard.imagePage()->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::CustomizeId));
    wizard.next(); // no changes: the source WIM is built as it is
    QCOMPARE(wizard.currentId(), int(PecastWizard::BootFilesId));
    QVERIFY(wizard.bootFilesPage()->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::BootConfigId));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::OutputId));
    wizard.findChild<QLineEdit *>(QStringLiteral("outputPath"))
        ->setText(outDir + QStringLiteral("/big.img"));
    QVERIFY(wizard.outputPage()->isComplete());
}

bool TestWizard::buildFromOutputPage(PecastWizard &wizard, const QString &output)
{
    wizard.findChild<QLineEdit *>(QStringLiteral("outputPath"))->setText(output);
    QSignalSpy finished(&wizard.context()->runner(), &pipeline::BuildRunner::finished);
    wizard.next();
    return finished.count() == 1 || finished.wait(kBuildTimeoutMs);
}

void TestWizard::fullFlow()
{
    PecastWizard wizard;
    wizard.show();
    QAbstractButton *next = wizard.button(QWizard::NextButton);

    // Source → Image: the table lists both images, the boot index is preselected.
    wizard.sourcePage()->setSourcePath(m_wim);
    wizard.next();
    waitForInspection(wizard);
    auto *table = wizard.findChild<QTableWidget *>(QStringLiteral("imageTable"));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(wizard.field(QStringLiteral("image.index")).toInt(), 1);
    QVERIFY(next->isEnabled());
    QVERIFY(table->item(0, 5)->text().contains(QStringLiteral("✓")));
    // Image 2 has no boot files: ✗ with the reasons on hover, and Next is disabled.
    QVERIFY(table->item(1, 5)->text().contains(QStringLiteral("✗")));
    QVERIFY(table->item(1, 5)->toolTip().contains(QStringLiteral("bootmgr"), Qt::CaseInsensitive));
    table->selectRow(1);
    QCOMPARE(wizard.field(QStringLiteral("image.index")).toInt(), 2);
    QVERIFY(!next->isEnabled());
    QVERIFY(wizard.findChild<QWidget *>(QStringLiteral("imageDetails"))
                ->property("plainText")
                .toString()
                .contains(QStringLiteral("What to do")));
    table->selectRow(0);
    QVERIFY(next->isEnabled());

    // Customize: optional; without changes Next goes straight on.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::CustomizeId));
    QVERIFY(next->isEnabled());

    // Boot files: both from the WIM; a missing external file blocks Next; a dropped large
    // bootmgr triggers memdisk's size warning.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::BootFilesId));
    QVERIFY(next->isEnabled());
    BootFileChooser *bootmgr = wizard.bootFilesPage()->bootmgr();
    QVERIFY(bootmgr->effectiveSize() > 0);
    bootmgr->setExternalPath(m_dir.filePath(QStringLiteral("nope/bootmgr")));
    QVERIFY(!next->isEnabled());
    QFile big(m_dir.filePath(QStringLiteral("bootmgr")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize(600 * 1024));
    big.close();
    QVERIFY(dropFile(wizard.bootFilesPage(), big.fileName()));
    QCOMPARE(bootmgr->externalPath(), big.fileName());
    QVERIFY(next->isEnabled());
    auto *bootMessage = wizard.bootFilesPage()->findChild<InlineMessage *>();
    QCOMPARE(bootMessage->kind(), InlineMessage::Warning);
    bootmgr->setExternalPath(QString());
    QCOMPARE(bootMessage->kind(), InlineMessage::Ok);
    QVERIFY(wizard.field(QStringLiteral("boot.bootmgr")).toString().isEmpty());

    // Boot configuration: the preview follows the options; an empty description blocks Next.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::BootConfigId));
    auto *description = wizard.findChild<QLineEdit *>(QStringLiteral("bcdDescription"));
    description->setText(QStringLiteral("PEcast drive-through"));
    QVERIFY(
        wizard.bootConfigPage()->previewText().contains(QStringLiteral("PEcast drive-through")));
    QVERIFY(wizard.bootConfigPage()->previewText().contains(QStringLiteral("winpe.wim")));
    description->clear();
    QVERIFY(!next->isEnabled());
    description->setText(QStringLiteral("PEcast drive-through"));
    QVERIFY(next->isEnabled());
    wizard.findChild<QSpinBox *>(QStringLiteral("bcdTimeout"))->setValue(7);
    QCOMPARE(wizard.context()->plan().bcdTimeoutSeconds, 7);
    auto *layoutBox = wizard.findChild<QComboBox *>(QStringLiteral("layout"));
    layoutBox->setCurrentIndex(1);
    QVERIFY(wizard.bootConfigPage()->previewText().contains(QStringLiteral("boot.wim")));
    layoutBox->setCurrentIndex(0);

    // Output: default beside the WIM; an existing file needs "replace"; a too small size is
    // refused with the minimum.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::OutputId));
    auto *output = wizard.findChild<QLineEdit *>(QStringLiteral("outputPath"));
    QCOMPARE(QFileInfo(output->text()).absolutePath(), QFileInfo(m_wim).absolutePath());
    QVERIFY(wizard.outputPage()->estimatedBytes() > QFileInfo(m_wim).size());
    QVERIFY(wizard.outputPage()->requiredClientRam() > wizard.outputPage()->estimatedBytes());
    const QString outDir = m_dir.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(outDir));
    const QString outPath = outDir + QStringLiteral("/pe.img");
    QFile existing(outPath);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("precious user data");
    existing.close();
    output->setText(outPath);
    QVERIFY(!next->isEnabled());
    wizard.findChild<QCheckBox *>(QStringLiteral("overwrite"))->setChecked(true);
    QVERIFY(next->isEnabled());
    wizard.findChild<QRadioButton *>(QStringLiteral("manualSize"))->setChecked(true);
    wizard.findChild<QSpinBox *>(QStringLiteral("sizeMiB"))->setValue(1);
    QVERIFY(!next->isEnabled());
    wizard.findChild<QRadioButton *>(QStringLiteral("autoSize"))->setChecked(true);
    QVERIFY(next->isEnabled());

    // Build: runs on the worker; the output appears with the digest the summary shows.
    QSignalSpy finished(&wizard.context()->runner(), &pipeline::BuildRunner::finished);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::BuildId));
    QVERIFY(finished.count() == 1 || finished.wait(kBuildTimeoutMs));
    QVERIFY2(wizard.buildPage()->state() == BuildPage::State::Succeeded,
        qPrintable(wizard.buildPage()->logText()));
    QVERIFY(wizard.button(QWizard::CommitButton)->isEnabled());
    const auto &result = wizard.context()->buildResult();
    QVERIFY(result);
    QCOMPARE(
        QFileInfo(result->outputPath).absoluteFilePath(), QFileInfo(outPath).absoluteFilePath());
    QCOMPARE(QFileInfo(outPath).size(), result->sizeBytes);
    const auto digest = sha256File(outPath);
    QVERIFY(digest.ok());
    QCOMPARE(*digest, result->sha256);
    QVERIFY(wizard.buildPage()->summaryText().contains(result->sha256));
    const auto report = disk::inspectImage(outPath);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QVERIFY2(report->consistent(), qPrintable(report->toText()));
    QVERIFY(report->findFile(QStringLiteral("\\bootmgr")));
    QVERIFY(report->findFile(QStringLiteral("\\winpe.wim")));
    // The BCD in the image has the description and the timeout chosen on the BCD page.
    const auto withBcd = pipeline::inspectImageWithBcd(outPath);
    QVERIFY2(withBcd.ok(), withBcd.ok() ? "" : qPrintable(withBcd.error().toString()));
    QVERIFY2(withBcd->bcdText.contains(QRegularExpression(QStringLiteral("\\ntimeout +7\\n"))),
        qPrintable(withBcd->bcdText));
    QVERIFY(withBcd->bcdText.contains(QStringLiteral("PEcast drive-through")));
    QCOMPARE(dirEntries(outDir), QStringList { QStringLiteral("pe.img") });
    // The page's own inspection (off the UI thread) reports the same verdict.
    auto *buildMessage = wizard.buildPage()->findChildren<InlineMessage *>().constFirst();
    QVERIFY(
        QTest::qWaitFor([&] { return buildMessage->text().contains(QStringLiteral("consistent")); },
            kInspectTimeoutMs));

    // Serve: a real HTTP GET of /boot.ipxe and of the image; the clients table fills in.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::ServeId));
    wizard.servePage()->setPort(0);
    QTest::mouseClick(wizard.servePage()->toggleButton(), Qt::LeftButton);
    QVERIFY(wizard.context()->isServing());
    const quint16 port = wizard.context()->server().httpPort();
    QVERIFY(port != 0);
    const QString base = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    int status = 0;
    const QByteArray script = httpGet(base + QStringLiteral("boot.ipxe"), &status);
    QCOMPARE(status, 200);
    QVERIFY(script.startsWith("#!ipxe"));
    QVERIFY(script.contains("memdisk"));
    QCOMPARE(QString::fromUtf8(script),
        wizard.findChild<QPlainTextEdit *>(QStringLiteral("ipxeScript"))->toPlainText());
    const QString imageName = wizard.context()->server().imageName();
    const QByteArray image = httpGet(base + imageName, &status);
    QCOMPARE(status, 200);
    QCOMPARE(qint64(image.size()), result->sizeBytes);
    QCOMPARE(
        QString::fromLatin1(QCryptographicHash::hash(image, QCryptographicHash::Sha256).toHex()),
        result->sha256);
    QVERIFY(QTest::qWaitFor([&] { return wizard.servePage()->clientRows() >= 2; }, kHttpTimeoutMs));
    auto *clients = wizard.findChild<QTableWidget *>(QStringLiteral("clientsTable"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (int row = 0; row < clients->rowCount(); ++row) {
                if (clients->item(row, 1)->text() == imageName
                    && clients->item(row, 4)->text() == QStringLiteral("done"))
                    return true;
            }
            return false;
        },
        kHttpTimeoutMs));
    QVERIFY(clients->item(0, 0)->text().startsWith(QStringLiteral("127.0.0.1")));

    QTest::mouseClick(wizard.servePage()->toggleButton(), Qt::LeftButton);
    QVERIFY(!wizard.context()->isServing());
}

void TestWizard::dropReplacesWim()
{
    PecastWizard wizard;
    wizard.show();
    const QString outDir = m_dir.filePath(QStringLiteral("drop"));
    QVERIFY(QDir().mkpath(outDir));

    // On the Image page a dropped WIM is inspected in place. The drop lands on the table's
    // viewport, which does not take drops itself: the wizard does.
    wizard.sourcePage()->setSourcePath(m_wim);
    wizard.next();
    waitForInspection(wizard);
    auto *table = wizard.findChild<QTableWidget *>(QStringLiteral("imageTable"));
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(dropFile(table->viewport(), m_secondWim));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return !wizard.imagePage()->isInspecting() && wizard.context()->wimInfo()
                && wizard.context()->wimInfo()->path == m_secondWim;
        },
        kInspectTimeoutMs));
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(QDir::fromNativeSeparators(wizard.field(QStringLiteral("source.wim")).toString()),
        m_secondWim);

    // After a finished build, a drop offers a rebuild; accepting it returns to the Image page
    // with the new WIM and the user's options kept.
    wizard.next();
    wizard.next();
    wizard.next();
    auto *description = wizard.findChild<QLineEdit *>(QStringLiteral("bcdDescription"));
    description->setText(QStringLiteral("Kept across rebuilds"));
    wizard.next();
    QVERIFY(buildFromOutputPage(wizard, outDir + QStringLiteral("/first.img")));
    QCOMPARE(wizard.buildPage()->state(), BuildPage::State::Succeeded);

    QVERIFY(dropFile(wizard.findChild<QPlainTextEdit *>(QStringLiteral("buildLog")), m_wim));
    auto *rebuild = wizard.findChild<QPushButton *>(QStringLiteral("rebuildButton"));
    QVERIFY(rebuild->isVisible());
    QTest::mouseClick(rebuild, Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(PecastWizard::ImageId));
    waitForInspection(wizard);
    QCOMPARE(wizard.context()->wimInfo()->path, m_wim);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(wizard.field(QStringLiteral("bcd.description")).toString(),
        QStringLiteral("Kept across rebuilds"));
}

void TestWizard::cancelMidBuild()
{
    PecastWizard wizard;
    const QString outDir = m_dir.filePath(QStringLiteral("cancel"));
    walkBigWimToOutput(wizard, outDir);

    // Cancel once the build is inside a step that moves bytes (not before it started).
    pipeline::BuildRunner &runner = wizard.context()->runner();
    QSignalSpy finished(&runner, &pipeline::BuildRunner::finished);
    auto *cancel = wizard.findChild<QPushButton *>(QStringLiteral("cancelBuild"));
    bool clicked = false;
    connect(&runner, &pipeline::BuildRunner::progress, cancel, [&](const ProgressEvent &event) {
        if (!clicked && event.total > 0 && event.done > 0 && event.done < event.total) {
            clicked = true;
            QTest::mouseClick(cancel, Qt::LeftButton);
        }
    });
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::BuildId));
    QVERIFY(finished.count() == 1 || finished.wait(kBuildTimeoutMs));
    QVERIFY2(clicked, "no byte progress was reported before the build ended");
    QCOMPARE(wizard.buildPage()->state(), BuildPage::State::Cancelled);
    QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled());
    QCOMPARE(dirEntries(outDir), QStringList());
    QVERIFY(wizard.buildPage()->logText().contains(QStringLiteral("Cancelled")));
}

void TestWizard::recompressSolidWim()
{
    QString error;
    test::FixtureWimOptions options;
    options.fileName = QStringLiteral("solid.wim");
    options.compression = test::FixtureCompression::LzmsSolid;
    const QString solid
        = test::makeFixtureWim(m_dir.filePath(QStringLiteral("d")), options, &error);
    QVERIFY2(!solid.isEmpty(), qPrintable(error));

    PecastWizard wizard;
    wizard.show();
    wizard.sourcePage()->setSourcePath(solid);
    wizard.next();
    waitForInspection(wizard);
    // LZMS solid: not bootable as is, but the only problem is the compression, so the page
    // offers to recompress and Next waits for that choice.
    auto *recompress = wizard.findChild<QCheckBox *>(QStringLiteral("recompress"));
    QVERIFY(recompress->isVisible());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    recompress->setChecked(true);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard.context()->plan().recompress);

    const QString outDir = m_dir.filePath(QStringLiteral("solid-out"));
    QVERIFY(QDir().mkpath(outDir));
    wizard.next();
    wizard.next();
    wizard.next();
    wizard.next();
    QVERIFY(buildFromOutputPage(wizard, outDir + QStringLiteral("/solid.img")));
    QVERIFY2(wizard.buildPage()->state() == BuildPage::State::Succeeded,
        qPrintable(wizard.buildPage()->logText()));
    const auto report = disk::inspectImage(outDir + QStringLiteral("/solid.img"));
    QVERIFY(report.ok());
    QVERIFY2(report->consistent(), qPrintable(report->toText()));
}

void TestWizard::closeDuringBuildAsks()
{
    PecastWizard wizard;
    const QString outDir = m_dir.filePath(QStringLiteral("close"));
    walkBigWimToOutput(wizard, outDir);
    pipeline::BuildRunner &runner = wizard.context()->runner();
    QSignalSpy started(&runner, &pipeline::BuildRunner::stepStarted);
    wizard.next();
    QVERIFY(started.count() > 0 || started.wait(kBuildTimeoutMs));
    QVERIFY(wizard.context()->isBuilding());

    // "No" keeps the build and the window; "Yes" cancels it, waits, and leaves nothing.
    answerNextMessageBox(QMessageBox::No);
    QVERIFY(!wizard.close());
    QVERIFY(wizard.isVisible());
    if (!wizard.context()->isBuilding())
        QSKIP("the build ended before the second question; nothing left to cancel");
    answerNextMessageBox(QMessageBox::Yes);
    QVERIFY(wizard.close());
    QVERIFY(!wizard.context()->isBuilding());
    QCOMPARE(dirEntries(outDir), QStringList());
}

void TestWizard::editImageSavesAsNew()
{
    // An image built by the pipeline from the small WIM; the big WIM does not fit its NTFS.
    const QString dir = m_dir.filePath(QStringLiteral("edit"));
    const BuiltImage original = buildImage(m_secondWim, dir);
    QVERIFY(!original.path.isEmpty());
    const QString &image = original.path;

    PecastWizard wizard;
    wizard.show();
    wizard.sourcePage()->setSourcePath(image);
    auto *message = wizard.sourcePage()->findChild<InlineMessage *>();
    QCOMPARE(message->kind(), InlineMessage::Ok);
    QVERIFY(message->text().contains(QStringLiteral("editing")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::EditImageId));
    EditImagePage *page = wizard.editImagePage();
    QVERIFY(QTest::qWaitFor(
        [&] { return page->state() == EditImagePage::State::Ready; }, kInspectTimeoutMs));
    QVERIFY2(page->summaryText().contains(QStringLiteral("\\winpe.wim")),
        qPrintable(page->summaryText()));
    // Save as new is the default, with NAME-new.img beside the original.
    QCOMPARE(page->outputPath(), dir + QStringLiteral("/pe-new.img"));
    auto *replace = wizard.findChild<QPushButton *>(QStringLiteral("replaceWimButton"));
    QVERIFY(!replace->isEnabled()); // no new WIM yet
    // Serving the opened image as it is is possible already.
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    // A WIM dropped anywhere on the page is the new WIM, not a new source.
    auto *newWim = page->findChild<QLineEdit *>(QStringLiteral("newWimPath"));
    QVERIFY(
        dropFile(page->findChild<QTextBrowser *>(QStringLiteral("editImageSummary"))->viewport(),
            m_secondWim));
    QCOMPARE(QDir::fromNativeSeparators(newWim->text()), m_secondWim);
    QCOMPARE(wizard.currentId(), int(PecastWizard::EditImageId));
    auto *zone = page->findChild<QWidget *>(QStringLiteral("newWimDropZone"));
    QVERIFY(dropFile(zone, m_bigWim));
    QCOMPARE(QDir::fromNativeSeparators(newWim->text()), m_bigWim);
    QVERIFY(replace->isEnabled());
    QSignalSpy finished(page, &EditImagePage::replaceFinished);
    QTest::mouseClick(replace, Qt::LeftButton);
    QCOMPARE(page->state(), EditImagePage::State::Replacing);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(finished.count() == 1 || finished.wait(kBuildTimeoutMs));
    QVERIFY2(finished.first().first().toBool(),
        qPrintable(page->findChildren<InlineMessage *>().constLast()->text()));
    QCOMPARE(page->state(), EditImagePage::State::Replaced);
    QVERIFY(page->result());
    QVERIFY(page->result()->grown);
    QCOMPARE(page->result()->newWimBytes, QFileInfo(m_bigWim).size());
    QVERIFY(page->resultText().contains(QStringLiteral("yes")));

    // The new image holds exactly the new WIM's bytes; the original kept every byte.
    const QString edited = dir + QStringLiteral("/pe-new.img");
    QCOMPARE(page->resultPath(), edited);
    QCOMPARE(sha256(image), original.sha256);
    const QString readBack = m_dir.filePath(QStringLiteral("edit-readback.wim"));
    QVERIFY(copyOutOfImage(edited, QStringLiteral("/winpe.wim"), readBack));
    QCOMPARE(sha256(readBack), sha256(m_bigWim));
    const auto report = disk::inspectImage(edited);
    QVERIFY(report.ok());
    QVERIFY2(report->consistent(), qPrintable(report->toText()));
    QStringList entries = dirEntries(dir);
    entries.sort();
    QCOMPARE(entries, (QStringList { QStringLiteral("pe-new.img"), QStringLiteral("pe.img") }));

    // "Serve this image" goes to the Serve page with the edited image.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::ServeId));
    QVERIFY(wizard.context()->buildResult());
    QCOMPARE(wizard.context()->buildResult()->outputPath, edited);
    QVERIFY(wizard.findChild<QPlainTextEdit *>(QStringLiteral("ipxeScript"))
                ->toPlainText()
                .contains(QStringLiteral("pe-new.img")));
}

void TestWizard::cancelReplaceKeepsOriginal()
{
    const QString dir = m_dir.filePath(QStringLiteral("edit-cancel"));
    const BuiltImage original = buildImage(m_secondWim, dir);
    QVERIFY(!original.path.isEmpty());

    PecastWizard wizard;
    wizard.show();
    wizard.openSource(original.path);
    wizard.next();
    EditImagePage *page = wizard.editImagePage();
    QVERIFY(QTest::qWaitFor(
        [&] { return page->state() == EditImagePage::State::Ready; }, kInspectTimeoutMs));
    page->setNewWim(m_bigWim);
    page->setReplaceOriginal(); // atomically: an edited copy renamed over the original

    // Cancel once a step that moves bytes has begun (the copy or the WIM write), not before.
    auto *cancel = page->findChild<QPushButton *>(QStringLiteral("cancelReplace"));
    bool clicked = false;
    connect(page, &EditImagePage::progressed, cancel, [&](const ProgressEvent &event) {
        if (!clicked && event.total > 0 && event.done < event.total) {
            clicked = true;
            QTest::mouseClick(cancel, Qt::LeftButton);
        }
    });
    QSignalSpy finished(page, &EditImagePage::replaceFinished);
    page->startReplace();
    QVERIFY(finished.count() == 1 || finished.wait(kBuildTimeoutMs));
    QVERIFY2(clicked, "no byte progress was reported before the edit ended");
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(page->findChildren<InlineMessage *>().constLast()->text().contains(
        QStringLiteral("unchanged")));
    QCOMPARE(sha256(original.path), original.sha256);
    QCOMPARE(dirEntries(dir), QStringList { QStringLiteral("pe.img") });
}

void TestWizard::customizeAddsFiles()
{
    const QString srcDir = m_dir.filePath(QStringLiteral("custom-src"));
    QVERIFY(QDir().mkpath(srcDir + QStringLiteral("/tools")));
    QFile tool(srcDir + QStringLiteral("/tools/hello.txt"));
    QVERIFY(tool.open(QIODevice::WriteOnly));
    tool.write("hello from the wizard\n");
    tool.close();
    const QString wimDigest = sha256(m_wim);
    const QStringList besideWim = dirEntries(QFileInfo(m_wim).absolutePath());

    PecastWizard wizard;
    wizard.show();
    wizard.sourcePage()->setSourcePath(m_wim);
    wizard.next();
    waitForInspection(wizard);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::CustomizeId));
    CustomizePage *page = wizard.customizePage();

    // A folder dropped onto the page goes into the destination folder; startnet.cmd is written.
    wizard.findChild<QLineEdit *>(QStringLiteral("customizeDestination"))
        ->setText(QStringLiteral("\\Tools"));
    QVERIFY(dropFile(page->findChild<QTreeWidget *>(QStringLiteral("changesList"))->viewport(),
        srcDir + QStringLiteral("/tools")));
    const QString startnet = QStringLiteral("wpeinit\nX:\\Tools\\tools\\hello.cmd\n");
    // The editor opens prefilled with the image's current startnet.cmd (read with wimlib).
    page->editTextFile(QStringLiteral("\\Windows\\System32\\startnet.cmd"));
    TextFileDialog *dialog = nullptr;
    QVERIFY(QTest::qWaitFor(
        [&] {
            dialog = page->findChild<TextFileDialog *>();
            return dialog && dialog->isVisible();
        },
        kInspectTimeoutMs));
    QCOMPARE(dialog->text().trimmed(), QStringLiteral("wpeinit"));
    dialog->findChild<QPlainTextEdit *>(QStringLiteral("textFileEditor"))->setPlainText(startnet);
    dialog->accept();
    QCOMPARE(page->changes().size(), size_t(2));
    QCOMPARE(page->changes().at(1).data, wim::toWindowsText(startnet.toUtf8()));
    page->addDeletion(QStringLiteral("\\Windows\\System32\\boot\\winload.exe"));
    page->removeChange(2); // changed my mind
    QCOMPARE(page->changes().size(), size_t(2));
    QCOMPARE(page->changes().at(0).path, QStringLiteral("\\Tools\\tools"));

    QSignalSpy customized(page, &CustomizePage::customizeFinished);
    wizard.next(); // writes the customized WIM on the thread pool, then moves on
    QVERIFY(customized.count() == 1 || customized.wait(kBuildTimeoutMs));
    QVERIFY2(customized.first().first().toBool(),
        qPrintable(page->findChildren<InlineMessage *>().constLast()->text()));
    QCOMPARE(wizard.currentId(), int(PecastWizard::BootFilesId));
    const QString custom = wizard.context()->customWim();
    QVERIFY(QFileInfo(custom).isFile());
    QVERIFY(!custom.startsWith(QFileInfo(m_wim).absolutePath()));
    QCOMPARE(wizard.context()->plan().wimPath, custom);
    QCOMPARE(wizard.context()->plan().imageIndex, 1);
    const auto customInfo = [&] {
        Progress quiet;
        return wim::inspectWim(custom, quiet);
    }();
    QVERIFY(customInfo.ok());
    QCOMPARE(customInfo->imageCount, 2);

    const QString outDir = m_dir.filePath(QStringLiteral("custom-out"));
    QVERIFY(QDir().mkpath(outDir));
    wizard.next();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(PecastWizard::OutputId));
    QVERIFY(buildFromOutputPage(wizard, outDir + QStringLiteral("/custom.img")));
    QVERIFY2(wizard.buildPage()->state() == BuildPage::State::Succeeded,
        qPrintable(wizard.buildPage()->logText()));

    // The built image's WIM, read back with libntfs-3g and wimlib, holds the changes.
    const QString readBack = m_dir.filePath(QStringLiteral("custom-readback.wim"));
    QVERIFY(copyOutOfImage(
        outDir + QStringLiteral("/custom.img"), QStringLiteral("/winpe.wim"), readBack));
    const auto script
        = wim::readFile(readBack, 1, QStringLiteral("\\Windows\\System32\\startnet.cmd"));
    QVERIFY2(script.ok(), script.ok() ? "" : qPrintable(script.error().toString()));
    QCOMPARE(*script, wim::toWindowsText(startnet.toUtf8()));
    const auto hello = wim::readFile(readBack, 1, QStringLiteral("\\Tools\\tools\\hello.txt"));
    QVERIFY2(hello.ok(), hello.ok() ? "" : qPrintable(hello.error().toString()));
    QCOMPARE(*hello, QByteArray("hello from the wizard\n"));
    QVERIFY(
        wim::readFile(readBack, 1, QStringLiteral("\\Windows\\System32\\boot\\winload.exe")).ok());
    // The source WIM and its folder are untouched.
    QCOMPARE(sha256(m_wim), wimDigest);
    QCOMPARE(dirEntries(QFileInfo(m_wim).absolutePath()), besideWim);
}

void TestWizard::cancelCustomizeLeavesNothing()
{
    const QDir temp(QDir::tempPath());
    const QStringList workDirsBefore = temp.entryList(
        { QStringLiteral("pecast-customize-*") }, QDir::Dirs | QDir::NoDotAndDotDot);
    const QString wimDigest = sha256(m_bigWim);

    PecastWizard wizard;
    wizard.show();
    wizard.sourcePage()->setSourcePath(m_bigWim);
    wizard.next();
    waitForInspection(wizard);
    wizard.next();
    CustomizePage *page = wizard.customizePage();
    page->addDeletion(QStringLiteral("\\Windows\\System32\\startnet.cmd"));

    // Cancel once the new WIM is being written, not before.
    auto *cancel = page->findChild<QPushButton *>(QStringLiteral("cancelCustomize"));
    bool clicked = false;
    connect(page, &CustomizePage::progressed, cancel, [&](const ProgressEvent &event) {
        if (!clicked && event.total > 0 && event.done < event.total) {
            clicked = true;
            QTest::mouseClick(cancel, Qt::LeftButton);
        }
    });
    QSignalSpy finished(page, &CustomizePage::customizeFinished);
    wizard.next();
    QVERIFY(page->isCustomizing());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(finished.count() == 1 || finished.wait(kBuildTimeoutMs));
    QVERIFY2(clicked, "no byte progress was reported before the edit ended");
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(wizard.currentId(), int(PecastWizard::CustomizeId));
    QVERIFY(wizard.context()->customWim().isEmpty());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(page->findChildren<InlineMessage *>().constLast()->text().contains(
        QStringLiteral("Cancelled")));
    // No partial WIM anywhere: the work folder made for this edit is empty; the source is intact.
    const QStringList workDirs = temp.entryList(
        { QStringLiteral("pecast-customize-*") }, QDir::Dirs | QDir::NoDotAndDotDot);
    int checked = 0;
    for (const QString &dir : workDirs) {
        if (workDirsBefore.contains(dir))
            continue;
        QCOMPARE(dirEntries(temp.filePath(dir)), QStringList());
        ++checked;
    }
    QCOMPARE(checked, 1);
    QCOMPARE(sha256(m_bigWim), wimDigest);
}

void TestWizard::isoAndFolderSources()
{
    const QString xorriso = test::findTool(QStringLiteral("xorriso"));
    if (xorriso.isEmpty())
        QSKIP("xorriso is not installed");
    // A media root like Windows PE media: bootmgr, boot/boot.sdi, sources/boot.wim.
    const QString media = m_dir.filePath(QStringLiteral("media"));
    QVERIFY(QDir().mkpath(media + QStringLiteral("/sources")));
    QVERIFY(QDir().mkpath(media + QStringLiteral("/boot")));
    QVERIFY(QFile::copy(m_wim, media + QStringLiteral("/sources/boot.wim")));
    const QByteArray bootmgr = test::pseudoRandomBytes(200 * 1024, 21);
    for (const auto &[name, data] : { std::pair { QStringLiteral("/bootmgr"), bootmgr },
             std::pair {
                 QStringLiteral("/boot/boot.sdi"), test::pseudoRandomBytes(64 * 1024, 22) } }) {
        QFile f(media + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
    const QString iso = m_dir.filePath(QStringLiteral("winpe.iso"));
    const auto mk = test::run(xorriso,
        { QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"),
            QStringLiteral("-o"), iso, media });
    QVERIFY2(mk.exitCode == 0, mk.err.constData());

    for (const QString &source : { iso, media }) {
        PecastWizard wizard;
        wizard.show();
        wizard.sourcePage()->setSourcePath(source);
        // Resolved on the thread pool; Next waits for it.
        QVERIFY(
            QTest::qWaitFor([&] { return wizard.sourcePage()->isComplete(); }, kInspectTimeoutMs));
        auto *message = wizard.sourcePage()->findChild<InlineMessage *>();
        QCOMPARE(message->kind(), InlineMessage::Ok);
        QVERIFY2(message->text().contains(QStringLiteral("boot.wim found")),
            qPrintable(message->text()));
        QVERIFY(message->text().contains(
            source == iso ? QStringLiteral("ISO") : QStringLiteral("Media folder")));

        // The Image page lists the images of the medium's boot.wim.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(PecastWizard::ImageId));
        waitForInspection(wizard);
        QCOMPARE(wizard.findChild<QTableWidget *>(QStringLiteral("imageTable"))->rowCount(), 2);
        QCOMPARE(sha256(wizard.context()->wimInfo()->path), sha256(m_wim));

        // bootmgr and boot.sdi from the medium are preselected.
        wizard.next();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(PecastWizard::BootFilesId));
        const QString chosen = wizard.field(QStringLiteral("boot.bootmgr")).toString();
        QVERIFY(!chosen.isEmpty());
        QFile chosenFile(chosen);
        QVERIFY(chosenFile.open(QIODevice::ReadOnly));
        QCOMPARE(chosenFile.readAll(), bootmgr);
        QVERIFY(!wizard.field(QStringLiteral("boot.sdi")).toString().isEmpty());
        QCOMPARE(wizard.context()->plan().wimPath, wizard.context()->wimInfo()->path);
    }

    // A folder without boot.wim is refused with a message naming it (an ISO without one would
    // be tried as UDF through libguestfs: a VM start this test avoids).
    const QString empty = m_dir.filePath(QStringLiteral("empty-media"));
    QVERIFY(QDir().mkpath(empty));
    PecastWizard wizard;
    wizard.show();
    wizard.sourcePage()->setSourcePath(empty);
    auto *message = wizard.sourcePage()->findChild<InlineMessage *>();
    QVERIFY(QTest::qWaitFor(
        [&] { return message->kind() == InlineMessage::Error; }, kInspectTimeoutMs));
    QVERIFY2(message->text().contains(QStringLiteral("empty-media")), qPrintable(message->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
}

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
