#!/bin/sh
# Renders every page of the wizard to docs/screenshots/*.png under a virtual X server, so the
# pictures in the README come from the real widgets (xcb platform, default style and fonts).
# Usage: packaging/screenshots.sh [BUILD_DIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target pecast-screenshots
mkdir -p "$root/docs/screenshots"
shoot() { # LOCALE DIR
    QT_QPA_PLATFORM=xcb LC_ALL=$1 LANG=$1 \
        xvfb-run -a -s "-screen 0 1280x1024x24 -dpi 96" \
        "$build/tests/ui/pecast-screenshots" "$2"
}
shoot C.UTF-8 "$root/docs/screenshots"
shoot de_DE.UTF-8 "$root/docs/screenshots/de" # the German translation, same pages
