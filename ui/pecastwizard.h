#pragma once

#include <QWizard>

namespace pecast::ui {

class BuildPage;
class BootConfigPage;
class BootFilesPage;
class CustomizePage;
class EditImagePage;
class ImagePage;
class OutputPage;
class ServePage;
class SourcePage;
class WizardContext;

// The step-by-step flow from a WIM (or an ISO, an ADK folder) to a served image, and the edit
// flow from an existing image (Source → Edit image → Serve).
class PecastWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId {
        SourceId,
        ImageId,
        CustomizeId,
        BootFilesId,
        BootConfigId,
        OutputId,
        BuildId,
        ServeId,
        EditImageId, // reached from Source with a disk image; goes on to Serve
    };
    Q_ENUM(PageId)

    explicit PecastWizard(QWidget *parent = nullptr);
    ~PecastWizard() override;

    WizardContext *context() const { return m_context; }
    SourcePage *sourcePage() const { return m_source; }
    ImagePage *imagePage() const { return m_image; }
    CustomizePage *customizePage() const { return m_customize; }
    EditImagePage *editImagePage() const { return m_editImage; }
    BootFilesPage *bootFilesPage() const { return m_bootFiles; }
    BootConfigPage *bootConfigPage() const { return m_bootConfig; }
    OutputPage *outputPage() const { return m_output; }
    BuildPage *buildPage() const { return m_build; }
    ServePage *servePage() const { return m_serve; }

    int nextId() const override;

    // Replaces the source from anywhere (a drop on any page, a command-line argument).
    void openSource(const QString &path);
    // Leaves the page shown for the Image page with the current source (after a replaced WIM).
    void returnToImagePage();

    // Stops a build, an edit or the server, asking first when `ask`; false when the user said no.
    bool stopWork(bool ask);

public Q_SLOTS:
    void reject() override;

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    WizardContext *m_context;
    SourcePage *m_source;
    ImagePage *m_image;
    CustomizePage *m_customize;
    EditImagePage *m_editImage;
    BootFilesPage *m_bootFiles;
    BootConfigPage *m_bootConfig;
    OutputPage *m_output;
    BuildPage *m_build;
    ServePage *m_serve;
};

} // namespace pecast::ui
