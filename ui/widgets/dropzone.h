#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;

namespace pecast::ui {

// A large target for dragging a file in; a click opens a file dialog. It accepts only files
// whose suffix is in the list given (case-insensitive), and folders when asked, and says so
// while the drag hovers.
class DropZone : public QFrame
{
    Q_OBJECT
public:
    explicit DropZone(QWidget *parent = nullptr);

    void setAcceptedSuffixes(const QStringList &suffixes);
    void setAcceptsFolders(bool accepts) { m_folders = accepts; }
    void setText(const QString &text);

    // The first local file among the URLs whose suffix is accepted (or folder, when `folders`),
    // or an empty string.
    static QString acceptableFile(
        const QList<QUrl> &urls, const QStringList &suffixes, bool folders = false);

Q_SIGNALS:
    void fileDropped(const QString &path);
    void clicked();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void setHovering(bool hovering);

    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QStringList m_suffixes;
    bool m_folders = false;
};

} // namespace pecast::ui
