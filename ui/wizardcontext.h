#pragma once

// State the pages share beyond QWizard's fields: the inspected WIM, the build runner and its
// result, the server. Fields ("source.wim", "output.path", ...) stay the way pages talk about
// the user's choices; the context holds the objects behind them. Owned by the wizard.

#include "pipeline/buildplan.h"
#include "pipeline/buildresult.h"
#include "wim/wiminfo.h"

#include <QObject>
#include <QString>

#include <optional>

class QWizard;

namespace pecast::pipeline {
class BuildRunner;
}
namespace pecast::serve {
class ServeController;
}

namespace pecast::ui {

class SourceResolver;

// Field names, in one place so that a typo is a compile error.
namespace field {
inline constexpr char sourceWim[] = "source.wim"; // a WIM, an ISO, a folder or a disk image
inline constexpr char imageIndex[] = "image.index";
inline constexpr char recompress[] = "image.recompress"; // re-export as LZX while building
inline constexpr char bootmgrPath[] = "boot.bootmgr"; // empty: from the WIM
inline constexpr char sdiPath[] = "boot.sdi"; // empty: from the WIM
inline constexpr char description[] = "bcd.description";
inline constexpr char deviceMode[] = "bcd.device"; // int: pipeline::BcdDevice
inline constexpr char timeout[] = "bcd.timeout"; // seconds
inline constexpr char layout[] = "bcd.layout"; // int: pipeline::Layout
inline constexpr char outputPath[] = "output.path";
inline constexpr char sizeMiB[] = "output.sizeMiB"; // 0: automatic
inline constexpr char gzip[] = "output.gzip";
inline constexpr char overwrite[] = "output.overwrite";
} // namespace field

class WizardContext : public QObject
{
    Q_OBJECT
public:
    explicit WizardContext(QWizard *wizard);
    ~WizardContext() override;

    QWizard *wizard() const { return m_wizard; }
    QVariant field(const char *name) const;

    // The plan the Build page runs, from the fields of all pages.
    pipeline::BuildPlan plan() const;

    // The source WIM: the chosen file, or the boot.wim of a resolved ISO or folder (empty while
    // that is not resolved yet).
    QString sourceWimPath() const;
    // What the build takes: the customized WIM when the Customize page made one, else the source.
    QString buildWimPath() const;
    SourceResolver &resolver() { return *m_resolver; }
    const SourceResolver &resolver() const { return *m_resolver; }

    // The WIM the Customize page wrote (same images and indexes as the source); empty: none.
    const QString &customWim() const { return m_customWim; }
    void setCustomWim(const QString &path) { m_customWim = path; }

    // The last inspection of the source WIM (set by the Image page).
    const std::optional<wim::WimInfo> &wimInfo() const { return m_wimInfo; }
    void setWimInfo(std::optional<wim::WimInfo> info) { m_wimInfo = std::move(info); }
    const wim::WimImageInfo *selectedImage() const;

    const std::optional<pipeline::BuildResult> &buildResult() const { return m_buildResult; }
    void setBuildResult(std::optional<pipeline::BuildResult> result);

    pipeline::BuildRunner &runner() { return *m_runner; }
    serve::ServeController &server() { return *m_server; }
    bool isBuilding() const;
    bool isServing() const;

Q_SIGNALS:
    // A new source was dropped while the wizard was past the Source page.
    void sourceReplaced(const QString &path);

private:
    QWizard *m_wizard;
    std::optional<wim::WimInfo> m_wimInfo;
    std::optional<pipeline::BuildResult> m_buildResult;
    QString m_customWim;
    SourceResolver *m_resolver;
    pipeline::BuildRunner *m_runner;
    serve::ServeController *m_server;
};

} // namespace pecast::ui
