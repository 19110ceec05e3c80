#!/usr/bin/env bash
# Shows that the paths that must not enter the kernel make no system call:
# the uncontended wait and release (WaitForSingleObject(h, 0) on a signaled
# semaphore, then ReleaseSemaphore), and opening and closing again a name
# this process holds already.
#
# ntsem_uncontended_loop runs each loop under `strace -c -f` twice: with N
# iterations and with none.  Startup, creation and exit are the same in both
# runs, so the difference in system calls is the loop's, and it must be 0.
#
# usage: bench/syscall_check.sh [path/to/ntsem_uncontended_loop] [N]
#   N defaults to 1000000 (well under a second; strace stops only at calls).
# exit status (for CTest: SKIP_RETURN_CODE 77)
#   0   neither loop made a system call
#   1   a loop made system calls (listed)
#   2   bad usage, or the loop program failed
#   77  strace unavailable or not permitted here: skipped
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prog=${1:-$here/../build/bench/ntsem_uncontended_loop}
n=${2:-1000000}

if [[ ! -x $prog ]]; then
  echo "syscall_check: $prog is not an executable (pass the path to ntsem_uncontended_loop)" >&2
  exit 2
fi
if [[ ! $n =~ ^[0-9]+$ ]]; then
  echo "syscall_check: N must be a non-negative integer, not '$n'" >&2
  exit 2
fi

if ! command -v strace >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "syscall_check: installing strace" >&2
    apt-get install -y strace >/dev/null 2>&1 || true
  fi
  if ! command -v strace >/dev/null; then
    echo "syscall_check: SKIPPED: strace is not installed (and cannot be installed as non-root)"
    exit 77
  fi
fi
# Containers may forbid ptrace.
if ! strace -f -o /dev/null true 2>/dev/null; then
  echo "syscall_check: SKIPPED: strace cannot trace here (ptrace not permitted?)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs loop $1 with $2 iterations under strace -c; prints "name calls" lines,
# the total last.
count_calls() {
  if ! strace -c -f -o "$tmp/summary" "$prog" "$2" "$1"; then
    echo "syscall_check: $prog $2 $1 failed" >&2
    exit 2
  fi
  # Summary rows: % time, seconds, usecs/call, calls, [errors], name.
  awk '$1 ~ /^[0-9.]+$/ && NF >= 5 { print $NF, $4 }' "$tmp/summary"
}

# Checks loop $1 (described as $2); returns 1 if it made system calls.
check_loop() {
  # Once untraced first: the first run also creates the root's directories.
  "$prog" 0 "$1" || { echo "syscall_check: $prog 0 $1 failed" >&2; exit 2; }
  count_calls "$1" 0 >"$tmp/base"
  count_calls "$1" "$n" >"$tmp/loop"
  local base_total loop_total extra
  base_total=$(awk '$1 == "total" { print $2 }' "$tmp/base")
  loop_total=$(awk '$1 == "total" { print $2 }' "$tmp/loop")
  extra=$((loop_total - base_total))
  echo "$1: system calls with N=0: $base_total, with N=$n: $loop_total, added by the loop: $extra"
  if [[ $extra -ne 0 ]]; then
    echo "FAIL: $2 makes system calls:"
    # Per call, the count added by the loop.
    awk 'NR == FNR { base[$1] = $2; next }
         $1 != "total" && $2 != base[$1] { printf "  %-20s %+d\n", $1, $2 - base[$1] }' \
      "$tmp/base" "$tmp/loop"
    return 1
  fi
  echo "PASS: $n iterations of $2 made no system call"
}

# Named objects of the reopen loop go to a private root, removed afterwards.
NTSEM_ROOT=$tmp/root
export NTSEM_ROOT
status=0
check_loop wait-release "the uncontended wait+release" || status=1
check_loop reopen-held "opening and closing a name this process holds" || status=1
exit $status
