#!/usr/bin/env bash
# Asks what Windows does: builds ntsem_probe natively against ntsem and as a
# Windows program, runs both (the second under Wine) and prints where they
# differ.
#
#   tools/probe/probe-both.sh [create|release|wait|multiple|handles|access|all]...
#   tools/probe/probe-both.sh --side-by-side [list]...
#
# Exits 0 when ntsem and Wine print the same, 1 when they differ.  The builds
# and both outputs stay in $NTSEM_PROBE_BUILD_DIR (default build-probe/).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${NTSEM_PROBE_BUILD_DIR:-$root/build-probe}
source "$root/tests/conformance/wine-common.sh"

layout=unified
if [[ ${1:-} == --side-by-side ]]; then
  layout=side-by-side
  shift
fi

ensure_wine_tools
mkdir -p "$out"

echo "== probe: building natively and for Windows" >&2
cmake -S "$root" -B "$out/native" -DNTSEM_BUILD_TESTS=OFF -DNTSEM_BUILD_BENCH=OFF >/dev/null
cmake --build "$out/native" --target ntsem_probe -j"$(nproc)" >/dev/null
wine_build "$out/probe.exe" -I"$root/tests/conformance" "$here/probe.cpp" \
  "$root/tests/conformance/observe.cpp" "$root/tests/support/thread_probe.cpp"

"$out/native/tools/probe/ntsem_probe" "$@" >"$out/ntsem.txt"
wine_run "$out/probe.exe" "$@" >"$out/wine.txt"

wine_label="Wine $(wine --version 2>/dev/null | sed 's/^wine-//')"
if cmp -s "$out/ntsem.txt" "$out/wine.txt"; then
  cat "$out/ntsem.txt"
  echo "== ntsem and $wine_label agree on every call" >&2
  exit 0
fi
if [[ $layout == side-by-side ]]; then
  printf '%-78s | %s\n' "ntsem" "$wine_label"
  diff --side-by-side --width=160 "$out/ntsem.txt" "$out/wine.txt" || true
else
  diff -u --label ntsem --label "$wine_label" "$out/ntsem.txt" "$out/wine.txt" || true
fi
exit 1
