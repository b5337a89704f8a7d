#!/bin/bash
# Benchmarks (not pass/fail). Every figure stands next to a baseline taken
# in the same run, alternating A and B, as medians of RUNS runs.
set -u
cd "$(dirname "$0")/../.."
: "${EBTOP:=build/ebtop}" "${BENCHBIN:=build/bench}" "${RUNS:=5}" "${CALLS:=1000000}"

# bpftrace needs tracefs, which a fresh machine here does not mount: the
# bench runs in a private mount namespace of its own with tracefs mounted
# (nothing propagates to the host), so no peer pays for a mount of its own.
if [ -z "${BENCH_NS:-}" ] && [ ! -d /sys/kernel/tracing/events ]; then
	BENCH_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
if [ -n "${BENCH_NS:-}" ]; then mount -t tracefs tracefs /sys/kernel/tracing; fi

# BPF stats are switched on for moments of scenario 1: back as they were
# however the bench ends.
stats_was=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
trap 'sysctl -qw kernel.bpf_stats_enabled="$stats_was" 2>/dev/null' EXIT

# SCENARIOS="3 5" runs only those (default: all).
want() { [[ " ${SCENARIOS:-1 2 3 4 5 7 8 9 10 11 12 13 14 15} " == *" $1 "* ]]; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"%.2f\", $1}"; }

# A full run (no SCENARIOS) writes what it prints into doc/performance.md
# too, between its bench markers, with the date and the machine; BENCH_DOC=1
# writes a partial run's, BENCH_DOC=0 none.
bench_out=$(mktemp)
write_doc() {
	local doc=doc/performance.md os
	os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
	grep -q '^<!-- bench:begin -->$' "$doc" || return 0
	{
		echo "Written by \`make bench\` on $(date -u +%Y-%m-%d): ${os:-Linux}, kernel $(uname -r)," \
			"$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1))," \
			"RUNS=$RUNS${SCENARIOS:+, scenarios $SCENARIOS}."
		echo
		echo '```text'
		cat "$bench_out"
		echo '```'
	} >"$bench_out.md"
	awk -v body="$bench_out.md" '
		/^<!-- bench:end -->$/ { while ((getline l < body) > 0) print l; skip = 0 }
		!skip { print }
		/^<!-- bench:begin -->$/ { skip = 1 }' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
	rm -f "$bench_out.md"
	echo "bench: wrote the figures into $doc" >&2
}

# The getppid loop without a tracer, then under one started by "$@":
# prints "traced untraced" ns per call. This VM's noise drifts over seconds
# (untraced runs alone moved by 20% within one bench), more than a tracer
# adds; the untraced run just before is the traced run's own baseline, and
# the pair's difference is what the tracer added. The untraced run waits
# for the last tracer's teardown (freeing programs, code patching) to pass.
# A third figure, steadier than the pair: the BPF programs' own run time
# per syscall, from the kernel's BPF stats switched on for one more, shorter
# loop (they cost two clock reads per run, so not during the timed one).
under() {
	local pid untraced traced
	sleep 0.5
	untraced=$("$BENCHBIN/getppid_loop" "$CALLS")
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep 2 # attached (ebtop, bpftrace and floor all attach well within this)
	traced=$("$BENCHBIN/getppid_loop" "$CALLS")
	sysctl -qw kernel.bpf_stats_enabled=1
	"$BENCHBIN/getppid_loop" $((CALLS / 4)) >/dev/null
	sysctl -qw kernel.bpf_stats_enabled="$stats_was"
	echo "$traced $untraced $(prog_ns_per_call $((CALLS / 4)))"
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# ns per run, summed over the programs that ran at least once per call of
# the last loop (those on the syscall path; stats count only while on).
prog_ns_per_call() {
	bpftool prog show 2>/dev/null | awk -v calls="$1" '/run_time_ns/ {
		for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) }
		if (c >= calls) s += t / c
	} END { printf "%.1f", s }'
}

bpftrace_sys() { # $1: sys_enter (the issue's one-liner) or sys_exit (ebtop's hook)
	exec bpftrace -e "tracepoint:raw_syscalls:$1 { @[pid, args->id] = count(); }"
}

{
if want 1; then
echo "== 1. syscall path: ns per getppid() ($CALLS calls; each traced run paired with an untraced one just before; medians of $RUNS, alternating)"
declare -A runs added prog
names="floor floor_at_exit ebtop ebtop_filtered bpftrace bpftrace_at_exit syscount syscount_P"
peers=${PEERS:-../shared/peers}/libbpf-tools # PEERS: where the peers are
for ((i = 0; i < RUNS; i++)); do
	runs[floor]+="$(under "$BENCHBIN/floor" "$BENCHBIN/floor.bpf.o");"
	runs[floor_at_exit]+="$(under "$BENCHBIN/floor" "$BENCHBIN/floor.bpf.o" floor_exit);"
	runs[ebtop]+="$(under "$EBTOP" --json /dev/null -d 1);"
	runs[ebtop_filtered]+="$(under "$EBTOP" --json /dev/null -d 1 -p 1);"
	if command -v bpftrace >/dev/null; then
		runs[bpftrace]+="$(under bpftrace_sys sys_enter);"
		runs[bpftrace_at_exit]+="$(under bpftrace_sys sys_exit);"
	fi
	if [ -x "$peers/syscount" ]; then
		runs[syscount]+="$(under "$peers/syscount");"
		runs[syscount_P]+="$(under "$peers/syscount" -P);"
	fi
done
pairs() { tr ';' '\n' <<<"${runs[$1]}" | grep .; }
printf "  %-22s %9s %9s %9s %12s %14s\n" scenario "ns/call" "untraced" "added ns" "added/floor" "programs ns"
for n in $names; do
	[ -n "${runs[$n]:-}" ] || continue
	added[$n]=$(pairs "$n" | awk '{print $1 - $2}' | median)
	prog[$n]=$(pairs "$n" | awk '{print $3}' | median)
done
for n in $names; do
	[ -n "${runs[$n]:-}" ] || continue
	printf "  %-22s %9s %9s %9s %12s %14s\n" "$n" "$(pairs "$n" | awk '{print $1}' | median)" \
		"$(pairs "$n" | awk '{print $2}' | median)" "${added[$n]}" \
		"$(calc "${added[$n]} / ${added[floor]}")" "${prog[$n]}"
done
echo "  (programs ns: their own run time per call from BPF stats, each with the stats' own clock reads;"
echo "   an empty program's is that overhead alone)"
if [ -n "${prog[bpftrace]:-}" ]; then
	echo "  programs' own time beyond an empty one's: ebtop $(calc "${prog[ebtop]} - ${prog[floor_at_exit]}") ns," \
		"bpftrace at sys_enter $(calc "${prog[bpftrace]} - ${prog[floor]}") ns, at sys_exit $(calc "${prog[bpftrace_at_exit]} - ${prog[floor_at_exit]}") ns"
fi
# ebtop counts at sys_exit (the result gives the errors column): its own floor is there
echo "  ebtop added / floor at sys_exit: $(calc "${added[ebtop]} / ${added[floor_at_exit]}")"
echo "  programs: ebtop / the empty sys_exit program $(calc "${prog[ebtop]} / ${prog[floor_at_exit]}")"
if [ -n "${prog[syscount]:-}" ]; then
	echo "  programs: ebtop / syscount $(calc "${prog[ebtop]} / ${prog[syscount]}")," \
		"ebtop / syscount -P $(calc "${prog[ebtop]} / ${prog[syscount_P]}")"
else
	echo "  libbpf-tools syscount is not at $peers: no ratio to it"
fi
if [ -n "${added[bpftrace]:-}" ]; then
	echo "  ebtop added / bpftrace's: at sys_enter $(calc "${added[ebtop]} / ${added[bpftrace]}")," \
		"at sys_exit $(calc "${added[ebtop]} / ${added[bpftrace_at_exit]}")"
fi
fi

# Round trips/s of the ping-pong under a tracer started by "$@".
pp_under() {
	local pid=
	if [ $# -gt 0 ]; then
		"$@" >/dev/null 2>&1 &
		pid=$!
		sleep 2
	fi
	"$BENCHBIN/pingpong" 2
	if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
}

bpftrace_runqlat() { # bpftrace's runqlat.bt logic
	exec bpftrace -e '
tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new { @q[args->pid] = nsecs; }
tracepoint:sched:sched_switch {
	if (args->prev_state == 0) { @q[args->prev_pid] = nsecs; }
	$ns = @q[args->next_pid];
	if ($ns) { @usecs = hist((nsecs - $ns) / 1000); }
	delete(@q[args->next_pid]);
}'
}

if want 2; then
echo "== 2. scheduler path: pipe ping-pong round trips/s (2 s runs, median of $RUNS, alternating)"
pn=() pe=() pb=()
for ((i = 0; i < RUNS; i++)); do
	pn+=("$(pp_under)")
	pe+=("$(pp_under env EBTOP_FAIL_PROBE=sys,exec "$EBTOP" --json /dev/null -d 1)")
	if command -v bpftrace >/dev/null; then pb+=("$(pp_under bpftrace_runqlat)"); fi
done
n=$(printf '%s\n' "${pn[@]}" | median)
e=$(printf '%s\n' "${pe[@]}" | median)
printf "  %-34s %10s round trips/s\n" "no tracing" "$n"
printf "  %-34s %10s round trips/s  overhead %s%%\n" "ebtop cpu+runq programs" "$e" "$(calc "($n / $e - 1) * 100")"
if [ ${#pb[@]} -gt 0 ]; then
	b=$(printf '%s\n' "${pb[@]}" | median)
	printf "  %-34s %10s round trips/s  overhead %s%%\n" "bpftrace runqlat.bt logic" "$b" "$(calc "($n / $b - 1) * 100")"
fi
fi

first_byte_ms() { "$BENCHBIN/firstbyte" "$@" 2>/dev/null; } # command...: exec to first output byte

if want 4; then
echo "== 4. start-up: exec to the first JSON document (minus its 0.1 s interval) / a libbpf-tools tool attached / bpftrace attached"
peers=${PEERS:-../shared/peers}/libbpf-tools # PEERS: where the peers are
st=() bt=() rq=() ff=() fd=()
for ((i = 0; i < RUNS; i++)); do
	st+=("$(($(first_byte_ms "$EBTOP" --json - -n 1 -d 0.1) - 100))")
	# runqlat prints its banner once attached (line-buffered, not at exit)
	if [ -x "$peers/runqlat" ]; then rq+=("$(first_byte_ms stdbuf -oL "$peers/runqlat" 1 1)"); fi
	# sys_exit counting per pid; BEGIN runs once every probe is attached
	if command -v bpftrace >/dev/null; then
		bt+=("$(first_byte_ms bpftrace -e 'tracepoint:raw_syscalls:sys_exit { @[pid] = count(); }
			BEGIN { printf("go\n"); exit(); }')")
	fi
	# on an 80x24 terminal: something drawn, then the first reading (a
	# column title only a reading fills in)
	read -r f d < <("$BENCHBIN/firstframe" 'CPU%' env TERM=xterm-256color "$EBTOP" --no-config)
	ff+=("$f") fd+=("$d")
done
sm=$(printf '%s\n' "${st[@]}" | median)
echo "  ebtop: $sm ms (${st[*]})"
if [ ${#rq[@]} -gt 0 ]; then
	rm=$(printf '%s\n' "${rq[@]}" | median)
	echo "  runqlat attached: $rm ms (${rq[*]}); ebtop/runqlat $(calc "$sm / $rm")"
else
	echo "  the peers are not at $peers: no ratio"
fi
if [ ${#bt[@]} -gt 0 ]; then
	bm=$(printf '%s\n' "${bt[@]}" | median)
	echo "  bpftrace one-liner attached: $bm ms; ebtop/bpftrace $(calc "$sm / $bm")"
fi
echo "  on screen: first drawn $(printf '%s\n' "${ff[@]}" | median) ms (${ff[*]}), first reading $(printf '%s\n' "${fd[@]}" | median) ms (${fd[*]})"
fi

# CPU ns of a running pid, all its threads, from the scheduler's own
# accounting (clock ticks are 10 ms: too coarse for about 1 ms a refresh).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
# Peak RSS (KiB) and the memory of the BPF maps it holds (KiB, from fdinfo:
# memlock precedes map_id there; a map held by several fds counts once).
memory() {
	echo "$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' /proc/"$1"/status)" \
		"$(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '/^memlock:/ {mem = $2}
			/^map_id:/ && !($2 in seen) {seen[$2]; s += mem} END {print int(s / 1024)}')"
}
# ms of CPU per refresh of a pid over r refreshes of 0.5 s; "mem" appends
# its memory.
steady() { # pid refreshes
	local pid=$1 r=$2 a b
	sleep 2
	a=$(cpu_ns "$pid")
	sleep "$(calc "$r * 0.5")"
	b=$(cpu_ns "$pid")
	calc "($b - $a) / 1000000 / $r"
}
htop_in_tmux() { # htop needs a terminal: a detached tmux of its own, 0.5 s refresh
	tmux -L ebtop-bench-htop -f /dev/null new-session -d -x 200 -y 50 "htop -d 5"
	sleep 0.5
	pgrep -n -x htop
}

if want 3; then
echo "== 3. userspace cost: steady-state CPU ms per refresh (0.5 s interval, 20 refreshes, median of 3)"
echo "      and 6. memory: ebtop's peak RSS and BPF map memory in each scenario"
printf "  %-30s %9s %9s %9s %11s %11s %12s %12s\n" "extra load" "ebtop" "htop" "top -b" \
	"ebtop/htop" "ebtop/top" "peak RSS" "BPF maps"
ulimit -n "$(ulimit -Hn)" # 5,000 connections hold 10,000 fds
for load in 0 1000 10000 tcp5000; do
	pid=
	if [ "$load" = tcp5000 ]; then
		ready=$(mktemp)
		"$BENCHBIN/tcpload" hold 3600 5000 >"$ready" &
		pid=$!
	elif [ "$load" -gt 0 ]; then
		ready=$(mktemp)
		"$BENCHBIN/sleepers" "$load" 10000 >"$ready" &
		pid=$!
	fi
	if [ -n "$pid" ]; then
		for ((w = 0; w < 1200; w++)); do grep -q ready "$ready" && break; sleep 0.1; done
		rm -f "$ready"
	fi
	e=() h=() p=() mem=
	for ((i = 0; i < 3; i++)); do
		"$EBTOP" --json /dev/null -d 0.5 >/dev/null 2>&1 &
		ep=$!
		e+=("$(steady $ep 20)")
		mem=$(memory $ep)
		kill $ep; wait $ep 2>/dev/null
		if command -v htop >/dev/null && command -v tmux >/dev/null; then
			hp=$(htop_in_tmux)
			h+=("$(steady "$hp" 20)")
			tmux -L ebtop-bench-htop kill-server
		fi
		top -b -d 0.5 >/dev/null 2>&1 &
		tp=$!
		p+=("$(steady $tp 20)")
		kill $tp; wait $tp 2>/dev/null
	done
	em=$(printf '%s\n' "${e[@]}" | median)
	hm=$( [ ${#h[@]} -gt 0 ] && printf '%s\n' "${h[@]}" | median || echo 0)
	pm=$(printf '%s\n' "${p[@]}" | median)
	label=$([ "$load" = tcp5000 ] && echo "5000 TCP connections" || echo "$load sleeping processes")
	printf "  %-30s %9s %9s %9s %11s %11s %9s KiB %8s KiB\n" "$label" "$em" "$hm" "$pm" \
		"$(calc "$em / ($hm > 0 ? $hm : 1)")" "$(calc "$em / ($pm > 0 ? $pm : 1)")" $mem
	if [ -n "$pid" ]; then kill "$pid"; wait "$pid" 2>/dev/null; fi
done
fi

if want 5; then
echo "== 5. exec storm: 10,000 execs from 2 forkers (median of 3)"
rates_none=() rates_eb=() lost=()
for ((i = 0; i < 3; i++)); do
	rates_none+=("$("$BENCHBIN/execstorm" 10000 2)")
	out=$(mktemp)
	"$EBTOP" --json "$out" -d 0.5 &
	pid=$!
	sleep 1.5
	rates_eb+=("$("$BENCHBIN/execstorm" 10000 2)")
	sleep 1
	kill -INT "$pid"
	wait "$pid" 2>/dev/null
	lost+=("$(grep -o '"lost":[0-9]*' "$out" | awk -F: '{s += $2} END {print s + 0}')")
	seen=$(grep -o '"bench-[0-9]*"' "$out" | sort -u | wc -l)
	echo "  run $i: ebtop saw $seen of 10000 storm execs, lost ${lost[-1]}"
	rm -f "$out"
done
n=$(printf '%s\n' "${rates_none[@]}" | median)
e=$(printf '%s\n' "${rates_eb[@]}" | median)
echo "  execs/s without ebtop: $n; with ebtop: $e (ratio $(calc "$e / $n")); lost per run: ${lost[*]}"
fi


if want 7; then
echo "== 7. replay of a day's recording (86,400 frames at 1 s, from a fixture document)"
"$BENCHBIN/replaybench" 86400 tests/fuzz/replay/one-line.json | sed 's/^/  /'
fi

if want 8; then
echo "== 8. recording a busy box: 1,000 processes, 100 execs/s, 1,000 TCP connections (median of 3)"
# --json to /dev/null is the refresh cost without a recording (the same
# document is built either way); --record adds compressing and writing it.
ready=$(mktemp)
"$BENCHBIN/sleepers" 1000 1000 >"$ready" &
sl=$!
"$BENCHBIN/tcpload" hold 3600 1000 >>"$ready" &
tc=$!
for ((w = 0; w < 600; w++)); do [ "$(grep -c ready "$ready")" -ge 2 ] && break; sleep 0.1; done
rm -f "$ready"
( while :; do for ((k = 0; k < 10; k++)); do /bin/true bench-exec; done; sleep 0.1; done ) &
ex=$!
rec=$(mktemp --suffix=.ebt) js=$(mktemp)
j=() r=()
for ((i = 0; i < 3; i++)); do
	"$EBTOP" --json /dev/null -d 0.5 >/dev/null 2>&1 &
	ep=$!
	j+=("$(steady $ep 20)")
	kill $ep; wait $ep 2>/dev/null
	: >"$rec"
	"$EBTOP" --record="$rec" -d 0.5 >/dev/null 2>&1 &
	ep=$!
	r+=("$(steady $ep 20)")
	mem=$(memory $ep)
	kill $ep; wait $ep 2>/dev/null
done
jm=$(printf '%s
' "${j[@]}" | median)
rm=$(printf '%s
' "${r[@]}" | median)
echo "  CPU ms per refresh: --json $jm, --record $rm; added by recording $(calc "$rm - $jm") ms" \
	"($(calc "($rm - $jm) / $jm * 100")% of the refresh); peak RSS, BPF maps (KiB): $mem"
python3 - "$rec" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
off = frames = stored = docs = 0
while off + 32 <= len(d):
    plen, dlen = struct.unpack_from('<II', d, off + 8)
    frames += 1; stored += 32 + plen; docs += dlen; off += 32 + plen
print("  %d frames: %.0f bytes a frame for a %.0f-byte JSON document: %.3f of it"
      % (frames, stored / frames, docs / frames, stored / docs))
PY
# live history: 600 refreshes (10 minutes at 1 s, taken at 0.1 s) kept
tmux -L ebtop-bench-hist -f /dev/null new-session -d -x 160 -y 50 \
	"$EBTOP --history=10m -d 0.1 -n 600"
sleep 1
hp=$(pgrep -n -f -- "--history=10m -d 0.1 -n 600")
peak=0
while kill -0 "$hp" 2>/dev/null; do
	v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' /proc/"$hp"/status 2>/dev/null)
	[ -n "$v" ] && peak=$v
	sleep 1
done
tmux -L ebtop-bench-hist kill-server 2>/dev/null
echo "  interactive with 600 refreshes of history: peak RSS $peak KiB"
kill "$ex" "$sl" "$tc"; wait "$ex" "$sl" "$tc" 2>/dev/null
rm -f "$rec" "$js"
fi

if want 9; then
echo "== 9. the header: /proc read and lines built per refresh (median of 9 batches)"
"$BENCHBIN/headerbench" 10000 | sed 's/^/  /'
fi

if want 10; then
echo "== 10. a 1 GiB loopback transfer, MiB/s without and with ebtop (median of $RUNS, alternating)"
# nothing of ebtop's runs per packet: the tcp programs run per state change,
# per send or receive call, per retransmit and reset
tn=() te=()
for ((i = 0; i < RUNS; i++)); do
	tn+=("$("$BENCHBIN/tcpload" stream $((1 << 30)))")
	"$EBTOP" --json /dev/null -d 0.5 >/dev/null 2>&1 &
	ep=$!
	sleep 1.5
	te+=("$("$BENCHBIN/tcpload" stream $((1 << 30)))")
	kill $ep; wait $ep 2>/dev/null
done
n=$(printf '%s\n' "${tn[@]}" | median)
e=$(printf '%s\n' "${te[@]}" | median)
echo "  without: $n MiB/s (${tn[*]}); with ebtop: $e MiB/s (${te[*]}); ratio $(calc "$e / $n")"
fi

if want 11; then
echo "== 11. grouping: CPU ms per refresh, 10,000 processes in 200 cgroups, g on / off (interactive, median of 3)"
mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$mnt" ]; then
	echo "  skipped: no cgroup2 mount"
else
	ready=$(mktemp)
	"$BENCHBIN/sleepers" 10000 500 >"$ready" &
	sl=$!
	for ((w = 0; w < 1200; w++)); do grep -q ready "$ready" && break; sleep 0.1; done
	rm -f "$ready"
	base=$mnt/ebtop-bench-groups-$$
	mkdir "$base"
	for ((c = 0; c < 200; c++)); do mkdir "$base/svc-$c.service"; done
	k=0
	for p in $(pgrep -g "$sl"); do
		[ "$p" = "$sl" ] && continue
		echo "$p" >"$base/svc-$((k++ % 200)).service/cgroup.procs" 2>/dev/null
	done
	tmux -L ebtop-bench-groups -f /dev/null new-session -d -x 200 -y 50 "$EBTOP -d 0.5 --no-config"
	sleep 1
	ep=$(pgrep -n -f -- "-d 0.5 --no-config")
	off=() on=()
	for ((i = 0; i < 3; i++)); do
		off+=("$(steady "$ep" 20)")
		tmux -L ebtop-bench-groups send-keys g
		on+=("$(steady "$ep" 20)")
		tmux -L ebtop-bench-groups send-keys g g
	done
	tmux -L ebtop-bench-groups kill-server
	kill "$sl"; wait "$sl" 2>/dev/null
	sleep 1
	for ((c = 0; c < 200; c++)); do rmdir "$base/svc-$c.service" 2>/dev/null; done
	rmdir "$base" 2>/dev/null
	fm=$(printf '%s\n' "${off[@]}" | median)
	nm=$(printf '%s\n' "${on[@]}" | median)
	echo "  $k processes moved into 200 cgroups; g off: $fm ms (${off[*]}); g on: $nm ms (${on[*]});" \
		"ratio $(calc "$nm / $fm")"
fi
fi

# BPF ns per ping-pong round trip of every program a tracer ("$@")
# loaded: the kernel's BPF stats over one ping-pong run, the programs told
# apart from the machine's others by their ids.
rt_bpf_ns() {
	local first b a rate pid
	first=$(bpftool prog show 2>/dev/null | awk -F: '/^[0-9]+:/ {m = $1} END {print m + 0}')
	sysctl -qw kernel.bpf_stats_enabled=1
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep 2
	b=$(prog_ns_since "$first")
	rate=$("$BENCHBIN/pingpong" 2)
	a=$(prog_ns_since "$first")
	kill -INT "$pid"; wait "$pid" 2>/dev/null
	sysctl -qw kernel.bpf_stats_enabled="$stats_was"
	awk -v a="$a" -v b="$b" -v r="$rate" 'BEGIN { printf "%.0f", (a - b) / (r * 2) }'
}
prog_ns_since() { # id: run_time_ns of the programs with a larger id, summed
	bpftool prog show 2>/dev/null | awk -F'[: ]+' -v first="$1" '
		/^[0-9]+: / && $1 > first { for (i = 1; i < NF; i++) if ($i == "run_time_ns") s += $(i + 1) }
		END { print s + 0 }'
}

if want 13; then
echo "== 13. ebtop's own cost reading (--self): CPU ms per refresh, --json /dev/null at 0.5 s, without / with (median of $RUNS, alternating)"
wo=() wi=()
for ((i = 0; i < RUNS; i++)); do
	for mode in plain self; do
		if [ "$mode" = self ]; then "$EBTOP" --self --json /dev/null -d 0.5 & else "$EBTOP" --json /dev/null -d 0.5 & fi
		ep=$!
		ms=$(steady "$ep" 20)
		kill "$ep"; wait "$ep" 2>/dev/null
		if [ "$mode" = self ]; then wi+=("$ms"); else wo+=("$ms"); fi
	done
done
a=$(printf '%s\n' "${wo[@]}" | median)
b=$(printf '%s\n' "${wi[@]}" | median)
echo "  without: $a ms (${wo[*]}); with --self: $b ms (${wi[*]}); added $(calc "$b - $a") ms"
fi

if want 12; then
echo "== 12. scheduler path: BPF ns per ping-pong round trip, ebtop cpu+runq (with who made them wait) and the peers (median of $RUNS, alternating)"
peers=${PEERS:-../shared/peers}/libbpf-tools # PEERS: where the peers are
eb=() rq=() cd=()
for ((i = 0; i < RUNS; i++)); do
	eb+=("$(rt_bpf_ns env EBTOP_FAIL_PROBE=sys,exec,tcp "$EBTOP" --json /dev/null -d 1)")
	if [ -x "$peers/runqlat" ]; then rq+=("$(rt_bpf_ns "$peers/runqlat")"); fi
	if [ -x "$peers/cpudist" ]; then cd+=("$(rt_bpf_ns "$peers/cpudist")"); fi
done
e=$(printf '%s\n' "${eb[@]}" | median)
echo "  ebtop cpu+runq: $e ns (${eb[*]})"
if [ ${#rq[@]} -gt 0 ]; then
	r=$(printf '%s\n' "${rq[@]}" | median)
	c=$(printf '%s\n' "${cd[@]}" | median)
	echo "  runqlat: $r ns (${rq[*]}); cpudist: $c ns (${cd[*]})"
	echo "  ebtop / runqlat $(calc "$e / $r"); ebtop / (runqlat + cpudist) $(calc "$e / ($r + $c)")"
else
	echo "  the peers are not at $peers: no ratio"
fi
fi

# Over secs, with a tracer ("$@") running: its programs' BPF ns per run
# and run count (the kernel's BPF stats, its programs told apart by id),
# and its own CPU as % of one CPU.
sampling_cost() {
	local secs=$1 first pid c0 c1 s0 s1
	shift
	first=$(bpftool prog show 2>/dev/null | awk -F: '/^[0-9]+:/ {m = $1} END {print m + 0}')
	sysctl -qw kernel.bpf_stats_enabled=1
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep 2 # loaded and attached
	s0=$(prog_stats_since "$first") c0=$(cpu_ns "$pid")
	sleep "$secs"
	s1=$(prog_stats_since "$first") c1=$(cpu_ns "$pid")
	kill -INT "$pid"; wait "$pid" 2>/dev/null
	sysctl -qw kernel.bpf_stats_enabled="$stats_was"
	awk -v a="$s0" -v b="$s1" -v c0="$c0" -v c1="$c1" -v t="$secs" 'BEGIN {
		split(a, x, " "); split(b, y, " "); runs = y[2] - x[2]
		printf "%.0f %d %.2f", runs ? (y[1] - x[1]) / runs : 0, runs, (c1 - c0) / (t * 1e7) }'
}
prog_stats_since() { # id: "run_time_ns run_cnt" of the programs with a larger id, summed
	bpftool prog show 2>/dev/null | awk -F'[: ]+' -v first="$1" '
		/^[0-9]+: / && $1 > first { for (i = 1; i < NF; i++) {
			if ($i == "run_time_ns") s += $(i + 1); if ($i == "run_cnt") n += $(i + 1) } }
		END { print s + 0, n + 0 }'
}

if want 14; then
echo "== 14. on-CPU stack sampling at 49 Hz, every CPU, 100 busy processes: BPF ns per sample and the tracer's CPU, ebtop --prof (the stack probe alone) and libbpf-tools profile (median of $RUNS, alternating, ${SAMPLE_SECS:=20} s each)"
peers=${PEERS:-../shared/peers}/libbpf-tools
busy=()
for ((k = 0; k < 100; k++)); do sh -c 'while :; do :; done' & busy+=($!); done
eb=() pr=()
for ((i = 0; i < RUNS; i++)); do
	eb+=("$(sampling_cost "$SAMPLE_SECS" env EBTOP_FAIL_PROBE=cpu,runq,sys,tcp,exec "$EBTOP" --prof --json /dev/null -d 1)")
	if [ -x "$peers/profile" ]; then pr+=("$(sampling_cost "$SAMPLE_SECS" "$peers/profile" -F 49)"); fi
done
kill "${busy[@]}" 2>/dev/null; wait "${busy[@]}" 2>/dev/null
en=$(for r in "${eb[@]}"; do echo "${r%% *}"; done | median)
ec=$(for r in "${eb[@]}"; do echo "${r##* }"; done | median)
echo "  ebtop: $en ns per sample, CPU $ec% of one CPU (runs: ${eb[*]// /\/})"
if [ ${#pr[@]} -gt 0 ]; then
	pn=$(for r in "${pr[@]}"; do echo "${r%% *}"; done | median)
	pc=$(for r in "${pr[@]}"; do echo "${r##* }"; done | median)
	echo "  profile: $pn ns per sample, CPU $pc% (runs: ${pr[*]// /\/})"
	echo "  ebtop / profile, BPF per sample: $(calc "$en / $pn")"
else
	echo "  the peers are not at $peers: no ratio"
fi
fi

if want 15; then
echo "== 15. off-CPU stacks: BPF ns per ping-pong round trip (two blocks), ebtop --offcpu (the stack probe alone) and libbpf-tools offcputime, at 1 ms and 1 us minimum blocks (median of $RUNS, alternating)"
peers=${PEERS:-../shared/peers}/libbpf-tools
declare -A blocks=()
for ((i = 0; i < RUNS; i++)); do
	for min in 1000 1; do
		blocks[ebtop_$min]+="$(rt_bpf_ns env EBTOP_FAIL_PROBE=cpu,runq,sys,tcp,exec "$EBTOP" --prof --offcpu --offcpu-min "$min" --json /dev/null -d 1) "
		if [ -x "$peers/offcputime" ]; then blocks[offcputime_$min]+="$(rt_bpf_ns "$peers/offcputime" -m "$min") "; fi
	done
done
for min in 1000 1; do
	e=$(printf '%s\n' ${blocks[ebtop_$min]} | median)
	echo "  min ${min} us: ebtop $e ns (${blocks[ebtop_$min]% })"
	if [ -n "${blocks[offcputime_$min]:-}" ]; then
		o=$(printf '%s\n' ${blocks[offcputime_$min]} | median)
		echo "  min ${min} us: offcputime $o ns (${blocks[offcputime_$min]% }); ebtop / offcputime $(calc "$e / $o")"
	fi
done
[ -x "$peers/offcputime" ] || echo "  the peers are not at $peers: no ratio"
fi
} 2>&1 | tee "$bench_out"
if [ "${BENCH_DOC:-$([ -z "${SCENARIOS:-}" ] && echo 1 || echo 0)}" = 1 ]; then write_doc; fi
rm -f "$bench_out"
