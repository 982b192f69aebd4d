#include "widgets/textfiledialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace pecast::ui {

// Room for a typical startnet.cmd (a dozen lines) without scrolling.
constexpr QSize kEditorSize(640, 420);

TextFileDialog::TextFileDialog(const QString &pathInImage, const QString &text, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("textFileDialog"));
    setWindowTitle(tr("Edit %1").arg(pathInImage));
    auto *label = new QLabel(
        tr("Content of %1 in the image (saved with Windows line ends):").arg(pathInImage), this);
    label->setWordWrap(true);
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("textFileEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlainText(text);
    m_editor->setAccessibleName(pathInImage);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_editor, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(kEditorSize);
}

QString TextFileDialog::text() const
{
    return m_editor->toPlainText();
}

} // namespace pecast::ui
