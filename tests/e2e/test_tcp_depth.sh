#!/bin/bash
# The tcp pane's depth on the fixture recording, as a person reads it: RTT,
# retransmissions and connect time as columns placed by width, a refused
# connect listed as closed with its error, P for one row per process with
# its retransmit, connect and failure rates, Enter into one process's
# connections and Backspace back to the process table.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
run="$NOBODY env TZ=UTC $EBTOP -r $FX -v tcp"

at_size 160 50
type_line "$run; echo EXIT=\$?"
check "$AT: the tcp pane of the first frame" wait_for '^TCP 2 connections .* retrans 3/s$' 10
check "$AT: every column, RTT, RETR/s and CONN among them" \
	screen_has '^ +PID +COMM +STATE +TX/s▼ +RX/s +RTT +RETR/s +TX +RX +CONN +AGE +LOCAL +REMOTE$'
check "$AT: the hot connection: RTT 1.5 ms, 3 retransmits/s, connected in 800 us" \
	screen_has '^ +4242 fx-hot +ESTABLISHED +102KiB +410B +1\.5ms +3 +1\.00MiB +4\.00KiB +800\.0us '
check "$AT: the refused connect, a closed row saying so" \
	screen_has '^ +4242 fx-hot +\(refused\) .* 10\.0\.0\.5:50000 +10\.0\.0\.99:5432 *$'
check "$AT: the failed connects counted above the table" screen_has '^closed: 1 in the last minute.*failed connects 1 '
tm send-keys P
check "$AT: P: one row per process" \
	wait_for '^ +PID +COMM +CONNS +TX/s▼ +RX/s +RETR/s +CONN/s +FAILED$' 3
check "$AT: fx-hot: 1 connection, 3 retransmits/s, 1 connect/s, 1 failed" \
	screen_has '^ +4242 fx-hot +1 +102KiB +410B +3 +1 +1$'
check "$AT: fx-web-00 below it, its listener not counted" screen_has '^ +2000 fx-web-00 +1 +6\.40KiB +102KiB +0 +0 +0$'
tm send-keys Enter
check "$AT: Enter: fx-hot's own connections" \
	wait_for '^ +PID +COMM +STATE +TX/s▼ .*REMOTE$' 3
check "$AT: its live one and its refused one, no other process" \
	eval "screen_has '^ +4242 fx-hot +ESTABLISHED ' && screen_has '^ +4242 fx-hot +\\(refused\\) ' &&
	! screen_has 'fx-web-00 +ESTABLISHED'"
check "$AT: the breadcrumb names it" screen_has 'all > pid 4242'
tm send-keys P
check "$AT: P there: fx-hot alone" \
	eval "wait_for '^ +4242 fx-hot +1 ' 3 && ! screen_has 'fx-web-00'"
tm send-keys P
tm send-keys BSpace
check "$AT: Backspace: the process table again" \
	wait_for '^ +PID +COMM +CONNS +TX/s▼ +RX/s +RETR/s +CONN/s +FAILED$' 3
check "$AT: with both processes" screen_has '^ +2000 fx-web-00 +1 '
tm send-keys P
check "$AT: P again: connections" wait_for '^ +PID +COMM +STATE +TX/s▼ ' 3
tm send-keys q
check "$AT: q exits 0" wait_for '^EXIT=0' 5
tm kill-server

at_size 80 24
type_line "$run; echo EXIT=\$?"
check "$AT: owner, state, bytes and peer; the rest dropped by width" \
	wait_for '^ +PID +COMM +STATE +TX +RX +REMOTE +▶$' 10
check "$AT: the refused connect still reads as one" \
	screen_has '^ +4242 fx-hot +\(refused\) +0B +0B 10\.0\.0\.99:5432 *$'
tm send-keys Right Right
check "$AT: Right Right: RTT and RETR/s" wait_for '^ +PID +COMM +STATE +◀ +RTT +RETR/s +TX +RX ' 3
check "$AT: the hot connection's RTT and rate" screen_has '^ +4242 fx-hot +ESTABLISHED +1\.5ms +3 '
tm send-keys P
check "$AT: P fits the width: every process column" \
	wait_for '^ +PID +COMM +CONNS +TX/s▼ +RX/s +RETR/s +CONN/s +FAILED$' 3
tm send-keys q
check "$AT: q exits 0" wait_for '^EXIT=0' 5
finish
