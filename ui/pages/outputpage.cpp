#include "pages/outputpage.h"

#include "disk/sizeplan.h"
#include "settings.h"
#include "widgets/inlinemessage.h"
#include "wizardcontext.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pecast::ui {

namespace {

constexpr qint64 kMiB = 1024 * 1024;
// What WinPE itself needs besides its RAM disks to start a shell (Microsoft: 512 MiB minimum
// for WinPE; measured boots need a bit more with drivers loaded).
constexpr qint64 kWinPeWorkingSet = 512 * kMiB;
// memdisk cannot use memory above 4 GiB (bootchain.md), and it needs room below for itself.
constexpr qint64 kMemdiskCeiling = 3584 * kMiB;
// The largest manual size offered: memdisk's ceiling, rounded.
constexpr int kMaxManualMiB = 4096;
// A BCD store written by PEcast is a few KiB; budget one hive-sized block.
constexpr qint64 kBcdBudget = 256 * 1024;

QString defaultOutputFor(const QString &wim, bool gzip)
{
    const QFileInfo info(wim);
    return info.absolutePath() + QLatin1Char('/') + info.completeBaseName()
        + (gzip ? QStringLiteral(".img.gz") : QStringLiteral(".img"));
}

} // namespace

OutputPage::OutputPage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Output"));
    setSubTitle(tr("Where to write the disk image, and how large to make it."));
    setButtonText(QWizard::NextButton, tr("B&uild"));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("outputPath"));
    m_path->setToolTip(tr("The disk image to create; it appears only when the build succeeds"));
    auto *browse = new QPushButton(tr("Bro&wse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    m_autoSize = new QRadioButton(tr("&Automatic"), this);
    m_autoSize->setObjectName(QStringLiteral("autoSize"));
    m_autoSize->setChecked(true);
    m_manualSize = new QRadioButton(tr("&Manual:"), this);
    m_manualSize->setObjectName(QStringLiteral("manualSize"));
    m_size = new QSpinBox(this);
    m_size->setObjectName(QStringLiteral("sizeMiB"));
    m_size->setRange(1, kMaxManualMiB);
    m_size->setSuffix(tr(" MiB"));
    m_size->setEnabled(false);
    m_estimateLabel = new QLabel(this);
    auto *sizeRow = new QGridLayout;
    sizeRow->addWidget(m_autoSize, 0, 0);
    sizeRow->addWidget(m_estimateLabel, 0, 1, 1, 2);
    sizeRow->addWidget(m_manualSize, 1, 0);
    sizeRow->addWidget(m_size, 1, 1);
    sizeRow->setColumnStretch(2, 1);

    m_gzip = new QCheckBox(tr("Compress with &gzip (memdisk inflates it on the client)"), this);
    m_gzip->setObjectName(QStringLiteral("gzip"));
    m_gzip->setToolTip(tr("Saves network time only when the image has empty space; the client "
                          "needs room for both copies while inflating"));
    m_gzip->setChecked(Settings::value(settingsKey::gzip, false).toBool());
    m_overwrite = new QCheckBox(tr("&Replace the file if it exists"), this);
    m_overwrite->setObjectName(QStringLiteral("overwrite"));
    m_ram = new QLabel(this);
    m_ram->setObjectName(QStringLiteral("clientRam"));
    m_ram->setWordWrap(true);
    m_message = new InlineMessage(this);

    auto *form = new QFormLayout;
    form->addRow(tr("&Image file:"), pathRow);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(QString(), m_gzip);
    form->addRow(QString(), m_overwrite);
    form->addRow(tr("Client RAM:"), m_ram);
    static_cast<QLabel *>(form->labelForField(pathRow))->setBuddy(m_path);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();

    registerField(QLatin1String(field::outputPath) + QLatin1Char('*'), m_path);
    registerField(QLatin1String(field::sizeMiB), this, "sizeMiB", SIGNAL(sizeChanged()));
    registerField(QLatin1String(field::gzip), m_gzip);
    registerField(QLatin1String(field::overwrite), m_overwrite);

    connect(browse, &QPushButton::clicked, this, &OutputPage::browse);
    connect(m_path, &QLineEdit::textChanged, this, &OutputPage::update);
    connect(m_overwrite, &QCheckBox::toggled, this, &OutputPage::update);
    connect(m_gzip, &QCheckBox::toggled, this, &OutputPage::gzipToggled);
    connect(m_autoSize, &QRadioButton::toggled, this, [this](bool automatic) {
        m_size->setEnabled(!automatic);
        Q_EMIT sizeChanged();
        update();
    });
    connect(m_size, &QSpinBox::valueChanged, this, [this] {
        Q_EMIT sizeChanged();
        update();
    });
}

int OutputPage::sizeMiB() const
{
    return m_autoSize->isChecked() ? 0 : m_size->value();
}

qint64 OutputPage::requiredClientRam() const
{
    const qint64 image = m_autoSize->isChecked() ? m_estimate : m_size->value() * kMiB;
    const qint64 wim = QFileInfo(m_context->buildWimPath()).size();
    // memdisk holds the image for as long as Windows runs; bootmgr copies the WIM into its own
    // RAM disk; a gzip image is held compressed and inflated at the same time.
    const qint64 gzipCopy = m_gzip->isChecked() ? image : 0;
    return image + gzipCopy + wim + kWinPeWorkingSet;
}

void OutputPage::initializePage()
{
    const QString wim = field(QLatin1String(field::sourceWim)).toString();
    if (m_path->text().isEmpty() || m_defaultedFor != wim) {
        m_defaultedFor = wim;
        m_path->setText(defaultOutputFor(wim, m_gzip->isChecked()));
    }
    // The estimate: the files the image will hold, as the build's size planner counts them.
    const wim::WimImageInfo *image = m_context->selectedImage();
    auto sizeOf = [](const QString &external, qint64 inWim) {
        return external.isEmpty() ? qMax<qint64>(inWim, 0) : QFileInfo(external).size();
    };
    const QList<qint64> files {
        sizeOf(field(QLatin1String(field::bootmgrPath)).toString(),
            image ? image->boot.bootmgrSize : 0),
        sizeOf(
            field(QLatin1String(field::sdiPath)).toString(), image ? image->boot.bootSdiSize : 0),
        kBcdBudget,
        QFileInfo(m_context->buildWimPath()).size(), // the customized WIM when there is one
    };
    const auto plan = disk::planImageSize(files, 0);
    m_estimate = plan ? plan->diskBytes : 0;
    if (m_estimate > 0 && m_size->value() * kMiB < m_estimate && m_autoSize->isChecked())
        m_size->setValue(int((m_estimate + kMiB - 1) / kMiB));
    update();
}

bool OutputPage::isComplete() const
{
    return QWizardPage::isComplete() && problem().isEmpty();
}

bool OutputPage::validatePage()
{
    Settings::setValue(settingsKey::gzip, m_gzip->isChecked());
    Settings::setValue(settingsKey::lastOutputDir, QFileInfo(m_path->text()).absolutePath());
    return true;
}

void OutputPage::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the disk image as"),
        m_path->text(), tr("Disk images (*.img *.img.gz);;All files (*)"), nullptr,
        QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_path->setText(path);
}

void OutputPage::gzipToggled(bool on)
{
    // Keep the suffix honest when the user switches gzip on or off.
    QString path = m_path->text();
    if (on && !path.endsWith(QLatin1String(".gz")))
        path += QStringLiteral(".gz");
    else if (!on && path.endsWith(QLatin1String(".img.gz")))
        path.chop(3);
    m_path->setText(path);
    update();
}

QString OutputPage::problem() const
{
    const QString path = m_path->text().trimmed();
    if (path.isEmpty())
        return tr("Choose where to write the image.");
    const QFileInfo info(path);
    const QFileInfo dir(info.absolutePath());
    if (!dir.isDir())
        return tr("The folder %1 does not exist.").arg(dir.absoluteFilePath());
    if (!dir.isWritable())
        return tr("The folder %1 is not writable.").arg(dir.absoluteFilePath());
    if (info.isDir())
        return tr("%1 is a folder; enter a file name.").arg(path);
    if (QFileInfo(field(QLatin1String(field::sourceWim)).toString()) == info)
        return tr("The output cannot replace the source WIM.");
    if (info.exists() && !m_overwrite->isChecked())
        return tr("%1 exists. Tick “Replace the file if it exists” or choose another name.")
            .arg(info.fileName());
    if (!m_autoSize->isChecked() && m_estimate > 0 && m_size->value() * kMiB < m_estimate)
        return tr("%1 MiB is too small for these files; use at least %2 MiB or Automatic.")
            .arg(m_size->value())
            .arg((m_estimate + kMiB - 1) / kMiB);
    return {};
}

void OutputPage::update()
{
    m_estimateLabel->setText(m_estimate > 0
            ? tr("about %1").arg(locale().formattedDataSize(m_estimate))
            : tr("(computed during the build)"));
    const qint64 ram = requiredClientRam();
    m_ram->setText(tr("at least %1 (image in memdisk + WIM in the RAM disk + WinPE)")
                       .arg(locale().formattedDataSize(ram)));
    const QString issue = problem();
    if (!issue.isEmpty()) {
        m_message->showMessage(InlineMessage::Error, issue);
    } else if (ram - kWinPeWorkingSet > kMemdiskCeiling) {
        m_message->showMessage(InlineMessage::Warning,
            tr("memdisk cannot use memory above 4 GiB: this image may not boot."));
    } else if (QFileInfo::exists(m_path->text())) {
        m_message->showMessage(InlineMessage::Warning,
            tr("The existing file is replaced only when the build succeeds."));
    } else {
        m_message->showMessage(InlineMessage::Ok, tr("Ready to build."));
    }
    Q_EMIT completeChanged();
}

} // namespace pecast::ui
