#include "pipeline/imageinspection.h"

#include "bcd/bcddump.h"
#include "bcd/bcdstore.h"
#include "bcd/winpestore.h"
#include "disk/ntfsvolume.h"

namespace pecast::pipeline {

namespace {

using R = disk::ImageCheck::Result;

// A BCD hive is a few tens of KiB; anything far larger is not one.
constexpr qint64 kMaxBcdBytes = 16 * 1024 * 1024;

void checkPath(
    ImageInspection &inspection, const QString &name, const QString &what, const QString &path)
{
    disk::ImageReport &report = inspection.report;
    if (path.isEmpty()) {
        report.addCheck(name, R::Fail, QStringLiteral("the BCD names no %1").arg(what));
        return;
    }
    const disk::NtfsEntry *entry = report.findFile(path);
    if (!entry || entry->directory)
        report.addCheck(
            name, R::Fail, QStringLiteral("the BCD's %1 %2 is not in the image").arg(what, path));
    else
        report.addCheck(name, R::Pass,
            QStringLiteral("%1 %2 present (%3 bytes)").arg(what, path).arg(entry->size));
}

void inspectBcd(ImageInspection &inspection)
{
    disk::ImageReport &report = inspection.report;
    if (!report.volumeOpened || !report.findFile(QStringLiteral("/boot/BCD")))
        return; // the disk checks already say why
    auto volume = disk::NtfsVolume::open(
        report.path, report.partitionOffset(), disk::NtfsVolume::Mode::ReadOnly);
    if (!volume) {
        report.addCheck(QStringLiteral("bcd-store"), R::Fail, volume.error().toString());
        return;
    }
    auto bytes = volume->readFile(QStringLiteral("/boot/BCD"), kMaxBcdBytes);
    (void)volume->close(); // read-only: nothing to flush
    if (!bytes) {
        report.addCheck(QStringLiteral("bcd-store"), R::Fail, bytes.error().toString());
        return;
    }
    auto store = bcd::readStore(*bytes, QStringLiteral("\\boot\\BCD"));
    if (!store) {
        report.addCheck(QStringLiteral("bcd-store"), R::Fail,
            QStringLiteral("\\boot\\BCD is not a readable BCD store: %1")
                .arg(store.error().toString()));
        return;
    }
    inspection.bcdRead = true;
    inspection.bcdText = bcd::dumpText(*store);
    inspection.bcdJson = bcd::dumpJson(*store);
    auto boot = bcd::ramdiskBoot(*store);
    if (!boot) {
        report.addCheck(QStringLiteral("bcd-store"), R::Fail,
            QStringLiteral("\\boot\\BCD has no entry that boots a RAM disk: %1")
                .arg(boot.error().message()));
        return;
    }
    report.addCheck(QStringLiteral("bcd-store"), R::Pass,
        QStringLiteral("\\boot\\BCD boots a RAM disk from %1").arg(boot->wimPath));
    inspection.wimPath = boot->wimPath;
    inspection.sdiPath = boot->sdiPath;
    checkPath(inspection, QStringLiteral("bcd-wim"), QStringLiteral("WIM"), boot->wimPath);
    checkPath(inspection, QStringLiteral("bcd-sdi"), QStringLiteral("SDI"), boot->sdiPath);
}

} // namespace

QJsonObject ImageInspection::toJson() const
{
    QJsonObject root = report.toJson();
    QJsonObject bcd;
    bcd[QStringLiteral("read")] = bcdRead;
    if (bcdRead) {
        bcd[QStringLiteral("wimPath")] = wimPath;
        bcd[QStringLiteral("sdiPath")] = sdiPath;
        bcd[QStringLiteral("store")] = bcdJson;
    }
    root[QStringLiteral("bcd")] = bcd;
    root[QStringLiteral("consistent")] = consistent(); // BCD checks included
    return root;
}

QString ImageInspection::toText() const
{
    QString text = report.toText();
    if (bcdRead)
        text += QStringLiteral("\n\n\\boot\\BCD:\n") + bcdText.trimmed();
    return text;
}

Result<ImageInspection> inspectImageWithBcd(const QString &path)
{
    auto report = disk::inspectImage(path);
    if (!report)
        return std::move(report).error();
    ImageInspection inspection;
    inspection.report = std::move(report).value();
    inspectBcd(inspection);
    return inspection;
}

} // namespace pecast::pipeline
