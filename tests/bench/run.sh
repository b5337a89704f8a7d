#!/bin/bash
# Benchmarks (not pass/fail). Every figure stands next to a baseline taken
# in the same run, alternating A and B, as medians of RUNS runs.
set -u
cd "$(dirname "$0")/../.."
: "${EBTOP:=build/ebtop}" "${BENCHBIN:=build/bench}" "${RUNS:=5}" "${CALLS:=1000000}"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"%.2f\", $1}"; }

# Run the getppid loop under a tracer started by "$@" (none if no args).
under() {
	local pid=
	if [ $# -gt 0 ]; then
		"$@" >/dev/null 2>&1 &
		pid=$!
		sleep 2 # attached (ebtop, bpftrace and floor all attach well within this)
	fi
	"$BENCHBIN/getppid_loop" "$CALLS"
	if [ -n "$pid" ]; then
		kill -INT "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
}

bpftrace_sys() { # the issue's one-liner; tracefs mounted privately for it
	unshare -m sh -c 'mount --make-rprivate / && mount -t tracefs tracefs /sys/kernel/tracing &&
		exec bpftrace -e "tracepoint:raw_syscalls:sys_enter { @[pid, args->id] = count(); }"'
}

echo "== 1. syscall path: ns per getppid() ($CALLS calls, median of $RUNS, alternating)"
declare -A t
names="none floor ebtop ebtop_filtered bpftrace"
for ((i = 0; i < RUNS; i++)); do
	t[none]+="$(under) "
	t[floor]+="$(under "$BENCHBIN/floor" "$BENCHBIN/floor.bpf.o") "
	t[ebtop]+="$(under "$EBTOP" --json /dev/null -d 1) "
	t[ebtop_filtered]+="$(under "$EBTOP" --json /dev/null -d 1 -p 1) "
	if command -v bpftrace >/dev/null; then t[bpftrace]+="$(under bpftrace_sys) "; fi
done
base=$(tr ' ' '\n' <<<"${t[none]}" | grep . | median)
floor=$(tr ' ' '\n' <<<"${t[floor]}" | grep . | median)
printf "  %-28s %9s %11s %14s\n" scenario "ns/call" "added ns" "added/floor"
for n in $names; do
	[ -n "${t[$n]:-}" ] || continue
	m=$(tr ' ' '\n' <<<"${t[$n]}" | grep . | median)
	printf "  %-28s %9s %11s %14s\n" "$n" "$m" "$(calc "$m - $base")" \
		"$( [ "$n" = none ] && echo - || calc "($m - $base) / ($floor - $base)")"
done

echo "== 4. start-up: exec to first JSON document, minus its 0.1 s interval (median of $RUNS)"
st=()
for ((i = 0; i < RUNS; i++)); do
	s=$(date +%s%N)
	"$EBTOP" --json /dev/null -n 1 -d 0.1 >/dev/null 2>&1
	st+=("$(( ($(date +%s%N) - s) / 1000000 - 100 ))")
done
echo "  ebtop: $(printf '%s\n' "${st[@]}" | median) ms"

# CPU time (user+sys, in clock ticks) of a running pid over a window.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
steady_ms_per_refresh() { # refreshes, command...
	local r=$1 pid a b
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep 2
	a=$(ticks "$pid")
	sleep "$(calc "$r * 0.5")"
	b=$(ticks "$pid")
	kill "$pid"
	wait "$pid" 2>/dev/null
	calc "($b - $a) * 1000 / $(getconf CLK_TCK) / $r"
}

echo "== 3. userspace cost: steady-state CPU ms per refresh (0.5 s interval, 20 refreshes)"
printf "  %-22s %12s %12s %12s\n" "extra processes" "ebtop" "top -b" "ebtop/top"
for n in 0 1000 10000; do
	pid=
	if [ "$n" -gt 0 ]; then
		ready=$(mktemp)
		"$BENCHBIN/sleepers" "$n" 10000 >"$ready" &
		pid=$!
		for ((w = 0; w < 1200; w++)); do grep -q ready "$ready" && break; sleep 0.1; done
		rm -f "$ready"
	fi
	e=() p=()
	for ((i = 0; i < 3; i++)); do
		e+=("$(steady_ms_per_refresh 20 "$EBTOP" --json /dev/null -d 0.5)")
		p+=("$(steady_ms_per_refresh 20 top -b -d 0.5)")
	done
	em=$(printf '%s\n' "${e[@]}" | median)
	pm=$(printf '%s\n' "${p[@]}" | median)
	printf "  %-22s %12s %12s %12s\n" "$n" "$em" "$pm" "$(calc "$em / ($pm > 0 ? $pm : 1)")"
	if [ -n "$pid" ]; then kill "$pid"; wait "$pid" 2>/dev/null; fi
done
