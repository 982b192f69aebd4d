#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds PEcast and runs its main job: the wizard when a display is
# there, otherwise a headless demo on a built-in sample WIM (build an image, inspect it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then bash packaging/install-deps.sh; else sudo bash packaging/install-deps.sh; fi
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/bin/pecast-gui "$@"
fi
echo "No display: running the headless demo (for the wizard: xvfb-run build/bin/pecast-gui)."
exec bash packaging/demo.sh
