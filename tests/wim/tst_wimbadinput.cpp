// Bad input to `pecast wim info` and `pecast wim extract-boot`: each gives ONE clear error that
// names the file, says what is wrong and what to do, exits non-zero and writes nothing.

#include "fixtures.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace pecast::test;

class TestWimBadInput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_good;

    // Runs both commands on `path`; checks the shared contract and that `expected` (what is
    // wrong) appears in the error line.
    void expectError(const QString &path, const QByteArray &expected, int exitCode = 1)
    {
        const QString out = m_dir.filePath(QStringLiteral("never-created"));
        const QList<QStringList> commands {
            { QStringLiteral("wim"), QStringLiteral("info"), path },
            { QStringLiteral("wim"), QStringLiteral("info"), path, QStringLiteral("--json") },
            { QStringLiteral("wim"), QStringLiteral("extract-boot"), path, QStringLiteral("-o"),
                out },
        };
        for (const QStringList &args : commands) {
            const ProcessResult r = runCli(args, 30000);
            const QByteArray what = args.join(QLatin1Char(' ')).toUtf8();
            QVERIFY2(!r.timedOut && !r.crashed, what.constData());
            QVERIFY2(r.exitCode == exitCode,
                (what + " exit " + QByteArray::number(r.exitCode) + ": " + r.err).constData());
            QVERIFY2(r.out.isEmpty(), (what + ": " + r.out).constData());
            const QList<QByteArray> lines = r.err.trimmed().split('\n');
            const QList<QByteArray> errors = [&] {
                QList<QByteArray> found;
                for (const QByteArray &l : lines)
                    if (l.startsWith("pecast: error: "))
                        found.append(l);
                return found;
            }();
            QVERIFY2(errors.size() == 1, (what + ": " + r.err).constData());
            const QByteArray &error = errors.first();
            QVERIFY2(error.contains(QDir::toNativeSeparators(path).toUtf8()),
                (what + ": error does not name the file: " + error).constData());
            QVERIFY2(error.contains(expected), (what + ": " + error).constData());
            bool hint = false;
            for (const QByteArray &l : lines)
                hint = hint || (l.startsWith("pecast: hint: ") && l.size() > 20);
            QVERIFY2(hint, (what + ": no hint: " + r.err).constData());
            QVERIFY2(!QFileInfo::exists(out), what.constData());
        }
    }

    QString copyOfGood(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile::remove(path);
        return QFile::copy(m_good, path) ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_good = makeFixtureWim(m_dir.filePath(QStringLiteral("good")), {}, &error);
        QVERIFY2(!m_good.isEmpty(), qPrintable(error));
    }

    void truncatedWim()
    {
        const QString path = copyOfGood(QStringLiteral("truncated.wim"));
        QFile file(path);
        QVERIFY(file.resize(file.size() / 2));
        expectError(path, "truncated");
    }

    void truncatedHeader()
    {
        const QString path = copyOfGood(QStringLiteral("header.wim"));
        QFile file(path);
        QVERIFY(file.resize(100));
        expectError(path, "WIM");
    }

    void zeroBytes()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.wim"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        expectError(path, "is empty (0 bytes)");
    }

    void notAWim()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.wim"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("This is a text file, not a Windows Imaging file.\n");
        file.close();
        expectError(path, "is not a WIM file");
    }

    void directory()
    {
        const QString path = m_dir.filePath(QStringLiteral("a folder.wim"));
        QVERIFY(QDir().mkpath(path));
        expectError(path, "is a directory", 2);
    }

    void fifo()
    {
        // Opening a FIFO for reading would block forever: refused before it is opened.
        const QString path = m_dir.filePath(QStringLiteral("pipe.wim"));
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        expectError(path, "is not a regular file", 2);
    }

    void unreadable()
    {
        QString path;
        if (::geteuid() != 0) {
            path = copyOfGood(QStringLiteral("unreadable.wim"));
            QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        } else {
            // Root reads any file by permission; a write-only sysfs attribute refuses even root.
            for (const char *candidate : { "/sys/bus/pci/rescan", "/sys/kernel/mm/ksm/run_never",
                     "/sys/power/wakeup_count_write_only" }) {
                const QString c = QString::fromLatin1(candidate);
                QFile probe(c);
                if (QFileInfo(c).isFile() && !probe.open(QIODevice::ReadOnly)) {
                    path = c;
                    break;
                }
            }
            if (path.isEmpty())
                QSKIP("running as root and no write-only sysfs file to stand in for an "
                      "unreadable WIM");
        }
        expectError(path, "Permission denied");
    }

    void splitPartWithoutSiblings()
    {
        FixtureWimOptions o;
        o.fileName = QStringLiteral("install.swm");
        o.splitPartSize = 1024 * 1024;
        o.targetSize = 5 * 1024 * 1024;
        QString error;
        const QString first = makeFixtureWim(m_dir.filePath(QStringLiteral("split")), o, &error);
        QVERIFY2(!first.isEmpty(), qPrintable(error));
        const QStringList parts = splitParts(first);
        QVERIFY(parts.size() >= 2);
        const QString alone = m_dir.filePath(QStringLiteral("alone/install.swm"));
        QDir().mkpath(QFileInfo(alone).absolutePath());
        QVERIFY(QFile::copy(first, alone));
        expectError(alone,
            QStringLiteral("is part 1 of a split WIM with %1 parts; part(s) 2")
                .arg(parts.size())
                .toUtf8());
        // A later part alone: part 1 (the one with the images) is reported missing.
        const QString later = m_dir.filePath(QStringLiteral("later/install2.swm"));
        QDir().mkpath(QFileInfo(later).absolutePath());
        QVERIFY(QFile::copy(parts.at(1), later));
        expectError(later, "part(s) 1");
    }

    void malformedXml()
    {
        const QString path = copyOfGood(QStringLiteral("badxml.wim"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        // Header: the XML resource header is at 72: 7-byte size, flags, 8-byte offset.
        file.seek(72);
        const QByteArray reshdr = file.read(24);
        qint64 size = 0, offset = 0;
        for (int i = 6; i >= 0; --i)
            size = (size << 8) | uchar(reshdr.at(i));
        for (int i = 15; i >= 8; --i)
            offset = (offset << 8) | uchar(reshdr.at(i));
        QVERIFY(size > 20 && offset > 0);
        file.seek(offset);
        QByteArray xml = file.read(size);
        const QByteArray open = QByteArray("<\0W\0I\0M\0>\0", 10);
        const int at = xml.indexOf(open);
        QVERIFY(at >= 0);
        xml.replace(at, open.size(), QByteArray("<\0W\0I\0M\0<\0", 10)); // "<WIM<"
        file.seek(offset);
        QCOMPARE(file.write(xml), size);
        file.close();
        expectError(path, "XML");
    }

    void spacesAndNonAscii()
    {
        // A good WIM under such a path works ...
        const QString good = copyOfGood(QStringLiteral("Mes images été/Prüfung ÄÖÜ ✓.wim"));
        QVERIFY(!good.isEmpty());
        const ProcessResult ok = runCli(
            { QStringLiteral("wim"), QStringLiteral("info"), good, QStringLiteral("--json") });
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(ok.out.contains(good.toUtf8()));
        // ... and a broken one is named correctly in the error.
        const QString bad = m_dir.filePath(QStringLiteral("Mes images été/leer ä ö.wim"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        expectError(bad, "is empty");
    }

    void missingFile()
    {
        expectError(m_dir.filePath(QStringLiteral("does-not-exist.wim")), "no such file");
    }
};

QTEST_GUILESS_MAIN(TestWimBadInput)
#include "tst_wimbadinput.moc"
