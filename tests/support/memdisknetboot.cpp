#include "memdisknetboot.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace pecast::test {

namespace {

QemuBootResult notStarted(const QString &why)
{
    QemuBootResult result;
    result.errorString = why;
    return result;
}

} // namespace

QemuBootResult netbootMemdisk(const QString &image)
{
    QTemporaryDir http;
    if (!QFile::copy(QString::fromLatin1(kMemdiskPath), http.filePath(QStringLiteral("memdisk"))))
        return notStarted(QStringLiteral("cannot copy %1 into the HTTP folder")
                              .arg(QString::fromLatin1(kMemdiskPath)));
    const QString name = QFileInfo(image).fileName();
    if (!QFile::link(image, http.filePath(name)))
        return notStarted(QStringLiteral("cannot link %1 into the HTTP folder").arg(image));
    LoopbackHttpServer server(http.path());
    if (!server.start())
        return notStarted(QStringLiteral("HTTP server: %1").arg(server.errorString()));
    QTemporaryDir tftp;
    QFile script(tftp.filePath(QStringLiteral("boot.ipxe")));
    if (!script.open(QIODevice::WriteOnly))
        return notStarted(QStringLiteral("cannot write %1").arg(script.fileName()));
    script.write(QStringLiteral("#!ipxe\nkernel %1 raw\ninitrd %2\nboot\n")
                     .arg(server.guestUrl(QStringLiteral("memdisk")), server.guestUrl(name))
                     .toUtf8());
    script.close();
    return bootNetwork(tftp.path());
}

} // namespace pecast::test
