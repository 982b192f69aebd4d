#pragma once

#include <QLabel>

namespace pecast::ui {

// A one-line message under a form: an icon plus text, coloured by severity. The pages use it
// for validation ("…does not exist") and for warnings (bootmgr too large for memdisk).
class InlineMessage : public QLabel
{
    Q_OBJECT
public:
    enum Kind { Info, Ok, Warning, Error };
    Q_ENUM(Kind)

    explicit InlineMessage(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    Kind kind() const { return m_kind; }

private:
    Kind m_kind = Info;
};

} // namespace pecast::ui
