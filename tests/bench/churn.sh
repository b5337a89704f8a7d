#!/bin/bash
# Churn under ebtop: SECS of 200 new processes/s and 100 TCP connections/s
# while ebtop --json runs (all panes collecting). Every 5 s prints ebtop's
# RSS and the entry count of each of its hash maps (socket storage is freed
# with its socket and cannot be listed), the counts again once the load has
# ended, then the JSON documents' cadence.
# usage: churn.sh SECS [OUT_DIR]   (EBTOP, BENCHBIN from the environment;
# CHURN_CGROUP: run the load in that cgroup v2 and show ebtop only it, so
# the figures are the load's own whatever else the machine runs)
set -u
secs=${1:-600}
out=${2:-$(mktemp -d /tmp/ebtop-churn.XXXXXX)}
: "${EBTOP:=build/ebtop}" "${BENCHBIN:=build/bench}"

map_counts() { # pid -> "name=count ..." for its hash maps
	local id
	for id in $(cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^map_id:[[:space:]]*//p' | sort -un); do
		bpftool map show id "$id" 2>/dev/null |
			sed -n 's/^\([0-9]*\): [a-z_]*hash  name \([^ ]*\) .*/\1 \2/p'
	done | while read -r mid name; do
		printf '%s=%s ' "$name" "$(bpftool map dump id "$mid" 2>/dev/null | grep -c '^ *"key":')"
	done
}

"$EBTOP" --json="$out/ebtop.json" -d 1 ${CHURN_CGROUP:+-c "$CHURN_CGROUP"} &
pid=$!
sleep 2
bash -c "${CHURN_CGROUP:+echo \$\$ >'$CHURN_CGROUP/cgroup.procs' && }exec '$BENCHBIN/churn' $secs 200 100" \
	>"$out/churn.out" &
load=$!
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
	printf 't=%ss rss_kib=%s %s\n' "$(($(date +%s) - start))" \
		"$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$pid/status)" "$(map_counts $pid)"
	sleep 5
done
wait "$load"
echo "load: $(tr '\n' ' ' <"$out/churn.out")exit $?"
sleep 3 # three refreshes: every exited process's entries have gone
printf 'end: %s\n' "$(map_counts $pid)"
kill -TERM "$pid"
wait "$pid"
echo "ebtop exit $?"
jq -s '"documents=\(length) max_interval_s=\([.[].interval_s] | max) tcp_closed=\([.[].tcp.closed | length] | add) tcp_lost=\([.[].tcp.lost] | add) execs=\([.[].exec.events | length] | add) exec_lost=\([.[].exec.lost] | add)"' -r "$out/ebtop.json"
