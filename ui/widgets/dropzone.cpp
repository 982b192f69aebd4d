#include "widgets/dropzone.h"

#include <QDragEnterEvent>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QMimeData>
#include <QUrl>
#include <QVBoxLayout>

namespace pecast::ui {

// Big enough to hit without aiming, small enough for a 1024x768 screen.
constexpr int kMinimumHeight = 160;
constexpr int kIconSize = 64;

DropZone::DropZone(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("dropZone"));
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setMinimumHeight(kMinimumHeight);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Drop zone"));
    setToolTip(tr("Drop a file here, or click (or press Space) to choose one"));

    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setPixmap(QIcon(QStringLiteral(":/icons/drop.svg")).pixmap(kIconSize, kIconSize));
    m_label = new QLabel(this);
    m_label->setAlignment(Qt::AlignCenter);
    m_label->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_icon);
    layout->addWidget(m_label);
    layout->addStretch();
    setHovering(false);
}

void DropZone::setAcceptedSuffixes(const QStringList &suffixes)
{
    m_suffixes = suffixes;
}

void DropZone::setText(const QString &text)
{
    m_label->setText(text);
}

QString DropZone::acceptableFile(const QList<QUrl> &urls, const QStringList &suffixes, bool folders)
{
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        if (folders && info.isDir())
            return info.absoluteFilePath();
        if (!info.isDir() && suffixes.contains(info.suffix(), Qt::CaseInsensitive))
            return info.absoluteFilePath();
    }
    return {};
}

void DropZone::dragEnterEvent(QDragEnterEvent *event)
{
    if (!acceptableFile(event->mimeData()->urls(), m_suffixes, m_folders).isEmpty()) {
        event->acceptProposedAction();
        setHovering(true);
    }
}

void DropZone::dragLeaveEvent(QDragLeaveEvent *event)
{
    setHovering(false);
    QFrame::dragLeaveEvent(event);
}

void DropZone::dropEvent(QDropEvent *event)
{
    setHovering(false);
    const QString path = acceptableFile(event->mimeData()->urls(), m_suffixes, m_folders);
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT fileDropped(path);
}

void DropZone::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT clicked();
}

void DropZone::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space || event->key() == Qt::Key_Return) {
        Q_EMIT clicked();
        return;
    }
    QFrame::keyPressEvent(event);
}

void DropZone::setHovering(bool hovering)
{
    // The palette's highlight marks the zone while a drop would be accepted.
    setStyleSheet(hovering
            ? QStringLiteral("#dropZone { border: 2px dashed palette(highlight); "
                             "background: palette(alternate-base); border-radius: 8px; }")
            : QStringLiteral("#dropZone { border: 2px dashed palette(mid); border-radius: 8px; }"));
}

} // namespace pecast::ui
