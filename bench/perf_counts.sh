# Sourced by bench/named_syscalls.sh and bench/wait_syscalls.sh: events per
# iteration of a `--loop` scenario of a benchmark binary, counted with
# `perf stat` (both processes of a round trip: perf follows the children).
# strace would change what a round trip measures (a traced process stops at
# every call, so the other side never has to sleep), perf does not.

# Whether perf can read the syscall tracepoints here.
perf_can_trace() {
  perf stat -e syscalls:sys_enter_futex -o /dev/null true 2>/dev/null
}

# perf_per_iteration PROG OP PIN N TMPDIR EVENT...
# Prints the count of each EVENT per iteration, space-separated, two
# decimals: `PROG --loop OP N PIN` minus `PROG --loop OP 0 PIN`, so that
# startup, setup and exit cancel out.  PIN is "" or "pinned".
perf_per_iteration() {
  local prog=$1 op=$2 pin=$3 n=$4 tmp=$5
  shift 5
  local events count
  events=$(IFS=,; echo "$*")
  for count in 0 "$n"; do
    # $pin unquoted: "" must vanish, not become an empty argument.
    perf stat -x, -o "$tmp/perf.$count" -e "$events" "$prog" --loop "$op" "$count" $pin || return 1
  done
  awk -F, -v n="$n" -v events="$events" '
    $1 ~ /^[0-9]+$/ { v[FILENAME, $3] = $1 }
    END {
      k = split(events, e, ",")
      for (i = 1; i <= k; i++)
        printf "%s%.2f", (i > 1 ? " " : ""), (v[ARGV[2], e[i]] - v[ARGV[1], e[i]]) / n
      print ""
    }' "$tmp/perf.0" "$tmp/perf.$n"
}
