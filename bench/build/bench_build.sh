#!/bin/bash
# Image build throughput: `pecast build` of a 1 GiB WIM versus `cp` of the same WIM on the same
# filesystem, median of 5 runs each, measured in this one invocation (so the machine and the
# page cache are the same for both). Not a test: it prints numbers for docs/benchmarks.md.
#
#   bench/build/bench_build.sh [PECAST] [WORKDIR]
#     PECAST   the pecast binary (default: build/bin/pecast)
#     WORKDIR  where the WIM, the copies and the images go (default: /var/tmp); needs ~4 GiB
#   RUNS=5 SIZE_MIB=1024 GZIP=1 SHA=1 bench/build/bench_build.sh
#     GZIP=1: one --gzip build too; SHA=1: one --sha256 build too (neither is part of the goal)
# After the medians it prints the per-step timings of one more (JSON) build.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pecast=${1:-$here/../../build/bin/pecast}
base=${2:-/var/tmp}
runs=${RUNS:-5}
size_mib=${SIZE_MIB:-1024}
[ -x "$pecast" ] || { echo "pecast binary not found: $pecast" >&2; exit 2; }
command -v wimlib-imagex >/dev/null || { echo "wimlib-imagex (wimtools) is needed" >&2; exit 2; }

work=$(mktemp -d "$base/pecast-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A WinPE-shaped tree: the boot files the builder looks for, plus incompressible padding so the
# WIM is about SIZE_MIB. XPRESS with 32 KiB chunks is bootable, so the build copies the WIM as-is
# (the common case for a WinPE boot.wim) and cp is the fair baseline.
tree=$work/tree
mkdir -p "$tree/Windows/Boot/PCAT" "$tree/Windows/Boot/DVD/PCAT" "$tree/Windows/System32/boot"
head -c 400000 /dev/urandom >"$tree/Windows/Boot/PCAT/bootmgr"
head -c 3170304 /dev/urandom >"$tree/Windows/Boot/DVD/PCAT/boot.sdi"
head -c 1500000 /dev/urandom >"$tree/Windows/System32/boot/winload.exe"
echo wpeinit >"$tree/Windows/System32/startnet.cmd"
head -c $((size_mib * 1024 * 1024 - 5 * 1024 * 1024)) /dev/urandom >"$tree/Windows/System32/padding.bin"
wim=$work/boot.wim
wimlib-imagex capture "$tree" "$wim" "WinPE" --compress=xpress --chunk-size=32768 --boot >/dev/null
rm -rf "$tree"
wim_bytes=$(stat -c %s "$wim")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

cat "$wim" >/dev/null # warm the page cache for everyone alike
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cp_times=() cps_times=() build_times=() gz_times=()
for i in $(seq "$runs"); do
    t0=$(now); cp "$wim" "$work/copy.wim"; t1=$(now)
    cp_times+=("$(awk "BEGIN {print $t1 - $t0}")")
    rm -f "$work/copy.wim"
    # cp + fsync: the build fsyncs its output, so this is the like-for-like durable copy.
    t0=$(now); cp "$wim" "$work/copy.wim"; sync "$work/copy.wim"; t1=$(now)
    cps_times+=("$(awk "BEGIN {print $t1 - $t0}")")
    rm -f "$work/copy.wim"
    t0=$(now); "$pecast" build --wim "$wim" -o "$work/pe.img" -q >/dev/null; t1=$(now)
    build_times+=("$(awk "BEGIN {print $t1 - $t0}")")
    img_bytes=$(stat -c %s "$work/pe.img")
    rm -f "$work/pe.img"
done
# Where the time goes: one more build's own per-step timings (steps that took 0 ms left out).
steps=$("$pecast" build --wim "$wim" -o "$work/pe.img" -q --json | python3 -c '
import json, sys
print(", ".join("%s %d ms" % (t["step"], t["ms"]) for t in json.load(sys.stdin)["timings"] if t["ms"]))')
rm -f "$work/pe.img"
# One --sha256 build for information: the digest reads the whole image once more.
if [ "${SHA:-0}" = 1 ]; then
    t0=$(now); "$pecast" build --wim "$wim" -o "$work/pe.img" --sha256 -q >/dev/null; t1=$(now)
    sha_time=$(awk "BEGIN {print $t1 - $t0}")
    rm -f "$work/pe.img"
fi
# One gzip build for information (not part of the goal; deflating 1 GiB is CPU-bound).
if [ "${GZIP:-0}" = 1 ]; then
    t0=$(now); "$pecast" build --wim "$wim" -o "$work/pe.img.gz" --gzip -q >/dev/null; t1=$(now)
    gz_time=$(awk "BEGIN {print $t1 - $t0}")
    gz_bytes=$(stat -c %s "$work/pe.img.gz")
fi

cp_med=$(printf '%s\n' "${cp_times[@]}" | median)
cps_med=$(printf '%s\n' "${cps_times[@]}" | median)
build_med=$(printf '%s\n' "${build_times[@]}" | median)
fs=$(df -T "$work" | awk 'NR == 2 {print $2}')
printf 'WIM: %d bytes (XPRESS 32K, 1 image), filesystem: %s (%s), runs: %d\n' "$wim_bytes" "$fs" "$base" "$runs"
printf 'cp            median %.3f s   (%s)\n' "$cp_med" "${cp_times[*]}"
printf 'cp + fsync    median %.3f s   (%s)\n' "$cps_med" "${cps_times[*]}"
printf 'pecast build  median %.3f s   (%s), image %d bytes\n' "$build_med" "${build_times[*]}" "$img_bytes"
printf 'build / cp          = %.2f   (goal <= 1.5)\n' "$(awk "BEGIN {print $build_med / $cp_med}")"
printf 'build / (cp+fsync)  = %.2f\n' "$(awk "BEGIN {print $build_med / $cps_med}")"
printf 'steps of one build: %s\n' "$steps"
[ -z "${sha_time:-}" ] || printf 'build --sha256 (1 run)  %.3f s\n' "$sha_time"
[ -z "${gz_time:-}" ] || printf 'gzip build (1 run)  %.3f s, %d bytes\n' "$gz_time" "$gz_bytes"
printf 'load average at the start: %s, at the end: %s\n' "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
