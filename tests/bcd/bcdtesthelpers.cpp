#include "bcdtesthelpers.h"

#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QtEndian>

namespace pecast::bcd::test {

QString dataDir()
{
    return pecast::test::sourceDir() + QStringLiteral("/tests/bcd/data");
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray golden(const QString &name)
{
    return readFile(dataDir() + QLatin1Char('/') + name);
}

QStringList goldenStores()
{
    return { QStringLiteral("amidevous_wimboot-install_bcd"),
        QStringLiteral("grub4dos_ntloader_bcd"), QStringLiteral("jpz4085_BCD-SYS_BCD-NEW") };
}

namespace {

QString quoted(const QString &name)
{
    QString s = name;
    s.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    s.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString hexList(const QByteArray &data)
{
    return QString::fromLatin1(data.toHex(','));
}

void exportKey(const HiveKey &key, const QString &path, QByteArray &out)
{
    out += "[" + path.toUtf8() + "]\n";
    for (const HiveValue &v : key.values) {
        const QString name = v.name.isEmpty() ? QStringLiteral("@") : quoted(v.name);
        if (v.type == quint32(ValueType::Dword) && v.data.size() == 4)
            out += QStringLiteral("%1=dword:%2\n")
                       .arg(name)
                       .arg(qFromLittleEndian<quint32>(v.data.constData()), 8, 16, QLatin1Char('0'))
                       .toUtf8();
        else
            out += QStringLiteral("%1=hex(%2):%3\n")
                       .arg(name)
                       .arg(v.type, 0, 16)
                       .arg(hexList(v.data))
                       .toUtf8();
    }
    out += "\n";
    for (const HiveKey &sub : key.subkeys)
        exportKey(
            sub, (path == QLatin1String("\\") ? path : path + QLatin1Char('\\')) + sub.name, out);
}

void flattenKey(const HiveKey &key, const QString &path, FlatHive &out)
{
    QStringList values;
    for (const HiveValue &v : key.values)
        values.append(QStringLiteral("%1|%2|%3")
                          .arg(v.name)
                          .arg(v.type)
                          .arg(QString::fromLatin1(v.data.toHex())));
    values.sort();
    out.insert(path, values);
    for (const HiveKey &sub : key.subkeys)
        flattenKey(sub, path + QLatin1Char('\\') + sub.name, out);
}

} // namespace

QByteArray hivexStyleExport(const HiveKey &root)
{
    QByteArray out = "Windows Registry Editor Version 5.00\n\n";
    exportKey(root, QStringLiteral("\\"), out);
    return out;
}

FlatHive flatten(const HiveKey &root)
{
    FlatHive out;
    flattenKey(root, QString(), out);
    return out;
}

FlatHive parseRegedExport(const QByteArray &text, const QString &prefix)
{
    // Join continuation lines ("...,\" + newline + "  ..."), then read key headers and values.
    QString all = QString::fromUtf8(text);
    all.remove(QLatin1Char('\r'));
    all.replace(QRegularExpression(QStringLiteral("\\\\\\n  ")), QString());
    FlatHive out;
    QString current;
    const QString head = QStringLiteral("[HKEY_LOCAL_MACHINE\\") + prefix;
    for (const QString &line : all.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            current = line.mid(1, line.size() - 2);
            if (current.startsWith(head.mid(1)))
                current = current.mid(head.size() - 1);
            out.insert(current, {});
            continue;
        }
        if (!line.startsWith(QLatin1Char('"')) && !line.startsWith(QLatin1Char('@')))
            continue;
        // "name"=value, name with \\ and \" escapes.
        QString name;
        qsizetype i = 0;
        if (line[0] == QLatin1Char('"')) {
            for (i = 1; i < line.size() && line[i] != QLatin1Char('"'); ++i) {
                if (line[i] == QLatin1Char('\\') && i + 1 < line.size())
                    ++i;
                name.append(line[i]);
            }
            ++i;
        } else {
            i = 1;
        }
        const QString value = line.mid(i + 1);
        quint32 type = 0;
        QByteArray data;
        if (value.startsWith(QLatin1String("dword:"))) {
            type = 4;
            data = QByteArray(4, '\0');
            qToLittleEndian<quint32>(value.mid(6).toUInt(nullptr, 16), data.data());
        } else if (value.startsWith(QLatin1String("hex:"))) {
            type = 3;
            data = QByteArray::fromHex(value.mid(4).remove(QLatin1Char(',')).toLatin1());
        } else if (value.startsWith(QLatin1String("hex("))) {
            const qsizetype close = value.indexOf(QLatin1Char(')'));
            type = value.mid(4, close - 4).toUInt(nullptr, 16);
            data = QByteArray::fromHex(value.mid(close + 2).remove(QLatin1Char(',')).toLatin1());
        } else if (value.startsWith(QLatin1Char('"'))) {
            type = 1;
            QString s = value.mid(1, value.size() - 2);
            s.replace(QLatin1String("\\\\"), QLatin1String("\\"));
            s.replace(QLatin1String("\\\""), QLatin1String("\""));
            data = QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2)
                + QByteArray(2, '\0');
        }
        out[current].append(
            QStringLiteral("%1|%2|%3").arg(name).arg(type).arg(QString::fromLatin1(data.toHex())));
        out[current].sort();
    }
    return out;
}

} // namespace pecast::bcd::test
