#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace pecast::ui {

// Edits a small text file of the image (startnet.cmd, winpeshl.ini) in a plain editor. Line
// ends are written as CR LF when the change is applied (wim::toWindowsText).
class TextFileDialog : public QDialog
{
    Q_OBJECT
public:
    TextFileDialog(const QString &pathInImage, const QString &text, QWidget *parent = nullptr);

    QString text() const;

private:
    QPlainTextEdit *m_editor = nullptr;
};

} // namespace pecast::ui
