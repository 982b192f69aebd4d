#pragma once

// What the wizard remembers between runs (QSettings): recent WIMs, last folders, the options of
// the last build and the window geometry. Keys are listed here so that pages never guess them.

#include <QString>
#include <QStringList>
#include <QVariant>

namespace pecast::ui {

namespace settingsKey {
inline constexpr char recentFiles[] = "source/recent";
inline constexpr char lastOpenDir[] = "source/lastDir";
inline constexpr char geometry[] = "window/geometry";
inline constexpr char description[] = "boot/description";
inline constexpr char deviceMode[] = "boot/deviceMode";
inline constexpr char timeout[] = "boot/timeout";
inline constexpr char layout[] = "boot/layout";
inline constexpr char gzip[] = "output/gzip";
inline constexpr char lastOutputDir[] = "output/lastDir";
inline constexpr char memdiskArgs[] = "serve/memdiskArgs";
inline constexpr char servePort[] = "serve/port";
} // namespace settingsKey

class Settings
{
public:
    static QVariant value(const char *key, const QVariant &fallback = {});
    static void setValue(const char *key, const QVariant &value);

    static QStringList recentFiles();
    // Moves `path` to the front of the recent list (kept short).
    static void addRecentFile(const QString &path);
};

} // namespace pecast::ui
