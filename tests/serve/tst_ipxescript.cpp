// The generated iPXE script and the snippets a technician pastes into DHCP servers.

#include "serve/ipxescript.h"

#include <QTest>

using namespace pecast::serve;

namespace {

// The script's commands without comments and blank lines.
QStringList commands(const QString &script)
{
    QStringList result;
    for (const QString &line : script.split(u'\n')) {
        if (!line.isEmpty() && !line.startsWith(u'#'))
            result << line;
    }
    return result;
}

} // namespace

class TestIpxeScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memdisk()
    {
        const QString text = IpxeScript().text();
        QVERIFY(text.startsWith(QStringLiteral("#!ipxe\n")));
        QCOMPARE(commands(text),
            QStringList({ QStringLiteral("kernel memdisk raw"), QStringLiteral("initrd image.img"),
                QStringLiteral("boot") }));
        // Each command has a comment line right above it saying what it does.
        const QStringList lines = text.split(u'\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines[i].isEmpty() && !lines[i].startsWith(u'#'))
                QVERIFY2(lines[i - 1].startsWith(u'#'), qPrintable(lines[i]));
        }
    }

    void memdiskOptions()
    {
        IpxeScriptOptions o;
        o.memdiskArgs = QStringLiteral("  raw   harddisk ");
        o.imageUrl = QStringLiteral("image.img.gz");
        QCOMPARE(commands(IpxeScript(o).text()).mid(0, 2),
            QStringList({ QStringLiteral("kernel memdisk raw harddisk"),
                QStringLiteral("initrd image.img.gz") }));
        o.memdiskArgs.clear();
        QCOMPARE(commands(IpxeScript(o).text()).first(), QStringLiteral("kernel memdisk"));
    }

    void sanboot()
    {
        IpxeScriptOptions o;
        o.mode = BootMode::Sanboot;
        QCOMPARE(
            commands(IpxeScript(o).text()), QStringList { QStringLiteral("sanboot image.img") });
    }

    void snippets()
    {
        const QString url = QStringLiteral("http://192.168.1.10:8080/boot.ipxe");
        QCOMPARE(IpxeScript::chainCommand(url), QStringLiteral("dhcp && chain ") + url);
        const QString dnsmasq = IpxeScript::dnsmasqSnippet(url);
        QVERIFY(dnsmasq.contains(QStringLiteral("dhcp-match=set:ipxe,175")));
        QVERIFY(dnsmasq.contains(QStringLiteral("dhcp-boot=tag:ipxe,") + url));
        QVERIFY(dnsmasq.contains(QStringLiteral("dhcp-boot=tag:!ipxe,undionly.kpxe")));
        const QString dhcpd = IpxeScript::iscDhcpdSnippet(url);
        QVERIFY(dhcpd.contains(QStringLiteral("option user-class = \"iPXE\"")));
        QVERIFY(dhcpd.contains(QStringLiteral("filename \"%1\";").arg(url)));
        // Balanced braces: pasteable as is.
        QCOMPARE(dhcpd.count(u'{'), dhcpd.count(u'}'));
    }
};

QTEST_GUILESS_MAIN(TestIpxeScript)
#include "tst_ipxescript.moc"
