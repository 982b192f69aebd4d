#!/usr/bin/env bash
# Headless demo on a built-in sample: shows what the CLI does without a display.
set -euo pipefail
cd "$(dirname "$0")/.."
build/bin/pecast --help
