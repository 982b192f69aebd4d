#include "bcd/wellknown.h"

#include <array>

namespace pecast::bcd {

namespace {

struct Alias
{
    const char *alias;
    const char *guid;
};

// bcd-format.md §2.4 (phnt ntbcd.h; Microsoft "Boot Options Identifiers"; {resumeloadersettings}
// as bcdedit writes it).
constexpr std::array<Alias, 15> kAliases { {
    { "{bootmgr}", "{9dea862c-5cdd-4e70-acc1-f32b344d4795}" },
    { "{fwbootmgr}", "{a5a30fa2-3d06-4e9f-b5f4-a01df9d1fcba}" },
    { "{memdiag}", "{b2721d73-1db4-4c62-bf78-c548a880142d}" },
    { "{ntldr}", "{466f5a88-0af2-4f76-9038-095b170dc21c}" },
    { "{ramdiskoptions}", "{ae5534e0-a924-466c-b836-758539a3ee3a}" },
    { "{globalsettings}", "{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}" },
    { "{bootloadersettings}", "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}" },
    { "{resumeloadersettings}", "{1afa9c49-16ab-4a5c-901b-212802da9460}" },
    { "{hypervisorsettings}", "{7ff607e0-4395-11db-b0de-0800200c9a66}" },
    { "{dbgsettings}", "{4636856e-540f-4170-a130-a84776f4c654}" },
    { "{emssettings}", "{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}" },
    { "{badmemory}", "{5189b25c-5558-4bf2-bca4-289b11bd29e2}" },
    { "{kerneldbgsettings}", "{313e8eed-7098-4586-a9bf-309c61f8d449}" },
    { "{current}", "{fa926493-6f1c-4193-a414-58f0b2456d1e}" },
    { "{default}", "{1cae1eb7-a0df-4d4d-9851-4860e34ef535}" },
} };

struct Name
{
    quint32 code;
    const char *name;
};

// Library elements (class 1): valid in any object. Names as bcdedit prints them.
constexpr Name kLibrary[] = {
    { 0x11000001, "device" },
    { 0x12000002, "path" },
    { 0x12000004, "description" },
    { 0x12000005, "locale" },
    { 0x14000006, "inherit" },
    { 0x15000007, "truncatememory" },
    { 0x14000008, "recoverysequence" },
    { 0x16000009, "recoveryenabled" },
    { 0x1700000a, "badmemorylist" },
    { 0x1600000b, "badmemoryaccess" },
    { 0x1500000c, "firstmegabytepolicy" },
    { 0x1500000d, "relocatephysical" },
    { 0x1500000e, "avoidlowmemory" },
    { 0x1600000f, "traditionalkseg" },
    { 0x16000010, "bootdebug" },
    { 0x15000011, "debugtype" },
    { 0x15000012, "debugaddress" },
    { 0x15000013, "debugport" },
    { 0x15000014, "baudrate" },
    { 0x15000015, "channel" },
    { 0x12000016, "targetname" },
    { 0x16000017, "noumex" },
    { 0x15000018, "debugstart" },
    { 0x12000019, "busparams" },
    { 0x1500001a, "hostip" },
    { 0x1500001b, "port" },
    { 0x1600001c, "dhcp" },
    { 0x1200001d, "key" },
    { 0x1600001e, "vm" },
    { 0x16000020, "bootems" },
    { 0x15000022, "emsport" },
    { 0x15000023, "emsbaudrate" },
    { 0x12000030, "loadoptions" },
    { 0x16000040, "advancedoptions" },
    { 0x16000041, "optionsedit" },
    { 0x15000042, "keyringaddress" },
    { 0x11000043, "bootstatdevice" },
    { 0x12000044, "bootstatfilepath" },
    { 0x16000045, "preservebootstat" },
    { 0x16000046, "graphicsmodedisabled" },
    { 0x15000047, "configaccesspolicy" },
    { 0x16000048, "nointegritychecks" },
    { 0x16000049, "testsigning" },
    { 0x1200004a, "fontpath" },
    { 0x1500004b, "integrityservices" },
    { 0x1500004c, "volumebandid" },
    { 0x16000050, "extendedinput" },
    { 0x15000051, "initialconsoleinput" },
    { 0x15000052, "graphicsresolution" },
    { 0x16000053, "restartonfailure" },
    { 0x16000054, "highestmode" },
    { 0x16000060, "isolatedcontext" },
    { 0x15000065, "displaymessage" },
    { 0x15000066, "displaymessageoverride" },
    { 0x16000068, "nobootuxtext" },
    { 0x16000069, "nobootuxprogress" },
    { 0x1600006a, "nobootuxfade" },
    { 0x1600006c, "bootuxdisabled" },
    { 0x16000071, "multibootsystem" },
    { 0x16000072, "nokeyboard" },
    { 0x16000074, "bootshutdowndisabled" },
    { 0x1600007b, "forcefipscrypto" },
    { 0x1600007e, "flightsigning" },
};

// Boot manager elements (class 2 in {bootmgr} / {fwbootmgr}).
constexpr Name kBootManager[] = {
    { 0x24000001, "displayorder" },
    { 0x24000002, "bootsequence" },
    { 0x23000003, "default" },
    { 0x25000004, "timeout" },
    { 0x26000005, "resume" },
    { 0x23000006, "resumeobject" },
    { 0x24000010, "toolsdisplayorder" },
    { 0x26000020, "displaybootmenu" },
    { 0x26000021, "noerrordisplay" },
    { 0x21000022, "bcddevice" },
    { 0x22000023, "bcdfilepath" },
    { 0x27000030, "customactions" },
    { 0x26000031, "persistbootsequence" },
};

// OS loader elements (class 2 in osloaders and their inheritable settings).
constexpr Name kLoader[] = {
    { 0x21000001, "osdevice" },
    { 0x22000002, "systemroot" },
    { 0x23000003, "resumeobject" },
    { 0x26000010, "detecthal" },
    { 0x22000011, "kernel" },
    { 0x22000012, "hal" },
    { 0x22000013, "dbgtransport" },
    { 0x25000020, "nx" },
    { 0x25000021, "pae" },
    { 0x26000022, "winpe" },
    { 0x26000024, "nocrashautoreboot" },
    { 0x26000025, "lastknowngood" },
    { 0x26000026, "oslnointegritychecks" },
    { 0x26000027, "osltestsigning" },
    { 0x26000030, "nolowmem" },
    { 0x25000031, "removememory" },
    { 0x25000032, "increaseuserva" },
    { 0x26000040, "vga" },
    { 0x26000041, "quietboot" },
    { 0x26000042, "novesa" },
    { 0x26000043, "novga" },
    { 0x25000050, "clustermodeaddressing" },
    { 0x26000051, "usephysicaldestination" },
    { 0x25000052, "restrictapiccluster" },
    { 0x26000054, "uselegacyapicmode" },
    { 0x25000055, "x2apicpolicy" },
    { 0x26000060, "onecpu" },
    { 0x25000061, "numproc" },
    { 0x26000062, "maxproc" },
    { 0x25000063, "configflags" },
    { 0x26000064, "maxgroup" },
    { 0x26000065, "groupaware" },
    { 0x25000066, "groupsize" },
    { 0x26000070, "usefirmwarepcisettings" },
    { 0x25000071, "msi" },
    { 0x25000072, "pciexpress" },
    { 0x25000080, "safeboot" },
    { 0x26000081, "safebootalternateshell" },
    { 0x26000090, "bootlog" },
    { 0x26000091, "sos" },
    { 0x260000a0, "debug" },
    { 0x260000a1, "halbreakpoint" },
    { 0x260000a2, "useplatformclock" },
    { 0x260000a3, "forcelegacyplatform" },
    { 0x260000a4, "useplatformtick" },
    { 0x260000a5, "disabledynamictick" },
    { 0x250000a6, "tscsyncpolicy" },
    { 0x260000b0, "ems" },
    { 0x250000c0, "forcefailure" },
    { 0x250000c1, "driverloadfailurepolicy" },
    { 0x250000c2, "bootmenupolicy" },
    { 0x260000c3, "onetimeadvancedoptions" },
    { 0x260000c4, "onetimeoptionsedit" },
    { 0x250000e0, "bootstatuspolicy" },
    { 0x260000e1, "disableelamdrivers" },
    { 0x250000f0, "hypervisorlaunchtype" },
    { 0x260000f2, "hypervisordebug" },
    { 0x250000f3, "hypervisordebugtype" },
    { 0x250000f4, "hypervisordebugport" },
    { 0x250000f5, "hypervisorbaudrate" },
    { 0x250000f6, "hypervisorchannel" },
    { 0x260000f8, "hypervisordisableslat" },
    { 0x25000100, "tpmbootentropy" },
    { 0x25000120, "xsavepolicy" },
};

// Resume application elements (class 2 in resume objects and their settings).
constexpr Name kResume[] = {
    { 0x21000001, "filedevice" },
    { 0x22000002, "filepath" },
    { 0x26000003, "customsettings" },
    { 0x26000004, "pae" },
    { 0x21000005, "associatedosdevice" },
    { 0x26000006, "debugoptionenabled" },
    { 0x25000007, "bootux" },
    { 0x25000008, "bootmenupolicy" },
    { 0x26000024, "hormenabled" },
};

// Memory tester elements.
constexpr Name kMemoryTester[] = {
    { 0x25000001, "passcount" },
    { 0x25000002, "testmix" },
    { 0x26000003, "failurecount" },
    { 0x26000004, "cacheenable" },
    { 0x25000005, "stridefailcount" },
    { 0x25000006, "invcfailcount" },
    { 0x25000007, "matsfailcount" },
    { 0x25000008, "randfailcount" },
    { 0x25000009, "chckrfailcount" },
};

// Device options elements (class 3).
constexpr Name kDevice[] = {
    { 0x35000001, "ramdiskimageoffset" },
    { 0x35000002, "ramdisktftpclientport" },
    { 0x31000003, "ramdisksdidevice" },
    { 0x32000004, "ramdisksdipath" },
    { 0x35000005, "ramdiskimagelength" },
    { 0x36000006, "exportascd" },
    { 0x35000007, "ramdisktftpblocksize" },
    { 0x35000008, "ramdisktftpwindowsize" },
    { 0x36000009, "ramdiskmcenabled" },
    { 0x3600000a, "ramdiskmctftpfallback" },
    { 0x3600000b, "ramdisktftpvarwindow" },
};

template <size_t N>
const char *lookup(const Name (&table)[N], quint32 code)
{
    for (const Name &n : table) {
        if (n.code == code)
            return n.name;
    }
    return nullptr;
}

} // namespace

ElementFormat elementFormat(quint32 code)
{
    const quint32 format = (code >> 24) & 0xF;
    return format >= 1 && format <= 7 ? ElementFormat(format) : ElementFormat::Unknown;
}

namespace WellKnown {
QUuid bootmgr()
{
    return QUuid(QStringLiteral("{9dea862c-5cdd-4e70-acc1-f32b344d4795}"));
}
QUuid ramdiskOptions()
{
    return QUuid(QStringLiteral("{ae5534e0-a924-466c-b836-758539a3ee3a}"));
}
QUuid globalSettings()
{
    return QUuid(QStringLiteral("{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}"));
}
QUuid bootloaderSettings()
{
    return QUuid(QStringLiteral("{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}"));
}
} // namespace WellKnown

QString guidString(const QUuid &id)
{
    return id.toString(QUuid::WithBraces).toLower();
}

QString objectAlias(const QUuid &id)
{
    const QString text = guidString(id);
    for (const Alias &a : kAliases) {
        if (text == QLatin1String(a.guid))
            return QLatin1String(a.alias);
    }
    return text;
}

std::optional<QUuid> parseObjectId(const QString &text)
{
    const QString t = text.trimmed().toLower();
    for (const Alias &a : kAliases) {
        if (t == QLatin1String(a.alias))
            return QUuid(QLatin1String(a.guid));
    }
    // Only the braced 38-character form that BCD key names and references use.
    if (t.size() != 38 || !t.startsWith(QLatin1Char('{')) || !t.endsWith(QLatin1Char('}')))
        return std::nullopt;
    const QUuid id(t);
    if (id.isNull() && t != QLatin1String("{00000000-0000-0000-0000-000000000000}"))
        return std::nullopt;
    return id;
}

QString elementName(quint32 code, quint32 objectType)
{
    const char *name = nullptr;
    switch (code >> 28) {
    case 1:
        name = lookup(kLibrary, code);
        break;
    case 2: {
        const quint32 kind = objectType >> 28;
        const quint32 app = objectType & 0xFFFFF;
        if (kind == 1 && (app == 1 || app == 2))
            name = lookup(kBootManager, code);
        else if (app == 3)
            name = lookup(kLoader, code);
        else if (app == 4)
            name = lookup(kResume, code);
        else if (app == 5)
            name = lookup(kMemoryTester, code);
        break;
    }
    case 3:
        name = lookup(kDevice, code);
        break;
    default:
        break;
    }
    if (name)
        return QLatin1String(name);
    return QStringLiteral("custom:%1").arg(code, 8, 16, QLatin1Char('0'));
}

std::optional<quint32> parseElementName(const QString &name, quint32 objectType)
{
    QString n = name.trimmed().toLower();
    if (n.startsWith(QLatin1String("custom:")))
        n = n.mid(7);
    if (n.size() == 8) {
        bool ok = false;
        const quint32 code = n.toUInt(&ok, 16);
        if (ok)
            return code;
    }
    const auto find = [&](const auto &table) -> std::optional<quint32> {
        for (const Name &entry : table) {
            if (n == QLatin1String(entry.name))
                return entry.code;
        }
        return std::nullopt;
    };
    // Names valid for this object type first ("device" vs "osdevice" share no name, but
    // "resumeobject" and "pae" exist in more than one table), then the library ones.
    for (const auto &candidate : { find(kBootManager), find(kLoader), find(kResume),
             find(kMemoryTester), find(kDevice), find(kLibrary) }) {
        if (candidate && elementName(*candidate, objectType) == n)
            return candidate;
    }
    return std::nullopt;
}

QString objectTypeName(quint32 type)
{
    switch (type) {
    case ObjectType::FirmwareBootManager:
        return QStringLiteral("Firmware Boot Manager");
    case ObjectType::BootManager:
        return QStringLiteral("Windows Boot Manager");
    case ObjectType::OsLoader:
        return QStringLiteral("Windows Boot Loader");
    case ObjectType::Resume:
        return QStringLiteral("Resume from Hibernate");
    case ObjectType::MemoryTester:
        return QStringLiteral("Windows Memory Tester");
    case ObjectType::LegacyLoader:
        return QStringLiteral("Windows Legacy OS Loader");
    case ObjectType::BootSector:
        return QStringLiteral("Real-mode Boot Sector");
    case ObjectType::LibrarySettings:
    case ObjectType::LoaderSettings:
    case ObjectType::ResumeSettings:
        return QStringLiteral("Inheritable Settings");
    case ObjectType::DeviceOptions:
        return QStringLiteral("Device options");
    default:
        break;
    }
    if ((type >> 28) == 1)
        return QStringLiteral("Firmware Application (%1)").arg(type, 8, 16, QLatin1Char('0'));
    return QStringLiteral("Object (type %1)").arg(type, 8, 16, QLatin1Char('0'));
}

namespace {

// Enumerated integer elements of Windows Boot Loader objects, values in order from 0, as
// bcdedit /enum prints and /set accepts them. Only codes that mean the same in every object
// type are listed (0x25000008 is bootmenupolicy in a resume object, randfailcount in memtest).
struct IntegerNames
{
    quint32 code;
    std::initializer_list<const char *> names;
};
const IntegerNames kIntegerNames[] = {
    { 0x25000020, { "OptIn", "OptOut", "AlwaysOff", "AlwaysOn" } }, // nx
    { 0x25000021, { "Default", "ForceEnable", "ForceDisable" } }, // pae
    { 0x250000c2, { "Legacy", "Standard" } }, // bootmenupolicy
    { 0x250000e0,
        { "DisplayAllFailures", "IgnoreAllFailures", "IgnoreShutdownFailures",
            "IgnoreBootFailures" } }, // bootstatuspolicy
    { 0x250000f0, { "Off", "Auto" } }, // hypervisorlaunchtype
};

const IntegerNames *integerNames(quint32 code)
{
    for (const IntegerNames &entry : kIntegerNames)
        if (entry.code == code)
            return &entry;
    return nullptr;
}

} // namespace

QString integerValueName(quint32 code, quint64 value)
{
    const IntegerNames *entry = integerNames(code);
    if (!entry || value >= entry->names.size())
        return {};
    return QLatin1String(entry->names.begin()[value]);
}

std::optional<quint64> parseIntegerValueName(quint32 code, const QString &name)
{
    const IntegerNames *entry = integerNames(code);
    if (!entry)
        return std::nullopt;
    quint64 value = 0;
    for (const char *candidate : entry->names) {
        if (name.compare(QLatin1String(candidate), Qt::CaseInsensitive) == 0)
            return value;
        ++value;
    }
    return std::nullopt;
}

} // namespace pecast::bcd
