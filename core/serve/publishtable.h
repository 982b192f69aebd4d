#pragma once

// What the HTTP server may send: published name → an already open file (or bytes in memory).
// Decided at publish time, so no path from a request ever reaches the filesystem. Readers take
// a snapshot (a shared pointer) and keep the entry alive for as long as a response uses it.

#include "util/error.h"
#include "util/uniquefd.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <mutex>

namespace pecast::serve {

struct PublishedEntry
{
    QByteArray name;
    QByteArray contentType;
    UniqueFd fd; // valid for files
    QByteArray data; // body for in-memory entries
    bool inMemory = false;
    qint64 size = 0;
    QByteArray etag; // "\"<inode>-<size>-<mtime>\"" quoted, as sent
    QByteArray lastModified; // IMF-fixdate
};

using PublishedEntryPtr = std::shared_ptr<const PublishedEntry>;

class PublishTable
{
public:
    Status publishFile(const QString &name, const QString &path, const QString &contentType);
    Status publishData(const QString &name, const QByteArray &data, const QString &contentType);
    void remove(const QString &name);
    PublishedEntryPtr find(const QByteArray &name) const;
    QStringList names() const;

private:
    static Status checkName(const QString &name);
    void insert(PublishedEntryPtr entry);

    mutable std::mutex m_mutex;
    QHash<QByteArray, PublishedEntryPtr> m_entries;
};

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 5.6.7)
QByteArray httpDate(qint64 secondsSinceEpoch);

} // namespace pecast::serve
