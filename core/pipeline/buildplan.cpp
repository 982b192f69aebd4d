#include "pipeline/buildplan.h"

#include "pipeline/runbuild.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace pecast::pipeline {

// Where Debian's grub-pc-bin puts the i386-pc modules, boot.img and grub-mkimage's inputs.
constexpr auto kDefaultGrubDir = "/usr/lib/grub/i386-pc";
// NTFS labels are at most 32 UTF-16 units (mkntfs refuses longer ones).
constexpr int kMaxLabelLength = 32;
// bcdedit takes any 32-bit value; past an hour a boot menu timeout is a typo.
constexpr int kMaxBcdTimeoutSeconds = 3600;
// memdisk cannot use memory above 4 GiB, so a bigger image can never boot.
constexpr qint64 kMaxDiskSize = 4LL * 1024 * 1024 * 1024 - 1024 * 1024;

QString bcdDeviceName(BcdDevice device)
{
    return device == BcdDevice::Boot ? QStringLiteral("boot") : QStringLiteral("partition");
}

std::optional<BcdDevice> parseBcdDevice(const QString &name)
{
    if (name.compare(QLatin1String("boot"), Qt::CaseInsensitive) == 0)
        return BcdDevice::Boot;
    if (name.compare(QLatin1String("partition"), Qt::CaseInsensitive) == 0)
        return BcdDevice::Partition;
    return std::nullopt;
}

QString layoutName(Layout layout)
{
    return layout == Layout::Classic ? QStringLiteral("classic") : QStringLiteral("media");
}

std::optional<Layout> parseLayout(const QString &name)
{
    if (name.compare(QLatin1String("classic"), Qt::CaseInsensitive) == 0)
        return Layout::Classic;
    if (name.compare(QLatin1String("media"), Qt::CaseInsensitive) == 0)
        return Layout::Media;
    return std::nullopt;
}

Result<qint64> parseSize(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0)
        return qint64(0);
    static const QRegularExpression re(QStringLiteral("^(\\d+)\\s*(MiB|M|MB|GiB|G|GB)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(t);
    bool ok = false;
    const qint64 n = m.hasMatch() ? m.captured(1).toLongLong(&ok) : 0;
    if (!ok || n <= 0)
        return Error(Errc::InvalidInput, QStringLiteral("invalid size \"%1\"").arg(text))
            .withHint(QStringLiteral("Use auto, or a number with MiB or GiB, e.g. 600MiB."));
    const bool gib = m.captured(2).startsWith(QLatin1Char('G'), Qt::CaseInsensitive);
    const qint64 unit = gib ? 1024LL * 1024 * 1024 : 1024LL * 1024;
    if (n > kMaxDiskSize / unit + 1)
        return Error(Errc::InvalidInput, QStringLiteral("size %1 is too large").arg(text));
    return n * unit;
}

Status BuildPlan::validate() const
{
    if (wimPath.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("no source WIM given"))
            .withHint(QStringLiteral("Pass --wim FILE."));
    if (outputPath.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("no output file given"))
            .withHint(QStringLiteral("Pass -o FILE."));
    if (imageIndex < 0)
        return Error(
            Errc::InvalidInput, QStringLiteral("image index %1 is invalid").arg(imageIndex));
    if (sizeBytes < 0 || sizeBytes > kMaxDiskSize)
        return Error(Errc::InvalidInput,
            QStringLiteral("disk size %1 bytes is out of range (memdisk stops at 4 GiB)")
                .arg(sizeBytes));
    if (label.size() > kMaxLabelLength)
        return Error(Errc::InvalidInput,
            QStringLiteral("volume label \"%1\" is longer than %2 characters")
                .arg(label)
                .arg(kMaxLabelLength));
    if (description.trimmed().isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("the BCD description is empty"))
            .withHint(QStringLiteral("bootmgr shows it in its menu; give a name such as WinPE."));
    if (bcdTimeoutSeconds < 0 || bcdTimeoutSeconds > kMaxBcdTimeoutSeconds)
        return Error(Errc::InvalidInput,
            QStringLiteral("BCD timeout %1 s is out of range (0-%2)")
                .arg(bcdTimeoutSeconds)
                .arg(kMaxBcdTimeoutSeconds));
    if (diskSignature && *diskSignature == 0)
        return Error(Errc::InvalidInput, QStringLiteral("disk signature 0 is not allowed"))
            .withHint(QStringLiteral("Windows treats 0 as \"no signature\"; pick another value."));
    return {};
}

QString BuildPlan::grubDirectory()
{
    const QString env = qEnvironmentVariable("PECAST_GRUB_DIR");
    return env.isEmpty() ? QString::fromLatin1(kDefaultGrubDir) : env;
}

LayoutPaths layoutPaths(Layout layout)
{
    if (layout == Layout::Media)
        return { QStringLiteral("\\bootmgr"), QStringLiteral("\\boot\\BCD"),
            QStringLiteral("\\boot\\boot.sdi"), QStringLiteral("\\sources\\boot.wim") };
    return { QStringLiteral("\\bootmgr"), QStringLiteral("\\boot\\BCD"),
        QStringLiteral("\\boot.sdi"), QStringLiteral("\\winpe.wim") };
}

namespace {

QString sizeText(qint64 bytes)
{
    if (bytes == 0)
        return QStringLiteral("auto");
    return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
}

} // namespace

QString BuildPlan::toText() const
{
    QStringList lines;
    const auto add = [&lines](const char *key, const QString &value) {
        lines << QStringLiteral("%1: %2").arg(QLatin1String(key), value);
    };
    add("source WIM", wimPath);
    add("image index",
        imageIndex == 0 ? QStringLiteral("boot index") : QString::number(imageIndex));
    add("bootmgr", bootmgrPath.isEmpty() ? QStringLiteral("from the image") : bootmgrPath);
    add("boot.sdi", sdiPath.isEmpty() ? QStringLiteral("from the image") : sdiPath);
    add("layout", layoutName(layout));
    add("BCD device", bcdDeviceName(bcdDevice));
    add("disk size", sizeText(sizeBytes));
    add("disk signature",
        diskSignature ? QStringLiteral("%1").arg(*diskSignature, 8, 16, QLatin1Char('0'))
                      : QStringLiteral("random"));
    add("volume label", label);
    add("BCD description", description);
    add("BCD timeout", QStringLiteral("%1 s").arg(bcdTimeoutSeconds));
    add("recompress", recompress ? QStringLiteral("yes (LZX)") : QStringLiteral("no"));
    add("gzip", gzip ? QStringLiteral("yes") : QStringLiteral("no"));
    add("replace existing", overwrite ? QStringLiteral("yes") : QStringLiteral("no"));
    add("GRUB directory", grubDirectory());
    add("output", outputPath);
    const LayoutPaths paths = layoutPaths(layout);
    lines
        << QStringLiteral("files: %1 %2 %3 %4").arg(paths.bootmgr, paths.bcd, paths.sdi, paths.wim);
    lines << QStringLiteral("steps:");
    const QStringList steps = plannedSteps(*this);
    for (int i = 0; i < steps.size(); ++i)
        lines << QStringLiteral("  %1. %2").arg(i + 1).arg(steps[i]);
    return lines.join(QLatin1Char('\n'));
}

QJsonObject BuildPlan::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("wim")] = wimPath;
    o[QStringLiteral("index")] = imageIndex;
    o[QStringLiteral("bootmgr")] = bootmgrPath;
    o[QStringLiteral("sdi")] = sdiPath;
    o[QStringLiteral("layout")] = layoutName(layout);
    o[QStringLiteral("bcdDevice")] = bcdDeviceName(bcdDevice);
    o[QStringLiteral("sizeBytes")] = double(sizeBytes);
    o[QStringLiteral("diskSignature")] = diskSignature ? double(*diskSignature) : -1.0;
    o[QStringLiteral("label")] = label;
    o[QStringLiteral("description")] = description;
    o[QStringLiteral("bcdTimeout")] = bcdTimeoutSeconds;
    o[QStringLiteral("recompress")] = recompress;
    o[QStringLiteral("gzip")] = gzip;
    o[QStringLiteral("force")] = overwrite;
    o[QStringLiteral("grubDir")] = grubDirectory();
    o[QStringLiteral("output")] = outputPath;
    o[QStringLiteral("steps")] = QJsonArray::fromStringList(plannedSteps(*this));
    return o;
}

} // namespace pecast::pipeline
