#include "bcd/hive/hivewriter.h"

#include "bcd/hive/hiveformat.h"
#include "bcd/hive/hivereader.h"

#include <algorithm>

namespace pecast::bcd {

using namespace regf;

namespace {

// Security descriptors as bcdedit writes them, with group S-1-5-18 instead of the creating
// machine's domain-users SID (bcd-format.md §1.8): owner Administrators, DACL allowing
// Administrators (root: KEY_ALL_ACCESS; other keys: KEY_READ | WRITE_DAC) and SYSTEM (all).
QByteArray securityDescriptor(bool root)
{
    static const unsigned char sd[] = {
        0x01, 0x00, 0x04, 0x80, 0x48, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x14, 0x00, 0x00, 0x00, // header
        0x02, 0x00, 0x34, 0x00, 0x02, 0x00, 0x00, 0x00, // ACL
        0x00, 0x00, 0x18, 0x00, 0x3f, 0x00, 0x0f, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00, // allow Administrators
        0x00, 0x00, 0x14, 0x00, 0x3f, 0x00, 0x0f, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x12, 0x00, 0x00, 0x00, // allow SYSTEM
        0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00,
        0x00, // owner
        0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00, // group
    };
    QByteArray bytes(reinterpret_cast<const char *>(sd), sizeof sd);
    if (!root) {
        // First ACE mask 0x00060019 (KEY_READ | WRITE_DAC) instead of 0x000F003F.
        put32(bytes.data() + 20 + 8 + 4, 0x00060019);
    }
    return bytes;
}

bool isLatin1(const QString &s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.unicode() < 0x100; });
}

QByteArray storedName(const QString &name, bool &compressed)
{
    compressed = isLatin1(name);
    if (compressed)
        return name.toLatin1();
    QByteArray bytes(name.size() * 2, '\0');
    for (qsizetype i = 0; i < name.size(); ++i)
        put16(bytes.data() + 2 * i, name[i].unicode());
    return bytes;
}

// Lays cells out into 4 KiB-multiple bins, back to back; a bin is closed with one free cell.
class CellAllocator
{
public:
    // Returns the offset (relative to the bins area) of a new allocated cell of `payload` bytes.
    quint32 allocate(quint32 payload)
    {
        const quint32 size = align(4 + payload, kCellAlign);
        if (m_bins.isEmpty() || m_used + size > quint32(m_bins.size()))
            openBin(size);
        const quint32 offset = m_used;
        put32(m_bins.data() + offset, quint32(-qint32(size)));
        m_used += size;
        return offset;
    }
    char *payload(quint32 cellOffset) { return m_bins.data() + cellOffset + 4; }

    QByteArray finish(quint64 timestamp)
    {
        closeBin();
        if (!m_bins.isEmpty())
            put64(m_bins.data() + 20, timestamp); // meaningful in the first bin only
        return m_bins;
    }

private:
    void openBin(quint32 cellSize)
    {
        closeBin();
        const quint32 size = align(kBinHeaderSize + cellSize, kBinAlign);
        m_binStart = quint32(m_bins.size());
        m_bins.append(QByteArray(size, '\0'));
        char *h = m_bins.data() + m_binStart;
        std::memcpy(h, "hbin", 4);
        put32(h + 4, m_binStart);
        put32(h + 8, size);
        m_used = m_binStart + kBinHeaderSize;
    }
    void closeBin()
    {
        const quint32 rest = quint32(m_bins.size()) - m_used;
        if (!m_bins.isEmpty() && rest > 0)
            put32(m_bins.data() + m_used, rest); // one free cell to the end of the bin
        m_used = quint32(m_bins.size());
    }

    QByteArray m_bins;
    quint32 m_binStart = 0;
    quint32 m_used = 0;
};

struct Layout
{
    CellAllocator cells;
    quint32 rootSk = 0;
    quint32 otherSk = 0;
    quint32 otherKeys = 0;
    quint64 timestamp = 0;
};

Status checkKey(const HiveKey &key, int depth)
{
    if (depth > 512)
        return Error(Errc::InvalidInput, QStringLiteral("key tree too deep"));
    if (key.name.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("a key has an empty name"));
    if (key.name.contains(QLatin1Char('\\')))
        return Error(
            Errc::InvalidInput, QStringLiteral("key name \"%1\" contains '\\'").arg(key.name));
    if (key.name.size() * 2 > kMaxNameBytes)
        return Error(Errc::InvalidInput, QStringLiteral("key name too long: %1").arg(key.name));
    for (size_t i = 0; i < key.values.size(); ++i) {
        const HiveValue &v = key.values[i];
        if (v.name.size() * 2 > kMaxNameBytes)
            return Error(Errc::InvalidInput, QStringLiteral("value name too long: %1").arg(v.name));
        // One cell holds the data (a 1.3 hive has no `db`); keep far below the 2 GiB cell limit.
        if (v.data.size() > 64 * 1024 * 1024)
            return Error(Errc::InvalidInput, QStringLiteral("value %1 is too large").arg(v.name));
        for (size_t j = 0; j < i; ++j) {
            if (key.values[j].name.compare(v.name, Qt::CaseInsensitive) == 0)
                return Error(Errc::InvalidInput,
                    QStringLiteral("key %1 has two values named \"%2\"").arg(key.name, v.name));
        }
    }
    for (size_t i = 0; i < key.subkeys.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (key.subkeys[j].name.compare(key.subkeys[i].name, Qt::CaseInsensitive) == 0)
                return Error(Errc::InvalidInput,
                    QStringLiteral("key %1 has two subkeys named \"%2\"")
                        .arg(key.name, key.subkeys[i].name));
        }
        if (auto s = checkKey(key.subkeys[i], depth + 1); !s)
            return std::move(s).error().context(key.name);
    }
    return {};
}

quint32 countKeys(const HiveKey &key)
{
    quint32 n = 1;
    for (const HiveKey &sub : key.subkeys)
        n += countKeys(sub);
    return n;
}

// Writes key `key` whose nk cell is already allocated at `nk`; returns nothing (offsets known).
void writeKey(Layout &l, const HiveKey &key, quint32 nk, quint32 parent, bool root)
{
    // Values: list, then each vk and its data.
    quint32 valueList = kNone;
    quint32 maxValueName = 0;
    quint32 maxValueData = 0;
    if (!key.values.empty()) {
        valueList = l.cells.allocate(quint32(4 * key.values.size()));
        for (size_t i = 0; i < key.values.size(); ++i) {
            const HiveValue &v = key.values[i];
            bool compressed = false;
            const QByteArray name = storedName(v.name, compressed);
            const quint32 vk = l.cells.allocate(kVkFixed + quint32(name.size()));
            put32(l.cells.payload(valueList) + 4 * i, vk);
            const quint32 len = quint32(v.data.size());
            quint32 dataField = 0;
            quint32 sizeField = len;
            if (len <= kInlineMax) {
                sizeField |= kInlineFlag;
                char inlineBytes[4] = { 0, 0, 0, 0 };
                std::memcpy(inlineBytes, v.data.constData(), len);
                dataField = get32(inlineBytes);
            } else {
                dataField = l.cells.allocate(len);
                std::memcpy(l.cells.payload(dataField), v.data.constData(), len);
            }
            char *p = l.cells.payload(vk);
            std::memcpy(p, "vk", 2);
            put16(p + 2, quint16(name.size()));
            put32(p + 4, sizeField);
            put32(p + 8, dataField);
            put32(p + 12, v.type);
            put16(p + 16, compressed ? kValueCompName : 0);
            std::memcpy(p + kVkFixed, name.constData(), name.size());
            maxValueName = std::max(maxValueName, quint32(v.name.size() * 2));
            maxValueData = std::max(maxValueData, len);
        }
    }

    // Subkeys, sorted the registry's way: allocate their nk cells, recurse, then the lf list.
    std::vector<const HiveKey *> children;
    for (const HiveKey &sub : key.subkeys)
        children.push_back(&sub);
    std::stable_sort(children.begin(), children.end(),
        [](const HiveKey *a, const HiveKey *b) { return hiveNameLess(a->name, b->name); });
    std::vector<quint32> childCells;
    quint32 maxSubkeyName = 0;
    for (const HiveKey *child : children) {
        bool compressed = false;
        const QByteArray name = storedName(child->name, compressed);
        const quint32 cell = l.cells.allocate(kNkFixed + quint32(name.size()));
        childCells.push_back(cell);
        writeKey(l, *child, cell, nk, false);
        maxSubkeyName = std::max(maxSubkeyName, quint32(child->name.size() * 2));
    }
    quint32 list = kNone;
    if (!children.empty()) {
        list = l.cells.allocate(quint32(4 + 8 * children.size()));
        char *p = l.cells.payload(list);
        std::memcpy(p, "lf", 2);
        put16(p + 2, quint16(children.size()));
        for (size_t i = 0; i < children.size(); ++i) {
            bool compressed = false;
            const QByteArray name = storedName(children[i]->name, compressed);
            put32(p + 4 + 8 * i, childCells[i]);
            // Hint: the first 4 bytes of the name as stored, zero padded.
            std::memcpy(p + 8 + 8 * i, name.constData(), std::min<qsizetype>(4, name.size()));
        }
    }

    bool compressed = false;
    const QByteArray name = storedName(key.name, compressed);
    char *p = l.cells.payload(nk);
    std::memcpy(p, "nk", 2);
    quint16 flags = compressed ? kKeyCompName : 0;
    if (root)
        flags |= kKeyHiveEntry | kKeyNoDelete;
    put16(p + 2, flags);
    put64(p + 4, l.timestamp);
    put32(p + 12, 0);
    put32(p + 16, root ? kNone : parent);
    put32(p + 20, quint32(children.size()));
    put32(p + 24, 0);
    put32(p + 28, list);
    put32(p + 32, kNone);
    put32(p + 36, quint32(key.values.size()));
    put32(p + 40, valueList);
    put32(p + 44, root ? l.rootSk : l.otherSk);
    put32(p + 48, kNone);
    put32(p + 52, maxSubkeyName & 0xFFFF);
    put32(p + 56, 0);
    put32(p + 60, maxValueName);
    put32(p + 64, maxValueData);
    put32(p + 68, 0);
    put16(p + 72, quint16(name.size()));
    put16(p + 74, 0);
    std::memcpy(p + kNkFixed, name.constData(), name.size());
}

void writeSk(Layout &l, quint32 cell, quint32 other, quint32 refs, const QByteArray &sd)
{
    char *p = l.cells.payload(cell);
    std::memcpy(p, "sk", 2);
    put16(p + 2, 0);
    put32(p + 4, other); // Flink
    put32(p + 8, other); // Blink: two cells point at each other both ways
    put32(p + 12, refs);
    put32(p + 16, quint32(sd.size()));
    std::memcpy(p + kSkFixed, sd.constData(), sd.size());
}

} // namespace

HiveWriter::HiveWriter(HiveWriteOptions options)
    : m_options(std::move(options))
{ }

Result<QByteArray> HiveWriter::write(const HiveKey &root) const
{
    if (auto s = checkKey(root, 0); !s)
        return std::move(s).error().context(QStringLiteral("writing hive"));

    Layout l;
    l.timestamp = m_options.timestamp;
    bool compressed = false;
    const QByteArray rootName = storedName(root.name, compressed);
    // Root nk first, at offset 0x20 like bcdedit; then the two security cells.
    const quint32 rootNk = l.cells.allocate(kNkFixed + quint32(rootName.size()));
    const QByteArray rootSd = securityDescriptor(true);
    const QByteArray otherSd = securityDescriptor(false);
    l.rootSk = l.cells.allocate(kSkFixed + quint32(rootSd.size()));
    l.otherSk = l.cells.allocate(kSkFixed + quint32(otherSd.size()));
    writeSk(l, l.rootSk, l.otherSk, 1, rootSd);
    writeSk(l, l.otherSk, l.rootSk, countKeys(root) - 1, otherSd);
    writeKey(l, root, rootNk, kNone, true);
    const QByteArray bins = l.cells.finish(m_options.timestamp);

    QByteArray file(kHeaderSize, '\0');
    char *h = file.data();
    std::memcpy(h, "regf", 4);
    put32(h + 4, m_options.sequence);
    put32(h + 8, m_options.sequence);
    put64(h + 12, m_options.timestamp);
    put32(h + 20, 1); // major
    put32(h + 24, 3); // minor: 1.3, what bcdedit and Microsoft's media write
    put32(h + 28, 0); // primary file
    put32(h + 32, 1); // direct memory load
    put32(h + 36, rootNk);
    put32(h + 40, quint32(bins.size()));
    put32(h + 44, 1); // clustering factor
    const QString fileName = m_options.fileName.right(31); // 64 bytes, keep a NUL
    for (qsizetype i = 0; i < fileName.size(); ++i)
        put16(h + 48 + 2 * i, fileName[i].unicode());
    put32(h + kChecksumOffset, hiveHeaderChecksum(h));
    file += bins;
    return file;
}

} // namespace pecast::bcd
