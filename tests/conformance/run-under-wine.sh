#!/usr/bin/env bash
# Builds the conformance suite as a Windows program (MinGW-w64, static) and
# runs it under Wine: the same cases that conformance_native runs against
# ntsem, here against Wine's implementation of Windows.
#
#   tests/conformance/run-under-wine.sh [case-filter...]
#
# Installs wine and the MinGW-w64 compiler when missing.  The program and the
# log go to $NTSEM_WINE_BUILD_DIR (default build-wine/ at the repository
# root).  Exits non-zero if the build or a case failed, or if the run printed
# no summary line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${NTSEM_WINE_BUILD_DIR:-$root/build-wine}
source "$here/wine-common.sh"

ensure_wine_tools
mkdir -p "$out"
exe=$out/conformance.exe
log=$out/conformance-wine.log

echo "== conformance: building $exe"
# Every .cpp of this folder is part of the suite, with the shared thread
# helpers (CMakeLists.txt lists them).
wine_build "$exe" "$here"/*.cpp "$here/../support/thread_probe.cpp"

echo "== conformance: running under $(wine --version 2>/dev/null)"
status=0
wine_run "$exe" "$@" | tee "$log" || status=$?

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
if [[ -z $summary ]]; then
  echo "conformance: the run under Wine printed no summary line (exit status $status)" >&2
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "conformance: failed under Wine: $summary" >&2
  exit "$status"
fi
