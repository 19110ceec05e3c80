#!/usr/bin/env bash
# System calls and context switches per round trip of the ntsem_wait_bench
# round trips, both processes counted (`perf stat` with the syscall
# tracepoints; perf_counts.sh says why not strace): a wait on 64 named
# semaphores next to the wait on one, poll and epoll over 64 eventfds.
#
# The columns count futex (wait and wake alike), futex_waitv, poll,
# epoll_wait, every system call, and context switches.  The *-asleep rows
# include the parent's reads of /proc/CHILD/stat (pread, and sched_yield
# while the child is not asleep yet) in "all"; the other columns are the
# round trip's own.
#
# usage: bench/wait_syscalls.sh [path/to/ntsem_wait_bench] [N]
#   N   round trips (default 20000)
# Named objects go to a fresh NTSEM_ROOT under /dev/shm, removed afterwards
# (a leftover is listed).  Exit 77 when perf cannot read the tracepoints.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=perf_counts.sh
source "$here/perf_counts.sh"
prog=${1:-$here/../build/bench/ntsem_wait_bench}
n=${2:-20000}
if [[ ! -x $prog ]]; then
  echo "wait_syscalls: $prog is not an executable (pass the path to ntsem_wait_bench)" >&2
  exit 2
fi
if ! perf_can_trace; then
  echo "wait_syscalls: SKIPPED (perf cannot read the syscall tracepoints here)"
  exit 77
fi

tmp=$(mktemp -d)
NTSEM_ROOT=$(mktemp -d /dev/shm/ntsem-bench-root.XXXXXX)
export NTSEM_ROOT
trap 'rm -rf "$tmp" "$NTSEM_ROOT"' EXIT

echo "per round trip (perf stat, both processes, $n round trips minus 0)"
format="%-40s %6s %7s %6s %6s %6s %9s\n"
# shellcheck disable=SC2059  # the format is ours
printf "$format" "scenario" "futex" "waitv" "poll" "epoll" "all" "switches"
for op in ntsem-wait-one-pingpong ntsem-wait-any64-pingpong-first ntsem-wait-any64-pingpong-last \
          poll64-pingpong-last epoll64-pingpong-last \
          ntsem-wait-one-asleep ntsem-wait-any64-asleep-last poll64-asleep-last epoll64-asleep-last; do
  for pin in "" pinned; do
    counts=$(perf_per_iteration "$prog" "$op" "$pin" "$n" "$tmp" \
      syscalls:sys_enter_futex syscalls:sys_enter_futex_waitv syscalls:sys_enter_poll \
      syscalls:sys_enter_epoll_wait raw_syscalls:sys_enter context-switches) || exit 2
    # shellcheck disable=SC2059,SC2086  # one column per count
    printf "$format" "$op${pin:+ (pinned)}" $counts
  done
done

left=$(find "$NTSEM_ROOT" -mindepth 1 ! -type d)
if [[ -n $left ]]; then
  echo "wait_syscalls: LEFTOVERS (removed):"
  echo "$left"
fi
