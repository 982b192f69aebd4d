#include "hiveprofile.h"

#include <QMap>
#include <QSet>
#include <QtEndian>

namespace pecast::bcd::test {

namespace {

quint32 u32(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint32>(b.constData() + at);
}
quint16 u16(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint16>(b.constData() + at);
}

} // namespace

QString checkHiveProfile(const QByteArray &f)
{
    if (f.size() < 8192 || f.size() % 4096 != 0)
        return QStringLiteral("file size %1 is not >= 8 KiB and a 4 KiB multiple").arg(f.size());
    if (f.left(4) != "regf")
        return QStringLiteral("no regf signature");
    if (u32(f, 4) != u32(f, 8))
        return QStringLiteral("sequence numbers differ");
    if (u32(f, 20) != 1 || u32(f, 24) != 3 || u32(f, 28) != 0 || u32(f, 32) != 1 || u32(f, 44) != 1)
        return QStringLiteral("header is not version 1.3 / type 0 / format 1 / cluster 1");
    quint32 sum = 0;
    for (int i = 0; i < 508; i += 4)
        sum ^= u32(f, i);
    if (u32(f, 508) != sum)
        return QStringLiteral("bad checksum");
    const quint32 binsSize = u32(f, 40);
    if (binsSize + 4096 != quint32(f.size()))
        return QStringLiteral("bins size does not cover the file");
    const QByteArray bins = f.mid(4096);

    // Tile every bin with cells; remember allocated cells by offset.
    QMap<quint32, QByteArray> cells; // offset -> payload
    quint32 pos = 0;
    while (pos < binsSize) {
        if (bins.mid(pos, 4) != "hbin" || u32(bins, pos + 4) != pos)
            return QStringLiteral("bad hbin at 0x%1").arg(pos, 0, 16);
        const quint32 size = u32(bins, pos + 8);
        if (size == 0 || size % 4096 != 0 || pos + size > binsSize)
            return QStringLiteral("bad hbin size at 0x%1").arg(pos, 0, 16);
        quint32 c = pos + 32;
        while (c < pos + size) {
            const qint32 raw = qFromLittleEndian<qint32>(bins.constData() + c);
            const quint32 len = quint32(raw < 0 ? -raw : raw);
            if (len == 0 || len % 8 != 0 || c + len > pos + size)
                return QStringLiteral("cell at 0x%1 breaks the tiling").arg(c, 0, 16);
            if (raw < 0)
                cells.insert(c, bins.mid(c + 4, len - 4));
            c += len;
        }
        pos += size;
    }

    // sk cells: circular doubly linked list, refcounts = users.
    QSet<quint32> sks;
    for (auto it = cells.begin(); it != cells.end(); ++it) {
        const QByteArray sig = it.value().left(2);
        if (sig == "sk")
            sks.insert(it.key());
        if (sig == "lh" || sig == "li" || sig == "ri" || sig == "db")
            return QStringLiteral("cell type %1 is not in the profile")
                .arg(QString::fromLatin1(sig));
    }
    if (sks.isEmpty())
        return QStringLiteral("no sk cell");
    QMap<quint32, quint32> skUsers;
    for (quint32 sk : sks) {
        const QByteArray &p = cells[sk];
        const quint32 flink = u32(p, 4), blink = u32(p, 8);
        if (!sks.contains(flink) || !sks.contains(blink) || u32(cells[flink], 8) != sk
            || u32(cells[blink], 4) != sk)
            return QStringLiteral("sk list broken at 0x%1").arg(sk, 0, 16);
        const quint32 sdLen = u32(p, 16);
        if (20 + sdLen > quint32(p.size()) || p.at(20) != 1)
            return QStringLiteral("sk at 0x%1 has no valid descriptor").arg(sk, 0, 16);
    }

    // Walk keys from the root.
    const quint32 root = u32(f, 36);
    QList<QPair<quint32, quint32>> todo { { root, 0xFFFFFFFF } };
    QSet<quint32> seen;
    while (!todo.isEmpty()) {
        const auto [nk, parent] = todo.takeFirst();
        if (!cells.contains(nk) || cells[nk].left(2) != "nk" || seen.contains(nk))
            return QStringLiteral("bad key cell 0x%1").arg(nk, 0, 16);
        seen.insert(nk);
        const QByteArray &p = cells[nk];
        const quint16 flags = u16(p, 2);
        if (nk == root ? flags != 0x2C : (flags & ~0x20) != 0)
            return QStringLiteral("key 0x%1 has flags 0x%2").arg(nk, 0, 16).arg(flags, 0, 16);
        if (nk != root && u32(p, 16) != parent)
            return QStringLiteral("key 0x%1 has a wrong parent").arg(nk, 0, 16);
        const quint32 sk = u32(p, 44);
        if (!sks.contains(sk))
            return QStringLiteral("key 0x%1 has no valid sk").arg(nk, 0, 16);
        skUsers[sk] += 1;
        const quint32 count = u32(p, 20);
        if (count == 0)
            continue;
        const quint32 list = u32(p, 28);
        if (!cells.contains(list) || cells[list].left(2) != "lf" || u16(cells[list], 2) != count)
            return QStringLiteral("key 0x%1 has no matching lf list").arg(nk, 0, 16);
        const QByteArray &l = cells[list];
        QString previous;
        for (quint32 i = 0; i < count; ++i) {
            const quint32 child = u32(l, 4 + 8 * i);
            if (!cells.contains(child))
                return QStringLiteral("lf entry points nowhere");
            const QByteArray &c = cells[child];
            const QByteArray storedName = c.mid(76, u16(c, 72));
            QByteArray hint = storedName.left(4);
            hint.append(QByteArray(4 - hint.size(), '\0'));
            if (l.mid(8 + 8 * i, 4) != hint)
                return QStringLiteral("wrong lf hint for %1").arg(QString::fromLatin1(storedName));
            const QString name = QString::fromLatin1(storedName).toUpper();
            if (i > 0 && !(previous < name))
                return QStringLiteral("lf list not sorted at %1").arg(name);
            previous = name;
            todo.append({ child, nk });
        }
    }
    for (quint32 sk : sks) {
        if (u32(cells[sk], 12) != skUsers.value(sk))
            return QStringLiteral("sk 0x%1 refcount %2, used by %3")
                .arg(sk, 0, 16)
                .arg(u32(cells[sk], 12))
                .arg(skUsers.value(sk));
    }
    return {};
}

} // namespace pecast::bcd::test
