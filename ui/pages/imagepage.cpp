#include "pages/imagepage.h"

#include "widgets/inlinemessage.h"
#include "wim/wiminspect.h"
#include "wizardcontext.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace pecast::ui {

namespace {

enum Column { ColIndex, ColName, ColArch, ColBuild, ColSize, ColBootable, ColumnCount };

InspectOutcome inspect(const QString &path)
{
    InspectOutcome outcome;
    outcome.path = path;
    Progress progress;
    auto info = wim::inspectWim(path, progress);
    if (info)
        outcome.info = std::move(info).value();
    else
        outcome.error = std::move(info).error();
    return outcome;
}

} // namespace

ImagePage::ImagePage(WizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
{
    setTitle(tr("Image"));
    setSubTitle(tr("Choose the image inside the WIM that the clients will boot."));

    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy indicator: no percentage for a header read
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("imageTable"));
    m_table->setHorizontalHeaderLabels(
        { tr("Index"), tr("Name"), tr("Arch"), tr("Build"), tr("Size"), tr("Bootable") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    m_table->setToolTip(tr("Images in the WIM; hover over ✗ to see why one cannot boot"));
    m_table->setAccessibleName(tr("Images"));

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("imageDetails"));
    m_details->setAccessibleName(tr("Image details"));
    m_message = new InlineMessage(this);
    m_recompress = new QCheckBox(tr("Re&compress to LZX while building (bootmgr cannot read this "
                                    "compression; takes longer)"),
        this);
    m_recompress->setObjectName(QStringLiteral("recompress"));
    m_recompress->hide();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_busy);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_recompress);

    registerField(QLatin1String(field::imageIndex) + QLatin1Char('*'), this, "selectedIndex",
        SIGNAL(selectedIndexChanged(int)));

    registerField(QLatin1String(field::recompress), m_recompress);
    connect(m_recompress, &QCheckBox::toggled, this, &ImagePage::completeChanged);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ImagePage::selectionChanged);
    connect(&m_watcher, &QFutureWatcher<InspectOutcome>::finished, this,
        [this] { showOutcome(m_watcher.result()); });
    connect(m_context, &WizardContext::sourceReplaced, this, [this](const QString &path) {
        if (wizard() && wizard()->currentPage() == this)
            startInspection(path);
    });
}

bool ImagePage::isInspecting() const
{
    return m_watcher.isRunning();
}

void ImagePage::initializePage()
{
    const QString path = m_context->sourceWimPath(); // an ISO's or a folder's boot.wim
    if (m_context->wimInfo() && m_context->wimInfo()->path == QFileInfo(path).absoluteFilePath()
        && QFileInfo(path).lastModified() <= m_inspectedAt && !isInspecting()) {
        return; // nothing changed since the last inspection
    }
    startInspection(path);
}

bool ImagePage::isComplete() const
{
    if (isInspecting() || !m_context->wimInfo())
        return false;
    const wim::WimImageInfo *image = m_context->wimInfo()->image(m_selectedIndex);
    if (!image)
        return false;
    return image->boot.bootable || (fixableByRecompress(*image) && m_recompress->isChecked());
}

bool ImagePage::fixableByRecompress(const wim::WimImageInfo &image) const
{
    return m_context->wimInfo() && !m_context->wimInfo()->compressionBootable
        && image.boot.reasons.size() == 1;
}

void ImagePage::startInspection(const QString &path)
{
    if (isInspecting()) {
        m_pendingPath = path; // the running read finishes first; its result is dropped
        return;
    }
    m_pendingPath.clear();
    m_context->setWimInfo(std::nullopt);
    m_table->setRowCount(0);
    m_details->clear();
    m_message->showMessage(InlineMessage::Info, {});
    m_summary->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_busy->show();
    m_selectedIndex = 0;
    Q_EMIT selectedIndexChanged(0);
    Q_EMIT completeChanged();
    m_watcher.setFuture(QtConcurrent::run(inspect, path));
}

void ImagePage::showOutcome(const InspectOutcome &outcome)
{
    if (!m_pendingPath.isEmpty()) {
        startInspection(m_pendingPath);
        return;
    }
    m_busy->hide();
    m_inspectedAt = QDateTime::currentDateTime();
    if (!outcome.info) {
        m_summary->setText(tr("Could not read %1.").arg(QFileInfo(outcome.path).fileName()));
        m_message->showMessage(InlineMessage::Error,
            outcome.error.toString()
                + (outcome.error.hint().isEmpty() ? QString()
                                                  : QStringLiteral("\n") + outcome.error.hint()));
        Q_EMIT completeChanged();
        Q_EMIT inspectionFinished(false);
        return;
    }
    const wim::WimInfo &info = *outcome.info;
    m_context->setWimInfo(info);
    m_summary->setText(
        tr("%1 — images: %2, compression: %3, size: %4")
            .arg(QFileInfo(info.path).fileName(), QString::number(info.imageCount),
                info.solid ? info.solidCompression + tr(" (solid)") : info.compression,
                locale().formattedDataSize(info.fileSize)));
    m_table->setRowCount(int(info.images.size()));
    int preselectRow = -1;
    for (int row = 0; row < info.images.size(); ++row) {
        const wim::WimImageInfo &image = info.images.at(row);
        auto set = [&](int column, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(tip.isEmpty() ? text : tip);
            m_table->setItem(row, column, item);
            return item;
        };
        set(ColIndex, QString::number(image.index));
        set(ColName, image.name, image.description);
        set(ColArch, image.arch);
        set(ColBuild, image.version.isEmpty() ? tr("unknown") : image.version);
        set(ColSize, locale().formattedDataSize(image.totalBytes));
        auto *bootable = set(ColBootable, image.boot.bootable ? tr("✓ yes") : tr("✗ no"),
            image.boot.bootable ? tr("This image can boot from a RAM disk")
                                : image.boot.reasons.join(QLatin1Char('\n')));
        bootable->setForeground(
            image.boot.bootable ? QColor(0x2e, 0x9b, 0x45) : QColor(0xc9, 0x30, 0x2c));
        if (image.index == info.bootIndex || (preselectRow < 0 && image.boot.bootable))
            preselectRow = row;
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    if (preselectRow >= 0)
        m_table->selectRow(preselectRow);
    selectionChanged();
    Q_EMIT inspectionFinished(true);
}

void ImagePage::selectionChanged()
{
    const auto rows = m_table->selectionModel()->selectedRows();
    const auto &info = m_context->wimInfo();
    m_selectedIndex = 0;
    if (!rows.isEmpty() && info)
        m_selectedIndex = info->images.value(rows.first().row()).index;
    const wim::WimImageInfo *image = info ? info->image(m_selectedIndex) : nullptr;
    m_recompress->setVisible(image && fixableByRecompress(*image));
    if (image) {
        m_details->setHtml(detailsHtml(*image));
        if (image->boot.bootable)
            m_message->showMessage(
                InlineMessage::Ok, tr("Image %1 will be booted.").arg(image->index));
        else
            m_message->showMessage(InlineMessage::Error,
                tr("Image %1 cannot boot from a RAM disk; see the details above.")
                    .arg(image->index));
    } else if (info) {
        m_details->clear();
        m_message->showMessage(InlineMessage::Info, tr("Select an image."));
    }
    Q_EMIT selectedIndexChanged(m_selectedIndex);
    Q_EMIT completeChanged();
}

QString ImagePage::detailsHtml(const wim::WimImageInfo &image) const
{
    const wim::WimInfo &info = *m_context->wimInfo();
    QString html = QStringLiteral("<h3>%1 %2: %3</h3><p>%4</p>")
                       .arg(tr("Image"), QString::number(image.index), image.name.toHtmlEscaped(),
                           image.description.toHtmlEscaped());
    html += QStringLiteral("<table>");
    auto row = [&html](const QString &key, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                    .arg(key, value.toHtmlEscaped());
    };
    row(tr("Edition"), image.edition);
    row(tr("Version"), image.version);
    row(tr("Architecture"), image.arch);
    row(tr("Files"), tr("%1 files in %2 folders").arg(image.fileCount).arg(image.dirCount));
    row(tr("bootmgr"),
        image.boot.hasBootmgr ? locale().formattedDataSize(image.boot.bootmgrSize) : tr("missing"));
    row(tr("boot.sdi"),
        image.boot.hasBootSdi ? locale().formattedDataSize(image.boot.bootSdiSize) : tr("missing"));
    row(tr("winload.exe"), image.boot.hasWinload ? tr("present") : tr("missing"));
    html += QStringLiteral("</table>");
    if (!image.boot.reasons.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Why it cannot boot:"));
        for (const QString &reason : image.boot.reasons)
            html += QStringLiteral("<li>%1</li>").arg(reason.toHtmlEscaped());
        html += QStringLiteral("</ul>");
        if (!info.compressionBootable)
            html += QStringLiteral("<p>%1</p>")
                        .arg(tr("What to do: this WIM uses %1 compression, which bootmgr cannot "
                                "read. Recompress it, e.g. <code>wimlib-imagex export in.wim %2 "
                                "out.wim --compress=LZX --chunk-size=32K</code>, then drop "
                                "out.wim here.")
                                 .arg(info.solid ? info.solidCompression : info.compression)
                                 .arg(image.index));
        else
            html += QStringLiteral("<p>%1</p>")
                        .arg(tr("What to do: choose a WinPE image (boot.wim from Windows media or "
                                "the ADK), or supply bootmgr and boot.sdi on the next page."));
    }
    for (const QString &warning : image.boot.warnings)
        html += QStringLiteral("<p>⚠ %1</p>").arg(warning.toHtmlEscaped());
    return html;
}

} // namespace pecast::ui
