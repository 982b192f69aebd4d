#pragma once

// Well-known BCD object GUIDs, object types and element codes (bcd-format.md §2.2-2.5), with the
// names bcdedit shows for them.

#include <QString>
#include <QUuid>

#include <optional>

namespace pecast::bcd {

namespace ObjectType {
constexpr quint32 FirmwareBootManager = 0x10100001;
constexpr quint32 BootManager = 0x10100002;
constexpr quint32 OsLoader = 0x10200003;
constexpr quint32 Resume = 0x10200004;
constexpr quint32 MemoryTester = 0x10200005;
constexpr quint32 LegacyLoader = 0x10300006;
constexpr quint32 BootSector = 0x10400008;
constexpr quint32 StartupModule = 0x10400009;
constexpr quint32 LibrarySettings = 0x20100000; // {globalsettings}, {dbgsettings}, ...
constexpr quint32 LoaderSettings = 0x20200003; // {bootloadersettings}, {hypervisorsettings}
constexpr quint32 ResumeSettings = 0x20200004; // {resumeloadersettings}
constexpr quint32 DeviceOptions = 0x30000000; // {ramdiskoptions} or a custom options object
} // namespace ObjectType

namespace Element {
// Library (any application)
constexpr quint32 ApplicationDevice = 0x11000001;
constexpr quint32 ApplicationPath = 0x12000002;
constexpr quint32 Description = 0x12000004;
constexpr quint32 PreferredLocale = 0x12000005;
constexpr quint32 InheritedObjects = 0x14000006;
// Boot manager
constexpr quint32 DisplayOrder = 0x24000001;
constexpr quint32 DefaultObject = 0x23000003;
constexpr quint32 Timeout = 0x25000004;
// OS loader
constexpr quint32 OsDevice = 0x21000001;
constexpr quint32 SystemRoot = 0x22000002;
constexpr quint32 DetectHal = 0x26000010;
constexpr quint32 WinPe = 0x26000022;
// Device options
constexpr quint32 SdiDevice = 0x31000003;
constexpr quint32 SdiPath = 0x32000004;
} // namespace Element

// Element format (bits 24-27 of the code): how the registry value is encoded.
enum class ElementFormat {
    Unknown = 0,
    Device = 1,
    String = 2,
    Object = 3,
    ObjectList = 4,
    Integer = 5,
    Boolean = 6,
    IntegerList = 7,
};
ElementFormat elementFormat(quint32 code);

namespace WellKnown {
QUuid bootmgr(); // {9dea862c-5cdd-4e70-acc1-f32b344d4795}
QUuid ramdiskOptions(); // {ae5534e0-a924-466c-b836-758539a3ee3a}
QUuid globalSettings(); // {7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}
QUuid bootloaderSettings(); // {6efb52bf-1766-41db-a6b3-0ee5eff72bd7}
} // namespace WellKnown

// "{bootmgr}" for a well-known GUID, else the lower-case braced GUID.
QString objectAlias(const QUuid &id);
// Accepts an alias ("{bootmgr}") or a GUID string; nullopt if neither.
std::optional<QUuid> parseObjectId(const QString &text);
// Lower-case, braced: the form used in key names and in every reference.
QString guidString(const QUuid &id);

// The bcdedit name of an element ("device", "osdevice", "ramdisksdipath"); for an unknown code
// "custom:%08x". The object type matters: 23000003 is "default" for {bootmgr} but
// "resumeobject" for a loader.
QString elementName(quint32 code, quint32 objectType);
// The reverse of elementName(): "device", "ramdisksdipath", "custom:12000004" or 8 hex digits.
std::optional<quint32> parseElementName(const QString &name, quint32 objectType);
// bcdedit's word for an enumerated integer element's value ("Standard" for bootmenupolicy 1,
// "OptIn" for nx 0); empty when the element is not enumerated or the value has no name.
QString integerValueName(quint32 code, quint64 value);
// The reverse, case-insensitive: "standard" → 1 for bootmenupolicy.
std::optional<quint64> parseIntegerValueName(quint32 code, const QString &name);
// The bcdedit heading for an object type ("Windows Boot Manager", "Device options").
QString objectTypeName(quint32 type);

} // namespace pecast::bcd
