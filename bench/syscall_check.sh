#!/usr/bin/env bash
# Shows that the uncontended path (WaitForSingleObject(h, 0) on a signaled
# semaphore, then ReleaseSemaphore) makes no system call.
#
# ntsem_uncontended_loop runs under `strace -c -f` twice: with N pairs and
# with none.  Startup, semaphore creation and exit are the same in both runs,
# so the difference in system calls is the loop's, and it must be 0.
#
# usage: bench/syscall_check.sh [path/to/ntsem_uncontended_loop] [N]
#   N defaults to 1000000 (well under a second; strace stops only at calls).
# exit status (for CTest: SKIP_RETURN_CODE 77)
#   0   the loop made no system call
#   1   the loop made system calls (listed)
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

# Runs the program with $1 pairs under strace -c; prints "name calls" lines,
# the total last.
count_calls() {
  if ! strace -c -f -o "$tmp/summary" "$prog" "$1"; then
    echo "syscall_check: $prog $1 failed" >&2
    exit 2
  fi
  # Summary rows: % time, seconds, usecs/call, calls, [errors], name.
  awk '$1 ~ /^[0-9.]+$/ && NF >= 5 { print $NF, $4 }' "$tmp/summary"
}

count_calls 0 >"$tmp/base"
count_calls "$n" >"$tmp/loop"

base_total=$(awk '$1 == "total" { print $2 }' "$tmp/base")
loop_total=$(awk '$1 == "total" { print $2 }' "$tmp/loop")
extra=$((loop_total - base_total))

echo "system calls with N=0: $base_total, with N=$n: $loop_total, added by the loop: $extra"
if [[ $extra -ne 0 ]]; then
  echo "FAIL: the uncontended wait+release loop makes system calls:"
  # Per call, the count added by the loop.
  awk 'NR == FNR { base[$1] = $2; next }
       $1 != "total" && $2 != base[$1] { printf "  %-20s %+d\n", $1, $2 - base[$1] }' \
    "$tmp/base" "$tmp/loop"
  exit 1
fi
echo "PASS: $n uncontended wait+release pairs made no system call"
exit 0
