#pragma once

// What `pecast build --source` and `pecast source extract` accept, turned into files on disk:
// a WIM, a copype working folder, a media folder, or an ISO (ISO 9660 read in-process with
// libarchive; UDF-only media, like Windows install ISOs, through libguestfs).

#include "util/error.h"
#include "util/progress.h"
#include "wim/sourcemedia.h"

#include <QString>

namespace pecast::pipeline {

struct ResolvedSource
{
    wim::SourceKind kind = wim::SourceKind::Wim;
    QString wimPath; // always set
    QString bootmgrPath; // empty for a WIM source (its boot files come from inside the WIM)
    QString sdiPath; // ditto
    QString bcdPath; // may be empty: media without boot\bcd (PEcast writes its own BCD)
    QString notice; // something the user should know (e.g. libguestfs fell back to TCG)
};

// Files of folders and WIMs are used in place; an ISO's files are extracted into tempDir (an
// existing folder the caller owns and removes).
Result<ResolvedSource> resolveSource(
    const QString &path, const QString &tempDir, Progress &progress);

// `pecast source extract`: writes boot.wim, bootmgr, boot.sdi and BCD (when the media has one)
// into outDir, which must not exist or be empty. The folder appears complete or not at all: the
// files go to a hidden folder beside it that is renamed at the end.
Result<ResolvedSource> extractSource(
    const QString &path, const QString &outDir, Progress &progress);

// UDF media through libguestfs (one appliance launch): the same files as
// wim::extractIso9660Media, into outDir.
Result<ResolvedSource> extractUdfMedia(
    const QString &iso, const QString &outDir, Progress &progress);

} // namespace pecast::pipeline
