#!/bin/bash
# Who made them wait, on the fixture recording: the runq pane lists who
# waited with the slow first; w turns it to who made them wait, by delay
# caused; Enter on a culprit lists whom it delayed, Backspace comes back;
# Enter on a process that waited lists who delayed it (the replay's own
# filter), Backspace comes back to who waited. At 80x24 the histogram
# makes room for the table, at 120x40 the heat map shows too. With g, a
# service's row says what its processes waited and what they caused.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
run="$NOBODY env TZ=UTC $EBTOP -r $FX -v runq --no-config"

for size in "80 24" "120 40"; do
	at_size $size
	type_line "$run; echo EXIT=\$?"
	check "$AT: who waited, the slow first" \
		wait_for '^ +PID +COMMAND +WAITS +SLOW▼ +P50 +P99 +P99\.9 +MAX<$' 10
	check "$AT: fx-web-00's two slow waits on top, then fx-hot's one" \
		eval "screen | grep -A2 '^ *PID ' | sed -n 2p | grep -qE '^ *2000 fx-web-00 +16 +2 ' &&
		screen | grep -A2 '^ *PID ' | sed -n 3p | grep -qE '^ *4242 fx-hot +16 +1 '"
	if [ "$AT" = 80x24 ]; then
		check "$AT: the heat map gave way to the table" eval "! screen_has '^heat map'"
	else
		check "$AT: the heat map fits too" screen_has '^heat map'
	fi
	tm send-keys w
	check "$AT: w: who made them wait, by delay caused" \
		wait_for '^ +PID +COMMAND +CAUSED▼ +WAITS +WORST +VICTIMS$' 3
	check "$AT: fx-hot first: 50 ms caused in 20 waits, the worst 8 ms, 2 victims" \
		screen_has '^ +4242 fx-hot +50\.0ms +20 +8\.0ms +2$'
	check "$AT: then fx-web-00 and fx-web-01" \
		eval "screen_has '^ +2000 fx-web-00 +5\\.0ms +3 +2\\.0ms +1$' &&
		screen_has '^ +2001 fx-web-01 +1\\.0ms +2 +900\\.0us +1$'"
	tm send-keys Home Enter
	check "$AT: Enter on fx-hot: whom it delayed" wait_for '^whom pid 4242 delayed' 3
	check "$AT: the two web workers, its share of their waits" \
		eval "screen_has '^ +2000 fx-web-00 +30\\.0ms +12 +8\\.0ms$' &&
		screen_has '^ +2001 fx-web-01 +20\\.0ms +8 +6\\.0ms$' && ! screen_has ' fx-hot +'"
	check "$AT: the breadcrumb" screen_has 'all > delayed by 4242'
	tm send-keys BSpace
	# the screen before the key has a CAUSED header too: wait for the
	# breadcrumb to go first
	check "$AT: Backspace: who made them wait again" \
		eval "wait_gone 'delayed by' 3 &&
		screen_has '^ +PID +COMMAND +CAUSED▼ +WAITS +WORST +VICTIMS$'"
	tm send-keys w Home Enter
	check "$AT: w, Enter on fx-web-00 that waited: filtered to it, who delayed it" \
		eval "wait_for 'filter \\(replay\\): pid 2000' 3 &&
		screen_has '^ +PID +COMMAND +CAUSED▼ +WAITS +WORST +VICTIMS$'"
	check "$AT: fx-hot by 30 ms, fx-web-01 by 1 ms, nobody else" \
		eval "screen_has '^ +4242 fx-hot +30\\.0ms +12 +8\\.0ms +1$' &&
		screen_has '^ +2001 fx-web-01 +1\\.0ms +2 +900\\.0us +1$' && ! screen_has '^ +2000 fx-web-00'"
	tm send-keys BSpace
	check "$AT: Backspace: who waited" wait_for '^ +PID +COMMAND +WAITS +SLOW▼ ' 3
	if [ "$AT" = 120x40 ]; then
		tm send-keys g
		check "$AT: g: services, what they waited and what they caused" \
			wait_for '^GROUP +KIND +PROCS +WAITS▼? +P50 +P99 +MAX< +CAUSED +CGROUP' 3
		check "$AT: fx-hot.service caused 50 ms, fx-web.service 6 ms" \
			eval "screen_has '^fx-hot\\.service +service +1 +16 .* 50\\.0ms /system\\.slice/fx-hot\\.service' &&
			screen_has '^fx-web\\.service +service +2 +32 .* 6\\.0ms /system\\.slice/fx-web\\.service'"
		tm send-keys g g
	fi
	tm send-keys q
	check "$AT: q exits 0" wait_for '^EXIT=0' 5
	tm kill-server
done
finish
