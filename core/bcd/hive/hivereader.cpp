#include "bcd/hive/hivereader.h"

#include "bcd/hive/hiveformat.h"

#include <QSet>

#include <algorithm>
#include <vector>

namespace pecast::bcd {

using namespace regf;

namespace {

constexpr quint32 kValueOverhead = 64; // budget charged per value besides its bytes

// A bounds-checked view of one allocated cell's payload (after its size field).
struct Cell
{
    const char *data = nullptr;
    quint32 size = 0; // payload bytes
};

class Parser
{
public:
    Parser(const QByteArray &file, const HiveHeaderInfo &header, const HiveReadOptions &options)
        : m_bins(file.constData() + kHeaderSize)
        , m_binsSize(header.binsSize)
        , m_minor(header.minorVersion)
        , m_options(options)
    { }

    Status scanBins()
    {
        quint32 pos = 0;
        while (pos < m_binsSize) {
            if (m_binsSize - pos < kBinHeaderSize)
                return bad(QStringLiteral("truncated hive bin at offset 0x%1").arg(pos, 0, 16));
            const char *h = m_bins + pos;
            if (std::memcmp(h, "hbin", 4) != 0)
                return bad(QStringLiteral("no hive bin at offset 0x%1").arg(pos, 0, 16));
            const quint32 size = get32(h + 8);
            if (size == 0 || size % kBinAlign != 0 || size > m_binsSize - pos)
                return bad(QStringLiteral("hive bin at 0x%1 has a bad size").arg(pos, 0, 16));
            if (get32(h + 4) != pos)
                return bad(QStringLiteral("hive bin at 0x%1 has a wrong offset").arg(pos, 0, 16));
            m_binStarts.push_back(pos);
            pos += size;
        }
        if (m_binStarts.empty())
            return bad(QStringLiteral("the hive has no bins"));
        return {};
    }

    Result<Cell> cell(quint32 offset, const char *what) const
    {
        if (offset >= m_binsSize || offset % 4 != 0)
            return bad(QStringLiteral("%1 offset 0x%2 is outside the hive")
                           .arg(QLatin1String(what), QString::number(offset, 16)));
        // The bin holding the offset; the cell must lie inside it, after its header.
        const auto it = std::upper_bound(m_binStarts.begin(), m_binStarts.end(), offset) - 1;
        const quint32 binStart = *it;
        const quint32 binEnd = (it + 1 == m_binStarts.end()) ? m_binsSize : *(it + 1);
        if (offset < binStart + kBinHeaderSize || binEnd - offset < 8)
            return bad(QStringLiteral("%1 offset 0x%2 is not a cell")
                           .arg(QLatin1String(what), QString::number(offset, 16)));
        const qint32 raw = getS32(m_bins + offset);
        if (raw >= 0)
            return bad(QStringLiteral("%1 at 0x%2 is a free cell")
                           .arg(QLatin1String(what), QString::number(offset, 16)));
        const quint32 size = quint32(-qint64(raw));
        if (size < 8 || size > binEnd - offset)
            return bad(QStringLiteral("%1 cell at 0x%2 has a bad size")
                           .arg(QLatin1String(what), QString::number(offset, 16)));
        return Cell { m_bins + offset + 4, size - 4 };
    }

    Result<HiveKey> key(quint32 offset, int depth)
    {
        if (depth > m_options.maxDepth)
            return bad(QStringLiteral("keys nested deeper than %1").arg(m_options.maxDepth));
        if (m_seen.contains(offset))
            return bad(QStringLiteral("key at 0x%1 is reached twice (cycle)").arg(offset, 0, 16));
        m_seen.insert(offset);
        if (qint64(m_seen.size()) > m_options.maxKeys)
            return bad(QStringLiteral("more than %1 keys").arg(m_options.maxKeys));

        auto c = cell(offset, "key");
        if (!c)
            return std::move(c).error();
        const char *p = c->data;
        if (c->size < kNkFixed || std::memcmp(p, "nk", 2) != 0)
            return bad(QStringLiteral("no key node at 0x%1").arg(offset, 0, 16));
        const quint16 flags = get16(p + 2);
        const quint32 subkeyCount = get32(p + 20);
        const quint32 subkeyList = get32(p + 28);
        const quint32 valueCount = get32(p + 36);
        const quint32 valueList = get32(p + 40);
        const quint16 nameLength = get16(p + 72);
        if (nameLength > c->size - kNkFixed)
            return bad(QStringLiteral("key name at 0x%1 overruns its cell").arg(offset, 0, 16));

        HiveKey out;
        out.name = decodeName(p + kNkFixed, nameLength, flags & kKeyCompName);
        const QString where = out.name.isEmpty() ? QStringLiteral("(unnamed key)") : out.name;

        if (valueCount > 0) {
            auto list = cell(valueList, "value list");
            if (!list)
                return std::move(list).error().context(where);
            if (valueCount > list->size / 4)
                return bad(QStringLiteral("value list overruns its cell")).context(where);
            for (quint32 i = 0; i < valueCount; ++i) {
                auto v = value(get32(list->data + 4 * i));
                if (!v)
                    return std::move(v).error().context(where);
                out.values.push_back(std::move(*v));
            }
        }

        if (subkeyCount > 0 && subkeyList != kNone) {
            std::vector<quint32> children;
            if (auto s = collectSubkeys(subkeyList, children, 0); !s)
                return std::move(s).error().context(where);
            if (children.size() != subkeyCount)
                return bad(QStringLiteral("subkey count %1 but list holds %2")
                               .arg(subkeyCount)
                               .arg(children.size()))
                    .context(where);
            for (quint32 child : children) {
                auto sub = key(child, depth + 1);
                if (!sub)
                    return std::move(sub).error().context(where);
                out.subkeys.push_back(std::move(*sub));
            }
        }
        return out;
    }

private:
    static Error bad(const QString &message) { return Error(Errc::BadFormat, message); }

    static QString decodeName(const char *p, quint32 length, bool compressed)
    {
        if (compressed)
            return QString::fromLatin1(p, length);
        QString name;
        for (quint32 i = 0; i + 1 < length; i += 2)
            name.append(QChar(get16(p + i)));
        return name;
    }

    Status collectSubkeys(quint32 offset, std::vector<quint32> &out, int level)
    {
        auto c = cell(offset, "subkey list");
        if (!c)
            return std::move(c).error();
        if (c->size < 4)
            return bad(QStringLiteral("subkey list at 0x%1 too small").arg(offset, 0, 16));
        const char *p = c->data;
        const quint32 count = get16(p + 2);
        const QByteArray sig(p, 2);
        quint32 stride = 0;
        if (sig == "lf" || sig == "lh")
            stride = 8;
        else if (sig == "li" || sig == "ri")
            stride = 4;
        else
            return bad(QStringLiteral("unknown subkey list at 0x%1").arg(offset, 0, 16));
        if (count > (c->size - 4) / stride)
            return bad(QStringLiteral("subkey list at 0x%1 overruns its cell").arg(offset, 0, 16));
        for (quint32 i = 0; i < count; ++i) {
            const quint32 entry = get32(p + 4 + stride * i);
            if (sig == "ri") {
                // An index of lists; lists of indexes do not exist.
                if (level > 0)
                    return bad(QStringLiteral("nested ri list at 0x%1").arg(offset, 0, 16));
                if (auto s = collectSubkeys(entry, out, level + 1); !s)
                    return s;
            } else {
                out.push_back(entry);
            }
            if (qint64(out.size()) > m_options.maxKeys)
                return bad(QStringLiteral("more than %1 keys").arg(m_options.maxKeys));
        }
        return {};
    }

    Result<HiveValue> value(quint32 offset)
    {
        auto c = cell(offset, "value");
        if (!c)
            return std::move(c).error();
        const char *p = c->data;
        if (c->size < kVkFixed || std::memcmp(p, "vk", 2) != 0)
            return bad(QStringLiteral("no value at 0x%1").arg(offset, 0, 16));
        const quint16 nameLength = get16(p + 2);
        const quint32 sizeField = get32(p + 4);
        const quint32 dataField = get32(p + 8);
        // Every value costs its name and a fixed overhead, so value lists shared by many keys
        // cannot multiply into unbounded work.
        if (auto s = charge(kValueOverhead + nameLength); !s)
            return std::move(s).error();
        HiveValue v;
        v.type = get32(p + 12);
        if (nameLength > c->size - kVkFixed)
            return bad(QStringLiteral("value name at 0x%1 overruns its cell").arg(offset, 0, 16));
        v.name = decodeName(p + kVkFixed, nameLength, get16(p + 16) & kValueCompName);

        const quint32 length = sizeField & ~kInlineFlag;
        if (sizeField & kInlineFlag) {
            if (length > kInlineMax)
                return bad(QStringLiteral("value %1: inline data longer than 4 bytes").arg(v.name));
            v.data = QByteArray(p + 8, length);
        } else if (length > 0) {
            if (auto s = charge(length); !s)
                return std::move(s).error();
            auto d = cell(dataField, "value data");
            if (!d)
                return std::move(d).error().context(v.name);
            if (m_minor > 3 && length > quint32(kBigDataSegment) && d->size >= 8
                && std::memcmp(d->data, "db", 2) == 0) {
                auto big = bigData(*d, length);
                if (!big)
                    return std::move(big).error().context(v.name);
                v.data = std::move(*big);
            } else {
                if (length > d->size)
                    return bad(QStringLiteral("value %1: data overruns its cell").arg(v.name));
                v.data = QByteArray(d->data, length);
            }
        }
        return v;
    }

    Result<QByteArray> bigData(const Cell &db, quint32 length)
    {
        const quint32 segments = get16(db.data + 2);
        auto list = cell(get32(db.data + 4), "big data list");
        if (!list)
            return std::move(list).error();
        if (segments > list->size / 4)
            return bad(QStringLiteral("big data segment list overruns its cell"));
        QByteArray out;
        for (quint32 i = 0; i < segments && quint32(out.size()) < length; ++i) {
            auto seg = cell(get32(list->data + 4 * i), "big data segment");
            if (!seg)
                return std::move(seg).error();
            const quint32 take
                = std::min({ seg->size, quint32(kBigDataSegment), length - quint32(out.size()) });
            out.append(seg->data, take);
        }
        if (quint32(out.size()) != length)
            return bad(QStringLiteral("big data shorter than its size"));
        return out;
    }

    Status charge(quint32 bytes)
    {
        m_valueBytes += bytes;
        if (m_valueBytes > m_options.maxValueBytes)
            return bad(
                QStringLiteral("more than %1 bytes of value data").arg(m_options.maxValueBytes));
        return {};
    }

    const char *m_bins;
    quint32 m_binsSize;
    quint32 m_minor;
    HiveReadOptions m_options;
    std::vector<quint32> m_binStarts;
    QSet<quint32> m_seen;
    qint64 m_valueBytes = 0;
};

} // namespace

quint32 hiveHeaderChecksum(const char *header)
{
    quint32 sum = 0;
    for (int i = 0; i < kChecksumOffset; i += 4)
        sum ^= get32(header + i);
    if (sum == 0xFFFFFFFF)
        return 0xFFFFFFFE;
    if (sum == 0)
        return 1;
    return sum;
}

quint32 hiveNameHash(const QString &name)
{
    quint32 h = 0;
    for (QChar c : name)
        h = 37 * h + c.toUpper().unicode();
    return h;
}

HiveReader::HiveReader(HiveReadOptions options)
    : m_options(options)
{ }

Result<HiveHeaderInfo> HiveReader::readHeader(const QByteArray &file, const QString &nameForErrors)
{
    const auto bad = [&](const QString &message) {
        return Error(Errc::BadFormat, message)
            .context(nameForErrors)
            .withHint(QStringLiteral("The file is not a valid registry hive (BCD store)."));
    };
    if (file.size() < kHeaderSize + kBinHeaderSize)
        return bad(QStringLiteral("too small to be a registry hive (%1 bytes)").arg(file.size()));
    const char *h = file.constData();
    if (std::memcmp(h, "regf", 4) != 0)
        return bad(QStringLiteral("not a registry hive (no \"regf\" signature)"));
    HiveHeaderInfo info;
    info.primarySequence = get32(h + 4);
    info.secondarySequence = get32(h + 8);
    info.majorVersion = get32(h + 20);
    info.minorVersion = get32(h + 24);
    info.rootOffset = get32(h + 36);
    info.binsSize = get32(h + 40);
    info.storedChecksum = get32(h + kChecksumOffset);
    info.computedChecksum = hiveHeaderChecksum(h);
    for (int i = 0; i < 64; i += 2) {
        const quint16 c = get16(h + 48 + i);
        if (c == 0)
            break;
        info.fileName.append(QChar(c));
    }
    if (info.majorVersion != 1 || info.minorVersion < 2 || info.minorVersion > 6)
        return bad(QStringLiteral("unsupported hive version %1.%2")
                       .arg(info.majorVersion)
                       .arg(info.minorVersion));
    if (get32(h + 28) != 0)
        return bad(QStringLiteral("this is a transaction log, not a primary hive file"));
    if (info.binsSize == 0 || info.binsSize % kBinAlign != 0
        || info.binsSize > quint64(file.size()) - kHeaderSize)
        return bad(QStringLiteral("hive bins size 0x%1 does not fit the file (%2 bytes)")
                       .arg(info.binsSize, 0, 16)
                       .arg(file.size()));
    return info;
}

Result<HiveKey> HiveReader::read(const QByteArray &file, const QString &nameForErrors) const
{
    auto header = readHeader(file, nameForErrors);
    if (!header)
        return std::move(header).error();
    if (m_options.requireClean && !header->clean()) {
        return Error(Errc::BadFormat,
            QStringLiteral("the hive is dirty (sequence numbers %1/%2, checksum %3, expected %4)")
                .arg(header->primarySequence)
                .arg(header->secondarySequence)
                .arg(header->storedChecksum, 8, 16, QLatin1Char('0'))
                .arg(header->computedChecksum, 8, 16, QLatin1Char('0')))
            .context(nameForErrors)
            .withHint(QStringLiteral("Pending changes live in its BCD.LOG files; let Windows "
                                     "(or bcdedit) load the store once, or recreate it."));
    }
    Parser parser(file, *header, m_options);
    if (auto s = parser.scanBins(); !s)
        return std::move(s).error().context(nameForErrors);
    auto root = parser.key(header->rootOffset, 0);
    if (!root)
        return std::move(root).error().context(nameForErrors);
    return root;
}

} // namespace pecast::bcd
