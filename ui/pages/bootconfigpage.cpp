#include "pages/bootconfigpage.h"

#include "bcd/bcddump.h"
#include "bcd/winpestore.h"
#include "pipeline/buildplan.h"
#include "settings.h"
#include "widgets/inlinemessage.h"
#include "wizardcontext.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QUuid>
#include <QVBoxLayout>

namespace pecast::ui {

// The preview needs real values; the build picks a random signature and a fixed partition start
// (LBA 2048, as mkntfs -p 2048 in bootchain.md). These stand-ins show the shape of the entry.
constexpr quint32 kPreviewSignature = 0x12345678;
constexpr quint64 kPreviewPartitionOffset = 2048 * 512;
// bootmgr waits this long with a menu; one entry shows none, so more than a minute is a mistake.
constexpr int kMaxTimeoutSeconds = 60;
// A fixed id keeps the preview stable while the user types (the build uses a random one).
const QUuid kPreviewLoaderId(QStringLiteral("{7619dcc9-fafe-11d9-b411-000476eba25f}"));

BootConfigPage::BootConfigPage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Boot configuration"));
    setSubTitle(tr("How Windows' boot manager finds the RAM disk: the entries of \\boot\\BCD."));

    m_description = new QLineEdit(this);
    m_description->setObjectName(QStringLiteral("bcdDescription"));
    m_description->setMaxLength(100);
    m_description->setToolTip(tr("The name of the boot entry (shown by bootmgr with a menu)"));
    m_description->setText(
        Settings::value(settingsKey::description, QStringLiteral("WinPE")).toString());

    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("bcdDevice"));
    m_device->addItem(tr("boot (recommended)"), int(pipeline::BcdDevice::Boot));
    m_device->addItem(tr("partition"), int(pipeline::BcdDevice::Partition));
    m_device->setCurrentIndex(Settings::value(settingsKey::deviceMode, 0).toInt() == 1 ? 1 : 0);
    m_deviceHelp = new QLabel(this);
    m_deviceHelp->setWordWrap(true);

    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("bcdTimeout"));
    m_timeout->setRange(0, kMaxTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long bootmgr shows its menu; with one entry it shows none"));
    m_timeout->setValue(Settings::value(settingsKey::timeout, 0).toInt());

    m_layout = new QComboBox(this);
    m_layout->setObjectName(QStringLiteral("layout"));
    m_layout->addItem(tr("classic"), int(pipeline::Layout::Classic));
    m_layout->addItem(tr("media"), int(pipeline::Layout::Media));
    m_layout->setCurrentIndex(Settings::value(settingsKey::layout, 0).toInt() == 1 ? 1 : 0);
    m_layoutHelp = new QLabel(this);
    m_layoutHelp->setWordWrap(true);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("bcdPreview"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setToolTip(tr("The store as `pecast bcd dump` prints it"));
    m_message = new InlineMessage(this);

    auto *form = new QFormLayout;
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("De&vice:"), m_device);
    form->addRow(QString(), m_deviceHelp);
    form->addRow(tr("&Timeout:"), m_timeout);
    form->addRow(tr("&Layout:"), m_layout);
    form->addRow(QString(), m_layoutHelp);
    auto *previewLabel = new QLabel(tr("&Preview of \\boot\\BCD:"), this);
    previewLabel->setBuddy(m_preview);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(previewLabel);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_message);

    registerField(QLatin1String(field::description), m_description);
    registerField(QLatin1String(field::deviceMode), m_device, "currentData",
        SIGNAL(currentIndexChanged(int)));
    registerField(QLatin1String(field::timeout), m_timeout);
    registerField(
        QLatin1String(field::layout), m_layout, "currentData", SIGNAL(currentIndexChanged(int)));

    connect(m_description, &QLineEdit::textChanged, this, &BootConfigPage::updatePreview);
    connect(m_device, &QComboBox::currentIndexChanged, this, &BootConfigPage::updatePreview);
    connect(m_timeout, &QSpinBox::valueChanged, this, &BootConfigPage::updatePreview);
    connect(m_layout, &QComboBox::currentIndexChanged, this, &BootConfigPage::updatePreview);
    updatePreview();
}

QString BootConfigPage::previewText() const
{
    return m_preview->toPlainText();
}

void BootConfigPage::initializePage()
{
    updatePreview();
}

bool BootConfigPage::isComplete() const
{
    return m_valid;
}

bool BootConfigPage::validatePage()
{
    Settings::setValue(settingsKey::description, m_description->text());
    Settings::setValue(settingsKey::deviceMode, m_device->currentIndex());
    Settings::setValue(settingsKey::timeout, m_timeout->value());
    Settings::setValue(settingsKey::layout, m_layout->currentIndex());
    return true;
}

void BootConfigPage::updatePreview()
{
    const auto device = pipeline::BcdDevice(m_device->currentData().toInt());
    const auto layout = pipeline::Layout(m_layout->currentData().toInt());
    m_deviceHelp->setText(device == pipeline::BcdDevice::Boot
            ? tr("The RAM disk is found on whatever disk bootmgr started from: the image still "
                 "works when copied to a USB stick or another server.")
            : tr("The RAM disk is found by this image's disk signature and partition offset, as "
                 "bcdedit writes it; the image must stay byte for byte as built."));
    const pipeline::LayoutPaths paths = pipeline::layoutPaths(layout);
    m_layoutHelp->setText(
        tr("Files: %1, %2, %3, %4").arg(paths.bootmgr, paths.bcd, paths.sdi, paths.wim));

    bcd::WinPeStoreOptions options;
    options.device
        = device == pipeline::BcdDevice::Boot ? bcd::DeviceMode::Boot : bcd::DeviceMode::Partition;
    options.diskSignature = kPreviewSignature;
    options.partitionOffset = kPreviewPartitionOffset;
    options.wimPath = paths.wim;
    options.sdiPath = paths.sdi;
    options.description = m_description->text().trimmed();
    options.timeout = m_timeout->value();
    options.loaderId = kPreviewLoaderId;

    m_valid = true;
    if (options.description.isEmpty()) {
        m_valid = false;
        m_message->showMessage(InlineMessage::Error, tr("Enter a description for the entry."));
    } else if (auto store = bcd::makeWinPeStore(options); !store) {
        m_valid = false;
        m_preview->clear();
        m_message->showMessage(InlineMessage::Error, store.error().toString());
    } else {
        const int scroll = m_preview->verticalScrollBar()->value();
        m_preview->setPlainText(bcd::dumpText(*store));
        m_preview->verticalScrollBar()->setValue(scroll);
        m_message->showMessage(InlineMessage::Info,
            device == pipeline::BcdDevice::Partition
                ? tr("The preview shows a sample disk signature; the build writes the real one.")
                : QString());
    }
    Q_EMIT completeChanged();
}

} // namespace pecast::ui
