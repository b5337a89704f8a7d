#!/bin/bash
# SIGTERM, SIGHUP and SIGINT end ebtop cleanly and leave a sane terminal.
. "$(dirname "$0")/lib.sh"

start_shell 80 24
for sig in TERM HUP INT; do
	tm send-keys C-l
	type_line "$EBTOP; echo EXIT=\$?"
	wait_for 'every 1s' 10
	pid=$(pgrep -n -f "^$EBTOP\$")
	kill -"$sig" "$pid"
	check "SIG$sig: ebtop exits 0" wait_for '^EXIT=0' 5
	check "SIG$sig: terminal sane" terminal_sane
done
finish
