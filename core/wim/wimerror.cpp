#include "wim/wimerror.h"

#include <QDir>

#include <wimlib.h>

namespace pecast::wim {

namespace {

struct Mapping
{
    Errc code;
    const char *hint;
};

Mapping mapCode(int code)
{
    switch (code) {
    case WIMLIB_ERR_ABORTED_BY_PROGRESS:
        return { Errc::Cancelled, nullptr };
    case WIMLIB_ERR_NOT_A_WIM_FILE:
    case WIMLIB_ERR_UNKNOWN_VERSION:
    case WIMLIB_ERR_INVALID_HEADER:
        return { Errc::BadFormat, "Give a .wim, .esd or .swm file (e.g. sources\\boot.wim)." };
    case WIMLIB_ERR_XML:
    case WIMLIB_ERR_INVALID_UTF16_STRING:
    case WIMLIB_ERR_INVALID_METADATA_RESOURCE:
    case WIMLIB_ERR_INVALID_LOOKUP_TABLE_ENTRY:
    case WIMLIB_ERR_INVALID_RESOURCE_HASH:
    case WIMLIB_ERR_DECOMPRESSION:
    case WIMLIB_ERR_INTEGRITY:
    case WIMLIB_ERR_INVALID_INTEGRITY_TABLE:
    case WIMLIB_ERR_RESOURCE_ORDER:
    case WIMLIB_ERR_INVALID_CHUNK_SIZE:
    case WIMLIB_ERR_INVALID_COMPRESSION_TYPE:
    case WIMLIB_ERR_INVALID_PIPABLE_WIM:
    case WIMLIB_ERR_INVALID_REPARSE_DATA:
    case WIMLIB_ERR_WIM_IS_INCOMPLETE:
        return { Errc::BadFormat,
            "The WIM is damaged or incomplete; copy it again from the original media." };
    case WIMLIB_ERR_UNEXPECTED_END_OF_FILE:
        return { Errc::BadFormat,
            "The WIM is truncated (an interrupted copy or download?); copy it again." };
    case WIMLIB_ERR_READ:
        return { Errc::Io, "Check that the file is readable and the disk is healthy." };
    case WIMLIB_ERR_OPEN:
    case WIMLIB_ERR_STAT:
        return { Errc::Io, "Check the path and the file's permissions." };
    case WIMLIB_ERR_WRITE:
    case WIMLIB_ERR_MKDIR:
    case WIMLIB_ERR_RENAME:
    case WIMLIB_ERR_LINK:
        return { Errc::Io, "Check free space and permissions of the output folder." };
    case WIMLIB_ERR_NOMEM:
        return { Errc::NoSpace, "Not enough memory; close other programs and retry." };
    case WIMLIB_ERR_IS_DIRECTORY:
    case WIMLIB_ERR_NOT_A_REGULAR_FILE:
        return { Errc::InvalidInput, "Give the path of a WIM file." };
    case WIMLIB_ERR_INVALID_IMAGE:
    case WIMLIB_ERR_IMAGE_COUNT:
        return { Errc::NotFound, "Run `pecast wim info` to list the images." };
    case WIMLIB_ERR_PATH_DOES_NOT_EXIST:
    case WIMLIB_ERR_METADATA_NOT_FOUND:
        return { Errc::NotFound, nullptr };
    case WIMLIB_ERR_SPLIT_INVALID:
    case WIMLIB_ERR_IS_SPLIT_WIM:
    case WIMLIB_ERR_RESOURCE_NOT_FOUND:
    case WIMLIB_ERR_INVALID_PART_NUMBER:
        return { Errc::InvalidInput,
            "Put all parts of the split WIM (name.swm, name2.swm, ...) in one folder." };
    case WIMLIB_ERR_WIM_IS_ENCRYPTED:
    case WIMLIB_ERR_UNSUPPORTED:
        return { Errc::Unsupported, nullptr };
    default:
        return { Errc::Library, nullptr };
    }
}

} // namespace

Error fromWimlib(int code, const QString &path, const QString &what)
{
    const Mapping m = mapCode(code);
    if (m.code == Errc::Cancelled)
        return cancelledError().context(
            QStringLiteral("%1 %2").arg(what, QDir::toNativeSeparators(path)));
    const QString text
        = QString::fromUtf8(wimlib_get_error_string(static_cast<wimlib_error_code>(code)));
    Error error(m.code, text, code);
    error.context(QStringLiteral("%1 %2").arg(what, QDir::toNativeSeparators(path)));
    if (m.hint)
        return std::move(error).withHint(QString::fromUtf8(m.hint));
    return error;
}

} // namespace pecast::wim
