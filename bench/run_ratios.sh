#!/usr/bin/env bash
# Runs ntsem_bench with repetitions and prints the median time of every
# benchmark and the ratios that matter: ntsem against sem_t and against
# std::counting_semaphore for the uncontended wait+release pair.  Ratios use
# CPU time for single-thread runs and real time for the contended ones.
#
# usage: bench/run_ratios.sh [path/to/ntsem_bench] [extra benchmark flags...]
#   REPS=n     repetitions (default 5); medians are taken over them
#   OUT=file   where the JSON goes (default: a temporary file, removed after)
# The target: ntsem's uncontended pair within 2x of sem_t's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-$here/../build/bench/ntsem_bench}
[[ $# -gt 0 ]] && shift
if [[ ! -x $bench ]]; then
  echo "run_ratios.sh: $bench is not an executable (pass the path to ntsem_bench)" >&2
  exit 2
fi

out=${OUT:-}
if [[ -z $out ]]; then
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
fi

# The console output goes to stderr so that stdout carries only the summary.
"$bench" --benchmark_repetitions="${REPS:-5}" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@" >&2

python3 - "$out" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    runs = json.load(f)["benchmarks"]

median = {}  # run name -> (real ns, cpu ns)
cv = {}      # run name -> (real, cpu) coefficients of variation
for r in runs:
    if r.get("run_type") != "aggregate":
        continue
    unit = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[r["time_unit"]]
    if r["aggregate_name"] == "median":
        median[r["run_name"]] = (r["real_time"] * unit, r["cpu_time"] * unit)
    elif r["aggregate_name"] == "cv":
        cv[r["run_name"]] = (r["real_time"], r["cpu_time"])  # fractions, not times

# Single-thread runs compare CPU time, which preemption and steal time on a
# busy machine disturb less than wall time; contended runs (UseRealTime)
# compare real time, the only time that counts the sleeping.
def compared(name):
    return 0 if "real_time" in name else 1

print(f"{'benchmark (median of repetitions)':<44} {'real ns':>9} {'cpu ns':>9} {'cv':>6}")
for name, (real, cpu) in median.items():
    c = f"{cv[name][compared(name)] * 100:.1f}%" if name in cv else "-"
    print(f"{name:<44} {real:9.2f} {cpu:9.2f} {c:>6}")
print("(cv: coefficient of variation of the compared time across repetitions)")

def ratio(a, b):
    if a not in median or b not in median:
        return None
    return median[a][compared(a)] / median[b][compared(b)]

print()
print("ratios of medians (cpu time; real time for /real_time runs)")
pairs = [
    ("BM_ntsem_wait0_release", "BM_sem_t_wait_post"),
    ("BM_ntsem_wait_infinite_release", "BM_sem_t_wait_post"),
    ("BM_ntsem_wait0_release", "BM_counting_semaphore_acquire_release"),
    ("BM_ntsem_wait_infinite_release", "BM_counting_semaphore_acquire_release"),
    ("BM_ntsem_wait0_release", "BM_floor_atomic_pair"),
    ("BM_sem_t_wait_post", "BM_floor_atomic_pair"),
    ("BM_ntsem_contended/real_time/threads:2", "BM_sem_t_contended/real_time/threads:2"),
]
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
EOF
