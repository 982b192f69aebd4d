// The BCD model: the real stores parse, devices we encode equal bcdedit's bytes, stores survive
// write/read unchanged, the WinPE store holds the recipe's elements, stores can be edited.

#include "bcd/bcddump.h"
#include "bcd/bcdparse.h"
#include "bcd/bcdstore.h"
#include "bcd/hive/hivereader.h"
#include "bcd/winpestore.h"
#include "bcdtesthelpers.h"
#include "hiveprofile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace pecast;
using namespace pecast::bcd;

namespace {

const QUuid kMediaOptions(QStringLiteral("{7619dcc8-fafe-11d9-b411-000476eba25f}"));
const QUuid kMediaLoader(QStringLiteral("{7619dcc9-fafe-11d9-b411-000476eba25f}"));
const QUuid kG4dWim(QStringLiteral("{19260817-6666-8888-abcd-000000000000}"));
const QUuid kG4dVhd(QStringLiteral("{19260817-6666-8888-abcd-000000000001}"));
const QUuid kG4dOs(QStringLiteral("{19260817-6666-8888-abcd-000000000002}"));
const QUuid kFixedLoader(QStringLiteral("{5f0f3a1e-1234-4abc-9def-00112233aabb}"));

BcdStore golden(const QString &name)
{
    auto s = readStore(test::golden(name + QStringLiteral(".bcd")), name);
    if (!s.ok())
        qFatal("%s", qPrintable(s.error().toString()));
    return *s;
}

QByteArray element(const BcdStore &store, const QUuid &object, quint32 code)
{
    const BcdObject *o = store.object(object);
    const BcdElement *e = o ? o->element(code) : nullptr;
    return e ? e->data() : QByteArray();
}

WinPeStoreOptions partitionOptions()
{
    WinPeStoreOptions o;
    o.device = DeviceMode::Partition;
    o.diskSignature = 0x12345678;
    o.partitionOffset = 1048576;
    o.loaderId = kFixedLoader;
    return o;
}

} // namespace

class TestBcdStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenStoresParse()
    {
        const BcdStore media = golden(QStringLiteral("amidevous_wimboot-install_bcd"));
        QCOMPARE(media.rootName(), QStringLiteral("System"));
        QCOMPARE(int(media.objects().size()), 9);
        const BcdObject *bootmgr = media.object(WellKnown::bootmgr());
        QVERIFY(bootmgr);
        QCOMPARE(bootmgr->type(), ObjectType::BootManager);
        QCOMPARE(bootmgr->description(), QStringLiteral("Windows Boot Manager"));
        QCOMPARE(bootmgr->element(Element::Timeout)->toInteger(), 30u); // stored in 1 byte
        QCOMPARE(bootmgr->element(Element::DefaultObject)->toObject(), kMediaLoader);
        QCOMPARE(
            bootmgr->element(Element::DisplayOrder)->toObjects(), QList<QUuid>({ kMediaLoader }));

        const BcdStore g4d = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        QCOMPARE(g4d.rootName(), QStringLiteral("NewStoreRoot"));
        QVERIFY(g4d.object(WellKnown::ramdiskOptions()));
        QCOMPARE(g4d.object(WellKnown::ramdiskOptions())->element(0x35000001)->toInteger(), 65536u);

        const BcdStore empty = golden(QStringLiteral("jpz4085_BCD-SYS_BCD-NEW"));
        QVERIFY(empty.objects().empty());
        QCOMPARE(empty.descriptionValues().size(), size_t(1));
    }

    void goldenDevicesDecode()
    {
        const BcdStore media = golden(QStringLiteral("amidevous_wimboot-install_bcd"));
        auto d = media.object(kMediaLoader)->element(Element::ApplicationDevice)->toDevice();
        QVERIFY(d.ok());
        QCOMPARE(d->kind(), BcdDevice::Kind::Ramdisk);
        QCOMPARE(d->parentKind(), BcdDevice::Kind::Boot);
        QCOMPARE(d->path(), QStringLiteral("\\sources\\boot.wim"));
        QCOMPARE(d->options(), kMediaOptions);
        QCOMPARE(d->toString(),
            QStringLiteral(
                "ramdisk=[boot]\\sources\\boot.wim,{7619dcc8-fafe-11d9-b411-000476eba25f}"));

        const BcdStore g4d = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        auto os = g4d.object(kG4dOs)->element(Element::ApplicationDevice)->toDevice();
        QVERIFY(os.ok());
        QCOMPARE(os->kind(), BcdDevice::Kind::Partition);
        QCOMPARE(os->diskSignature(), 0x43DA9AB1u);
        QCOMPARE(os->partitionOffset(), quint64(0x1F500000));
        QCOMPARE(
            os->toString(), QStringLiteral("partition=[signature 0x43da9ab1, offset 525336576]"));
        auto wim = g4d.object(kG4dWim)->element(Element::ApplicationDevice)->toDevice();
        QVERIFY(wim.ok());
        QCOMPARE(wim->kind(), BcdDevice::Kind::Ramdisk);
        QCOMPARE(wim->parentKind(), BcdDevice::Kind::Partition);
        QCOMPARE(wim->diskSignature(), 0x43DA9AB1u);
        auto vhd = g4d.object(kG4dVhd)->element(Element::ApplicationDevice)->toDevice();
        QVERIFY(vhd.ok());
        QCOMPARE(vhd->kind(), BcdDevice::Kind::Locate);
    }

    // bcd-format.md §7: the devices our writer encodes equal those bcdedit/Microsoft wrote.
    void devicesEqualGoldenBytes()
    {
        const BcdStore media = golden(QStringLiteral("amidevous_wimboot-install_bcd"));
        const QByteArray mediaRamdisk = element(media, kMediaLoader, Element::ApplicationDevice);
        QCOMPARE(mediaRamdisk.size(), 176);
        const QByteArray ours = BcdDevice::ramdisk(
            BcdDevice::boot(), QStringLiteral("\\sources\\boot.wim"), kMediaOptions)
                                    .encode();
        QCOMPARE(ours.toHex(), mediaRamdisk.toHex());
        QCOMPARE(ours, element(media, kMediaLoader, Element::OsDevice));
        QCOMPARE(BcdDevice::boot().encode(), element(media, kMediaOptions, Element::SdiDevice));

        const BcdStore g4d = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        QCOMPARE(BcdDevice::boot().encode(),
            element(g4d, WellKnown::ramdiskOptions(), Element::SdiDevice));
        const BcdDevice partition = BcdDevice::mbrPartition(0x43DA9AB1, 0x1F500000);
        QCOMPARE(
            partition.encode().toHex(), element(g4d, kG4dOs, Element::ApplicationDevice).toHex());
        // ramdisk=[that partition]<placeholder path>,{ramdiskoptions}: 650 bytes.
        const QByteArray g4dRamdisk = element(g4d, kG4dWim, Element::ApplicationDevice);
        QCOMPARE(g4dRamdisk.size(), 650);
        const QString path = BcdDevice::decode(g4dRamdisk)->path();
        QVERIFY(path.endsWith(QStringLiteral(".wim")));
        QCOMPARE(BcdDevice::ramdisk(partition, path, WellKnown::ramdiskOptions()).encode().toHex(),
            g4dRamdisk.toHex());

        // Decoding and re-encoding a real device is the identity.
        QCOMPARE(BcdDevice::decode(g4dRamdisk)->encode(), g4dRamdisk);
        QCOMPARE(BcdDevice::decode(mediaRamdisk)->encode(), mediaRamdisk);
    }

    void devicesEqualDocumentedExamples()
    {
        // bcd-format.md §3.7 A, C, E.
        const QByteArray path = QByteArray::fromHex("5c00770069006e00700065002e00770069006d000000");
        const QByteArray head
            = QByteArray::fromHex("e03455ae24a96c46b836758539a3ee3a00000000010000009200000000000000"
                                  "03000000")
            + QByteArray(20, '\0') + QByteArray::fromHex("010000006a00000005000000");
        QByteArray a
            = head + QByteArray::fromHex("050000000000000048000000") + QByteArray(60, '\0') + path;
        QCOMPARE(a.size(), 162);
        QCOMPARE(BcdDevice::ramdisk(
                     BcdDevice::boot(), QStringLiteral("\\winpe.wim"), WellKnown::ramdiskOptions())
                     .encode()
                     .toHex(),
            a.toHex());
        QByteArray body(60, '\0'); // parent descriptor body at element offset 0x50
        body.replace(4, 8, QByteArray::fromHex("0000100000000000")); // offset 1048576
        body.replace(0x18, 8, QByteArray::fromHex("0100000078563412")); // MBR, signature
        const QByteArray c = head + QByteArray::fromHex("060000000000000048000000") + body + path;
        QCOMPARE(c.size(), 162);
        QCOMPARE(BcdDevice::ramdisk(BcdDevice::mbrPartition(0x12345678, 1048576),
                     QStringLiteral("\\winpe.wim"), WellKnown::ramdiskOptions())
                     .encode()
                     .toHex(),
            c.toHex());
        const QByteArray e = QByteArray(16, '\0')
            + QByteArray::fromHex("060000000000000048000000000000"
                                  "00a1c2cf96786ab340a58a29d34b0d9b5b"
                                  "0000000000000000ae95bbc80b458f47844e6b17989a75a2")
            + QByteArray(16, '\0');
        QCOMPARE(e.size(), 88);
        const BcdDevice gpt = BcdDevice::gptPartition(
            QUuid(QStringLiteral("{c8bb95ae-450b-478f-844e-6b17989a75a2}")),
            QUuid(QStringLiteral("{96cfc2a1-6a78-40b3-a58a-29d34b0d9b5b}")));
        QCOMPARE(gpt.encode().toHex(), e.toHex());
        QCOMPARE(BcdDevice::decode(e)->diskGuid(), gpt.diskGuid());
        QCOMPARE(BcdDevice::decode(e)->partitionGuid(), gpt.partitionGuid());
    }

    void truncatedDevicesAreErrors()
    {
        const BcdStore g4d = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        for (const auto &[key, object] : g4d.objects()) {
            for (const auto &[code, e] : object.elements()) {
                if (e.format() != ElementFormat::Device)
                    continue;
                QVERIFY(e.toDevice().ok());
                for (qsizetype len = 0; len < e.data().size(); ++len)
                    (void)BcdDevice::decode(e.data().left(len)); // must not crash
                QVERIFY(!BcdDevice::decode(e.data().left(20)).ok());
            }
        }
    }

    // writer(reader(real store)) keeps every object and element, byte for byte.
    void goldenStoreRewrite_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &n : test::goldenStores())
            QTest::newRow(qPrintable(n)) << n;
    }
    void goldenStoreRewrite()
    {
        QFETCH(QString, name);
        const BcdStore store = golden(name);
        auto bytes = writeStore(store);
        QVERIFY(bytes.ok());
        QCOMPARE(test::checkHiveProfile(*bytes), QString());
        auto back = readStore(*bytes, QStringLiteral("rewritten"));
        QVERIFY(back.ok());
        QVERIFY(*back == store);
        auto tree = HiveReader().read(*bytes, QStringLiteral("rewritten"));
        QVERIFY(tree.ok());
        QCOMPARE(test::hivexStyleExport(*tree), test::golden(name + QStringLiteral(".reg.txt")));
    }

    void winPeStoreBoot()
    {
        WinPeStoreOptions o;
        o.loaderId = kFixedLoader;
        auto store = makeWinPeStore(o);
        QVERIFY(store.ok());
        QCOMPARE(int(store->objects().size()), 3);
        const BcdObject *bootmgr = store->object(WellKnown::bootmgr());
        QVERIFY(bootmgr);
        QCOMPARE(bootmgr->type(), 0x10100002u);
        QCOMPARE(bootmgr->description(), QStringLiteral("Boot Manager"));
        QCOMPARE(bootmgr->element(0x11000001)->data(), BcdDevice::boot().encode());
        QCOMPARE(bootmgr->element(0x23000003)->data(),
            QByteArray("{\0"
                       "5\0f\0",
                6)
                + bootmgr->element(0x23000003)->data().mid(6));
        QCOMPARE(bootmgr->element(0x23000003)->toObject(), kFixedLoader);
        QCOMPARE(bootmgr->element(0x23000003)->data().size(), 78);
        QCOMPARE(bootmgr->element(0x24000001)->data().size(), 80);
        QCOMPARE(bootmgr->element(0x25000004)->data(), QByteArray(8, '\0'));
        QCOMPARE(bootmgr->element(0x12000005)->toText(), QStringLiteral("en-US"));

        const BcdObject *loader = store->object(kFixedLoader);
        QVERIFY(loader);
        QCOMPARE(loader->type(), 0x10200003u);
        QCOMPARE(loader->description(), QStringLiteral("WinPE"));
        const QByteArray ramdisk = BcdDevice::ramdisk(
            BcdDevice::boot(), QStringLiteral("\\winpe.wim"), WellKnown::ramdiskOptions())
                                       .encode();
        QCOMPARE(loader->element(0x11000001)->data(), ramdisk);
        QCOMPARE(loader->element(0x21000001)->data(), ramdisk);
        QCOMPARE(loader->element(0x12000002)->toText(),
            QStringLiteral("\\windows\\system32\\boot\\winload.exe"));
        QCOMPARE(loader->element(0x22000002)->toText(), QStringLiteral("\\windows"));
        QCOMPARE(loader->element(0x26000010)->data(), QByteArray(1, '\1'));
        QCOMPARE(loader->element(0x26000022)->data(), QByteArray(1, '\1'));

        const BcdObject *options = store->object(WellKnown::ramdiskOptions());
        QVERIFY(options);
        QCOMPARE(options->type(), 0x30000000u);
        QCOMPARE(options->description(), QStringLiteral("Ramdisk Options"));
        QCOMPARE(options->element(0x31000003)->data(), BcdDevice::boot().encode());
        // bcd-format.md §4: "\boot.sdi" as REG_SZ bytes.
        QCOMPARE(options->element(0x32000004)->data().toHex(),
            QByteArray("5c0062006f006f0074002e00730064006900 0000").replace(' ', ""));
        QCOMPARE(options->element(0x32000004)->registryType(), 1u);

        auto bytes = writeStore(*store);
        QVERIFY(bytes.ok());
        QCOMPARE(test::checkHiveProfile(*bytes), QString());
        auto back = readStore(*bytes, QStringLiteral("winpe"));
        QVERIFY(back.ok());
        QVERIFY(*back == *store);
    }

    void winPeStorePartition()
    {
        auto store = makeWinPeStore(partitionOptions());
        QVERIFY(store.ok());
        const QByteArray partition = BcdDevice::mbrPartition(0x12345678, 1048576).encode();
        QCOMPARE(partition.size(), 88);
        QCOMPARE(element(*store, WellKnown::bootmgr(), 0x11000001), partition);
        QCOMPARE(element(*store, WellKnown::ramdiskOptions(), 0x31000003), partition);
        const QByteArray ramdisk = element(*store, kFixedLoader, 0x11000001);
        QCOMPARE(ramdisk.size(), 162);
        QCOMPARE(ramdisk, element(*store, kFixedLoader, 0x21000001));

        auto info = ramdiskBoot(*store);
        QVERIFY(info.ok());
        QCOMPARE(info->loader, kFixedLoader);
        QCOMPARE(info->wimPath, QStringLiteral("\\winpe.wim"));
        QCOMPARE(info->parent.kind(), BcdDevice::Kind::Partition);
        QCOMPARE(info->parent.diskSignature(), 0x12345678u);
        QCOMPARE(info->parent.partitionOffset(), quint64(1048576));
        QCOMPARE(info->options, WellKnown::ramdiskOptions());
        QVERIFY(info->sdiDevice.has_value());
        QCOMPARE(info->sdiDevice->encode(), partition);
        QCOMPARE(info->sdiPath, QStringLiteral("\\boot.sdi"));
    }

    void winPeOptionsValidated()
    {
        WinPeStoreOptions o = partitionOptions();
        o.diskSignature = 0;
        QCOMPARE(makeWinPeStore(o).error().code(), Errc::InvalidInput);
        o = partitionOptions();
        o.partitionOffset = 0;
        QVERIFY(!makeWinPeStore(o).ok());
        o = WinPeStoreOptions();
        o.wimPath = QStringLiteral("sources/boot.wim");
        QVERIFY(!makeWinPeStore(o).ok());
        o = WinPeStoreOptions();
        o.timeout = -1;
        QVERIFY(!makeWinPeStore(o).ok());
    }

    void mediaLayoutAndQueries()
    {
        WinPeStoreOptions o;
        o.wimPath = QStringLiteral("\\sources\\boot.wim");
        o.sdiPath = QStringLiteral("\\boot\\boot.sdi");
        o.description = QStringLiteral("PEcast WinPE");
        o.timeout = 5;
        o.locale = QStringLiteral("de-DE");
        auto store = makeWinPeStore(o);
        QVERIFY(store.ok());
        auto info = ramdiskBoot(*store);
        QVERIFY(info.ok());
        QCOMPARE(info->wimPath, QStringLiteral("\\sources\\boot.wim"));
        QCOMPARE(info->parent.kind(), BcdDevice::Kind::Boot);
        QCOMPARE(info->sdiPath, QStringLiteral("\\boot\\boot.sdi"));
        QCOMPARE(store->object(WellKnown::bootmgr())->element(Element::Timeout)->toInteger(), 5u);
        QVERIFY(!store->object(info->loader)
                     ->element(Element::PreferredLocale)
                     ->toText()
                     .compare(QStringLiteral("de-DE")));

        // The same query on Microsoft's media BCD.
        auto media = ramdiskBoot(golden(QStringLiteral("amidevous_wimboot-install_bcd")));
        QVERIFY(media.ok());
        QCOMPARE(media->loader, kMediaLoader);
        QCOMPARE(media->wimPath, QStringLiteral("\\sources\\boot.wim"));
        QCOMPARE(media->options, kMediaOptions);
        QCOMPARE(media->sdiPath, QStringLiteral("\\boot\\boot.sdi"));
        QVERIFY(!ramdiskBoot(golden(QStringLiteral("jpz4085_BCD-SYS_BCD-NEW"))).ok());
    }

    void editExistingStore()
    {
        BcdStore store = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        const BcdStore before = store;
        const QList<QUuid> order
            = store.object(WellKnown::bootmgr())->element(Element::DisplayOrder)->toObjects();
        WinPeStoreOptions o;
        o.loaderId = kFixedLoader;
        auto id = addWinPeEntry(store, o);
        QVERIFY(id.ok());
        QCOMPARE(*id, kFixedLoader);
        const BcdObject *bootmgr = store.object(WellKnown::bootmgr());
        QCOMPARE(bootmgr->element(Element::DefaultObject)->toObject(), kFixedLoader);
        QCOMPARE(bootmgr->element(Element::DisplayOrder)->toObjects(),
            order + QList<QUuid> { kFixedLoader });
        // Other objects untouched; {ramdiskoptions} keeps its other elements.
        QVERIFY(store.object(kG4dWim) && *store.object(kG4dWim) == *before.object(kG4dWim));
        QCOMPARE(
            store.object(WellKnown::ramdiskOptions())->element(0x35000001)->toInteger(), 65536u);

        QVERIFY(store
                    .setElement(
                        kG4dOs, BcdElement::string(Element::Description, QStringLiteral("Renamed")))
                    .ok());
        QCOMPARE(store.object(kG4dOs)->description(), QStringLiteral("Renamed"));
        QVERIFY(store.removeElement(kG4dOs, Element::Description).ok());
        QVERIFY(!store.object(kG4dOs)->hasElement(Element::Description));
        QCOMPARE(store.removeElement(kG4dOs, Element::Description).error().code(), Errc::NotFound);
        QCOMPARE(store.setElement(QUuid::createUuid(), BcdElement::boolean(0x26000010, true))
                     .error()
                     .code(),
            Errc::NotFound);

        auto bytes = writeStore(store);
        QVERIFY(bytes.ok());
        auto back = readStore(*bytes, QStringLiteral("edited"));
        QVERIFY(back.ok());
        QVERIFY(*back == store);
    }

    void dumpText()
    {
        auto store = makeWinPeStore(partitionOptions());
        const QString text = bcd::dumpText(*store);
        QVERIFY2(text.startsWith(QStringLiteral(
                     "Windows Boot Manager\n--------------------\n"
                     "identifier              {bootmgr}\n"
                     "device                  partition=[signature 0x12345678, offset 1048576]\n"
                     "description             Boot Manager\n")),
            qPrintable(text));
        QVERIFY(text.contains(
            QStringLiteral("\nWindows Boot Loader\n-------------------\n"
                           "identifier              {5f0f3a1e-1234-4abc-9def-00112233aabb}\n"
                           "device                  ramdisk=[signature 0x12345678, offset "
                           "1048576]\\winpe.wim,{ramdiskoptions}\n"
                           "path                    \\windows\\system32\\boot\\winload.exe\n")));
        QVERIFY(text.contains(QStringLiteral("detecthal               Yes\n")));
        QVERIFY(text.contains(QStringLiteral("winpe                   Yes\n")));
        QVERIFY(text.contains(QStringLiteral(
            "\nDevice options\n--------------\nidentifier              {ramdiskoptions}\n")));
        QVERIFY(text.contains(QStringLiteral("ramdisksdipath          \\boot.sdi\n")));
        QVERIFY(text.contains(QStringLiteral("timeout                 0\n")));

        const QString media
            = bcd::dumpText(golden(QStringLiteral("amidevous_wimboot-install_bcd")));
        QVERIFY(media.contains(QStringLiteral(
            "device                  "
            "ramdisk=[boot]\\sources\\boot.wim,{7619dcc8-fafe-11d9-b411-000476eba25f}\n")));
        QVERIFY(media.contains(QStringLiteral("toolsdisplayorder       {memdiag}\n")));
        QVERIFY(media.contains(QStringLiteral("inherit                 {globalsettings}\n")));
        QVERIFY(media.contains(QStringLiteral("bootmenupolicy          Standard\n")));
        const QString g4d = bcd::dumpText(golden(QStringLiteral("grub4dos_ntloader_bcd")));
        QVERIFY(g4d.contains(QStringLiteral("partition=[signature 0x43da9ab1, offset 525336576]")));
        QVERIFY(g4d.contains(QStringLiteral("ramdisk=[signature 0x43da9ab1, offset 525336576]\\")));
    }

    void dumpJson()
    {
        auto store = makeWinPeStore(partitionOptions());
        const QJsonObject json = bcd::dumpJson(*store);
        const QJsonArray objects = json.value(QStringLiteral("objects")).toArray();
        QCOMPARE(objects.size(), 3);
        QCOMPARE(objects[0].toObject().value(QStringLiteral("alias")).toString(),
            QStringLiteral("{bootmgr}"));
        const QJsonObject loader = objects[1].toObject();
        QCOMPARE(loader.value(QStringLiteral("type")).toString(), QStringLiteral("10200003"));
        const QJsonObject device = loader.value(QStringLiteral("elements")).toArray()[0].toObject();
        QCOMPARE(device.value(QStringLiteral("name")).toString(), QStringLiteral("device"));
        const QJsonObject value = device.value(QStringLiteral("value")).toObject();
        QCOMPARE(value.value(QStringLiteral("kind")).toString(), QStringLiteral("ramdisk"));
        QCOMPARE(value.value(QStringLiteral("path")).toString(), QStringLiteral("\\winpe.wim"));
        const QJsonObject parent = value.value(QStringLiteral("parent")).toObject();
        QCOMPARE(
            parent.value(QStringLiteral("diskSignature")).toString(), QStringLiteral("12345678"));
        QCOMPARE(parent.value(QStringLiteral("partitionOffset")).toDouble(), 1048576.0);
    }

    void saveRefusesAndReplacesAtomically()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("BCD"));
        auto store = makeWinPeStore(WinPeStoreOptions());
        QVERIFY(saveStoreFile(*store, path).ok());
        const QByteArray first = test::readFile(path);
        QVERIFY(readStoreFile(path).ok());
        auto refused = saveStoreFile(*store, path);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), Errc::Exists);
        QCOMPARE(test::readFile(path), first);
        // Replacing removes the old hive's transaction logs.
        for (const char *log : { "BCD.LOG", "BCD.LOG1", "BCD.LOG2" }) {
            QFile f(dir.filePath(QLatin1String(log)));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QVERIFY(saveStoreFile(*store, path, AtomicFile::Overwrite::Replace).ok());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
            QStringList { QStringLiteral("BCD") });
    }

    void elementNamesAndValuesFromText()
    {
        QCOMPARE(parseElementName(QStringLiteral("timeout"), ObjectType::BootManager), 0x25000004u);
        QCOMPARE(parseElementName(QStringLiteral("default"), ObjectType::BootManager), 0x23000003u);
        QCOMPARE(
            parseElementName(QStringLiteral("resumeobject"), ObjectType::OsLoader), 0x23000003u);
        QCOMPARE(parseElementName(QStringLiteral("osdevice"), ObjectType::OsLoader), 0x21000001u);
        QCOMPARE(parseElementName(QStringLiteral("device"), ObjectType::OsLoader), 0x11000001u);
        QCOMPARE(parseElementName(QStringLiteral("ramdisksdipath"), ObjectType::DeviceOptions),
            0x32000004u);
        QCOMPARE(
            parseElementName(QStringLiteral("custom:250000C2"), ObjectType::OsLoader), 0x250000c2u);
        QVERIFY(!parseElementName(QStringLiteral("osdevice"), ObjectType::BootManager));
        QVERIFY(!parseElementName(QStringLiteral("nonsense"), ObjectType::OsLoader));
        // Every name the dump prints parses back to its code.
        const BcdStore g4d = golden(QStringLiteral("grub4dos_ntloader_bcd"));
        for (const auto &[key, o] : g4d.objects()) {
            for (const auto &[code, e] : o.elements())
                QCOMPARE(parseElementName(elementName(code, o.type()), o.type()), code);
        }

        QCOMPARE(parseElementValue(0x25000004, QStringLiteral("0x1e"))->toInteger(), 30u);
        QCOMPARE(parseElementValue(0x26000010, QStringLiteral("yes"))->data(), QByteArray(1, '\1'));
        QCOMPARE(parseElementValue(0x26000010, QStringLiteral("off"))->data(), QByteArray(1, '\0'));
        QVERIFY(!parseElementValue(0x26000010, QStringLiteral("maybe")).ok());
        // Enumerated integers by bcdedit's words, both ways; numbers still work.
        QCOMPARE(parseElementValue(0x250000c2, QStringLiteral("legacy"))->toInteger(), 0u);
        QCOMPARE(parseElementValue(0x25000020, QStringLiteral("AlwaysOn"))->toInteger(), 3u);
        QCOMPARE(parseElementValue(0x25000020, QStringLiteral("2"))->toInteger(), 2u);
        QVERIFY(!parseElementValue(0x25000020, QStringLiteral("Standard")).ok());
        QVERIFY(!parseElementValue(0x25000004, QStringLiteral("Standard")).ok()); // timeout
        QCOMPARE(BcdElement::integer(0x250000c2, 1).displayLines(),
            QStringList { QStringLiteral("Standard") });
        QCOMPARE(
            BcdElement::integer(0x250000c2, 7).displayLines(), QStringList { QStringLiteral("7") });
        QCOMPARE(
            BcdElement::integer(0x25000004, 1).displayLines(), QStringList { QStringLiteral("1") });
        QCOMPARE(parseElementValue(0x23000003, QStringLiteral("{bootmgr}"))->toObject(),
            WellKnown::bootmgr());
        QCOMPARE(parseElementValue(0x24000001, QStringLiteral("{bootmgr},{ramdiskoptions}"))
                     ->toObjects(),
            QList<QUuid>({ WellKnown::bootmgr(), WellKnown::ramdiskOptions() }));
        QCOMPARE(parseElementValue(0x1700000a, QStringLiteral("1,0x10"))->toIntegers(),
            QList<quint64>({ 1, 16 }));
        QCOMPARE(parseElementValue(0x11000001, QStringLiteral("boot"))->data(),
            BcdDevice::boot().encode());
        QCOMPARE(parseElementValue(0x11000001, QStringLiteral("partition=mbr:43DA9AB1:0x1F500000"))
                     ->data(),
            element(g4d, kG4dOs, Element::ApplicationDevice));
        const QByteArray media = element(golden(QStringLiteral("amidevous_wimboot-install_bcd")),
            kMediaLoader, Element::ApplicationDevice);
        QCOMPARE(
            parseElementValue(0x11000001,
                QStringLiteral(
                    "ramdisk=[boot]\\sources\\boot.wim,{7619dcc8-fafe-11d9-b411-000476eba25f}"))
                ->data(),
            media);
        // What the dump prints for a ramdisk reads back (with the parent in mbr: form).
        QCOMPARE(parseDevice(
                     QStringLiteral("ramdisk=[mbr:12345678:1048576]\\winpe.wim,{ramdiskoptions}"))
                     ->encode(),
            BcdDevice::ramdisk(BcdDevice::mbrPartition(0x12345678, 1048576),
                QStringLiteral("\\winpe.wim"), WellKnown::ramdiskOptions())
                .encode());
        QVERIFY(!parseDevice(QStringLiteral("partition=mbr:0:1048576")).ok());
        QVERIFY(!parseDevice(QStringLiteral("ramdisk=[boot]winpe.wim,{ramdiskoptions}")).ok());
        QVERIFY(!parseDevice(QStringLiteral("C:")).ok());
    }

    void readStoreFileErrorsNameTheFile()
    {
        QTemporaryDir dir;
        const QString junk = dir.filePath(QStringLiteral("junk.bcd"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(10000, 'j'));
        f.close();
        auto r = readStoreFile(junk);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), Errc::BadFormat);
        QVERIFY(r.error().toString().contains(junk));
        auto missing = readStoreFile(dir.filePath(QStringLiteral("none")));
        QCOMPARE(missing.error().code(), Errc::NotFound);
        // A hive that is not a BCD store.
        HiveKey other { QStringLiteral("SOFTWARE"), {},
            { HiveKey { QStringLiteral("Classes"), {}, {} } } };
        auto notBcd = BcdStore::fromHive(other, QStringLiteral("soft.hive"));
        QVERIFY(!notBcd.ok());
        QVERIFY(notBcd.error().toString().contains(QStringLiteral("Objects")));
    }
};

QTEST_GUILESS_MAIN(TestBcdStore)
#include "tst_bcdstore.moc"
