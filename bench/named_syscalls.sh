#!/usr/bin/env bash
# System calls per iteration of each ntsem_named_bench scenario, ntsem next to
# its POSIX counterpart.
#
# Create/open/close: `ntsem_named_bench --loop OP N` runs under `strace -c -f`
# with N iterations and with 0; the difference, divided by N, is one
# iteration's system calls, by name (startup, setup and exit cancel out).
#
# Ping-pong: those loops run under `perf stat` with the syscall tracepoints
# instead (perf_counts.sh says why): futex calls, all calls and context
# switches per round trip, both processes counted.  Skipped when perf cannot
# read tracepoints.
#
# usage: bench/named_syscalls.sh [path/to/ntsem_named_bench] [N] [PINGPONG_N]
#   N            iterations under strace (default 2000)
#   PINGPONG_N   round trips under perf (default 20000)
# Named objects go to a fresh NTSEM_ROOT under /dev/shm, removed afterwards.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=perf_counts.sh
source "$here/perf_counts.sh"
prog=${1:-$here/../build/bench/ntsem_named_bench}
n=${2:-2000}
pn=${3:-20000}
if [[ ! -x $prog ]]; then
  echo "named_syscalls: $prog is not an executable (pass the path to ntsem_named_bench)" >&2
  exit 2
fi
if ! command -v strace >/dev/null; then
  echo "named_syscalls: strace is not installed" >&2
  exit 77
fi

tmp=$(mktemp -d)
NTSEM_ROOT=$(mktemp -d /dev/shm/ntsem-bench-root.XXXXXX)
export NTSEM_ROOT
trap 'rm -rf "$tmp" "$NTSEM_ROOT"' EXIT

# "name calls" lines of `strace -c -f` for `--loop $1 $2`.
strace_counts() {
  if ! strace -c -f -o "$tmp/summary" "$prog" --loop "$1" "$2"; then
    echo "named_syscalls: $prog --loop $1 $2 failed" >&2
    exit 2
  fi
  # Summary rows: % time, seconds, usecs/call, calls, [errors], name.
  awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { print $NF, $4 }' "$tmp/summary"
}

per_iteration() {  # OP
  strace_counts "$1" 0 >"$tmp/zero"
  strace_counts "$1" "$n" >"$tmp/many"
  awk -v n="$n" -v op="$1" '
    NR == FNR { base[$1] = $2; next }
    { d = ($2 - base[$1]) / n; if (d >= 0.005) { total += d; list = list sprintf(" %s %.2g", $1, d) } }
    END { printf "%-34s %6.2f  %s\n", op, total, list }' "$tmp/zero" "$tmp/many"
}

echo "system calls per iteration (strace -c -f, N=$n, minus N=0)"
printf "%-34s %6s  %s\n" "scenario" "total" "by call"
for op in ntsem-create-close sem-open-excl-close-unlink sem-open-excl-touch-close-unlink \
          sem-open-creat-close ntsem-open-close-held sem-open-close-held \
          ntsem-open-close-not-held sem-open-close-not-held sem-open-touch-close-not-held \
          ntsem-first-open-close sem-first-open-close; do
  per_iteration "$op"
done

echo
if ! perf_can_trace; then
  echo "ping-pong: SKIPPED (perf cannot read the syscall tracepoints here)"
else
  echo "ping-pong, per round trip (perf stat, both processes, $pn round trips minus 0)"
  printf "%-26s %7s %7s %9s\n" "scenario" "futex" "all" "switches"
  for op in ntsem-pingpong sem-t-pingpong futex-pingpong; do
    for pin in "" pinned; do
      counts=$(perf_per_iteration "$prog" "$op" "$pin" "$pn" "$tmp" \
        syscalls:sys_enter_futex raw_syscalls:sys_enter context-switches) || exit 2
      # shellcheck disable=SC2086  # one column per count
      printf "%-26s %7s %7s %9s\n" "$op${pin:+ (pinned)}" $counts
    done
  done
fi

left=$(find "$NTSEM_ROOT" -mindepth 1 ! -type d; ls -d /dev/shm/sem.ntsem-bench-* 2>/dev/null)
if [[ -n $left ]]; then
  echo "named_syscalls: LEFTOVERS (removed):"
  echo "$left"
  rm -f /dev/shm/sem.ntsem-bench-*
fi
