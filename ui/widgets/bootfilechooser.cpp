#include "widgets/bootfilechooser.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>

namespace pecast::ui {

BootFileChooser::BootFileChooser(const QString &heading, const QString &fileFilter, QWidget *parent)
    : QGroupBox(heading, parent)
    , m_fileFilter(fileFilter)
{
    m_fromWim = new QRadioButton(this);
    m_fromWim->setChecked(true);
    m_fromFile = new QRadioButton(tr("&Other file:"), this);
    m_path = new QLineEdit(this);
    m_path->setClearButtonEnabled(true);
    auto *browse = new QPushButton(tr("Bro&wse…"), this);
    browse->setToolTip(tr("Pick the file, or drop it onto this page"));
    m_size = new QLabel(this);

    auto *layout = new QGridLayout(this);
    layout->addWidget(m_fromWim, 0, 0, 1, 3);
    layout->addWidget(m_fromFile, 1, 0);
    layout->addWidget(m_path, 1, 1);
    layout->addWidget(browse, 1, 2);
    layout->addWidget(m_size, 2, 0, 1, 3);
    layout->setColumnStretch(1, 1);

    connect(m_fromWim, &QRadioButton::toggled, this, &BootFileChooser::update);
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        if (!m_path->text().isEmpty())
            m_fromFile->setChecked(true);
        update();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, QGroupBox::title(), QFileInfo(m_path->text()).absolutePath(), m_fileFilter);
        if (!path.isEmpty())
            setExternalPath(path);
    });
    update();
}

void BootFileChooser::setWimFile(const QString &pathInWim, qint64 size)
{
    m_pathInWim = pathInWim;
    m_wimSize = size;
    update();
}

void BootFileChooser::setExternalPath(const QString &path)
{
    m_path->setText(path);
    m_fromFile->setChecked(!path.isEmpty());
    if (path.isEmpty())
        m_fromWim->setChecked(true);
}

QString BootFileChooser::externalPath() const
{
    return m_fromFile->isChecked() ? m_path->text().trimmed() : QString();
}

qint64 BootFileChooser::effectiveSize() const
{
    if (!m_fromFile->isChecked())
        return m_wimSize;
    const QFileInfo info(externalPath());
    return info.isFile() ? info.size() : -1;
}

bool BootFileChooser::isValid() const
{
    return problem().isEmpty();
}

QString BootFileChooser::problem() const
{
    if (m_fromWim->isChecked())
        return m_wimSize < 0 ? tr("The image has no %1; choose a file.").arg(title()) : QString();
    const QString path = externalPath();
    if (path.isEmpty())
        return tr("Choose the %1 file.").arg(title());
    const QFileInfo info(path);
    if (!info.isFile())
        return tr("%1 does not exist.").arg(path);
    if (!info.isReadable())
        return tr("%1 cannot be read.").arg(path);
    if (info.size() == 0)
        return tr("%1 is empty.").arg(path);
    return {};
}

void BootFileChooser::update()
{
    m_fromWim->setText(m_wimSize >= 0
            ? tr("From the &image: %1 (%2)").arg(m_pathInWim, locale().formattedDataSize(m_wimSize))
            : tr("From the &image: not found"));
    m_path->setEnabled(m_fromFile->isChecked());
    const qint64 size = effectiveSize();
    m_size->setText(size >= 0 ? tr("Size: %1 (%2 bytes)")
                                    .arg(locale().formattedDataSize(size), locale().toString(size))
                              : QString());
    Q_EMIT changed();
}

} // namespace pecast::ui
