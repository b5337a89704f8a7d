#!/bin/bash
# The incident workflow: s writes a new 0600 "ebtop/1" file with the filter
# and every pane, never overwriting (two in one second get two names); a
# read-only snapshot dir is an error in the status line and ebtop goes on;
# space freezes the data (and a snapshot of it): a process that exits while
# paused stays on screen; space again resumes, and it is gone.
. "$(dirname "$0")/lib.sh"

snaps=$TMPD/snaps
mkdir -p "$snaps"
start_spinner
start_shell 120 30
type_line "$EBTOP --snapshot-dir $snaps -p $SPIN_PID; echo EXIT=\$?"
wait_for 'e2e-spinner' 10
tm send-keys s
check "s reports the snapshot path" wait_for "snapshot: $snaps/ebtop-.*\\.json" 5
f=$(ls "$snaps"/ebtop-*.json 2>/dev/null | head -1)
check "the file exists" [ -f "$f" ]
check "mode 0600" [ "$(stat -c %a "$f")" = 600 ]
check "schema ebtop/1, the pid filter, the view and every pane" \
	jq -e ".schema == \"ebtop/1\" and .filter.pids == [$SPIN_PID] and .view == \"cpu\"
	       and ([\"cpu\", \"runq\", \"sys\", \"tcp\", \"exec\"] - keys | length == 0)" "$f" >/dev/null
tm send-keys s s
sleep 1
check "snapshots in the same second get distinct names ($(ls "$snaps" | wc -l) files)" [ "$(ls "$snaps"/ebtop-*.json | wc -l)" -eq 3 ]
check "no temporary file left behind" bash -c "! ls -A $snaps | grep -q '^\\.ebtop-snapshot'"

tm send-keys ' '
check "space: PAUSED in the status line" wait_for 'PAUSED' 3
sleep 1.2
a=$(screen | sed -n '/PID .*COMMAND/,/^ *$/p' | head -5)
sleep 2.2
b=$(screen | sed -n '/PID .*COMMAND/,/^ *$/p' | head -5)
check "paused data does not change across refreshes while the spinner runs" [ "$a" = "$b" ]
rm -f "$snaps"/*.json
tm send-keys s
wait_for "snapshot: $snaps/" 5
f=$(ls "$snaps"/ebtop-*.json | head -1)
shown=$(screen | grep -A1 'PID .*COMMAND' | tail -1 | awk '{print $1, $4}')
json=$(jq -r '.cpu.processes[0] | "\(.pid) \(.cpu_pct * 10 | round / 10)"' "$f")
check "a snapshot taken while paused matches the frozen screen ('$shown' vs '$json')" \
	awk -v a="$shown" -v b="$json" 'BEGIN { split(a, x); split(b, y); exit !(x[1] == y[1] && (x[2] - y[2])^2 < 0.01 + 0.0001) }'
kill "$SPIN_PID"
wait "$SPIN_PID" 2>/dev/null
sleep 2.2 # two refreshes at least
check "a process that exited while paused is still on the frozen screen" \
	screen_has "^ *$SPIN_PID .*e2e-spinner"
tm send-keys ' '
check "space again resumes" wait_for 'resumed' 3
check "data moves again after resume: the exited process is gone" wait_gone "^ *$SPIN_PID .*e2e-spinner" 5
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5

# a snapshot dir that cannot be written: an error in the status line, ebtop goes on
SOCK=$SOCK-ro
ro=$TMPD/ro
mkdir -p "$ro"
start_shell 120 30
type_line "unshare -m sh -c 'mount -t tmpfs -o ro tmpfs $ro && exec $EBTOP --snapshot-dir $ro'; echo EXIT=\$?"
wait_for 'PID .*COMMAND' 10
sleep 1.2
tm send-keys s
check "read-only dir: 'snapshot failed' in the status line" wait_for "snapshot failed: $ro: Read-only file system" 5
tm send-keys 2
check "ebtop keeps running after the failed snapshot" wait_for '^RUNQ ' 5
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
