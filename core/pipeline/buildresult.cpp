#include "pipeline/buildresult.h"

#include <QJsonArray>
#include <QJsonValue>

namespace pecast::pipeline {

QString BuildResult::toText() const
{
    QStringList lines;
    lines << QStringLiteral("output: %1").arg(outputPath);
    lines << QStringLiteral("size: %1 bytes%2")
                 .arg(sizeBytes)
                 .arg(gzip ? QStringLiteral(" (gzip; disk %1 bytes)").arg(diskSizeBytes)
                           : QString());
    lines << QStringLiteral("sha256: %1")
                 .arg(sha256.isEmpty() ? QStringLiteral("not computed (--sha256)") : sha256);
    lines << QStringLiteral("disk signature: %1").arg(diskSignature, 8, 16, QLatin1Char('0'));
    lines << QStringLiteral("partition: offset %1, size %2 bytes")
                 .arg(partitionOffset)
                 .arg(partitionSize);
    lines << QStringLiteral("layout: %1, BCD device: %2, image index: %3%4")
                 .arg(layoutName(layout), bcdDeviceName(bcdDevice))
                 .arg(imageIndex)
                 .arg(wimCopiedAsIs ? QStringLiteral(" (WIM copied as-is)") : QString());
    for (const QString &w : warnings)
        lines << QStringLiteral("warning: %1").arg(w);
    for (const StepTiming &t : timings)
        lines << QStringLiteral("  %1 ms  %2").arg(t.milliseconds, 7).arg(t.description);
    return lines.join(QLatin1Char('\n'));
}

QJsonObject BuildResult::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("output")] = outputPath;
    o[QStringLiteral("sizeBytes")] = double(sizeBytes);
    o[QStringLiteral("diskSizeBytes")] = double(diskSizeBytes);
    // null when not computed: the key is always there, so readers need not guess.
    o[QStringLiteral("sha256")]
        = sha256.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(sha256);
    o[QStringLiteral("diskSignature")]
        = QStringLiteral("%1").arg(diskSignature, 8, 16, QLatin1Char('0'));
    o[QStringLiteral("partitionOffset")] = double(partitionOffset);
    o[QStringLiteral("partitionSize")] = double(partitionSize);
    o[QStringLiteral("layout")] = layoutName(layout);
    o[QStringLiteral("bcdDevice")] = bcdDeviceName(bcdDevice);
    o[QStringLiteral("gzip")] = gzip;
    o[QStringLiteral("index")] = imageIndex;
    o[QStringLiteral("wimCopiedAsIs")] = wimCopiedAsIs;
    o[QStringLiteral("warnings")] = QJsonArray::fromStringList(warnings);
    QJsonArray steps;
    for (const StepTiming &t : timings)
        steps.append(QJsonObject { { QStringLiteral("step"), t.description },
            { QStringLiteral("ms"), double(t.milliseconds) } });
    o[QStringLiteral("timings")] = steps;
    return o;
}

} // namespace pecast::pipeline
