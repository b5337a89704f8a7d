#!/bin/bash
# A stream follows its newest rows: execs that happened while another pane
# was on screen are shown newest at the bottom when the exec pane opens; Up
# holds the position while more arrive and the pane says "following off:
# End"; End follows again. Only the test's own cgroup is shown (-c), so the
# machine's other execs cannot push a row under test off the screen.
. "$(dirname "$0")/lib.sh"

make_cgroup follow || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
# execs N..M of /bin/true in the test's cgroup, waited for
# until the exec pane's history holds at least N records
history_at_least() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ "$(screen | sed -n 's/^EXEC .* \([0-9]*\) in history.*/\1/p')" -ge $1 ]] 2>/dev/null && return 0
		nap 0.1
	done
	return 1
}
execs() { in_cgroup "$CG" "for ((i = $1; i <= $2; i++)); do /bin/true follow-\$i; done"; wait "$IN_CG_PID"; }

for size in "80 24" "120 40"; do
	at_size $size
	type_line "$EBTOP -c $CG; echo EXIT=\$?"
	wait_for 'PID .*COMMAND' 10
	rows=$((${size#* } + 20)) # more than the pane has rows
	execs 1 "$rows"
	tm send-keys 5
	check "$AT: exec pane opened after $rows execs shows the newest, at the bottom" \
		wait_for "/bin/true follow-$rows *\$" 5
	last=$(screen | grep -E '/bin/true follow-[0-9]+' | tail -1)
	check "$AT: the newest is the last row ($last)" grep -q "follow-$rows *\$" <<<"$last"
	check "$AT: the oldest has scrolled off" eval "! screen_has 'follow-1 *\$'"
	check "$AT: following: no marker" eval "! screen_has 'following off'"
	tm send-keys Up
	check "$AT: Up: the pane says following is off" wait_for 'following off: End' 3
	execs $((rows + 1)) $((rows + 10))
	check "$AT: new execs arrive (at least $((rows + 10)) in history)" history_at_least $((rows + 10))
	check "$AT: the position holds: follow-$((rows - 1)) still on screen" \
		screen_has "follow-$((rows - 1)) *\$"
	check "$AT: the newer rows are not scrolled to" eval "! screen_has 'follow-$((rows + 10)) *\$'"
	tm send-keys End
	check "$AT: End follows again: the newest is shown" wait_for "follow-$((rows + 10)) *\$" 3
	check "$AT: and the marker is gone" eval "! screen_has 'following off'"
	execs $((rows + 11)) $((rows + 12))
	check "$AT: following picks up the next exec" wait_for "follow-$((rows + 12)) *\$" 5
	tm send-keys q
	check "$AT: q exits 0" wait_for '^EXIT=0' 5
	tm kill-server
done
finish
