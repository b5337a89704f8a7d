#!/bin/bash
# Live rewind: a spinner that has exited is gone from the live cpu pane,
# and found again by going back in time ({ a minute back reaches the oldest
# refresh kept); the status line says REWIND and how far back; ] past the
# newest frame, or space, is live again, where it is gone. Collection goes
# on while rewound; b goes to a time typed in. R records the live view to a
# new 0600 file that replays. The load runs in the test's own cgroup (-c).
. "$(dirname "$0")/lib.sh"

make_cgroup rewind || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
cp /usr/bin/yes "$TMPD/e2e-rewound"
for size in "80 24" "120 40"; do
	at_size $size
	in_cgroup "$CG" "exec '$TMPD/e2e-rewound' >/dev/null"
	SPIN=$IN_CG_PID
	LOADS+=("$SPIN")
	type_line "$EBTOP -d 0.5 -c $CG --snapshot-dir $TMPD; echo EXIT=\$?"
	check "$AT: the spinner is on the live cpu pane" wait_for "^ +$SPIN .* e2e-rewound " 10
	nap 1.5 # a few refreshes with it
	kill "$SPIN"
	wait "$SPIN" 2>/dev/null
	check "$AT: it is gone from the live pane" wait_gone "^ +$SPIN .* e2e-rewound " 5
	nap 1
	tm send-keys '{'
	check "$AT: { goes back: REWIND in the status line" wait_for '^ REWIND [0-9:]+ \(-[0-9.]+s\) +live ' 3
	check "$AT: the spinner is there at that time" wait_for "^ +$SPIN .* e2e-rewound " 3
	tm send-keys ']'
	check "$AT: ] moves forward, still rewound" wait_for '^ REWIND ' 3
	tm send-keys '}' '}'
	check "$AT: } past the newest frame is live again" eval "wait_for '^ every 0\.5s' 3 && ! screen_has REWIND"
	check "$AT: where the spinner is gone" wait_gone "^ +$SPIN .* e2e-rewound " 3
	tm send-keys '['
	wait_for '^ REWIND ' 3 >/dev/null
	tm send-keys ' '
	check "$AT: space is live again too" eval "wait_for '^ every 0\.5s' 3 && ! screen_has REWIND"
	tm send-keys b
	wait_for 'go to time' 3 >/dev/null
	tm send-keys -l -- -1s
	tm send-keys Enter
	# to the last frame at least 1 s before the newest: how much more
	# depends on when refreshes came, which a busy machine delays
	check "$AT: b -1s goes back a second" wait_for '^ REWIND [0-9:]+ \(-([1-9]|[1-5][0-9])\.[0-9]s\)' 3
	tm send-keys ' '
	wait_for '^ every 0\.5s' 3 >/dev/null
	if [ "$AT" = 120x40 ]; then
		in_cgroup "$CG" "exec '$TMPD/e2e-rewound' >/dev/null"
		SPIN=$IN_CG_PID
		LOADS+=("$SPIN")
		tm send-keys R
		check "$AT: R starts recording, the status line says REC" \
			wait_for '^ REC .* recording to ' 3
		wait_for "^ +$SPIN .* e2e-rewound " 5 >/dev/null
		nap 1.2
		tm send-keys R
		check "$AT: R again stops it" wait_for 'recording stopped' 3
		f=$(ls "$TMPD"/ebtop-*.ebt 2>/dev/null | head -1)
		check "$AT: the recording is a new 0600 file" [ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ]
		check "$AT: and it replays, with the spinner in it" \
			eval "'$EBTOP' -r '$f' --json=- | jq -e --argjson p $SPIN 'select(.cpu.processes[]?.pid == \$p)' >/dev/null"
		kill "$SPIN"
	fi
	tm send-keys q
	check "$AT: q exits 0" wait_for '^EXIT=0' 5
	tm kill-server
done
finish
