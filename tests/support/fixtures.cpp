#include "fixtures.h"

#include "testenv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QRecursiveMutex>
#include <QTemporaryDir>

#include <wimlib.h>

#include <memory>

namespace pecast::test {

namespace {

// Padding is written in blocks of this size so a 1 GiB fixture never sits in memory whole.
constexpr qint64 kWriteBlock = 4 * 1024 * 1024;

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// One directory per test process holding built stubs and WIMs, keyed by their options.
QString cacheDir()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/pecast-fixtures-XXXXXX"));
    return dir.path();
}

QRecursiveMutex &cacheMutex()
{
    static QRecursiveMutex mutex;
    return mutex;
}

quint64 nextRandom(quint64 &state)
{
    // xorshift64*: fast, deterministic, and its output does not compress.
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

quint64 seedState(quint32 seed)
{
    return 0x9E3779B97F4A7C15ULL ^ (quint64(seed) * 0xD1B54A32D192ED03ULL + 1);
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        setError(error, QStringLiteral("writing %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool writeRandomFile(const QString &path, qint64 size, quint32 seed, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        setError(error, QStringLiteral("writing %1: %2").arg(path, file.errorString()));
        return false;
    }
    quint64 state = seedState(seed);
    QByteArray block;
    for (qint64 done = 0; done < size;) {
        const qint64 n = std::min(kWriteBlock, size - done);
        block.resize(n);
        auto *words = reinterpret_cast<uchar *>(block.data());
        for (qint64 i = 0; i < n; i += 8) {
            const quint64 v = nextRandom(state);
            for (qint64 j = 0; j < 8 && i + j < n; ++j)
                words[i + j] = uchar(v >> (8 * j));
        }
        if (file.write(block) != n) {
            setError(error, QStringLiteral("writing %1: %2").arg(path, file.errorString()));
            return false;
        }
        done += n;
    }
    return true;
}

QString wimlibError(int code, const QString &what)
{
    return QStringLiteral("%1: wimlib error %2: %3")
        .arg(what)
        .arg(code)
        .arg(QString::fromUtf8(wimlib_get_error_string(static_cast<wimlib_error_code>(code))));
}

struct WimFree
{
    void operator()(WIMStruct *wim) const { wimlib_free(wim); }
};
using UniqueWim = std::unique_ptr<WIMStruct, WimFree>;

QByteArray optionsKey(const FixtureWimOptions &o, const QList<FixtureImage> &images)
{
    QByteArray key;
    auto add = [&key](const auto &value) { key += QByteArray::number(value) + '|'; };
    auto addText = [&key](const QString &text) { key += text.toUtf8().toHex() + '|'; };
    addText(o.fileName);
    add(int(o.compression));
    add(o.chunkSize);
    add(o.bootIndex);
    add(int(o.integrity));
    add(o.splitPartSize);
    add(o.targetSize);
    for (const FixtureImage &image : images) {
        addText(image.name);
        addText(image.description);
        add(image.archCode);
        addText(image.edition);
        addText(image.installationType);
        add(image.major);
        add(image.minor);
        add(image.build);
        const WinPeTreeOptions &t = image.tree;
        add(int(t.withBootFiles));
        add(int(t.withMediaBcd));
        addText(t.bootmgrSource);
        if (!t.bootmgrSource.isEmpty())
            add(QFileInfo(t.bootmgrSource).lastModified().toMSecsSinceEpoch());
        add(t.bootmgrSize);
        add(t.sdiSize);
        add(t.seed);
        add(t.paddingBytes);
        for (auto it = t.extraFiles.cbegin(); it != t.extraFiles.cend(); ++it) {
            addText(it.key());
            key += QCryptographicHash::hash(it.value(), QCryptographicHash::Sha1).toHex() + '|';
        }
    }
    return QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(16);
}

bool setProperty(WIMStruct *wim, int index, const char *name, const QString &value, QString *error)
{
    const int ret = wimlib_set_image_property(wim, index, name, value.toUtf8().constData());
    if (ret != 0) {
        setError(error, wimlibError(ret, QStringLiteral("setting %1").arg(QLatin1String(name))));
        return false;
    }
    return true;
}

// Builds the WIM (all parts) into `outDir`; returns part 1's path.
QString buildWim(const QString &outDir, const FixtureWimOptions &o,
    const QList<FixtureImage> &images, QString *error)
{
    int ctype = WIMLIB_COMPRESSION_TYPE_LZX;
    switch (o.compression) {
    case FixtureCompression::Lzx:
        ctype = WIMLIB_COMPRESSION_TYPE_LZX;
        break;
    case FixtureCompression::Xpress:
        ctype = WIMLIB_COMPRESSION_TYPE_XPRESS;
        break;
    case FixtureCompression::LzmsSolid:
        ctype = WIMLIB_COMPRESSION_TYPE_LZMS;
        break;
    case FixtureCompression::None:
        ctype = WIMLIB_COMPRESSION_TYPE_NONE;
        break;
    }
    WIMStruct *raw = nullptr;
    int ret = wimlib_create_new_wim(static_cast<wimlib_compression_type>(ctype), &raw);
    if (ret != 0) {
        setError(error, wimlibError(ret, QStringLiteral("creating WIM")));
        return {};
    }
    UniqueWim wim(raw);

    const bool solid = o.compression == FixtureCompression::LzmsSolid;
    if (o.compression != FixtureCompression::None) {
        const int chunk = o.chunkSize > 0 ? o.chunkSize : (solid ? 0 : 32768);
        if (chunk > 0 && (ret = wimlib_set_output_chunk_size(wim.get(), uint32_t(chunk))) != 0) {
            setError(error, wimlibError(ret, QStringLiteral("setting chunk size %1").arg(chunk)));
            return {};
        }
    }
    if (solid)
        wimlib_set_output_pack_compression_type(wim.get(), WIMLIB_COMPRESSION_TYPE_LZMS);

    QTemporaryDir trees(outDir + QStringLiteral("/trees-XXXXXX"));
    for (int i = 0; i < images.size(); ++i) {
        const FixtureImage &image = images.at(i);
        const int index = i + 1;
        const QString treeDir = trees.path() + QStringLiteral("/%1").arg(index);
        if (makeWinPeTree(treeDir, image.tree, error).isEmpty())
            return {};
        const QString name
            = image.name.isEmpty() ? QStringLiteral("WinPE %1").arg(index) : image.name;
        ret = wimlib_add_image(
            wim.get(), treeDir.toUtf8().constData(), name.toUtf8().constData(), nullptr, 0);
        if (ret != 0) {
            setError(error, wimlibError(ret, QStringLiteral("adding image %1").arg(index)));
            return {};
        }
        const QString description = image.description.isEmpty()
            ? QStringLiteral("PEcast fixture image %1").arg(index)
            : image.description;
        if (!setProperty(wim.get(), index, "DESCRIPTION", description, error))
            return {};
        if (image.archCode >= 0
            && !setProperty(
                wim.get(), index, "WINDOWS/ARCH", QString::number(image.archCode), error))
            return {};
        if (!image.edition.isEmpty()
            && !setProperty(wim.get(), index, "WINDOWS/EDITIONID", image.edition, error))
            return {};
        if (!image.installationType.isEmpty()
            && !setProperty(
                wim.get(), index, "WINDOWS/INSTALLATIONTYPE", image.installationType, error))
            return {};
        if (image.build > 0
            && (!setProperty(
                    wim.get(), index, "WINDOWS/VERSION/MAJOR", QString::number(image.major), error)
                || !setProperty(
                    wim.get(), index, "WINDOWS/VERSION/MINOR", QString::number(image.minor), error)
                || !setProperty(wim.get(), index, "WINDOWS/VERSION/BUILD",
                    QString::number(image.build), error)))
            return {};
    }
    wimlib_wim_info info {};
    info.boot_index = uint32_t(o.bootIndex);
    if ((ret = wimlib_set_wim_info(wim.get(), &info, WIMLIB_CHANGE_BOOT_INDEX)) != 0) {
        setError(error, wimlibError(ret, QStringLiteral("setting boot index %1").arg(o.bootIndex)));
        return {};
    }

    int writeFlags = 0;
    if (o.integrity)
        writeFlags |= WIMLIB_WRITE_FLAG_CHECK_INTEGRITY;
    if (solid)
        writeFlags |= WIMLIB_WRITE_FLAG_SOLID;
    const QString target = outDir + QLatin1Char('/') + o.fileName;
    if (o.splitPartSize <= 0) {
        ret = wimlib_write(
            wim.get(), target.toUtf8().constData(), WIMLIB_ALL_IMAGES, writeFlags, 0);
        if (ret != 0) {
            setError(error, wimlibError(ret, QStringLiteral("writing %1").arg(target)));
            return {};
        }
        return target;
    }
    // wimlib_split needs a WIM backed by a file: write it whole first, then split that.
    const QString whole = trees.path() + QStringLiteral("/whole.wim");
    ret = wimlib_write(wim.get(), whole.toUtf8().constData(), WIMLIB_ALL_IMAGES, writeFlags, 0);
    if (ret != 0) {
        setError(error, wimlibError(ret, QStringLiteral("writing %1").arg(whole)));
        return {};
    }
    wim.reset();
    if ((ret = wimlib_open_wim(whole.toUtf8().constData(), 0, &raw)) != 0) {
        setError(error, wimlibError(ret, QStringLiteral("opening %1").arg(whole)));
        return {};
    }
    wim.reset(raw);
    ret = wimlib_split(wim.get(), target.toUtf8().constData(), uint64_t(o.splitPartSize),
        o.integrity ? WIMLIB_WRITE_FLAG_CHECK_INTEGRITY : 0);
    if (ret != 0) {
        setError(error, wimlibError(ret, QStringLiteral("splitting into %1").arg(target)));
        return {};
    }
    return target;
}

QList<FixtureImage> resolvedImages(const FixtureWimOptions &o)
{
    QList<FixtureImage> images = o.images;
    if (images.isEmpty()) {
        for (int i = 1; i <= std::max(1, o.imageCount); ++i) {
            FixtureImage image;
            image.tree.seed = quint32(i);
            images.append(image);
        }
    }
    if (o.targetSize > 0) {
        qint64 have = 0;
        for (const FixtureImage &image : images)
            have += (image.tree.withBootFiles ? image.tree.sdiSize : 0) + image.tree.paddingBytes;
        // Everything else in a tree (bootmgr, metadata, XML) is tiny and compresses well.
        images.first().tree.paddingBytes += std::max<qint64>(0, o.targetSize - have);
    }
    return images;
}

bool copyFile(const QString &from, const QString &to, QString *error)
{
    QFile::remove(to);
    if (!QFile::copy(from, to)) {
        setError(error, QStringLiteral("copying %1 to %2 failed").arg(from, to));
        return false;
    }
    QFile(to).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
        | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    return true;
}

} // namespace

QByteArray pseudoRandomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    quint64 state = seedState(seed);
    for (qint64 i = 0; i < size; i += 8) {
        const quint64 v = nextRandom(state);
        for (qint64 j = 0; j < 8 && i + j < size; ++j)
            data[i + j] = char(v >> (8 * j));
    }
    return data;
}

QString buildStubBootmgr(const QString &dir, QString *error)
{
    const QString source = sourceDir() + QStringLiteral("/resources/sample/stubbootmgr.asm");
    if (!QFileInfo::exists(source)) {
        setError(error, QStringLiteral("%1 not found (is PECAST_SOURCE_DIR set?)").arg(source));
        return {};
    }
    const QString cached = cacheDir() + QStringLiteral("/stubbootmgr.bin");
    {
        QMutexLocker lock(&cacheMutex());
        if (!QFileInfo::exists(cached)) {
            const QString nasm = findTool(QStringLiteral("nasm"));
            if (nasm.isEmpty()) {
                setError(error, QStringLiteral("nasm is not installed (apt install nasm)"));
                return {};
            }
            const ProcessResult r = run(nasm,
                { QStringLiteral("-f"), QStringLiteral("bin"), QStringLiteral("-o"), cached,
                    source },
                60000);
            if (r.exitCode != 0 || !QFileInfo::exists(cached)) {
                QFile::remove(cached);
                setError(error,
                    QStringLiteral("nasm failed on %1: %2")
                        .arg(source, QString::fromUtf8(r.err + r.out)));
                return {};
            }
        }
    }
    QDir().mkpath(dir);
    const QString out = dir + QStringLiteral("/stubbootmgr.bin");
    if (!copyFile(cached, out, error))
        return {};
    return out;
}

QString makeWinPeTree(const QString &dir, const WinPeTreeOptions &o, QString *error)
{
    if (!QDir().mkpath(dir)) {
        setError(error, QStringLiteral("cannot create %1").arg(dir));
        return {};
    }
    const QString root = QDir(dir).absolutePath();
    if (!writeFile(root + QStringLiteral("/Windows/System32/startnet.cmd"), "wpeinit\r\n", error))
        return {};
    if (o.withBootFiles) {
        QByteArray bootmgr;
        if (!o.bootmgrSource.isEmpty()) {
            QFile source(o.bootmgrSource);
            if (!source.open(QIODevice::ReadOnly)) {
                setError(error,
                    QStringLiteral("reading %1: %2").arg(o.bootmgrSource, source.errorString()));
                return {};
            }
            bootmgr = source.readAll();
        } else {
            QTemporaryDir stubDir;
            const QString stub = buildStubBootmgr(stubDir.path());
            QFile file(stub);
            if (!stub.isEmpty() && file.open(QIODevice::ReadOnly))
                bootmgr = file.readAll();
            else
                bootmgr = QByteArray("PECAST placeholder bootmgr (nasm missing)\r\n");
        }
        if (o.bootmgrSize > bootmgr.size())
            bootmgr.append(QByteArray(o.bootmgrSize - bootmgr.size(), '\0'));
        if (!writeFile(root + QStringLiteral("/Windows/Boot/PCAT/bootmgr"), bootmgr, error))
            return {};
        if (!writeRandomFile(root + QStringLiteral("/Windows/Boot/DVD/PCAT/boot.sdi"), o.sdiSize,
                o.seed ^ 0x5D1u, error))
            return {};
        QByteArray winload("MZ PECAST placeholder winload.exe\r\n");
        winload.append(QByteArray(4096 - winload.size(), '\0'));
        if (!writeFile(root + QStringLiteral("/Windows/System32/boot/winload.exe"), winload, error))
            return {};
        if (o.withMediaBcd) {
            QByteArray bcd("regf PECAST placeholder media BCD\r\n");
            bcd.append(QByteArray(8192 - bcd.size(), '\0'));
            if (!writeFile(root + QStringLiteral("/Windows/Boot/DVD/PCAT/BCD"), bcd, error))
                return {};
        }
    }
    if (o.paddingBytes > 0
        && !writeRandomFile(root + QStringLiteral("/Windows/System32/padding.bin"), o.paddingBytes,
            o.seed ^ 0xBADu, error))
        return {};
    for (auto it = o.extraFiles.cbegin(); it != o.extraFiles.cend(); ++it) {
        if (!writeFile(root + QLatin1Char('/') + it.key(), it.value(), error))
            return {};
    }
    return root;
}

QString makeFixtureWim(const QString &dir, const FixtureWimOptions &o, QString *error)
{
    const QList<FixtureImage> images = resolvedImages(o);
    const QString key = QString::fromLatin1(optionsKey(o, images));
    const QString cached = cacheDir() + QLatin1Char('/') + key;
    QStringList parts;
    {
        QMutexLocker lock(&cacheMutex());
        if (!QFileInfo::exists(cached + QStringLiteral("/done"))) {
            QDir(cached).removeRecursively();
            QDir().mkpath(cached);
            if (buildWim(cached, o, images, error).isEmpty()) {
                QDir(cached).removeRecursively();
                return {};
            }
            QFile(cached + QStringLiteral("/done")).open(QIODevice::WriteOnly);
        }
        parts = o.splitPartSize > 0 ? splitParts(cached + QLatin1Char('/') + o.fileName)
                                    : QStringList { cached + QLatin1Char('/') + o.fileName };
    }
    if (!QDir().mkpath(dir)) {
        setError(error, QStringLiteral("cannot create %1").arg(dir));
        return {};
    }
    QString first;
    for (const QString &part : std::as_const(parts)) {
        const QString out = QDir(dir).absoluteFilePath(QFileInfo(part).fileName());
        if (!copyFile(part, out, error))
            return {};
        if (first.isEmpty())
            first = out;
    }
    return first;
}

QStringList splitParts(const QString &firstPart)
{
    const QFileInfo info(firstPart);
    QStringList parts { info.absoluteFilePath() };
    for (int n = 2;; ++n) {
        const QString part = info.absolutePath() + QLatin1Char('/') + info.completeBaseName()
            + QString::number(n) + QLatin1Char('.') + info.suffix();
        if (!QFileInfo::exists(part))
            break;
        parts.append(part);
    }
    return parts;
}

} // namespace pecast::test
