#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QRadioButton;

namespace pecast::ui {

// "Where does this boot file come from?": the copy inside the WIM, or a file the user picks or
// drops. Reports the chosen external path (empty = from the WIM) and its size.
class BootFileChooser : public QGroupBox
{
    Q_OBJECT
    Q_PROPERTY(QString externalPath READ externalPath NOTIFY changed)
public:
    BootFileChooser(const QString &heading, const QString &fileFilter, QWidget *parent = nullptr);

    // What the WIM holds: its path inside the image and size (-1: the image has none).
    void setWimFile(const QString &pathInWim, qint64 size);
    void setExternalPath(const QString &path);
    QString externalPath() const; // empty when the WIM's copy is used
    qint64 effectiveSize() const; // -1 when unknown or missing
    bool isValid() const;
    QString problem() const; // empty when valid

Q_SIGNALS:
    void changed();

private:
    void update();

    QString m_fileFilter;
    QString m_pathInWim;
    qint64 m_wimSize = -1;
    QRadioButton *m_fromWim = nullptr;
    QRadioButton *m_fromFile = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_size = nullptr;
};

} // namespace pecast::ui
