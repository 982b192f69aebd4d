#!/usr/bin/env bash
# Sets up a Debian 12 machine and passes every test: installs packages, checks formatting,
# builds with warnings as errors, runs the whole ctest suite, then the unit tests again under
# AddressSanitizer + UBSan. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "test.sh: run as root (it installs packages and makes network namespaces)" >&2; exit 1; }
bash packaging/install-deps.sh

echo "== clang-format"
git ls-files -- '*.cpp' '*.h' | xargs -r clang-format --dry-run --Werror

jobs=$(nproc)
echo "== build (warnings are errors)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
echo "== tests"
ctest --preset ci -j "$jobs" --timeout 600

echo "== unit tests under ASan + UBSan"
cmake --preset asan >/dev/null
# Only what the unit tests need (each test is a target of the same name, plus the CLI they run).
unit_targets=$(for t in $(ctest --preset asan -N -L unit | sed -n 's/^ *Test *#[0-9]*: *//p'); do
    ninja -C build-asan -t query "$t" >/dev/null 2>&1 && echo "$t" # script tests have no target
done)
cmake --build --preset asan -j "$jobs" --target pecast $unit_targets
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan -j "$jobs"

echo "== fuzz the hive/BCD reader (60 s, label fuzz; see tests/fuzz/)"
cmake -S . -B build-fuzz -G Ninja -DPECAST_FUZZ=ON >/dev/null && ctest --test-dir build-fuzz -L fuzz --output-on-failure
