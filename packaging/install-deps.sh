#!/usr/bin/env bash
# Installs every Debian 12 package PEcast needs to build, run and test. Idempotent: a package that
# is already there is skipped by apt; a second run changes nothing.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format nasm
    # libraries (Qt 6 Widgets/Network/Test/LinguistTools, wimlib, libntfs-3g, libguestfs, libarchive)
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libgl-dev
    # the wizard's SVG icons (image-format and icon-engine plugins)
    libqt6svg6
    libwim-dev wimtools libfuse-dev ntfs-3g ntfs-3g-dev libarchive-dev
    # libcrypto: SHA-256 with the CPU's SHA extensions for the built image's digest
    libssl-dev
    libguestfs-dev libguestfs-tools linux-image-amd64 supermin
    # boot chain the product puts into images and serves
    grub-pc-bin syslinux-common
    # test and benchmark peers: QEMU + iPXE, independent readers, servers, ISO and disk tools
    qemu-system-x86 qemu-utils ipxe ipxe-qemu libhivex-bin chntpw curl nginx-light tftpd-hpa
    xorriso genisoimage udftools fdisk iproute2 xvfb xauth desktop-file-utils appstream
    procps psmisc gzip python3
    # DHCP for the QEMU iPXE multicast boot test (dnsmasq binary only, no system service)
    dnsmasq-base
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    # Services from these packages (nginx, tftpd-hpa) must not start on install: benches start their own.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
