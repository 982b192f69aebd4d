#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace pecast::ui {

// A technician juggles a handful of WinPE builds; more would not fit the list without scrolling.
constexpr int kMaxRecentFiles = 8;

QVariant Settings::value(const char *key, const QVariant &fallback)
{
    return QSettings().value(QLatin1String(key), fallback);
}

void Settings::setValue(const char *key, const QVariant &value)
{
    QSettings().setValue(QLatin1String(key), value);
}

QStringList Settings::recentFiles()
{
    QStringList existing;
    const QStringList stored = value(settingsKey::recentFiles).toStringList();
    for (const QString &path : stored) {
        if (QFileInfo::exists(path))
            existing.append(path);
    }
    return existing;
}

void Settings::addRecentFile(const QString &path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList list = value(settingsKey::recentFiles).toStringList();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaxRecentFiles)
        list.removeLast();
    setValue(settingsKey::recentFiles, list);
    setValue(settingsKey::lastOpenDir, QFileInfo(clean).absolutePath());
}

} // namespace pecast::ui
