#pragma once

// Boots QEMU (TCG only; KVM is broken here) on a disk image or through its iPXE NIC ROM, and
// collects what the guest prints on COM1. SeaBIOS mirrors INT 10h text to serial (fw_cfg
// etc/sercon-port = 0x3f8), so iPXE, memdisk and GRUB messages appear in the log too. The wait is
// bounded and ends as soon as a success marker line (the stub bootmgr's "PECAST-STUB ...") or a
// known failure text shows up; QEMU is then killed.
//
//   auto boot = pecast::test::bootDisk(imagePath);
//   QVERIFY2(boot.succeeded(), boot.describe());
//   auto stub = pecast::test::parseStubLine(boot.log);
//   QCOMPARE(stub->dl, 0x80);

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pecast::test {

struct QemuBootOptions
{
    QString diskImage; // -drive file=...,format=raw,snapshot=on (empty: no disk)
    // Network boot: -netdev user,tftp=tftpDirectory,bootfile=bootFile -device e1000 -boot n.
    // slirp maps 10.0.2.2 to the host's 127.0.0.1, so a boot script can chain
    // http://10.0.2.2:PORT/... to a server the test runs on loopback.
    bool network = false;
    QString tftpDirectory;
    QString bootFile = QStringLiteral("boot.ipxe");
    int memoryMiB = 512;
    int timeoutMs = 90000; // upper bound; a good boot ends far sooner
    QStringList extraArguments;
    // A complete line containing one of these ends the boot as a success.
    QStringList successMarkers { QStringLiteral("PECAST-STUB") };
    // Text that ends the boot as a failure.
    QStringList failureMarkers { QStringLiteral("grub rescue>"), QStringLiteral("error:"),
        QStringLiteral("Boot failed"), QStringLiteral("No bootable device"),
        QStringLiteral("Could not boot"), QStringLiteral("ipxe.org/") };
};

struct QemuBootResult
{
    bool started = false; // QEMU ran at all
    bool success = false; // a success marker line was seen
    bool failure = false; // a failure marker was seen
    bool timedOut = false;
    QString matched; // the marker that ended the wait
    QByteArray log; // everything the guest printed on serial
    QByteArray qemuStderr;
    QString errorString; // why QEMU could not start

    bool succeeded() const { return started && success && !failure; }
    QByteArray describe() const; // a message for QVERIFY2: outcome + the log's tail
};

QString qemuPath(); // qemu-system-x86_64, or empty
QemuBootResult bootQemu(const QemuBootOptions &options);
QemuBootResult bootDisk(const QString &image, int timeoutMs = 60000);
QemuBootResult bootNetwork(const QString &tftpDirectory,
    const QString &bootFile = QStringLiteral("boot.ipxe"), int timeoutMs = 120000);

// The stub bootmgr's report: "PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=...".
struct StubReport
{
    QString line;
    QMap<QString, QString> fields; // every KEY=VALUE as printed
    int dl = -1; // BIOS drive number (hex in the line)
    qint64 hiddenSectors = -1; // BPB hidden sectors at 0:7C1C (hex)
    bool readOk = false; // RD=OK: INT 13h AH=42h read through DL worked
    int a20 = -1; // 1 enabled, 0 disabled
    QString mem; // base memory as printed
};
std::optional<StubReport> parseStubLine(const QByteArray &log);

// A static file server on 127.0.0.1 for network-boot tests (python3 -m http.server on an
// ephemeral port). Stops in its destructor.
class LoopbackHttpServer
{
public:
    explicit LoopbackHttpServer(const QString &directory);
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer &) = delete;
    LoopbackHttpServer &operator=(const LoopbackHttpServer &) = delete;

    bool start(int timeoutMs = 15000); // false if python3 is missing or it did not come up
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    // The URL a QEMU guest on user networking uses for a file: http://10.0.2.2:PORT/name
    QString guestUrl(const QString &name) const;

private:
    QString m_directory;
    quint16 m_port = 0;
    QString m_error;
    struct Process;
    Process *m_process = nullptr;
};

} // namespace pecast::test
