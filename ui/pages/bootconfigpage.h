#pragma once

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace pecast::ui {

class InlineMessage;
class WizardContext;

// Page 4: the BCD's description, device mode, timeout and the partition layout, with a live
// preview of the store exactly as `pecast bcd dump` prints it.
class BootConfigPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit BootConfigPage(WizardContext *context, QWidget *parent = nullptr);

    QString previewText() const;

    void initializePage() override;
    void cleanupPage() override { } // keeps the user's choices when going back
    bool isComplete() const override;
    bool validatePage() override;

private:
    void updatePreview();

    WizardContext *m_context;
    QLineEdit *m_description = nullptr;
    QComboBox *m_device = nullptr;
    QLabel *m_deviceHelp = nullptr;
    QSpinBox *m_timeout = nullptr;
    QComboBox *m_layout = nullptr;
    QLabel *m_layoutHelp = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    InlineMessage *m_message = nullptr;
    bool m_valid = true;
};

} // namespace pecast::ui
