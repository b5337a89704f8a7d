#!/bin/bash
# Live, the cpu pane with a known spinner on top, and a process of uid
# 65534 by its user name; pane switching; a resize; q restores a sane
# terminal, as does a start that fails once the screen is drawn. The
# loads run in the test's own cgroup, and ebtop shows only that one (-c):
# what else the machine runs cannot take the top row. What needs no kernel (help, sorting,
# search, sizes) is test_ui's, on a fixture recording.
. "$(dirname "$0")/lib.sh"

make_cgroup tui || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
cp /usr/bin/yes "$TMPD/e2e-spinner"
in_cgroup "$CG" "exec '$TMPD/e2e-spinner' >/dev/null"
in_cgroup "$CG" 'while :; do sleep 0.2; done'
chmod 755 "$TMPD"
in_cgroup "$CG" "exec setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'while :; do sleep 0.05; done'"
NOBODY_PID=$IN_CG_PID
start_shell 100 30
type_line "$EBTOP -c $CG; echo EXIT=\$?"
check "cpu pane shows the spinner" wait_for 'e2e-spinner' 10
sleep 1.2
check "spinner is the top row" eval "screen | grep -A1 'COMMAND' | tail -1 | grep -q e2e-spinner"
check "a process run as uid 65534 shows its name from /etc/passwd" \
	wait_for "^ +$NOBODY_PID nobody +1 .* sh " 5
tm send-keys a
check "a: the spinner's full command line" wait_for "^ +[0-9]+ root .* $TMPD/e2e-spinner *\$" 3
tm send-keys a
check "tab bar and status line drawn" eval "screen_has '1 cpu  2 runq' && screen_has 'every 1s \\| cgroup $CG'"
tm send-keys 3
check "3 switches to the sys pane" wait_for '^(SYS|sys pane)' 3
tm send-keys Tab
check "Tab goes to the tcp pane" wait_for '^(TCP|tcp pane)' 3
tm send-keys BTab BTab BTab
check "Shift-Tab back to cpu" wait_for '^CPU ' 3
tm resize-window -x 80 -y 24
check "drawn at 80x24 after a resize" wait_for '^ 1 cpu.* ebtop [0-9:]+ *$' 3
check "spinner still shown after resizes" wait_for 'e2e-spinner' 3
tm send-keys '?'
check "?: ebtop's own cost under the title, read while help shows" \
	wait_for "^ebtop's own cost: CPU [0-9.]+ ms/refresh, RSS [0-9.]+[KMG]iB, BPF maps [0-9.]+[KMG]iB, [0-9]+ lost\$" 5
check "?: without --self, why there is no BPF time" screen_has '^BPF time per probe: off \(ebtop --self'
tm send-keys '?'
check "? again leaves help" wait_for 'e2e-spinner' 3
tm send-keys q
check "q exits with status 0" wait_for '^EXIT=0' 5
check "terminal is sane after q" terminal_sane
clear_screen
type_line "$EBTOP --no-config --self -c $CG; echo EXIT=\$?"
check "--self: the cpu pane first" wait_for 'e2e-spinner' 10
tm send-keys '?'
check "--self: ? shows BPF time per probe" wait_for '^PROBE +BPF TIME/s +RUNS/s +PER RUN' 5
check "--self: the scheduler programs ran, with a time per run" \
	wait_for '^sched +[0-9.]+(ns|us|ms|s) +[0-9.]+[kM]? +[0-9.]+(ns|us|ms)' 5
tm send-keys q q
check "--self: q leaves help, q again exits 0" wait_for '^EXIT=0' 5
# The screen is drawn before the probes load; a start that then fails
# restores the terminal and says why on it.
clear_screen
type_line "EBTOP_FAIL_PROBE=cpu,runq,sys,tcp,exec,stack $EBTOP --no-config; echo EXIT=\$?"
check "no probe: exit status 1" wait_for '^EXIT=1' 10
check "no probe: the reason is on the restored terminal" \
	screen_has '^ebtop: cannot start any probe: .*disabled by EBTOP_FAIL_PROBE'
check "terminal is sane after the failed start" terminal_sane
finish
