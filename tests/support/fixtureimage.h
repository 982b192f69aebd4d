#pragma once

// The image the network-boot tests serve: `pecast build` (the CLI under test) of the default
// fixture WIM, whose stub bootmgr reports on serial once booted.
//
// Header-only: the multicast tests compile the support sources they need one by one (fixtures
// and testenv are among them) instead of linking pecast_testsupport.

#include "fixtures.h"
#include "testenv.h"

#include <QDir>
#include <QString>

namespace pecast::test {

// Bound for building the small fixture image: seconds normally, far more under ASan or a busy CI.
inline constexpr int kFixtureImageBuildTimeoutMs = 300000;

// Writes the default fixture WIM into `dir` and builds `dir`/pe.img from it with `pecast build`.
// Returns the image's path, or an empty string with *error set.
inline QString buildFixtureImage(const QString &dir, QString *error)
{
    const QString wim = makeFixtureWim(dir, {}, error);
    if (wim.isEmpty())
        return {};
    const QString image = QDir(dir).filePath(QStringLiteral("pe.img"));
    const ProcessResult build = runCli({ QStringLiteral("build"), QStringLiteral("--wim"), wim,
                                           QStringLiteral("-o"), image, QStringLiteral("-q") },
        kFixtureImageBuildTimeoutMs);
    if (build.exitCode != 0) {
        *error = QStringLiteral("pecast build failed: %1").arg(QString::fromUtf8(build.err));
        return {};
    }
    return image;
}

} // namespace pecast::test
