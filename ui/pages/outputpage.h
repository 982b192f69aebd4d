#pragma once

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// Page 5: where the image goes, how big it is, gzip, and the RAM a client will need.
class OutputPage : public QWizardPage
{
    Q_OBJECT
    Q_PROPERTY(int sizeMiB READ sizeMiB NOTIFY sizeChanged)
public:
    explicit OutputPage(WizardContext *context, QWidget *parent = nullptr);

    int sizeMiB() const; // 0: automatic
    qint64 estimatedBytes() const { return m_estimate; }
    qint64 requiredClientRam() const;

    void initializePage() override;
    void cleanupPage() override { } // keeps the user's choices when going back
    bool isComplete() const override;
    bool validatePage() override;

Q_SIGNALS:
    void sizeChanged();

private:
    void browse();
    void gzipToggled(bool on);
    QString problem() const; // empty when the page is valid
    void update();

    WizardContext *m_context;
    QLineEdit *m_path = nullptr;
    QRadioButton *m_autoSize = nullptr;
    QRadioButton *m_manualSize = nullptr;
    QSpinBox *m_size = nullptr;
    QLabel *m_estimateLabel = nullptr;
    QCheckBox *m_gzip = nullptr;
    QCheckBox *m_overwrite = nullptr;
    QLabel *m_ram = nullptr;
    InlineMessage *m_message = nullptr;
    qint64 m_estimate = 0; // the automatic size in bytes, 0 when unknown
    QString m_defaultedFor; // the WIM the current default path was derived from
};

} // namespace pecast::ui
