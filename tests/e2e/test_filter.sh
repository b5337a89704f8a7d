#!/bin/bash
# Runtime filters from the keyboard: p + pid narrows the cpu pane to that
# process and the status line says so; a bogus pid is refused and the old
# filter stays; x clears; c with a bad path is refused; C takes the
# selected process's cgroup.
. "$(dirname "$0")/lib.sh"

start_spinner
cp /usr/bin/yes "$TMPD/e2e-other"
"$TMPD/e2e-other" >/dev/null &
OTHER=$!
start_shell 120 30
type_line "$EBTOP; echo EXIT=\$?"
check "both loads shown unfiltered" eval "wait_for 'e2e-spinner' 10 && wait_for 'e2e-other' 5"
tm send-keys p
check "p opens the PID prompt" wait_for 'PID filter: _' 3
tm send-keys -l "$SPIN_PID"
tm send-keys Enter
check "status line shows the pid filter" wait_for "\\| pid $SPIN_PID" 5
sleep 2.5
check "the filtered process is shown" wait_for "e2e-spinner" 5
check "the other process is gone" bash -c "! tmux -L $SOCK capture-pane -p | grep -q e2e-other"
tm send-keys p C-u
tm send-keys -l "abc"
tm send-keys Enter
check "a non-numeric pid is refused with a message" wait_for "invalid pid list 'abc'.*filter unchanged" 3
check "the old filter stays" wait_for "\\| pid $SPIN_PID" 2
tm send-keys p C-u
tm send-keys -l "2147483647"
tm send-keys Enter
check "a pid that does not exist is refused" wait_for "pid 2147483647 does not exist" 3
tm send-keys c
tm send-keys -l "/no/such/cgroup"
tm send-keys Enter
check "a bad cgroup is refused" wait_for "no such cgroup: /no/such/cgroup" 3
tm send-keys c C-u
tm send-keys -l "/sys/fs/cgroup/cpu"
tm send-keys Enter
check "a cgroup v1 path is refused" wait_for "not a cgroup v2 directory" 3
tm send-keys C
check "C filters to the selected process's cgroup" wait_for "\\| pid $SPIN_PID \\| cgroup /sys/fs/cgroup[^ ]*$(sed -n 's/^0::\/\?//p' /proc/$SPIN_PID/cgroup)" 3
tm send-keys c C-u Enter
check "an empty cgroup prompt clears the cgroup only" wait_for "\\| pid $SPIN_PID( \\| [^c]|$)" 3
tm send-keys p
wait_for 'PID filter: ' 3 >/dev/null
tm send-keys Escape x
check "Esc cancels the prompt, and x right after it is not lost" wait_for 'no filter' 3
check "x clears the filter (status line)" wait_for 'filters cleared' 3
check "the other process is back" wait_for 'e2e-other' 5
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
kill "$OTHER"
finish
