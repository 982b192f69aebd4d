#!/usr/bin/env bash
# Builds the hive/BCD reader fuzzer with clang (-fsanitize=fuzzer,address,undefined) straight
# from the sources into a temporary directory, replays the saved regression inputs, then fuzzes
# for a bounded time seeded with the golden stores. A crash leaves its input as crash-* in the
# current directory (the ctest build dir): add it to tests/fuzz/regressions/ once fixed.
# Usage: run-fuzz.sh SOURCE_DIR [SECONDS]. Exit 77 (ctest skip) when clang++ is missing.
set -euo pipefail
src=$(cd "${1:?usage: run-fuzz.sh SOURCE_DIR [SECONDS]}" && pwd)
seconds=${2:-60}
cxx=${PECAST_FUZZ_CXX:-clang++}
command -v "$cxx" >/dev/null || { echo "run-fuzz.sh: $cxx not found; skipping" >&2; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== building the fuzzer in $work"
# shellcheck disable=SC2046
"$cxx" -std=c++20 -O1 -g -fno-omit-frame-pointer -fPIC \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$src/core" $(pkg-config --cflags Qt6Core) \
    "$src"/core/bcd/*.cpp "$src"/core/bcd/hive/*.cpp \
    "$src"/core/util/error.cpp "$src"/core/util/atomicfile.cpp \
    "$src/tests/fuzz/fuzz_bcdreader.cpp" \
    $(pkg-config --libs Qt6Core) -o "$work/fuzz_bcdreader"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1

shopt -s nullglob
regressions=("$src"/tests/fuzz/regressions/*)
if [ ${#regressions[@]} -gt 0 ]; then
    echo "== replaying ${#regressions[@]} regression inputs"
    "$work/fuzz_bcdreader" -runs=1 "${regressions[@]}"
fi

mkdir "$work/corpus"
cp "$src"/tests/bcd/data/*.bcd "$work/corpus/"
echo "== fuzzing for ${seconds}s"
"$work/fuzz_bcdreader" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$PWD/" "$work/corpus"
