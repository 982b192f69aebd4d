#!/usr/bin/env bash
# Headless demo on a built-in sample: what PEcast does, end to end, without a display.
#  1. makes a small WinPE-like WIM from a sample tree (resources/sample: a stub bootmgr that
#     reports on the serial port stands in for Microsoft's, which cannot be shipped)
#  2. pecast wim info          - what is inside, and can it network-boot?
#  3. pecast build             - the memdisk-bootable disk image (MBR, GRUB, NTFS, BCD, WIM)
#  4. pecast image inspect     - is the image consistent?
#  5. pecast serve + QEMU      - a virtual PC network-boots it: iPXE -> HTTP -> memdisk -> GRUB
#                                -> bootmgr, whose serial line proves the chain worked
# Everything goes to a temporary directory that is removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
pecast=${PECAST:-$PWD/build/bin/pecast}
work=$(mktemp -d /tmp/pecast-demo.XXXXXX)
serve_pid=
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "demo files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A sample WinPE-like tree and WIM ($work/sample.wim)"
tree=$work/tree
mkdir -p "$tree/Windows/Boot/PCAT" "$tree/Windows/Boot/DVD/PCAT" "$tree/Windows/System32/boot"
nasm -f bin -o "$tree/Windows/Boot/PCAT/bootmgr" resources/sample/stubbootmgr.asm
head -c $((3 * 1024 * 1024)) /dev/zero >"$tree/Windows/Boot/DVD/PCAT/boot.sdi"
echo "placeholder: winload.exe is Microsoft's and is not shipped" >"$tree/Windows/System32/boot/winload.exe"
printf 'wpeinit\r\n' >"$tree/Windows/System32/startnet.cmd"
wimlib-imagex capture "$tree" "$work/sample.wim" "WinPE sample" "PEcast demo image" \
    --boot --compress=LZX >/dev/null
wimlib-imagex info "$work/sample.wim" 1 --image-property WINDOWS/ARCH=9 >/dev/null

step "2. pecast wim info"
"$pecast" wim info "$work/sample.wim"

step "3. pecast build"
"$pecast" build --wim "$work/sample.wim" -o "$work/winpe.img"

step "4. pecast image inspect"
"$pecast" image inspect "$work/winpe.img"

step "5. pecast serve, and a QEMU PC that network-boots the image"
"$pecast" serve --image "$work/winpe.img" --bind 127.0.0.1 --http-port 0 >"$work/serve.log" 2>&1 &
serve_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.* on port \([0-9]*\).*/\1/p' "$work/serve.log" 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; echo "demo: the server did not start" >&2; exit 1; }
sed -n '1,12p' "$work/serve.log"
mkdir -p "$work/tftp"
# QEMU's user network maps 10.0.2.2 to this machine's 127.0.0.1.
printf '#!ipxe\nchain http://10.0.2.2:%s/boot.ipxe\n' "$port" >"$work/tftp/boot.ipxe"
printf '\xf8\x03' >"$work/sercon"
echo "booting a virtual PC (QEMU, software emulation; about 10-30 s)..."
timeout 120 qemu-system-x86_64 -accel tcg -m 512 -no-reboot -display none -monitor none \
    -fw_cfg name=etc/sercon-port,file="$work/sercon" \
    -netdev user,id=n0,tftp="$work/tftp",bootfile=boot.ipxe -device e1000,netdev=n0 -boot n \
    -serial file:"$work/serial.log" 2>"$work/qemu.log" &
qemu_pid=$!
for _ in $(seq 1200); do
    grep -aq 'PECAST-STUB' "$work/serial.log" 2>/dev/null && break
    kill -0 "$qemu_pid" 2>/dev/null || break
    sleep 0.1
done
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
line=$(grep -ao 'PECAST-STUB[^[:cntrl:]]*' "$work/serial.log" | head -1 || true)
if [ -n "$line" ]; then
    echo "the client's boot manager reported: $line"
    echo "(DL=80: booted as the first hard disk; HS=00000800: partition at 1 MiB; RD=OK: disk reads work)"
    echo "demo: OK"
else
    echo "demo: the client did not reach bootmgr; its screen said:"
    tr -d '\r' <"$work/serial.log" | tail -20
    exit 1
fi
