// The stub-line parser other boot tests rely on (no QEMU needed).

#include "qemuboot.h"

#include <QTest>

class TestQemuBoot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesStubLine();
    void noLineNoReport();
    void reportsFailedRead();
};

void TestQemuBoot::parsesStubLine()
{
    const QByteArray log = "SeaBIOS (version 1.16.2)\r\nBooting from Hard Disk...\r\n"
                           "PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=0000026E\r\n";
    const auto stub = pecast::test::parseStubLine(log);
    QVERIFY(stub);
    QCOMPARE(stub->line, QStringLiteral("PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=0000026E"));
    QCOMPARE(stub->dl, 0x80);
    QCOMPARE(stub->hiddenSectors, qint64(2048));
    QVERIFY(stub->readOk);
    QCOMPARE(stub->a20, 1);
    QCOMPARE(stub->mem, QStringLiteral("0000026E"));
    QCOMPARE(stub->fields.size(), 5);
}

void TestQemuBoot::noLineNoReport()
{
    QVERIFY(!pecast::test::parseStubLine("error: file `/bootmgr' not found.\r\ngrub rescue> "));
}

void TestQemuBoot::reportsFailedRead()
{
    const auto stub = pecast::test::parseStubLine("PECAST-STUB DL=81 HS=0000003F RD=ER01 A20=0\n");
    QVERIFY(stub);
    QCOMPARE(stub->dl, 0x81);
    QCOMPARE(stub->hiddenSectors, qint64(63));
    QVERIFY(!stub->readOk);
    QCOMPARE(stub->a20, 0);
    QVERIFY(stub->mem.isEmpty());
}

QTEST_GUILESS_MAIN(TestQemuBoot)
#include "tst_qemuboot.moc"
