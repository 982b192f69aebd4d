#include "pipelinetestutil.h"

#include "fixtures.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace pecast::test {

QString defaultFixtureWim(const QString &dir, QString *error)
{
    const QString stub = buildStubBootmgr(dir, error);
    if (stub.isEmpty())
        return {};
    FixtureWimOptions options;
    FixtureImage image;
    image.tree.bootmgrSource = stub;
    options.images = { image };
    return makeFixtureWim(dir, options, error);
}

QByteArray readImageFile(const QString &image, const QString &path, QString *error)
{
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("out"));
    const auto r = run(findTool(QStringLiteral("grub-fstest")),
        { image, QStringLiteral("cp"), QStringLiteral("(loop0,msdos1)") + path, out });
    QFile f(out);
    if (r.exitCode != 0 || !f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QString::fromLocal8Bit(r.err + r.out);
        return {};
    }
    return f.readAll();
}

bool imageFileEquals(
    const QString &image, const QString &path, const QString &local, QString *error)
{
    const auto r = run(findTool(QStringLiteral("grub-fstest")),
        { image, QStringLiteral("cmp"), QStringLiteral("(loop0,msdos1)") + path, local });
    if (r.exitCode != 0 && error)
        *error = QString::fromLocal8Bit(r.err + r.out);
    return r.exitCode == 0;
}

QStringList directoryEntries(const QString &dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

pipeline::BuildPlan basicPlan(const QString &wim, const QString &output)
{
    pipeline::BuildPlan plan;
    plan.wimPath = wim;
    plan.outputPath = output;
    plan.diskSignature = 0x5eca57u;
    return plan;
}

QString sha256sumTool(const QString &path)
{
    const auto r = run(findTool(QStringLiteral("sha256sum")), { path });
    return QString::fromLatin1(r.out.left(64));
}

} // namespace pecast::test
