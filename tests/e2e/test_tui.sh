#!/bin/bash
# The cpu pane with a known spinner on top; help; pane switching; resizes
# down to 20x5; q restores a sane terminal.
. "$(dirname "$0")/lib.sh"

start_spinner
start_shell 100 30
type_line "$EBTOP; echo EXIT=\$?"
check "cpu pane shows the spinner" wait_for 'e2e-spinner' 10
sleep 1.2
check "spinner is the top row" bash -c "tmux -L $SOCK capture-pane -p | grep -A1 'COMMAND' | tail -1 | grep -q e2e-spinner"
check "tab bar and status line drawn" bash -c "tmux -L $SOCK capture-pane -p | grep -q '1 cpu  2 runq' && tmux -L $SOCK capture-pane -p | grep -q 'every 1s | no filter'"
tm send-keys '?'
check "? opens help generated from the key table" wait_for 'snapshot all panes to JSON' 3
tm send-keys q
check "q leaves help, ebtop still runs" wait_for 'COMMAND' 3
tm send-keys 3
check "3 switches to the sys pane" wait_for '^(SYS|sys pane)' 3
tm send-keys Tab
check "Tab goes to the tcp pane" wait_for '^(TCP|tcp pane)' 3
tm send-keys BTab BTab BTab
check "Shift-Tab back to cpu" wait_for '^CPU ' 3
for size in "40 10" "20 5" "100 30"; do
	tm resize-window -x "${size% *}" -y "${size#* }"
	sleep 0.5
	check "drawn at ${size/ /x} after resize" bash -c "tmux -L $SOCK capture-pane -p | head -1 | grep -q '1 cpu'"
done
check "spinner still shown after resizes" wait_for 'e2e-spinner' 3
tm send-keys q
check "q exits with status 0" wait_for '^EXIT=0' 5
check "terminal is sane after q" terminal_sane
finish
