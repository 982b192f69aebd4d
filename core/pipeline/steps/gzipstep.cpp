#include "pipeline/steps/steps.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace pecast::pipeline {

namespace {

// Big enough to keep read()/deflate calls few, small enough to check cancel several times a second.
constexpr qint64 kChunkBytes = 1 << 20;
// zlib level 1: the image is mostly an already-compressed WIM and empty (zero) space; higher
// levels cost several times the CPU here and save almost nothing on either.
constexpr auto kGzipOptions = "gzip:compression-level=1";

struct ArchiveDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};

// libarchive's client: every compressed byte goes to the output file and into the digest.
struct Sink
{
    AtomicFile *file = nullptr;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> hash { EVP_MD_CTX_new(),
        EVP_MD_CTX_free }; // libcrypto: SHA extensions, see outputdigest.h
    std::optional<Error> error;

    QString hexDigest()
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(hash.get(), md, &length);
        return QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(md), int(length)).toHex());
    }
};

la_ssize_t writeCallback(archive *, void *data, const void *buffer, size_t length)
{
    auto *sink = static_cast<Sink *>(data);
    if (auto s = sink->file->write(buffer, qint64(length)); !s) {
        sink->error = s.error();
        return -1;
    }
    EVP_DigestUpdate(sink->hash.get(), buffer, length);
    return la_ssize_t(length);
}

class GzipStep : public Step
{
public:
    QString description() const override { return QStringLiteral("Compressing with gzip"); }

    Status run(BuildContext &ctx) override
    {
        auto out = AtomicFile::create(ctx.plan.outputPath,
            ctx.plan.overwrite ? AtomicFile::Overwrite::Replace : AtomicFile::Overwrite::Refuse);
        if (!out)
            return std::move(out).error();
        ctx.gzipImage.emplace(std::move(out).value());

        Sink sink;
        sink.file = &*ctx.gzipImage;
        if (!sink.hash || EVP_DigestInit_ex(sink.hash.get(), EVP_sha256(), nullptr) != 1)
            return Error(Errc::Library, QStringLiteral("libcrypto cannot compute SHA-256"));
        std::unique_ptr<archive, ArchiveDeleter> a(archive_write_new());
        // "raw" writes one entry's bytes with no container: a plain .gz of the disk image.
        if (!a || archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK
            || archive_write_set_format_raw(a.get()) != ARCHIVE_OK
            || archive_write_set_options(a.get(), kGzipOptions) != ARCHIVE_OK
            || archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK
            || archive_write_open(a.get(), &sink, nullptr, writeCallback, nullptr) != ARCHIVE_OK)
            return archiveError(a.get(), sink);

        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(
            archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), "disk.img");
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_size(entry.get(), ctx.layout.diskBytes);
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
            return archiveError(a.get(), sink);

        const int fd = ctx.rawImage->fd();
        const qint64 total = ctx.layout.diskBytes;
        ctx.progress.beginStage(description(), total);
        QByteArray buffer(kChunkBytes, Qt::Uninitialized);
        qint64 done = 0;
        while (done < total) {
            if (auto s = ctx.progress.check(); !s)
                return s;
            const ssize_t n
                = ::pread(fd, buffer.data(), size_t(qMin(kChunkBytes, total - done)), done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return Error::fromErrno(n < 0 ? errno : EIO,
                    QStringLiteral("reading the raw image %1").arg(ctx.rawImage->tempPath()));
            if (archive_write_data(a.get(), buffer.constData(), size_t(n)) != n)
                return archiveError(a.get(), sink);
            done += n;
            ctx.progress.update(done);
        }
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            return archiveError(a.get(), sink);
        ctx.sha256 = sink.hexDigest();
        // The raw image was only a work file.
        ctx.rawImage->discard();
        return {};
    }

private:
    static Error archiveError(archive *a, const Sink &sink)
    {
        if (sink.error)
            return Error(*sink.error).context(QStringLiteral("writing the gzip stream"));
        const char *text = a ? archive_error_string(a) : nullptr;
        return Error(Errc::Library,
            QStringLiteral("gzip compression failed: %1")
                .arg(text ? QString::fromLocal8Bit(text) : QStringLiteral("out of memory")));
    }
};

} // namespace

std::unique_ptr<Step> makeGzipStep()
{
    return std::make_unique<GzipStep>();
}

} // namespace pecast::pipeline
