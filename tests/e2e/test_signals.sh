#!/bin/bash
# SIGTERM, SIGHUP and SIGINT end ebtop cleanly and leave a sane terminal;
# SIGPIPE is ignored (a write then fails with EPIPE, which ends ebtop
# cleanly: `ebtop --json - | head` exits 0); fatal signals (SIGSEGV,
# SIGABRT) restore the terminal and re-raise, so the shell sees them.
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
# the screen is drawn before the probes load: a signal then, or just
# after, ends ebtop as cleanly
tm send-keys C-l
type_line "$EBTOP; echo EXIT=\$?"
wait_for '^ 1 cpu ' 10
kill -TERM "$(pgrep -n -f "^$EBTOP\$")"
check "SIGTERM at once: ebtop exits 0" wait_for '^EXIT=0' 10
check "SIGTERM at once: terminal sane" terminal_sane
tm send-keys C-l
type_line "$EBTOP; echo EXIT=\$?"
wait_for 'every 1s' 10
kill -PIPE "$(pgrep -n -f "^$EBTOP\$")"
sleep 1
check "SIGPIPE: ignored, ebtop keeps running" wait_for 'every 1s' 2
tm send-keys q
check "SIGPIPE: q still exits 0" wait_for '^EXIT=0' 5
out=$("$EBTOP" --json - -d 0.2 2>&1 | head -c 1; echo " rc=${PIPESTATUS[0]}")
check "a closed output pipe (--json - | head) ends ebtop with status 0 ($out)" grep -q ' rc=0$' <<<"$out"
for sig in SEGV ABRT; do
	tm send-keys C-l
	type_line "ulimit -c 0; $EBTOP; echo EXIT=\$?"
	wait_for 'every 1s' 10
	pid=$(pgrep -n -f "^$EBTOP\$")
	kill -"$sig" "$pid"
	check "SIG$sig: re-raised, the shell sees 128+$(kill -l "$sig")" wait_for "^EXIT=$((128 + $(kill -l "$sig")))" 5
	check "SIG$sig: terminal sane" terminal_sane
done
finish
