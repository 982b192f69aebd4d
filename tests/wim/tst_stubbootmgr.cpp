// The stub bootmgr under QEMU: a tiny test MBR plays GRUB's ntldr (loads the stub to 2000:0,
// sets BPB hidden sectors at 0:7C1C, jumps with DL) and the stub's one serial line must report
// exactly what it was handed and what it read.

#include "fixtures.h"
#include "testenv.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast::test;

namespace {

// A stand-in for ntldr: loads 2 sectors from LBA 1 to 2000:0, sets 0:7C1C = HIDDEN and jumps
// with DL = DRIVE (both given with -D), like ntldr with the partition's boot sector at 0:7C00.
constexpr char kLoaderAsm[] = R"(bits 16
org 0x7C00
    jmp short start
    nop
    times 0x3E-($-$$) db 0      ; a BPB's room: 0:7C1C is data, as in a real boot sector
start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    mov si, dap
    mov ah, 0x42
    int 0x13
    jc $
    mov dword [0x7C1C], HIDDEN
    mov dl, DRIVE
    jmp 0x2000:0
align 4
dap: db 16, 0
    dw 2
    dw 0, 0x2000
    dd 1, 0
times 510-($-$$) db 0
dw 0xAA55
)";

// Boots are ~1 s under TCG; the bound only guards against a hang.
constexpr int kBootTimeoutMs = 30000;

} // namespace

class TestStubBootmgr : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_stub, m_nasm, m_qemu;

    QString boot(const QString &name, quint32 hidden, int drive, bool ntfsAtHidden)
    {
        const QString asmPath = m_dir.filePath(name + QStringLiteral(".asm"));
        QFile src(asmPath);
        if (!src.open(QIODevice::WriteOnly) || src.write(kLoaderAsm) < 0)
            return QStringLiteral("cannot write ") + asmPath;
        src.close();
        const QString mbr = m_dir.filePath(name + QStringLiteral(".mbr"));
        const ProcessResult r = run(m_nasm,
            { QStringLiteral("-f"), QStringLiteral("bin"),
                QStringLiteral("-DHIDDEN=%1").arg(hidden),
                QStringLiteral("-DDRIVE=0x%1").arg(drive, 0, 16), QStringLiteral("-o"), mbr,
                asmPath });
        if (r.exitCode != 0)
            return QStringLiteral("nasm: ") + QString::fromUtf8(r.err);

        QFile stub(m_stub), loader(mbr);
        if (!stub.open(QIODevice::ReadOnly) || !loader.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the stub or loader");
        QByteArray disk(4 * 1024 * 1024, '\0');
        disk.replace(0, 512, loader.readAll());
        const QByteArray code = stub.readAll();
        disk.replace(512, code.size(), code);
        if (ntfsAtHidden)
            disk.replace(qint64(hidden) * 512 + 3, 8, "NTFS    ");
        const QString image = m_dir.filePath(name + QStringLiteral(".img"));
        QFile out(image);
        if (!out.open(QIODevice::WriteOnly) || out.write(disk) != disk.size())
            return QStringLiteral("cannot write ") + image;
        out.close();

        QProcess qemu;
        qemu.start(m_qemu,
            { QStringLiteral("-accel"), QStringLiteral("tcg"), QStringLiteral("-m"),
                QStringLiteral("64"), QStringLiteral("-no-reboot"), QStringLiteral("-display"),
                QStringLiteral("none"), QStringLiteral("-monitor"), QStringLiteral("none"),
                QStringLiteral("-nic"), QStringLiteral("none"), QStringLiteral("-serial"),
                QStringLiteral("stdio"), QStringLiteral("-drive"),
                QStringLiteral("file=%1,format=raw,if=ide").arg(image) });
        QByteArray serial;
        QElapsedTimer timer;
        timer.start();
        while (!serial.contains("\r\n") && timer.elapsed() < kBootTimeoutMs
            && qemu.state() != QProcess::NotRunning) {
            qemu.waitForReadyRead(1000);
            serial += qemu.readAllStandardOutput();
        }
        qemu.kill();
        qemu.waitForFinished(10000);
        return QString::fromLatin1(serial);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_nasm = findTool(QStringLiteral("nasm"));
        m_qemu = findTool(QStringLiteral("qemu-system-x86_64"));
        if (m_nasm.isEmpty() || m_qemu.isEmpty())
            QSKIP("nasm or qemu-system-x86_64 missing (packaging/install-deps.sh)");
        QString error;
        m_stub = buildStubBootmgr(m_dir.path(), &error);
        QVERIFY2(!m_stub.isEmpty(), qPrintable(error));
    }

    void isTiny() { QVERIFY(QFileInfo(m_stub).size() < 1024); }

    void reportsWhatItWasHanded()
    {
        const QString line = boot(QStringLiteral("ok"), 2048, 0x80, true);
        const QRegularExpression re(
            QStringLiteral("^PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=0000[0-9A-F]{4}\r\n$"));
        QVERIFY2(re.match(line).hasMatch(), qPrintable(line));
        // SeaBIOS reports 639 KiB or a little less (EBDA); never more than 640.
        const int mem = line.mid(line.indexOf(QLatin1String("MEM=")) + 4, 8).toInt(nullptr, 16);
        QVERIFY2(mem > 600 && mem <= 640, qPrintable(line));
    }

    void noNtfsSignatureIsBad()
    {
        const QString line = boot(QStringLiteral("bad"), 63, 0x80, false);
        QVERIFY2(line.startsWith(QLatin1String("PECAST-STUB DL=80 HS=0000003F RD=BAD A20=1 ")),
            qPrintable(line));
    }

    void readErrorShowsBiosCode()
    {
        // Drive 0x81 does not exist: the extended read fails and the stub shows AH.
        const QString line = boot(QStringLiteral("err"), 2048, 0x81, true);
        const QRegularExpression re(
            QStringLiteral("^PECAST-STUB DL=81 HS=00000800 RD=ER[0-9A-F]{2} A20=1 MEM="));
        QVERIFY2(re.match(line).hasMatch(), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestStubBootmgr)
#include "tst_stubbootmgr.moc"
