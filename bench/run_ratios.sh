#!/usr/bin/env bash
# Runs a Google Benchmark executable of ntsem with repetitions and prints the
# median time of every benchmark and the ratios that matter.  Ratios use CPU
# time for single-thread runs and real time for the /real_time ones.
#
#   ntsem_bench         ntsem against sem_t and std::counting_semaphore for
#                       the uncontended wait+release pair.
#                       Target: ntsem's pair within 2x of sem_t's.
#   ntsem_named_bench   named create/open/close against sem_open, and
#                       cross-process ping-pong against sem_t and a raw futex.
#                       Targets: create and open within 1.5x of sem_open,
#                       ping-pong within 1.1x of the raw futex.
#   ntsem_wait_bench    cross-process round trip through WaitForMultipleObjects
#                       over 64 named semaphores against the single-object
#                       round trip and against poll and epoll over 64 eventfds;
#                       the non-blocking wait on 64; contended wait-all
#                       (throughput, printed, no target).
#                       Targets: wait-any over 64 (index 0 and 63) within 1.3x
#                       of the single wait, and at most 0.5x of poll.
#
# usage: bench/run_ratios.sh [path/to/ntsem_bench|ntsem_named_bench|ntsem_wait_bench] [extra benchmark flags...]
#   REPS=n        repetitions (default 5); medians are taken over them
#   OUT=file      where the JSON goes (default: a temporary file, removed after)
#   NTSEM_ROOT    where named objects go; by default a fresh directory under
#                 /dev/shm made for the run, then checked for leftovers (listed)
#                 and removed.  A NTSEM_ROOT you set is used and left alone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-$here/../build/bench/ntsem_bench}
[[ $# -gt 0 ]] && shift
if [[ ! -x $bench ]]; then
  echo "run_ratios.sh: $bench is not an executable (pass the path to a benchmark of bench/)" >&2
  exit 2
fi

out=${OUT:-}
remove_out=
if [[ -z $out ]]; then
  out=$(mktemp)
  remove_out=yes
fi

# Named objects of this run go to a directory of their own, so that the
# leftover check sees only them.  ntsem_named_bench names its POSIX
# semaphores /ntsem-bench-<pid>-..., i.e. /dev/shm/sem.ntsem-bench-*.
own_root=
if [[ -z ${NTSEM_ROOT:-} ]]; then
  NTSEM_ROOT=$(mktemp -d /dev/shm/ntsem-bench-root.XXXXXX)
  export NTSEM_ROOT
  own_root=yes
fi

cleanup() {
  [[ -n $remove_out ]] && rm -f "$out"
  [[ -n $own_root ]] || return 0
  local left
  left=$(find "$NTSEM_ROOT" -mindepth 1 ! -type d 2>/dev/null; ls -d /dev/shm/sem.ntsem-bench-* 2>/dev/null || true)
  if [[ -n $left ]]; then
    echo "run_ratios.sh: LEFTOVERS after the run (removed):" >&2
    echo "$left" >&2
    rm -f /dev/shm/sem.ntsem-bench-*
  else
    echo "run_ratios.sh: no named object left behind in $NTSEM_ROOT or /dev/shm" >&2
  fi
  rm -rf "$NTSEM_ROOT"
}
trap cleanup EXIT

# The console output goes to stderr so that stdout carries only the summary.
"$bench" --benchmark_repetitions="${REPS:-5}" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@" >&2

python3 - "$out" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    runs = json.load(f)["benchmarks"]

# Registration order, also when --benchmark_enable_random_interleaving=true
# shuffled the repetitions.
runs.sort(key=lambda r: (r.get("family_index", 0), r.get("per_family_instance_index", 0)))

median = {}      # run name -> (real ns, cpu ns)
cv = {}          # run name -> (real, cpu) coefficients of variation
throughput = {}  # run name -> median items per second, where the run counts items
for r in runs:
    if r.get("run_type") != "aggregate":
        continue
    unit = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[r["time_unit"]]
    if r["aggregate_name"] == "median":
        median[r["run_name"]] = (r["real_time"] * unit, r["cpu_time"] * unit)
        if "items_per_second" in r:
            throughput[r["run_name"]] = r["items_per_second"]
    elif r["aggregate_name"] == "cv":
        cv[r["run_name"]] = (r["real_time"], r["cpu_time"])  # fractions, not times

# Single-thread runs compare CPU time, which preemption and steal time on a
# busy machine disturb less than wall time; contended runs (UseRealTime)
# compare real time, the only time that counts the sleeping, and so do runs
# that time themselves (UseManualTime: Google Benchmark reports that time as
# the real time).
def compared(name):
    return 0 if "real_time" in name or "manual_time" in name else 1

width = max([44] + [len(n) for n in median])
print(f"{'benchmark (median of repetitions)':<{width}} {'real ns':>9} {'cpu ns':>9} {'cv':>6}")
for name, (real, cpu) in median.items():
    c = f"{cv[name][compared(name)] * 100:.1f}%" if name in cv else "-"
    print(f"{name:<{width}} {real:9.2f} {cpu:9.2f} {c:>6}")
print("(cv: coefficient of variation of the compared time across repetitions)")
if throughput:
    print()
    print(f"{'throughput (median of repetitions)':<{width}} {'items/s':>12}")
    for name, items in throughput.items():
        print(f"{name:<{width}} {items:12.0f}")

def ratio(a, b):
    if a not in median or b not in median:
        return None
    return median[a][compared(a)] / median[b][compared(b)]

print()
print("ratios of medians (cpu time; real time for /real_time and /manual_time runs)")
pairs = [
    ("BM_ntsem_wait0_release", "BM_sem_t_wait_post"),
    ("BM_ntsem_wait_infinite_release", "BM_sem_t_wait_post"),
    ("BM_ntsem_wait0_release", "BM_counting_semaphore_acquire_release"),
    ("BM_ntsem_wait_infinite_release", "BM_counting_semaphore_acquire_release"),
    ("BM_ntsem_wait0_release", "BM_floor_atomic_pair"),
    ("BM_sem_t_wait_post", "BM_floor_atomic_pair"),
    ("BM_ntsem_contended/real_time/threads:2", "BM_sem_t_contended/real_time/threads:2"),
    # ntsem_named_bench
    ("BM_ntsem_create_close", "BM_sem_open_excl_close_unlink"),
    ("BM_ntsem_create_close", "BM_sem_open_excl_touch_close_unlink"),
    ("BM_ntsem_create_close", "BM_sem_open_creat_close"),
    ("BM_mmap_touch_munmap", "BM_mmap_munmap"),
    ("BM_ntsem_open_close_held", "BM_sem_open_close_held"),
    ("BM_ntsem_open_close_not_held", "BM_sem_open_close_not_held"),
    ("BM_ntsem_open_close_not_held", "BM_sem_open_touch_close_not_held"),
    ("BM_ntsem_first_open_close", "BM_sem_first_open_close"),
] + [(f"BM_{a}_pingpong/pinned:{p}/real_time", f"BM_{b}_pingpong/pinned:{p}/real_time")
     for p in (0, 1) for a, b in (("ntsem", "futex"), ("ntsem", "sem_t"), ("sem_t", "futex"))]

# ntsem_wait_bench: the round trip through a wait on 64 objects, by released
# index and pinning, against the single wait and against poll and epoll;
# `kind` is "pingpong" (the plain round trip) or "asleep" (the release waits
# until the child sleeps, timed from the release to the reply).
def timed(kind):
    return "manual_time" if kind == "asleep" else "real_time"
def wait_any(kind, i, p):
    return f"BM_ntsem_wait_any64_{kind}/index:{i}/pinned:{p}/{timed(kind)}"
def wait_one(kind, p):
    return f"BM_ntsem_wait_one_{kind}/pinned:{p}/{timed(kind)}"
def eventfds(kind, how, i, p):
    return f"BM_{how}64_{kind}/index:{i}/pinned:{p}/{timed(kind)}"
wait_cases = [(i, p) for i in (0, 63) for p in (0, 1)]
for kind in ("pingpong", "asleep"):
    pairs += [(wait_any(kind, i, p), wait_one(kind, p)) for i, p in wait_cases]
    pairs += [(wait_any(kind, i, p), eventfds(kind, how, i, p))
              for how in ("poll", "epoll") for i, p in wait_cases]
pairs += [(f"BM_ntsem_signaled_wait_any64/index:{i}", "BM_ntsem_signaled_wait_one") for i in (0, 63)]
for a, b in pairs:
    r = ratio(a, b)
    if r is not None:
        print(f"  {a} / {b}: {r:.2f}")

worst = max((r for r in (ratio("BM_ntsem_wait0_release", "BM_sem_t_wait_post"),
                         ratio("BM_ntsem_wait_infinite_release", "BM_sem_t_wait_post"))
             if r is not None), default=None)
if worst is not None:
    verdict = "met" if worst <= 2.0 else "NOT met"
    print(f"\ntarget ntsem uncontended <= 2x sem_t: {verdict} (worst {worst:.2f}x)")

# ntsem_named_bench and ntsem_wait_bench: each target against the reference
# the project named (create: sem_open(O_CREAT|O_EXCL) + sem_close +
# sem_unlink, the same life cycle as a create + last close; open:
# sem_open(name, 0) + sem_close, of a name opened just before and of one
# not opened for a while (ntsem parks a closed view); wait-any: the same round trip with one
# object, and poll over the same number of eventfds).  The worst case of
# each family decides.
targets = [
    ("named create+close <= 1.5x sem_open", 1.5,
     [("BM_ntsem_create_close", "BM_sem_open_excl_close_unlink")]),
    ("named open+close <= 1.5x sem_open", 1.5,
     [("BM_ntsem_open_close_held", "BM_sem_open_close_held"),
      ("BM_ntsem_open_close_not_held", "BM_sem_open_close_not_held"),
      ("BM_ntsem_first_open_close", "BM_sem_first_open_close")]),
    ("ping-pong <= 1.1x raw futex", 1.1,
     [(f"BM_ntsem_pingpong/pinned:{p}/real_time", f"BM_futex_pingpong/pinned:{p}/real_time")
      for p in (0, 1)]),
    # ntsem_wait_bench: the targets are the plain round trip's; the same
    # limits are applied to the round trip to a sleeping child, which is where
    # the way a waiter sleeps shows.
] + [t for kind, what in (("pingpong", "round trip"), ("asleep", "round trip to a sleeping child"))
     for t in (
         (f"wait-any/64 {what} <= 1.3x single wait", 1.3,
          [(wait_any(kind, i, p), wait_one(kind, p)) for i, p in wait_cases]),
         (f"wait-any/64 {what} <= 0.5x poll over 64 eventfds", 0.5,
          [(wait_any(kind, i, p), eventfds(kind, "poll", i, p)) for i, p in wait_cases]),
         # No target: what a Linux program would use today, for the reading.
         (f"wait-any/64 {what} vs epoll over 64 eventfds", None,
          [(wait_any(kind, i, p), eventfds(kind, "epoll", i, p)) for i, p in wait_cases]),
     )]
for label, limit, target_pairs in targets:
    found = [(a, r) for a, b in target_pairs if (r := ratio(a, b)) is not None]
    if not found:
        continue
    worst_name, worst_ratio = max(found, key=lambda x: x[1])
    each = ", ".join(f"{a.removeprefix('BM_ntsem_').removesuffix('/real_time').removesuffix('/manual_time')}"
                     f" {r:.2f}x" for a, r in found)
    if limit is None:
        print(f"{label}: worst {worst_ratio:.2f}x; {each}")
    else:
        verdict = "met" if worst_ratio <= limit else "NOT met"
        print(f"target {label}: {verdict} (worst {worst_ratio:.2f}x; {each})")
EOF
