#include "serve/publishtable.h"

#include "serve/httprequest.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

namespace pecast::serve {

QByteArray httpDate(qint64 secondsSinceEpoch)
{
    static constexpr const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static constexpr const char *months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const time_t t = static_cast<time_t>(secondsSinceEpoch);
    struct tm tm
    {
    };
    gmtime_r(&t, &tm);
    char buffer[40];
    snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return QByteArray(buffer);
}

Status PublishTable::checkName(const QString &name)
{
    // The name must survive the request path mapping unchanged, i.e. be one plain segment.
    if (name.isEmpty() || targetToName(QByteArray("/") + name.toUtf8()) != name.toUtf8()
        || name.contains(u'%') || name.contains(u'?'))
        return Error(Errc::InvalidInput,
            QStringLiteral("cannot publish \"%1\": a name is one path segment without '/', "
                           "'%', '?' or control characters")
                .arg(name));
    return {};
}

Status PublishTable::publishFile(
    const QString &name, const QString &path, const QString &contentType)
{
    if (auto s = checkName(name); !s)
        return s;
    UniqueFd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return Error::fromErrno(errno, QStringLiteral("open %1").arg(path))
            .context(QStringLiteral("publishing /%1").arg(name));
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return Error::fromErrno(errno, QStringLiteral("stat %1").arg(path));
    if (!S_ISREG(st.st_mode))
        return Error(
            Errc::InvalidInput, QStringLiteral("cannot publish %1: not a regular file").arg(path));
    auto entry = std::make_shared<PublishedEntry>();
    entry->name = name.toUtf8();
    entry->contentType
        = contentType.isEmpty() ? QByteArray("application/octet-stream") : contentType.toUtf8();
    entry->fd = std::move(fd);
    entry->size = st.st_size;
    entry->etag = "\"" + QByteArray::number(quint64(st.st_ino), 16) + "-"
        + QByteArray::number(qint64(st.st_size), 16) + "-"
        + QByteArray::number(qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec, 16)
        + "\"";
    entry->lastModified = httpDate(st.st_mtim.tv_sec);
    insert(std::move(entry));
    return {};
}

Status PublishTable::publishData(
    const QString &name, const QByteArray &data, const QString &contentType)
{
    if (auto s = checkName(name); !s)
        return s;
    auto entry = std::make_shared<PublishedEntry>();
    entry->name = name.toUtf8();
    entry->contentType = contentType.toUtf8();
    entry->data = data;
    entry->inMemory = true;
    entry->size = data.size();
    entry->etag = "\"m-" + QByteArray::number(qHash(data), 16) + "-"
        + QByteArray::number(qint64(data.size()), 16) + "\"";
    entry->lastModified = httpDate(::time(nullptr));
    insert(std::move(entry));
    return {};
}

void PublishTable::insert(PublishedEntryPtr entry)
{
    std::lock_guard lock(m_mutex);
    m_entries.insert(entry->name, std::move(entry));
}

void PublishTable::remove(const QString &name)
{
    std::lock_guard lock(m_mutex);
    m_entries.remove(name.toUtf8());
}

PublishedEntryPtr PublishTable::find(const QByteArray &name) const
{
    std::lock_guard lock(m_mutex);
    return m_entries.value(name);
}

QStringList PublishTable::names() const
{
    std::lock_guard lock(m_mutex);
    QStringList list;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        list.append(QString::fromUtf8(it.key()));
    list.sort();
    return list;
}

} // namespace pecast::serve
