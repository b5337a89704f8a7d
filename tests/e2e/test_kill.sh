#!/bin/bash
# k (and F9) signals the selected process, only after a confirmation that
# names it: Esc and "n" send nothing, "y" sends what was chosen; a process
# that exits while the question is asked gets nothing, and says so; a
# replay refuses. The processes are the test's own, in its own cgroup (-c).
. "$(dirname "$0")/lib.sh"

make_cgroup kill || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
cp /usr/bin/yes "$TMPD/e2e-victim"
in_cgroup "$CG" "exec '$TMPD/e2e-victim' >/dev/null"
VICTIM=$IN_CG_PID
LOADS+=("$VICTIM")
start_shell 160 30 # the status line carries the long cgroup path
type_line "$EBTOP -c $CG; echo EXIT=\$?"
check "the victim is the top row" eval "wait_for '^ +$VICTIM .* e2e-victim ' 10 &&
	screen | grep -A1 'COMMAND' | tail -1 | grep -q e2e-victim"
tm send-keys k
check "k opens the menu for the selected process" wait_for "signal $VICTIM \\(e2e-victim\\)" 3
check "TERM first, chosen" screen_has '│ 1 TERM +ask it to end'
tm send-keys Escape
check "Esc closes it" wait_gone "signal $VICTIM" 3
tm send-keys F9
wait_for "signal $VICTIM" 3 >/dev/null
tm send-keys 2
check "2 chooses KILL and asks, naming pid and command" \
	wait_for "send SIGKILL to $VICTIM \\(e2e-victim\\)\\? y/N" 3
tm send-keys n
check "n: nothing sent" wait_for 'nothing sent' 3
check "the victim still runs" kill -0 "$VICTIM"
tm send-keys k Down Down Up Enter
check "Down Down Up Enter: KILL, asked" wait_for "send SIGKILL to $VICTIM" 3
tm send-keys Escape
check "Esc at the question: nothing sent" eval "wait_for 'nothing sent' 3 && kill -0 $VICTIM"
tm send-keys k Enter
wait_for "send SIGTERM to $VICTIM" 3 >/dev/null
tm send-keys y
check "y sends SIGTERM and says so" wait_for "sent SIGTERM to $VICTIM \\(e2e-victim\\)" 3
wait "$VICTIM"
check "the victim ended by SIGTERM" [ $? -eq 143 ]

# a process that exits while the question is asked is not signalled
in_cgroup "$CG" "exec '$TMPD/e2e-victim' >/dev/null"
SECOND=$IN_CG_PID
LOADS+=("$SECOND")
# the first one's row stays for the interval it ended in
check "the second victim is the only row" eval "wait_for '^ +$SECOND .* e2e-victim ' 10 &&
	wait_gone '^ +$VICTIM ' 5"
tm send-keys Home k Enter
wait_for "send SIGTERM to $SECOND" 3 >/dev/null
kill -KILL "$SECOND"
wait "$SECOND" 2>/dev/null
tm send-keys y
check "it exited first: not sent, and why" wait_for "SIGTERM not sent: pid $SECOND has exited" 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5

make_fixture || { echo "not ok - fixture.py wrote no fixture"; exit 1; }
clear_screen
type_line "$NOBODY $EBTOP -r $FX; echo EXIT=\$?"
wait_for 'REPLAY' 10 >/dev/null
tm send-keys k
check "a replay's processes ran elsewhere: k refuses" \
	wait_for 'signals go to live processes: this is a replay' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
