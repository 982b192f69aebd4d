#pragma once

// Shared by the pipeline tests: fixture WIMs built once per process, independent readers of a
// built image (grub-fstest: GRUB's own NTFS driver, what `ntldr` sees at boot), and the
// "no debris" check.

#include "pipeline/buildplan.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pecast::test {

// The default fixture (stub bootmgr, one LZX image, boot index 1) built into dir; QFAIL-friendly:
// returns an empty path and sets *error when nasm/wimlib fail.
QString defaultFixtureWim(const QString &dir, QString *error);

// A file from partition 1 of a raw image, read with grub-fstest (empty + *error on failure).
QByteArray readImageFile(const QString &image, const QString &path, QString *error);
// grub-fstest cmp: true when the file in the image equals `local` byte for byte.
bool imageFileEquals(
    const QString &image, const QString &path, const QString &local, QString *error);
// Names in `dir` (hidden ones too), sorted; to assert that only the expected output remains.
QStringList directoryEntries(const QString &dir);
// A plan for `wim` → `output` with a fixed signature, so failures are reproducible.
pipeline::BuildPlan basicPlan(const QString &wim, const QString &output);
// The file's SHA-256 by the sha256sum tool (independent of core/util).
QString sha256sumTool(const QString &path);

} // namespace pecast::test
