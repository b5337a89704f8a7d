#!/bin/bash
# Faults: kill -9 leaves no program, map or link of ebtop in the kernel;
# each probe forced to fail greys out only its own pane while the others
# show data and q still exits 0; after start only CAP_BPF and CAP_PERFMON
# remain.
. "$(dirname "$0")/lib.sh"

# ids of the BPF objects a process holds, from its fds' fdinfo: "prog 12"...
bpf_ids() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		sed -n 's/^\(prog\|map\|link\)_id:[[:space:]]*\([0-9]*\)$/\1 \2/p' "$f" 2>/dev/null
	done | sort -u
}
# how many of the listed objects still exist
alive() {
	local kind id n=0
	while read -r kind id; do
		bpftool "$kind" show id "$id" >/dev/null 2>&1 && n=$((n + 1))
	done <"$1"
	echo "$n"
}

"$EBTOP" --json=/dev/null -d 0.2 &
PID=$!
for _ in $(seq 50); do
	bpf_ids "$PID" >"$TMPD/ids"
	grep -q '^link' "$TMPD/ids" && [ "$(grep -c . "$TMPD/ids")" -gt 20 ] && break
	sleep 0.2
done
sleep 0.5
bpf_ids "$PID" >"$TMPD/ids"
check "ebtop holds programs, maps and links ($(grep -c '^prog' "$TMPD/ids") $(grep -c '^map' "$TMPD/ids") $(grep -c '^link' "$TMPD/ids"))" \
	bash -c "grep -q '^prog' $TMPD/ids && grep -q '^map' $TMPD/ids && grep -q '^link' $TMPD/ids"
caps=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$PID/status)
check "after start only CAP_BPF and CAP_PERFMON are effective (CapEff $caps)" [ "$caps" = 000000c000000000 ]
prm=$(sed -n 's/^CapPrm:[[:space:]]*//p' /proc/$PID/status)
check "permitted besides: CAP_SYS_PTRACE and CAP_CHECKPOINT_RESTORE, for the stacks' symbols (CapPrm $prm)" \
	[ "$prm" = 000001c000080000 ]
check "and no_new_privs is set" grep -qE '^NoNewPrivs:[[:space:]]*1' /proc/$PID/status
kill -9 "$PID"
wait "$PID" 2>/dev/null
for _ in $(seq 30); do [ "$(alive "$TMPD/ids")" -eq 0 ] && break; sleep 0.1; done
check "kill -9: none of its $(grep -c . "$TMPD/ids") BPF objects remain ($(alive "$TMPD/ids") left)" \
	[ "$(alive "$TMPD/ids")" -eq 0 ]
check "nothing pinned (no bpffs mount appeared)" bash -c "! grep -q ' bpf ' /proc/self/mounts || [ -z \"\$(ls -A /sys/fs/bpf 2>/dev/null)\" ]"

# Each probe failing in turn: its pane says why, the next pane has data.
declare -A title=([cpu]='^CPU ' [runq]='^RUNQ ' [sys]='^SYS ' [tcp]='^TCP ' [exec]='^EXEC '
		  [stack]='^STACK ')
declare -A next=([cpu]=runq [runq]=sys [sys]=tcp [tcp]=exec [exec]=stack [stack]=cpu)
declare -A key=([cpu]=1 [runq]=2 [sys]=3 [tcp]=4 [exec]=5 [stack]=6)
start_shell 140 30
for p in cpu runq sys tcp exec stack; do
	n=${next[$p]}
	type_line "clear; EBTOP_FAIL_PROBE=$p $EBTOP -v $p; echo EXIT=\$?"
	check "$p forced to fail: its pane says why" \
		wait_for "$p pane unavailable: $p: disabled by EBTOP_FAIL_PROBE" 10
	check "$p forced to fail: the status line flags it" wait_for "\\| $p off" 3
	tm send-keys "${key[$n]}"
	check "$p forced to fail: the $n pane still shows data" wait_for "${title[$n]}" 5
	tm send-keys q
	check "$p forced to fail: q exits 0" wait_for '^EXIT=0' 5
done

# A kernel without tp_btf: every probe loads its raw_tp fallback, and works.
jqt() { jq -e "$@" >/dev/null; }
start_spinner
ticks0=$(awk '{ print $14 + $15 }' "/proc/$SPIN_PID/stat") wall0=$(date +%s.%N)
EBTOP_FAIL_PROBE=tp_btf "$EBTOP" --json - -n 2 -d 0.5 </dev/null 2>"$TMPD/raw.err" | tail -1 >"$TMPD/raw.json"
check "raw_tp fallback: every pane loads ($(jq -c '[.cpu.error, .runq.error, .sys.error, .tcp.error, .exec.error]' "$TMPD/raw.json"))" \
	jqt '[.cpu, .runq, .sys, .tcp, .exec] | all(has("error") | not)' "$TMPD/raw.json"
# what the kernel says the spinner ran over the same run, as % of one CPU
# (its share depends on what else runs, so it is the yardstick)
ran=$(awk -v t0="$ticks0" -v w0="$wall0" -v w1="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" \
	'{ print ($14 + $15 - t0) / hz / (w1 - w0) * 100 }' "/proc/$SPIN_PID/stat")
check "raw_tp fallback: the spinner is on the cpu pane with what /proc says it ran ($ran%)" \
	jqt --argjson p "$SPIN_PID" --argjson ran "$ran" \
	'.cpu.processes[] | select(.pid == $p) | .cpu_pct > $ran * 0.7 and .cpu_pct < $ran * 1.3 + 5' \
	"$TMPD/raw.json"
check "raw_tp fallback: run-queue waits and syscalls are counted" \
	jqt '.runq.count > 0 and .sys.total_per_s > 0' "$TMPD/raw.json"
kill "$SPIN_PID"
finish
