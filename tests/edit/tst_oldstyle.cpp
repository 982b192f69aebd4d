// "Old-style" images made without PEcast, like the original recipe's dd of a VM disk: sfdisk
// puts the partition at sector 63, mkntfs formats it, libntfs-3g copies the files in, and the
// boot code is arbitrary bytes. replace-wim (in-process, then the libguestfs engine with growth:
// one appliance launch) must keep the boot sector bytes and every other file.

#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/ntfsvolume.h"
#include "fixtures.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::test;

namespace {

constexpr qint64 kStartSector = 63; // DOS-era alignment: one track of 63 sectors
constexpr qint64 kImageBytes = 48 * 1024 * 1024;

QByteArray readRange(const QString &path, qint64 offset, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
        return {};
    return f.read(size);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestOldStyle : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_image;
    QString m_smallWim;
    QString m_bigWim;
    QByteArray m_bootCode;
    QByteArray m_bootmgr;
    QByteArray m_sdi;

    QString partitionFile(const QString &image, qint64 sectors)
    {
        const QString out = image + QStringLiteral(".p1");
        QFile::remove(out);
        const auto r = run(findTool(QStringLiteral("dd")),
            { QStringLiteral("if=") + image, QStringLiteral("of=") + out, QStringLiteral("bs=512"),
                QStringLiteral("skip=%1").arg(kStartSector),
                QStringLiteral("count=%1").arg(sectors), QStringLiteral("status=none") });
        return r.exitCode == 0 ? out : QString();
    }

    QByteArray ntfscat(const QString &partition, const QString &path)
    {
        const auto r = run(findTool(QStringLiteral("ntfscat")), { partition, path });
        return r.exitCode == 0 ? r.out : QByteArray("<missing>");
    }

    qint64 partitionSectors(const QString &image)
    {
        const QByteArray e = readRange(image, 446 + 12, 4);
        return qint64(quint8(e[0])) | qint64(quint8(e[1])) << 8 | qint64(quint8(e[2])) << 16
            | qint64(quint8(e[3])) << 24;
    }

    void verifyFiles(const QString &image, const QString &newWim)
    {
        const QString part = partitionFile(image, partitionSectors(image));
        QVERIFY(!part.isEmpty());
        const auto check = run(findTool(QStringLiteral("ntfsresize")),
            { QStringLiteral("--info"), QStringLiteral("--force"), part });
        QVERIFY2(check.exitCode == 0, check.out.constData());
        QCOMPARE(ntfscat(part, QStringLiteral("/winpe.wim")), readFile(newWim));
        QCOMPARE(ntfscat(part, QStringLiteral("/bootmgr")), m_bootmgr);
        QCOMPARE(ntfscat(part, QStringLiteral("/boot.sdi")), m_sdi);
        QCOMPARE(ntfscat(part, QStringLiteral("/Tools/readme.txt")), QByteArray("keep me"));
        QFile::remove(part);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool : { "sfdisk", "mkntfs", "ntfscat", "ntfsresize", "dd" }) {
            if (findTool(QLatin1String(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is needed").arg(QLatin1String(tool))));
        }
        QString error;
        FixtureWimOptions small;
        small.fileName = QStringLiteral("small.wim");
        m_smallWim = makeFixtureWim(m_dir.path(), small, &error);
        QVERIFY2(!m_smallWim.isEmpty(), qPrintable(error));
        FixtureWimOptions big;
        big.fileName = QStringLiteral("big.wim");
        big.targetSize = 56 * 1024 * 1024; // more than the whole 48 MiB image
        m_bigWim = makeFixtureWim(m_dir.path(), big, &error);
        QVERIFY2(!m_bigWim.isEmpty(), qPrintable(error));

        // The disk: sfdisk, partition 1 at sector 63, active, type 07, to the end.
        m_image = m_dir.filePath(QStringLiteral("old.dd"));
        {
            QFile f(m_image);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(kImageBytes));
        }
        const auto sf = run(findTool(QStringLiteral("sfdisk")), { QStringLiteral("-q"), m_image },
            60000, "label: dos\nlabel-id: 0x1badcafe\nstart=63, type=7, bootable\n");
        QVERIFY2(sf.exitCode == 0, sf.err.constData());
        // Any boot code: 440 bytes that are not GRUB's.
        m_bootCode = pseudoRandomBytes(440, 31);
        {
            QFile f(m_image);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QCOMPARE(f.write(m_bootCode), qint64(440));
        }
        // mkntfs on a file of the partition's size, then copied in at sector 63.
        const qint64 sectors = partitionSectors(m_image);
        const QString part = m_dir.filePath(QStringLiteral("part.ntfs"));
        {
            QFile f(part);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(sectors * 512));
        }
        const auto mk = run(findTool(QStringLiteral("mkntfs")),
            { QStringLiteral("-F"), QStringLiteral("-q"), QStringLiteral("-Q"),
                QStringLiteral("-p"), QString::number(kStartSector), QStringLiteral("-H"),
                QStringLiteral("255"), QStringLiteral("-S"), QStringLiteral("63"), part });
        QVERIFY2(mk.exitCode == 0, mk.err.constData());
        const auto dd = run(findTool(QStringLiteral("dd")),
            { QStringLiteral("if=") + part, QStringLiteral("of=") + m_image,
                QStringLiteral("bs=512"), QStringLiteral("seek=%1").arg(kStartSector),
                QStringLiteral("conv=notrunc"), QStringLiteral("status=none") });
        QVERIFY2(dd.exitCode == 0, dd.err.constData());
        QFile::remove(part);

        // Files copied in with libntfs-3g; the BCD as the recipe's bcdedit sequence makes it.
        m_bootmgr = pseudoRandomBytes(300 * 1024, 32);
        m_sdi = pseudoRandomBytes(3 * 1024 * 1024, 33);
        auto store = bcd::makeWinPeStore({});
        QVERIFY(store.ok());
        auto hive = bcd::writeStore(*store);
        QVERIFY(hive.ok());
        auto volume = disk::NtfsVolume::open(
            m_image, kStartSector * 512, disk::NtfsVolume::Mode::ReadWrite);
        QVERIFY2(volume.ok(), volume.ok() ? "" : qPrintable(volume.error().toString()));
        Progress progress;
        QVERIFY(volume->writeFile(QStringLiteral("/bootmgr"), m_bootmgr).ok());
        QVERIFY(volume->writeFile(QStringLiteral("/Boot/BCD"), *hive).ok()); // Windows' case
        QVERIFY(volume->writeFile(QStringLiteral("/boot.sdi"), m_sdi).ok());
        QVERIFY(volume->writeFile(QStringLiteral("/Tools/readme.txt"), "keep me").ok());
        QVERIFY(volume->writeFile(QStringLiteral("/winpe.wim"), m_smallWim, progress).ok());
        QVERIFY(volume->close().ok());
    }

    void inProcessKeepsEveryByteButTheWim()
    {
        QTemporaryDir work;
        const QString out = work.filePath(QStringLiteral("edited.dd"));
        // The same WIM content re-exported is a different file; use the big one's little sister:
        // a WIM with the startnet.cmd changed.
        const QString wim = work.filePath(QStringLiteral("new.wim"));
        const auto e = runCli({ QStringLiteral("wim"), QStringLiteral("delete"), m_smallWim,
            QStringLiteral("/Windows/System32/startnet.cmd"), QStringLiteral("-o"), wim,
            QStringLiteral("-q") });
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const auto r = runCli({ QStringLiteral("image"), QStringLiteral("replace-wim"), m_image,
            QStringLiteral("--wim"), wim, QStringLiteral("-o"), out, QStringLiteral("-q"),
            QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("partitionOffset")).toInteger(), kStartSector * 512);
        QCOMPARE(json.value(QStringLiteral("grown")).toBool(), false);
        // The whole MBR and the track before the partition, and the NTFS boot sector.
        QCOMPARE(readRange(out, 0, kStartSector * 512), readRange(m_image, 0, kStartSector * 512));
        QCOMPARE(readRange(out, 0, 440), m_bootCode);
        QCOMPARE(
            readRange(out, kStartSector * 512, 512), readRange(m_image, kStartSector * 512, 512));
        QCOMPARE(QFileInfo(out).size(), kImageBytes);
        verifyFiles(out, wim);
    }

    void guestfsEngineGrows()
    {
        if (findTool(QStringLiteral("libguestfs-test-tool")).isEmpty())
            QSKIP("libguestfs is not installed");
        QTemporaryDir work;
        const QString out = work.filePath(QStringLiteral("grown.dd"));
        const auto r = runCli({ QStringLiteral("image"), QStringLiteral("replace-wim"), m_image,
                                  QStringLiteral("--wim"), m_bigWim, QStringLiteral("-o"), out,
                                  QStringLiteral("--engine"), QStringLiteral("guestfs"),
                                  QStringLiteral("-q"), QStringLiteral("--json") },
            600000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("grown")).toBool(), true);
        QVERIFY(QFileInfo(out).size() > kImageBytes);
        // Boot code, disk signature, the start of the entry; only length and end CHS change.
        QCOMPARE(readRange(out, 0, 446 + 5), readRange(m_image, 0, 446 + 5));
        QCOMPARE(readRange(out, 446 + 8, 4), readRange(m_image, 446 + 8, 4));
        QCOMPARE(readRange(out, 462, 50), readRange(m_image, 462, 50));
        QCOMPARE(readRange(out, 512, kStartSector * 512 - 512),
            readRange(m_image, 512, kStartSector * 512 - 512));
        QCOMPARE((kStartSector + partitionSectors(out)) * 512, QFileInfo(out).size());
        verifyFiles(out, m_bigWim);
    }
};

QTEST_GUILESS_MAIN(TestOldStyle)
#include "tst_oldstyle.moc"
