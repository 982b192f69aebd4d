#include "util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pecast;

class TestAtomicFile : public QObject
{
    Q_OBJECT

    static QStringList entries(const QString &dir)
    {
        return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

private Q_SLOTS:
    void commitCreatesTarget()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("out file ü.img"));
        auto file = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
        QVERIFY(file.ok());
        QVERIFY(!QFile::exists(target)); // nothing under the target name before commit
        QVERIFY(file->write(QByteArrayLiteral("hello")).ok());
        QVERIFY(file->commit().ok());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArrayLiteral("hello"));
        QCOMPARE(entries(dir.path()), QStringList { QStringLiteral("out file ü.img") });
    }

    void destructorRemovesTemporary()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("x.img"));
        {
            auto file = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
            QVERIFY(file.ok());
            QVERIFY(file->write(QByteArrayLiteral("partial")).ok());
            QCOMPARE(entries(dir.path()).size(), 1);
        }
        QVERIFY(entries(dir.path()).isEmpty());
    }

    void existingTargetRefusedAndUntouched()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("keep.img"));
        QFile f(target);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("original");
        f.close();
        auto file = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
        QVERIFY(!file.ok());
        QCOMPARE(file.error().code(), Errc::Exists);
        QVERIFY(file.error().toString().contains(target));
        QVERIFY(AtomicFile::writeFile(target, "new", AtomicFile::Overwrite::Refuse).error().code()
            == Errc::Exists);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArrayLiteral("original"));
    }

    void targetAppearingDuringWorkIsNotReplaced()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("race.img"));
        auto file = AtomicFile::create(target, AtomicFile::Overwrite::Refuse);
        QVERIFY(file.ok());
        QFile other(target);
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write("theirs");
        other.close();
        const Status committed = file->commit();
        QVERIFY(!committed.ok());
        QCOMPARE(committed.error().code(), Errc::Exists);
        QVERIFY(other.open(QIODevice::ReadOnly));
        QCOMPARE(other.readAll(), QByteArrayLiteral("theirs"));
    }

    void replaceOverwrites()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("r.img"));
        QVERIFY(AtomicFile::writeFile(target, "one", AtomicFile::Overwrite::Refuse).ok());
        QVERIFY(AtomicFile::writeFile(target, "two", AtomicFile::Overwrite::Replace).ok());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArrayLiteral("two"));
    }

    void unwritableDirectoryFailsClearly()
    {
        if (::geteuid() == 0)
            QSKIP("root ignores directory permissions");
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        auto file
            = AtomicFile::create(dir.filePath(QStringLiteral("x")), AtomicFile::Overwrite::Refuse);
        QVERIFY(!file.ok());
        QVERIFY(file.error().toString().contains(dir.path()));
    }

    void missingDirectoryFailsClearly()
    {
        auto file = AtomicFile::create(
            QStringLiteral("/nonexistent-pecast/x.img"), AtomicFile::Overwrite::Refuse);
        QVERIFY(!file.ok());
        QCOMPARE(file.error().code(), Errc::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
