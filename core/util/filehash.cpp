#include "util/filehash.h"

#include <QCryptographicHash>
#include <QFile>

namespace pecast {

// Large enough to keep syscalls rare, small enough to check for cancel often.
constexpr qint64 kHashChunk = 1 << 20;

Result<QString> sha256File(const QString &path, Progress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(Errc::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 total = file.size();
    progress.beginStage(QStringLiteral("Computing SHA-256"), total);
    QByteArray buffer(kHashChunk, Qt::Uninitialized);
    qint64 done = 0;
    for (;;) {
        if (auto s = progress.check(); !s)
            return std::move(s).error();
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return Error(Errc::Io, QStringLiteral("reading %1: %2").arg(path, file.errorString()));
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        done += n;
        progress.update(done);
    }
    return QString::fromLatin1(hash.result().toHex());
}

Result<QString> sha256File(const QString &path)
{
    Progress none;
    return sha256File(path, none);
}

} // namespace pecast
