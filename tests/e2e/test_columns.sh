#!/bin/bash
# Columns that do not fit: at 80 columns the tcp pane keeps what it exists
# to show (owner pid and comm, state, bytes, the remote endpoint) and drops
# the rest by priority, with a marker; Right scrolls the table sideways to
# the dropped ones (the owner stays at the left), Left goes back. At 120
# columns rates, RTT and retransmits are in; the local end, connect time
# and age, the lowest priorities, are left out. The load is one held
# loopback connection; -p shows only its owner's sockets.
. "$(dirname "$0")/lib.sh"

hold_tcp e2e-tcpcols 120
client="^ *$HOLD +e2e-tcpcols +ESTABLISHED"

for size in "80 24" "120 40"; do
	at_size $size
	type_line "$EBTOP -v tcp -p $HOLD; echo EXIT=\$?"
	check "$AT: tcp pane drawn" wait_for '^TCP .*connections' 10
	if [ "$AT" = 80x24 ]; then
		check "$AT: the essential columns, in order" wait_for '^ +PID +COMM +STATE +TX +RX +REMOTE +▶$' 5
		check "$AT: the client's row: pid, comm, state, bytes sent, remote endpoint" \
			wait_for "$client +1\\.00MiB +[0-9.]+[KMG]?i?B? +127\\.0\\.0\\.1:$SPORT *\$" 5
		check "$AT: LOCAL and AGE are not shown" eval "! screen_has 'LOCAL|AGE'"
		tm send-keys Right
		check "$AT: Right scrolls: the owner stays, a marker, the next columns" \
			wait_for '^ +PID +COMM +STATE +◀ +RX/s +RTT +RETR/s +TX +RX +▶$' 3
		for _ in 1 2 3 4 5 6 7; do tm send-keys Right; done
		check "$AT: Right again reaches LOCAL with the client's own port" \
			eval "wait_for '◀LOCAL +REMOTE *\$' 3 && screen_has '$client +127\\.0\\.0\\.1:$CPORT +127\\.0\\.0\\.1:$SPORT *\$'"
		check "$AT: and no marker of more on the right" eval "! screen_has '▶'"
		for _ in 1 2 3 4 5 6 7 8 9 10; do tm send-keys Left; done
		check "$AT: Left back to the start" wait_for '^ +PID +COMM +STATE +TX +RX +REMOTE +▶$' 3
	else
		check "$AT: rates, RTT and retransmits; not LOCAL, CONN or AGE" \
			wait_for '^ +PID +COMM +STATE +TX/s▼ +RX/s +RTT +RETR/s +TX +RX +REMOTE +▶$' 5
		check "$AT: the client's row: its RTT, bytes, remote end" \
			wait_for "$client .*[0-9.]+[um]?s +[0-9.]+ +1\\.00MiB .*127\\.0\\.0\\.1:$SPORT *\$" 5
		tm send-keys Right Right Right Right
		check "$AT: Right brings CONN, AGE and LOCAL in" \
			wait_for "◀.*CONN +AGE +LOCAL +REMOTE *\$" 3
		check "$AT: and the client's own port" screen_has "$client .*127\\.0\\.0\\.1:$CPORT +127\\.0\\.0\\.1:$SPORT *\$"
	fi
	tm send-keys q
	check "$AT: q exits 0" wait_for '^EXIT=0' 5
	tm kill-server
done
finish
