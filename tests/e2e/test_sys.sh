#!/bin/bash
# The sys pane: its programs are attached only while it is on screen (bpftool
# link state), and a known syscall-heavy process is at the top; P lists
# processes and Enter on one shows its own syscall mix.
. "$(dirname "$0")/lib.sh"

# sys_exit links the ebtop under test holds (another tracer's are not its own)
sys_links() { grep -lx 'tp_name:[[:space:]]*sys_exit' /proc/"$(pane_child)"/fdinfo/* 2>/dev/null | wc -l; }

make_cgroup sys || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
cp /bin/dd "$TMPD/e2e-sysload"
# in the test's own cgroup, shown alone (-c): another syscall-heavy process
# on the machine cannot lead the lists
in_cgroup "$CG" "exec '$TMPD/e2e-sysload' if=/dev/zero of=/dev/null bs=1 2>/dev/null"
LOAD=$IN_CG_PID
start_shell 120 30
type_line "$EBTOP -c $CG; echo EXIT=\$?"
wait_for 'PID .*COMMAND' 10
check "cpu pane shown: no sys_exit link ($(sys_links))" [ "$(sys_links)" -eq 0 ]
tm send-keys 3
check "sys pane drawn" wait_for '^SYS ' 5
check "sys pane shown: sys_exit attached ($(sys_links))" [ "$(sys_links)" -eq 1 ]
check "status says collection resumed" wait_for 'sys: collecting' 3
check "the syscall-heavy process leads the top list" wait_for "^top:  e2e-sysload\\($LOAD\\)" 5
check "read and write lead the syscall table" bash -c "tmux -L $SOCK capture-pane -p | grep -A2 'SYSCALL' | grep -qE ' (read|write) '"
tm send-keys P
check "P lists processes, the load first" wait_for "^ *$LOAD +e2e-sysload " 5
check "the selected row (black on cyan) is the load" bash -c "tmux -L $SOCK capture-pane -p -e | grep -m1 \"$LOAD e2e-sysload\" | grep -qF $'\e[46m'"
tm send-keys Enter
check "Enter filters to it" wait_for "\\| pid $LOAD" 5
check "and shows its own mix: syscalls again, read and write only" eval "
	wait_for 'SYSCALL' 5 &&
	[ \$(screen | sed -n '/SYSCALL/,/every/p' | grep -cE '^ +[0-9]+ [a-z_0-9]+ ') -le 3 ] &&
	screen | grep -A1 SYSCALL | grep -qE ' (read|write) '"
tm send-keys x
tm send-keys 1
sleep 0.5
check "back on cpu: sys_exit detached ($(sys_links))" [ "$(sys_links)" -eq 0 ]
check "status says collection paused" wait_for 'sys: collection paused' 3
tm send-keys 3
sleep 0.5
check "sys again: re-attached ($(sys_links))" [ "$(sys_links)" -eq 1 ]
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
kill "$LOAD"
finish
