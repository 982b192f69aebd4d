// libFuzzer target for the hive reader and the BCD model on top of it: any input must give a
// result or an error, never a crash, a hang or a sanitizer report. Inputs that parse must also
// survive our writer: reader(writer(x)) == x, for the raw tree and for the store.

#include "bcd/bcddump.h"
#include "bcd/bcdstore.h"
#include "bcd/hive/hivereader.h"
#include "bcd/hive/hivewriter.h"
#include "bcd/winpestore.h"

#include <cstddef>
#include <cstdint>

using namespace pecast::bcd;

namespace {

HiveReadOptions fuzzOptions()
{
    HiveReadOptions o;
    o.requireClean = false; // let mutated headers reach the cell parser
    o.maxValueBytes = 16 * 1024 * 1024; // stays well inside libFuzzer's RSS limit
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString name = QStringLiteral("fuzz");

    auto tree = HiveReader(fuzzOptions()).read(bytes, name);
    if (!tree.ok())
        return 0;
    if (auto written = HiveWriter().write(*tree); written.ok()) {
        auto back = HiveReader().read(*written, name);
        if (!back.ok() || !(*back == tree->sorted()))
            __builtin_trap(); // the writer lost or changed something it accepted
    }

    auto store = BcdStore::fromHive(*tree, name);
    if (!store.ok())
        return 0;
    (void)dumpText(*store);
    (void)dumpJson(*store);
    (void)ramdiskBoot(*store);
    if (auto written = writeStore(*store); written.ok()) {
        auto back = readStore(*written, name);
        if (!back.ok() || !(*back == *store))
            __builtin_trap();
    }
    return 0;
}
