#!/bin/bash
# Benchmarks (not pass/fail): every figure next to a baseline measured in the
# same run, as a ratio. Medians of several runs; A and B alternate.
set -u
cd "$(dirname "$0")/../.."
: "${EBTOP:=build/ebtop}" "${BENCHBIN:=build/bench}" "${RUNS:=5}"
REFRESHES=10
DELAY=0.5

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# CPU seconds (user+sys) a command used, from GNU time's format or bash's.
cpu_of() {
	local t
	t=$( { TIMEFORMAT='%U %S'; time timeout 120 "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
	awk '{printf "%.4f\n", $1 + $2}' <<<"$t"
}

wall_of() {
	local s e
	s=$(date +%s.%N)
	timeout 60 "$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN {printf "%.4f\n", e - s}'
}

echo "== start-up: exec to first complete JSON document (minus the ${DELAY}s interval)"
ebtop_start=() bpft_start=()
for ((i = 0; i < RUNS; i++)); do
	ebtop_start+=("$(wall_of "$EBTOP" --json /dev/null -n 1 -d 0.1)")
	if command -v bpftrace >/dev/null; then
		bpft_start+=("$(wall_of bpftrace -e 'rawtracepoint:sched_switch { @c = count(); } interval:ms:100 { exit(); }')")
	fi
done
e=$(printf '%s\n' "${ebtop_start[@]}" | median)
printf "  ebtop    %.0f ms to first document (incl. 100 ms interval)\n" "$(awk -v e="$e" 'BEGIN{print e*1000}')"
if [ ${#bpft_start[@]} -gt 0 ]; then
	b=$(printf '%s\n' "${bpft_start[@]}" | median)
	printf "  bpftrace %.0f ms for an equivalent attach + 100 ms + exit; ebtop/bpftrace = %.2f\n" \
		"$(awk -v b="$b" 'BEGIN{print b*1000}')" "$(awk -v e="$e" -v b="$b" 'BEGIN{print e/b}')"
fi

echo "== userspace cost: CPU per refresh (${REFRESHES} refreshes, ${DELAY}s) with N extra live processes"
printf "  %-8s %14s %14s %10s\n" "extra" "ebtop ms/ref" "top ms/ref" "ebtop/top"
for n in 0 1000 10000; do
	pid=
	if [ "$n" -gt 0 ]; then
		ready=$(mktemp)
		"$BENCHBIN/sleepers" "$n" 500 >"$ready" &
		pid=$!
		for ((w = 0; w < 600; w++)); do grep -q ready "$ready" && break; sleep 0.1; done
		rm -f "$ready"
	fi
	eb=() tp=()
	for ((i = 0; i < RUNS; i++)); do
		eb+=("$(cpu_of "$EBTOP" --json /dev/null -n $REFRESHES -d $DELAY)")
		tp+=("$(cpu_of top -b -d $DELAY -n $((REFRESHES + 1)))")
	done
	e=$(printf '%s\n' "${eb[@]}" | median)
	t=$(printf '%s\n' "${tp[@]}" | median)
	printf "  %-8s %14.2f %14.2f %10.2f\n" "$n" \
		"$(awk -v x="$e" -v r=$REFRESHES 'BEGIN{print x*1000/r}')" \
		"$(awk -v x="$t" -v r=$REFRESHES 'BEGIN{print x*1000/r}')" \
		"$(awk -v x="$e" -v y="$t" 'BEGIN{print (y > 0) ? x/y : 0}')"
	if [ -n "$pid" ]; then kill "$pid"; wait "$pid" 2>/dev/null; fi
done
