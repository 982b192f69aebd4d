#include "util/error.h"

#include <cstring>

namespace pecast {

Error Error::fromErrno(int err, const QString &what)
{
    Errc code = Errc::Io;
    if (err == ENOSPC || err == EFBIG || err == EDQUOT)
        code = Errc::NoSpace;
    else if (err == ENOENT)
        code = Errc::NotFound;
    else if (err == EEXIST)
        code = Errc::Exists;
    else if (err == ECANCELED || err == EINTR)
        code = Errc::Cancelled;
    return Error(
        code, QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(strerror(err))), err);
}

QString Error::toString() const
{
    QStringList parts = m_context;
    parts.append(m_message);
    return parts.join(QStringLiteral(": "));
}

Error cancelledError()
{
    return Error(Errc::Cancelled, QStringLiteral("cancelled"));
}

} // namespace pecast
