#include "bcd/winpestore.h"

#include "bcd/wellknown.h"

namespace pecast::bcd {

namespace {

const QString kWinload = QStringLiteral("\\windows\\system32\\boot\\winload.exe"); // BIOS loader
const QString kSystemRoot = QStringLiteral("\\windows");

BcdDevice deviceX(const WinPeStoreOptions &o)
{
    if (o.device == DeviceMode::Partition)
        return BcdDevice::mbrPartition(o.diskSignature, o.partitionOffset);
    return BcdDevice::boot();
}

Status checkPath(const QString &what, const QString &path)
{
    if (!path.startsWith(QLatin1Char('\\')) || path.size() < 2)
        return Error(Errc::InvalidInput,
            QStringLiteral("%1 \"%2\" must be an absolute path starting with '\\'").arg(what, path))
            .withHint(QStringLiteral("Write it the Windows way, e.g. \\sources\\boot.wim."));
    if (path.contains(QLatin1Char('/')) || path.contains(QChar(0)))
        return Error(
            Errc::InvalidInput, QStringLiteral("%1 \"%2\" must use backslashes").arg(what, path));
    return {};
}

} // namespace

Status validate(const WinPeStoreOptions &o)
{
    if (o.device == DeviceMode::Partition && o.diskSignature == 0)
        return Error(Errc::InvalidInput,
            QStringLiteral("partition mode needs the image's non-zero MBR disk signature"))
            .withHint(
                QStringLiteral("Pass the signature of the image PEcast builds, or use boot mode."));
    if (o.device == DeviceMode::Partition
        && (o.partitionOffset == 0 || o.partitionOffset % 512 != 0))
        return Error(Errc::InvalidInput,
            QStringLiteral("partition offset %1 is not a non-zero multiple of 512 bytes")
                .arg(o.partitionOffset));
    if (auto s = checkPath(QStringLiteral("WIM path"), o.wimPath); !s)
        return s;
    if (auto s = checkPath(QStringLiteral("SDI path"), o.sdiPath); !s)
        return s;
    if (o.timeout < 0)
        return Error(Errc::InvalidInput, QStringLiteral("timeout %1 is negative").arg(o.timeout));
    if (o.description.isEmpty())
        return Error(Errc::InvalidInput, QStringLiteral("the description is empty"));
    return {};
}

Result<QUuid> addWinPeEntry(BcdStore &store, const WinPeStoreOptions &o)
{
    if (auto s = validate(o); !s)
        return std::move(s).error();
    const QUuid loaderId = o.loaderId.isNull() ? QUuid::createUuid() : o.loaderId;
    const QUuid options = WellKnown::ramdiskOptions();
    const BcdDevice x = deviceX(o);
    const BcdDevice ramdisk = BcdDevice::ramdisk(x, o.wimPath, options);

    // bcdedit /create {bootmgr} /d "Boot Manager"; /set {bootmgr} device X
    if (!store.object(WellKnown::bootmgr())) {
        BcdObject bootmgr(WellKnown::bootmgr(), ObjectType::BootManager);
        bootmgr.setElement(
            BcdElement::string(Element::Description, QStringLiteral("Boot Manager")));
        store.addObject(bootmgr);
    }
    BcdObject &bootmgr = *store.object(WellKnown::bootmgr());
    bootmgr.setElement(BcdElement::device(Element::ApplicationDevice, x));
    if (!o.locale.isEmpty())
        bootmgr.setElement(BcdElement::string(Element::PreferredLocale, o.locale));
    bootmgr.setElement(BcdElement::object(Element::DefaultObject, loaderId));
    QList<QUuid> order;
    if (const BcdElement *existing = bootmgr.element(Element::DisplayOrder))
        order = existing->toObjects();
    order.removeAll(loaderId);
    order.append(loaderId);
    bootmgr.setElement(BcdElement::objects(Element::DisplayOrder, order));
    bootmgr.setElement(BcdElement::integer(Element::Timeout, quint64(o.timeout)));

    // bcdedit /create /d "WinPE" /application osloader, then the /set lines of the recipe.
    BcdObject loader(loaderId, ObjectType::OsLoader);
    loader.setElement(BcdElement::device(Element::ApplicationDevice, ramdisk));
    loader.setElement(BcdElement::string(Element::ApplicationPath, kWinload));
    loader.setElement(BcdElement::string(Element::Description, o.description));
    if (!o.locale.isEmpty())
        loader.setElement(BcdElement::string(Element::PreferredLocale, o.locale));
    loader.setElement(BcdElement::device(Element::OsDevice, ramdisk));
    loader.setElement(BcdElement::string(Element::SystemRoot, kSystemRoot));
    loader.setElement(BcdElement::boolean(Element::DetectHal, true));
    loader.setElement(BcdElement::boolean(Element::WinPe, true));
    store.addObject(loader);

    // bcdedit /create {ramdiskoptions} /d "Ramdisk Options"; sdidevice X, sdipath.
    if (!store.object(options)) {
        BcdObject ramdiskOptions(options, ObjectType::DeviceOptions);
        ramdiskOptions.setElement(
            BcdElement::string(Element::Description, QStringLiteral("Ramdisk Options")));
        store.addObject(ramdiskOptions);
    }
    BcdObject &ramdiskOptions = *store.object(options);
    ramdiskOptions.setElement(BcdElement::device(Element::SdiDevice, x));
    ramdiskOptions.setElement(BcdElement::string(Element::SdiPath, o.sdiPath));
    return loaderId;
}

Result<BcdStore> makeWinPeStore(const WinPeStoreOptions &o)
{
    BcdStore store;
    auto id = addWinPeEntry(store, o);
    if (!id)
        return std::move(id).error().context(QStringLiteral("creating the WinPE BCD store"));
    return store;
}

Result<RamdiskBoot> ramdiskBoot(const BcdStore &store)
{
    const auto tryLoader = [&](const BcdObject &o) -> std::optional<RamdiskBoot> {
        if (o.type() != ObjectType::OsLoader)
            return std::nullopt;
        const BcdElement *device = o.element(Element::ApplicationDevice);
        if (!device)
            device = o.element(Element::OsDevice);
        if (!device)
            return std::nullopt;
        auto d = device->toDevice();
        if (!d || d->kind() != BcdDevice::Kind::Ramdisk)
            return std::nullopt;
        RamdiskBoot boot;
        boot.loader = o.id();
        boot.parent = d->parentDevice();
        boot.wimPath = d->path();
        boot.options = d->options();
        if (const BcdObject *options = store.object(d->options())) {
            if (const BcdElement *sdi = options->element(Element::SdiDevice)) {
                if (auto sd = sdi->toDevice())
                    boot.sdiDevice = *sd;
            }
            if (const BcdElement *path = options->element(Element::SdiPath))
                boot.sdiPath = path->toText();
        }
        return boot;
    };
    if (const BcdObject *bootmgr = store.object(WellKnown::bootmgr())) {
        if (const BcdElement *def = bootmgr->element(Element::DefaultObject)) {
            if (const BcdObject *o = store.object(def->toObject())) {
                if (auto boot = tryLoader(*o))
                    return *boot;
            }
        }
    }
    for (const auto &[key, o] : store.objects()) {
        if (auto boot = tryLoader(o))
            return *boot;
    }
    return Error(
        Errc::NotFound, QStringLiteral("no boot loader in the store boots from a RAM disk"));
}

} // namespace pecast::bcd
