#!/bin/sh
# Validates the desktop entry and the AppStream metainfo with the distribution's own tools, as
# software centres and Flathub do. Usage: validate-desktop-files.sh PACKAGING_DIR
set -eu
dir=$1
for tool in desktop-file-validate appstreamcli; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (packaging/install-deps.sh installs it)"
        exit 77
    fi
done
desktop-file-validate "$dir/io.github.pecast.PEcast.desktop"
# Hints are fine; warnings and errors fail (appstreamcli's exit code).
appstreamcli validate --no-net "$dir/io.github.pecast.PEcast.metainfo.xml"
# The metainfo must name the desktop file that exists.
grep -q '<launchable type="desktop-id">io.github.pecast.PEcast.desktop</launchable>' \
    "$dir/io.github.pecast.PEcast.metainfo.xml"
echo "desktop entry and metainfo are valid"
