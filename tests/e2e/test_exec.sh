#!/bin/bash
# The exec pane shows commands run elsewhere as they happen, newest at the
# bottom; an argv full of escape sequences is shown escaped and changes
# neither the terminal's title nor its contents; so is a comm made of them
# in the cpu pane. The commands run in the test's own cgroup and ebtop shows
# only that one (-c), so other execs on the machine cannot push them off.
. "$(dirname "$0")/lib.sh"

make_cgroup exec || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
run() { in_cgroup "$CG" "$1"; wait "$IN_CG_PID"; } # SCRIPT, in the cgroup
start_shell 120 30
tm rename-window keep-title >/dev/null
type_line "$EBTOP -v exec -c $CG; echo EXIT=\$?"
check "exec pane drawn" wait_for '^TIME.* PID .* ARGV' 10
run "/bin/echo e2e-exec-marker-$$ >/dev/null"
check "a command run elsewhere appears with its argv" wait_for "/bin/echo e2e-exec-marker-$$" 5
run "/nonexistent-e2e-cmd $$ 2>/dev/null"
check "a failed exec appears with ret -2" wait_for "^.* -2 .*/nonexistent-e2e-cmd $$" 5
run "/bin/true \$'\\e]0;pwned\\a' \$'\\e[2J\\e[H' esc-$$"
check "escape sequences in argv shown escaped" wait_for "/bin/true \\\\x1b\\]0;pwned\\\\x07 \\\\x1b\\[2J\\\\x1b\\[H esc-$$" 5
check "the pane title was not changed" [ "$(tm display -p '#{pane_title}')" != "pwned" ]
check "the screen was not cleared (tab bar still there)" eval "screen | head -1 | grep -q '1 cpu'"
last=$(screen | grep -E 'esc-[0-9]+|e2e-exec-marker|nonexistent-e2e-cmd' | tail -1)
check "newest exec is at the bottom" grep -q "esc-$$" <<<"$last"
# a busy process whose comm (its file name) is an OSC title sequence
tag=$((RANDOM % 90000 + 10000)) # comm keeps 15 bytes: 9 + 5 digits fit
evil=$'\e]0;evil\a'$tag
cp /usr/bin/yes "$TMPD/$evil"
in_cgroup "$CG" "exec \"$TMPD/$evil\" >/dev/null"
EVIL=$IN_CG_PID
tm send-keys /
tm send-keys -l 'evil'
tm send-keys Enter
check "its exec is shown escaped (found with /)" wait_for "0 +\\\\x1b\]0;evil\\\\x07$tag +/tmp/.*/\\\\x1b\]0;evil\\\\x07$tag *$" 5
tm send-keys 1
check "the cpu pane shows its comm escaped" wait_for "^ *$EVIL .* \\\\x1b\]0;evil\\\\x07$tag " 5
check "the pane title is still not changed" [ "$(tm display -p '#{pane_title}')" != "evil$tag" ]
kill "$EVIL"
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
