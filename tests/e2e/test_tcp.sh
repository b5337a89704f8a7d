#!/bin/bash
# The tcp pane in a terminal: a known loopback connection is listed with its
# owner, state, bytes and both endpoints; l shows its listener, f cycles
# what is listed; P lists its owner with both ends, Enter goes into them.
. "$(dirname "$0")/lib.sh"

hold_tcp e2e-tcphold 60
start_shell 160 30
type_line "$EBTOP -v tcp -p $HOLD; echo EXIT=\$?" # its own sockets only
check "tcp pane drawn" wait_for '^TCP .*connections' 10
row="^ *$HOLD +e2e-tcphold +ESTABLISHED .* 1\.00MiB .*127\.0\.0\.1:$CPORT +127\.0\.0\.1:$SPORT"
check "the held connection's client end: owner, state, 1 MiB sent, endpoints" wait_for "$row" 5
check "the listener is hidden by default" bash -c "! tmux -L $SOCK capture-pane -p | grep -q ' LISTEN '"
tm send-keys P
check "P: the owner, its two connection ends (the listener not counted)" \
	wait_for "^ *$HOLD +e2e-tcphold +2 +[0-9.]+[KMG]?i?B +[0-9.]+[KMG]?i?B +0 +0 +0$" 5
tm send-keys Enter
check "Enter: its connections again, the breadcrumb names it" \
	eval "wait_for '$row' 5 && screen_has 'all > pid $HOLD'"
tm send-keys BSpace P
check "Backspace, P: connections" wait_for "$row" 5
tm send-keys l
check "l shows the listener on port $SPORT" wait_for "e2e-tcphold +LISTEN .*127\.0\.0\.1:$SPORT " 5
tm send-keys f
check "f: only live connections" wait_for 'showing live' 3
tm send-keys f f
check "f f: only closed connections, the held one is gone" \
	eval "wait_for 'showing closed' 3 && ! screen_has 'ESTABLISHED'"
kill "$HOLD"
tm send-keys f
check "after its owner exits, the connection is listed closed" wait_for "e2e-tcphold +\(closed\) .*127\.0\.0\.1:$CPORT " 5
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
