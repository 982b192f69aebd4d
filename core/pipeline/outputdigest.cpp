#include "pipeline/outputdigest.h"

#include <QByteArray>

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <thread>

namespace pecast::pipeline {

namespace {

// Big enough for few syscalls, small enough to check for cancel many times a second.
constexpr qint64 kChunkBytes = 1 << 20;

struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};

} // namespace

Result<QString> digestAndSync(int fd, const QString &name, Progress &progress)
{
    struct stat st = {};
    if (::fstat(fd, &st) != 0)
        return Error::fromErrno(errno, QStringLiteral("reading %1").arg(name));
    const qint64 total = st.st_size;

    int syncErrno = 0;
    Result<QString> digest = Error(Errc::Library, QStringLiteral("no digest"));
    {
        std::jthread syncer([fd, &syncErrno] {
            if (::fsync(fd) != 0)
                syncErrno = errno;
        });

        std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
            return Error(Errc::Library, QStringLiteral("libcrypto cannot compute SHA-256"));
        progress.beginStage(QStringLiteral("Computing SHA-256"), total);
        QByteArray buffer(kChunkBytes, Qt::Uninitialized);
        qint64 done = 0;
        digest = [&]() -> Result<QString> {
            while (done < total) {
                if (auto s = progress.check(); !s)
                    return std::move(s).error();
                const ssize_t n
                    = ::pread(fd, buffer.data(), size_t(qMin(kChunkBytes, total - done)), done);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    return Error::fromErrno(
                        n < 0 ? errno : EIO, QStringLiteral("reading %1").arg(name));
                EVP_DigestUpdate(ctx.get(), buffer.constData(), size_t(n));
                done += n;
                progress.update(done);
            }
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned int length = 0;
            EVP_DigestFinal_ex(ctx.get(), md, &length);
            return QString::fromLatin1(
                QByteArray(reinterpret_cast<const char *>(md), int(length)).toHex());
        }();
    } // joins the fsync thread
    if (!digest)
        return digest;
    if (syncErrno != 0)
        return Error::fromErrno(syncErrno, QStringLiteral("syncing %1").arg(name));
    return digest;
}

} // namespace pecast::pipeline
