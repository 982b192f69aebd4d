#pragma once

// Test fixtures built at test time: the stub bootmgr (nasm), WinPE-like directory trees and
// WIMs written with wimlib's C API from such trees. Every builder is deterministic (same options,
// same file contents) and cheap to call repeatedly: WIMs are built once per process and options,
// then copied into the caller's directory.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pecast::test {

// WIM `WINDOWS/ARCH` values (what Windows' XML uses).
constexpr int kArchX86 = 0;
constexpr int kArchX64 = 9;
constexpr int kArchArm64 = 12;

// Size of the fixture's boot.sdi: the real one is 3,170,304 bytes; a round 3 MiB is as good.
constexpr qint64 kDefaultSdiSize = 3 * 1024 * 1024;

// Builds resources/sample/stubbootmgr.asm with `nasm -f bin` into `dir`/stubbootmgr.bin and
// returns its path, or an empty string (with the reason in *error) when nasm is missing or
// fails, so callers can QSKIP/QFAIL. The program, entered at 2000:0000, prints one line on COM1:
//   PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=0000026E\r\n
// then halts (see the header of the .asm file).
QString buildStubBootmgr(const QString &dir, QString *error = nullptr);

// The marker line prefix the stub prints; tests grep serial output for it.
inline constexpr char kStubMarker[] = "PECAST-STUB ";

struct WinPeTreeOptions
{
    // Windows/Boot/PCAT/bootmgr, Windows/Boot/DVD/PCAT/boot.sdi and
    // Windows/System32/boot/winload.exe. false: a tree without any of them.
    bool withBootFiles = true;
    // Windows/Boot/DVD/PCAT/BCD (a placeholder blob, not a real hive).
    bool withMediaBcd = true;
    // Content of bootmgr: this file when set (e.g. from buildStubBootmgr()); otherwise the stub
    // is built with nasm, or, when nasm is missing, a deterministic placeholder is written.
    QString bootmgrSource;
    // Pads bootmgr with zeros up to this many bytes (0: as is). For the >490 KiB warning.
    qint64 bootmgrSize = 0;
    qint64 sdiSize = kDefaultSdiSize; // deterministic pseudo-random content
    quint32 seed = 1; // varies the pseudo-random contents (sdi, padding)
    // Incompressible bytes in Windows/System32/padding.bin (0: no such file).
    qint64 paddingBytes = 0;
    // Extra files: relative path ('/' separated) -> content.
    QMap<QString, QByteArray> extraFiles;
};

// Writes a WinPE-like tree into `dir` (created when missing) and returns `dir`, or an empty
// string with *error set. Always present: Windows/System32/startnet.cmd ("wpeinit").
QString makeWinPeTree(
    const QString &dir, const WinPeTreeOptions &options = {}, QString *error = nullptr);

enum class FixtureCompression { Lzx, Xpress, LzmsSolid, None };

struct FixtureImage
{
    QString name; // empty: "WinPE <index>"
    QString description; // empty: "PEcast fixture image <index>"
    int archCode = kArchX64; // WINDOWS/ARCH; -1: leave unset
    QString edition = QStringLiteral("WindowsPE"); // WINDOWS/EDITIONID
    QString installationType = QStringLiteral("WindowsPE"); // WINDOWS/INSTALLATIONTYPE
    int major = 10, minor = 0, build = 19041; // WINDOWS/VERSION/{MAJOR,MINOR,BUILD}
    WinPeTreeOptions tree;
};

struct FixtureWimOptions
{
    QString fileName = QStringLiteral("fixture.wim"); // for split WIMs use a .swm name
    FixtureCompression compression = FixtureCompression::Lzx;
    int chunkSize = 0; // 0: 32 KiB (what Windows' RAM-disk loaders read); LZMS solid: wimlib's
    // Images in order; empty: `imageCount` default images (image i gets seed i).
    QList<FixtureImage> images;
    int imageCount = 1;
    int bootIndex = 1; // 0: none
    bool integrity = false; // write an integrity table
    // Split into parts of at most this many bytes (0: no split). Parts are named like wimlib's
    // CLI: fixture.swm, fixture2.swm, ...; the returned path is part 1.
    qint64 splitPartSize = 0;
    // Adds incompressible data to image 1 so the WIM reaches about this many bytes (0: none).
    // LZX/XPRESS still try to compress it: for ~1 GiB prefer XPRESS (fast) or None.
    qint64 targetSize = 0;
};

// Builds the WIM into `dir` and returns its path (part 1 of a split WIM), or an empty string
// with *error set.
QString makeFixtureWim(
    const QString &dir, const FixtureWimOptions &options = {}, QString *error = nullptr);

// All parts of a split fixture built by makeFixtureWim (part 1 first).
QStringList splitParts(const QString &firstPart);

// Deterministic pseudo-random bytes (xorshift), for content that must not compress.
QByteArray pseudoRandomBytes(qint64 size, quint32 seed);

} // namespace pecast::test
