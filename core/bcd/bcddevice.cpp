#include "bcd/bcddevice.h"

#include "bcd/wellknown.h"

#include <QtEndian>

namespace pecast::bcd {

namespace {

// On-disk DeviceType numbers (boot library numbering, bcd-format.md §3.2; not the WMI ones).
constexpr quint32 kTypeBlock = 0; // block-I/O device, sub-type follows the header
constexpr quint32 kTypeBoot = 5;
constexpr quint32 kTypePartition = 6;
constexpr quint32 kTypeLocate = 8;
constexpr quint32 kBlockRamdisk = 3; // block sub-type: RAM disk
constexpr quint32 kRamdiskFlags = 1; // flags word of every ramdisk descriptor in real stores
constexpr int kGuidSize = 16; // the options GUID before the descriptor
constexpr int kHeader = 16; // type, flags, size, reserved
constexpr int kSimpleSize = 72; // boot and partition descriptors
constexpr int kRamdiskFixed = 0x34; // ramdisk descriptor bytes before the parent descriptor
constexpr int kPathBlockHeader = 12; // version, length, path type
constexpr quint32 kPathBlockVersion = 1;
constexpr quint32 kPathTypeQualified = 5; // device-qualified path
constexpr quint32 kStyleGpt = 0;
constexpr quint32 kStyleMbr = 1;

quint32 get32(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint32>(b.constData() + at);
}
void put32(QByteArray &b, qsizetype at, quint32 v)
{
    qToLittleEndian<quint32>(v, b.data() + at);
}

// Binary GUID layout: Data1..3 little-endian, Data4 as is.
QByteArray guidBytes(const QUuid &id)
{
    QByteArray b(16, '\0');
    qToLittleEndian<quint32>(id.data1, b.data());
    qToLittleEndian<quint16>(id.data2, b.data() + 4);
    qToLittleEndian<quint16>(id.data3, b.data() + 6);
    std::memcpy(b.data() + 8, id.data4, 8);
    return b;
}

QUuid guidFrom(const char *p)
{
    QUuid id;
    id.data1 = qFromLittleEndian<quint32>(p);
    id.data2 = qFromLittleEndian<quint16>(p + 4);
    id.data3 = qFromLittleEndian<quint16>(p + 6);
    std::memcpy(id.data4, p + 8, 8);
    return id;
}

QString utf16Until(const QByteArray &b, qsizetype from, qsizetype to)
{
    QString s;
    for (qsizetype i = from; i + 1 < to; i += 2) {
        const quint16 c = qFromLittleEndian<quint16>(b.constData() + i);
        if (c == 0)
            break;
        s.append(QChar(c));
    }
    return s;
}

Error bad(const QString &message)
{
    return Error(Errc::BadFormat, QStringLiteral("device element: %1").arg(message));
}

// Parses a boot or partition descriptor at `at` (header included) into `out`.
Status parseSimple(const QByteArray &b, qsizetype at, qsizetype size, BcdDevice::Kind &kind,
    BcdDevice::PartitionStyle &style, quint32 &signature, quint64 &offset, QUuid &disk,
    QUuid &partition)
{
    const quint32 type = get32(b, at);
    if (type == kTypeBoot) {
        kind = BcdDevice::Kind::Boot;
        return {};
    }
    if (type != kTypePartition)
        return bad(QStringLiteral("unsupported device type %1").arg(type));
    if (size < kSimpleSize)
        return bad(QStringLiteral("partition descriptor too short"));
    const quint32 styleWord = get32(b, at + 0x24);
    if (styleWord == kStyleMbr) {
        style = BcdDevice::PartitionStyle::Mbr;
        offset = qFromLittleEndian<quint64>(b.constData() + at + 0x10);
        signature = get32(b, at + 0x28);
    } else if (styleWord == kStyleGpt) {
        style = BcdDevice::PartitionStyle::Gpt;
        partition = guidFrom(b.constData() + at + 0x10);
        disk = guidFrom(b.constData() + at + 0x28);
    } else {
        return bad(QStringLiteral("unknown partition style %1").arg(styleWord));
    }
    kind = BcdDevice::Kind::Partition;
    return {};
}

} // namespace

BcdDevice BcdDevice::boot()
{
    BcdDevice d;
    d.m_kind = Kind::Boot;
    return d;
}

BcdDevice BcdDevice::mbrPartition(quint32 diskSignature, quint64 byteOffset)
{
    BcdDevice d;
    d.m_kind = Kind::Partition;
    d.m_style = PartitionStyle::Mbr;
    d.m_signature = diskSignature;
    d.m_offset = byteOffset;
    return d;
}

BcdDevice BcdDevice::gptPartition(const QUuid &disk, const QUuid &partition)
{
    BcdDevice d;
    d.m_kind = Kind::Partition;
    d.m_style = PartitionStyle::Gpt;
    d.m_diskGuid = disk;
    d.m_partitionGuid = partition;
    return d;
}

BcdDevice BcdDevice::ramdisk(const BcdDevice &parent, const QString &path, const QUuid &options)
{
    BcdDevice d = parent;
    d.m_kind = Kind::Ramdisk;
    d.m_parentKind = parent.m_kind == Kind::Partition ? Kind::Partition : Kind::Boot;
    d.m_path = path;
    d.m_options = options;
    d.m_raw.clear();
    return d;
}

BcdDevice BcdDevice::parentDevice() const
{
    BcdDevice d = *this;
    d.m_kind = m_parentKind;
    d.m_parentKind = Kind::Unknown;
    d.m_path.clear();
    d.m_options = QUuid();
    d.m_raw.clear();
    return d;
}

QByteArray BcdDevice::encodeDescriptor() const
{
    QByteArray d;
    if (m_kind == Kind::Boot || m_kind == Kind::Partition) {
        d = QByteArray(kSimpleSize, '\0');
        put32(d, 0, m_kind == Kind::Boot ? kTypeBoot : kTypePartition);
        put32(d, 8, kSimpleSize);
        if (m_kind == Kind::Partition) {
            if (m_style == PartitionStyle::Mbr) {
                qToLittleEndian<quint64>(m_offset, d.data() + 0x10);
                put32(d, 0x24, kStyleMbr);
                put32(d, 0x28, m_signature);
            } else {
                d.replace(0x10, 16, guidBytes(m_partitionGuid));
                put32(d, 0x24, kStyleGpt);
                d.replace(0x28, 16, guidBytes(m_diskGuid));
            }
        }
        return d;
    }
    if (m_kind == Kind::Ramdisk) {
        const QByteArray parent = parentDevice().encodeDescriptor();
        QByteArray path(reinterpret_cast<const char *>(m_path.utf16()), m_path.size() * 2);
        if constexpr (Q_BYTE_ORDER == Q_BIG_ENDIAN) {
            for (qsizetype i = 0; i + 1 < path.size(); i += 2)
                std::swap(path[i], path[i + 1]);
        }
        path += QByteArray(2, '\0');
        const quint32 blockLength = kPathBlockHeader + parent.size() + path.size();
        d = QByteArray(kRamdiskFixed, '\0');
        put32(d, 0, kTypeBlock);
        put32(d, 4, kRamdiskFlags);
        put32(d, 8, quint32(0x28 + blockLength));
        put32(d, 0x10, kBlockRamdisk);
        put32(d, 0x28, kPathBlockVersion);
        put32(d, 0x2C, blockLength);
        put32(d, 0x30, kPathTypeQualified);
        d += parent;
        d += path;
    }
    return d;
}

QByteArray BcdDevice::encode() const
{
    if (m_kind == Kind::Unknown || m_kind == Kind::Locate)
        return m_raw;
    return guidBytes(m_options) + encodeDescriptor();
}

Result<BcdDevice> BcdDevice::decode(const QByteArray &b)
{
    if (b.size() < kGuidSize + kHeader)
        return bad(QStringLiteral("%1 bytes is too short").arg(b.size()));
    BcdDevice d;
    d.m_raw = b;
    d.m_options = guidFrom(b.constData());
    constexpr qsizetype at = kGuidSize;
    const quint32 type = get32(b, at);
    const quint32 size = get32(b, at + 8);
    if (size < kHeader || size > quint64(b.size() - at))
        return bad(
            QStringLiteral("descriptor size %1 does not fit %2 bytes").arg(size).arg(b.size()));

    if (type == kTypeBoot || type == kTypePartition) {
        if (auto s = parseSimple(b, at, size, d.m_kind, d.m_style, d.m_signature, d.m_offset,
                d.m_diskGuid, d.m_partitionGuid);
            !s)
            return std::move(s).error();
        return d;
    }
    if (type == kTypeLocate) {
        if (size < 0x1C)
            return bad(QStringLiteral("locate descriptor too short"));
        d.m_kind = Kind::Locate;
        d.m_locateElement = get32(b, at + 0x14);
        const quint32 parentOffset = get32(b, at + 0x18);
        const qsizetype pathEnd = parentOffset != 0 && parentOffset < size ? parentOffset : size;
        d.m_path = utf16Until(b, at + 0x1C, at + pathEnd);
        if (parentOffset != 0)
            d.m_parentKind = Kind::Unknown; // a wrapped device (vhd=): shown, never rebuilt
        return d;
    }
    if (type == kTypeBlock && size >= kRamdiskFixed && get32(b, at + 0x10) == kBlockRamdisk) {
        const quint32 blockLength = get32(b, at + 0x2C);
        if (blockLength < kPathBlockHeader + kHeader || blockLength > size - 0x28)
            return bad(
                QStringLiteral("ramdisk path block length %1 does not fit").arg(blockLength));
        const qsizetype parentAt = at + kRamdiskFixed;
        const qsizetype blockEnd = at + 0x28 + blockLength;
        const quint32 parentSize = get32(b, parentAt + 8);
        if (parentSize < kHeader || parentSize > blockEnd - parentAt)
            return bad(QStringLiteral("ramdisk parent device does not fit"));
        Kind parentKind = Kind::Unknown;
        if (auto s = parseSimple(b, parentAt, parentSize, parentKind, d.m_style, d.m_signature,
                d.m_offset, d.m_diskGuid, d.m_partitionGuid);
            !s)
            return std::move(s).error().context(QStringLiteral("ramdisk parent"));
        d.m_kind = Kind::Ramdisk;
        d.m_parentKind = parentKind;
        d.m_path = utf16Until(b, parentAt + parentSize, blockEnd);
        return d;
    }
    d.m_kind = Kind::Unknown;
    return d;
}

QString BcdDevice::partitionText() const
{
    if (m_style == PartitionStyle::Mbr)
        return QStringLiteral("signature 0x%1, offset %2")
            .arg(m_signature, 8, 16, QLatin1Char('0'))
            .arg(m_offset);
    return QStringLiteral("disk %1, partition %2")
        .arg(guidString(m_diskGuid), guidString(m_partitionGuid));
}

QString BcdDevice::toString() const
{
    switch (m_kind) {
    case Kind::Boot:
        return QStringLiteral("boot");
    case Kind::Partition:
        return QStringLiteral("partition=[%1]").arg(partitionText());
    case Kind::Ramdisk: {
        const QString parent
            = m_parentKind == Kind::Boot ? QStringLiteral("boot") : partitionText();
        return QStringLiteral("ramdisk=[%1]%2,%3").arg(parent, m_path, objectAlias(m_options));
    }
    case Kind::Locate:
        if (m_parentKind == Kind::Unknown && m_raw.size() > kGuidSize + 0x1C
            && get32(m_raw, kGuidSize + 0x18) != 0)
            return QStringLiteral("locate (wrapping another device, %1 bytes)").arg(m_raw.size());
        if (!m_path.isEmpty())
            return QStringLiteral("locate=%1").arg(m_path);
        return QStringLiteral("locate=custom:%1").arg(m_locateElement, 8, 16, QLatin1Char('0'));
    case Kind::Unknown:
        break;
    }
    const quint32 type = m_raw.size() >= kGuidSize + 4 ? get32(m_raw, kGuidSize) : 0;
    return QStringLiteral("unknown device (type %1, %2 bytes)").arg(type).arg(m_raw.size());
}

} // namespace pecast::bcd
