#!/bin/bash
# The UI as a person uses it, on a fixture recording (fixture.py) replayed
# as uid 65534: no kernel, no root, and every row known, so the checks are
# exact. At 80x24 and 120x40: each pane's header and rows, the status and
# key lines; sorting (< > r), search (/ n), help (? PgDn q), panes (1-5,
# Tab, Shift-Tab), time (] } { b), the mouse (tabs, headers, rows, double
# click, wheel; --no-mouse), resizes down to 20x5 and back.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
run="$NOBODY env TZ=UTC $EBTOP -r $FX"

at_size 80 24
type_line "$run; echo EXIT=\$?"
check "$AT: the first frame, stopped" wait_for '^ REPLAY 10:00:00  frame 1/20 stopped' 10
check "$AT: the header: two meters a line, user then system, to the edge" \
	screen_has '^0\[█{15}▓{8}▎ +75\.0%\] 1\[█{31}100\.0%\]$'
check "$AT: idle, and irq then steal" screen_has '^2\[ {32}0\.0%\] 3\[▒▒▒░░░▍ {25}20\.0%\]$'
check "$AT: load, tasks, uptime" screen_has '^Load 1\.50 0\.75 0\.25  Tasks 3/250  Up 2d 03:04$'
check "$AT: memory, swap, pressure (no io PSI recorded)" \
	screen_has '^Mem 1\.00GiB/4\.00GiB  Swap 0B/1\.00GiB  PSI cpu 12\.5% mem 0\.0%$'
check "$AT: the meters in colour (capture-pane -e)" \
	eval "screen -e | grep -m1 '0\\[' | grep -q $'\e\\[[0-9;]*3[0-9]m█'"
tm send-keys F5 Home
check "F5: the tree, each process under its parent" \
	eval "wait_for '^ +2000 www-data .* fx-web-00 ' 3 && screen | grep -A1 ' fx-web-00 ' | tail -1 |
	grep -q '^ *2001 www-data .* ├─ fx-web-01 '"
check "and the header shows no sort column" eval "! screen_has 'CPU%▼'"
tm send-keys T Home
check "T: the list again, sorted" wait_for '^ +PID +USER +THR +CPU%▼ ' 3
tm send-keys a
check "a: COMMAND LINE, the recorded arguments, to the edge" \
	wait_for '^ +4242 root +4 +90\.0 +900\.0ms +▇ /usr/sbin/fx-hot --workers=4 --li$' 3
check "a row with none recorded shows its name" screen_has '^ +2000 www-data +2 +40\.0 +400\.0ms +▄ fx-web-00 *$'
check "and the header says which" screen_has '^ +PID +USER +THR +CPU%▼ +ONCPU +TREND +COMMAND LINE *$'
tm send-keys a
check "a again: the name and the cgroup" wait_for '^ +PID +USER +THR +CPU%▼ +ONCPU +TREND +COMMAND +CGROUP' 3
tm send-keys m
check "m hides the header" wait_gone '^Load ' 3
check "and the pane moves up under the tabs" eval "screen | sed -n 2p | grep -q '^CPU 16 cpus'"
tm send-keys m
check "m shows it again" wait_for '^Load 1\.50' 3
check "$AT: the cpu header, sorted by CPU%" screen_has '^ +PID +USER +THR +CPU%▼ +ONCPU +TREND +COMMAND +CGROUP'
check "$AT: the busiest process on top" screen_has '^ +4242 root +4 +90\.0 +900\.0ms +▇ fx-hot +/system\.slice/fx-$'
check "$AT: the key line at the bottom" eval "screen | tail -1 | grep -q '^pPid cCgroup xClear'"
check "$AT: a long cgroup is cut to the width" eval "! screen | grep -q '.\{81\}'"
tm send-keys 2
check "$AT: runq: totals and the histogram" wait_for '^RUNQ 48 waits +p50 6\.0us +p90 600\.0us +p99 8\.0ms' 3
check "$AT: runq: bars in eighth blocks" \
	eval "screen_has '^   4\\.0us \\.\\. 8\\.0us +30 \\|█{40}$' && screen_has '^ 256\\.0us \\.\\. 512\\.0us +5 \\|█{6}▋$'"
check "$AT: runq: the pane's own lines push the header away" eval "! screen_has '^Load '"
tm send-keys 3
check "$AT: sys: read is the top syscall" wait_for '^ +0 read +8\.00k +8000' 3
tm send-keys Tab
check "$AT: Tab: tcp: the client row, 1 MiB sent" \
	wait_for '^ +4242 fx-hot +ESTABLISHED .*1\.00MiB +4\.00KiB' 3
check "$AT: and the IPv6 one" screen_has '^ +2000 fx-web-00 +ESTABLISHED .*\[2001:db8::77\]:40000'
tm send-keys Tab
check "$AT: Tab: exec: the frame's execs, ARGV cut at the edge" \
	wait_for '^09:59:59\.150 +5001 +4242 0 +0 fx-job +/usr/bin/fx-job fx-jo$' 3
check "$AT: exec: a recorded user name; a uid's number where none was recorded" \
	screen_has '^09:59:59\.050 +5000 +4242 root +0 fx-job '
tm send-keys BTab BTab BTab BTab
check "$AT: Shift-Tab back to cpu" wait_for '^CPU 16 cpus' 3

# time
tm send-keys ']'
check "] the next frame: its own numbers" wait_for '^ +4242 root +4 +90\.5 ' 3
check "and the status line follows" screen_has 'frame 2/20'
tm send-keys '}'
check "} a minute on: the last frame" wait_for 'frame 20/20' 3
check "TREND: eight refreshes of CPU, a steady one level, a rising one to the top" \
	eval "screen_has '^ +4242 root +4 +99\\.5 +995\\.0ms ████████ fx-hot ' &&
	screen_has '^ +2000 www-data +2 +40\\.0 +400\\.0ms ▄{8} fx-web-00 '"
tm send-keys '{'
check "{ a minute back: the first" wait_for 'frame 1/20' 3
tm send-keys b
tm send-keys -l 10:00:05
tm send-keys Enter
check "b 10:00:05: that frame" wait_for 'REPLAY 10:00:05  frame 6/20' 3

# sorting
tm send-keys '<'
check "< sorts by the previous column (THR)" wait_for '^ +PID +USER +THR▼ +CPU% ' 3
check "and the rows follow: 4 threads first" screen_has '^ +4242 root +4 '
tm send-keys '<' '<'
check "<< by PID, largest first" wait_for '^ +PID▼ ' 3
check "the largest PID on top" eval "screen | grep -A1 'PID▼' | tail -1 | grep -q '^ *4301 '"
tm send-keys r
check "r reverses" wait_for '^ +PID▲ ' 3
check "the selection follows its row (fx-hot, now near the end) into view" \
	eval "screen_has '^ +4242 ' && ! screen_has '^ +2000 '"
tm send-keys Home
check "Home: the smallest PID on top" \
	eval "wait_for '^ +2000 ' 3 && screen | grep -A1 'PID▲' | tail -1 | grep -q '^ *2000 '"
tm send-keys '>' '>' '>' r
check ">>> r: back to CPU%, largest first" wait_for '^ +PID +USER +THR +CPU%▼ ' 3

# search
check "fx-needle is below the fold" eval "! screen_has fx-needle"
tm send-keys /
tm send-keys -l needle
tm send-keys Enter
check "/needle scrolls to it; a long user name is cut with a +" wait_for '^ +4300 alice-t\+ +1 +0\.1 .*fx-needle' 3
tm send-keys /
tm send-keys -l nothing-here
tm send-keys Enter
check "a search with no match says so" wait_for 'not found: nothing-here' 3

# htop's keys: F6 is a sort menu, F3 searches, F4 (or \) shows only the
# rows that match
tm send-keys F6
check "F6: a menu of the columns, the sort column chosen" \
	eval "wait_for '┌─ sort by ─' 3 && screen_has '│ 4 CPU% +│' && screen_has '│ 1 PID +│'"
tm send-keys Down Enter
check "Down Enter sorts by the next column (ONCPU)" wait_for '^ +PID +USER +THR +CPU% +ONCPU▼ ' 3
check "and the menu is gone" eval "! screen_has '┌─ sort by '"
tm send-keys F6 4
check "4 chooses CPU% at once" wait_for '^ +PID +USER +THR +CPU%▼ ' 3
tm send-keys F6 Escape
check "Esc: no change" eval "wait_gone '┌─ sort by ' 3 && screen_has '^ +PID +USER +THR +CPU%▼ '"
tm send-keys F3
check "F3 opens the search prompt" wait_for '^ search: _' 3
tm send-keys Escape '\'
tm send-keys -l fx-web-1
tm send-keys Enter
check "\\ fx-web-1: only its ten rows, and the status says so" \
	eval "wait_for \"rows matching 'fx-web-1'\" 3 &&
	[ \$(screen | grep -c '^ *20[0-9][0-9] .*fx-web-1[0-9] ') -eq 10 ] && ! screen_has 'fx-hot|fx-web-0'"
tm send-keys F4 C-u Enter
check "F4 with an empty text: every row again" \
	eval "wait_gone 'rows matching' 3 && [ \$(screen | grep -c '^ *[0-9]\+ [a-z].* fx-') -gt 10 ]"

# help
tm send-keys '?'
check "? help: the key table" wait_for '^ *KEY +ACTION' 3
check "with the keys of the registry" screen_has 'next / previous pane'
tm send-keys NPage NPage NPage
check "PgDn scrolls it to its end" wait_for '^ *q F10 C-c +quit' 3
tm send-keys q
check "q leaves help; ebtop still runs" wait_for '^ +PID +USER' 3

# the mouse, as xterm reports it (SGR: ESC [ < button ; x ; y M, from 1)
click() { tm send-keys -l $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }
check "the mouse is asked for, in SGR form" \
	[ "$(tm display -p '#{mouse_sgr_flag}#{mouse_standard_flag}')" = 11 ]
click 18 1 # " 3 sys "
check "a click on a tab switches pane" wait_for '^SYS ' 3
click 3 1
wait_for '^CPU 16 cpus' 3 >/dev/null
click 5 8 # the table's header line, on PID
check "a click on a column header sorts by it" wait_for '^ +PID▼ ' 3
click 5 8
check "again reverses" wait_for '^ +PID▲ ' 3
tm send-keys Home
click 20 11 # the third row
tm send-keys Enter
check "a click selects a row (Enter filters to it)" wait_for 'filter \(replay\): pid 2002 \| all > ' 3
tm send-keys x
wait_gone 'filter \(replay\)' 3 >/dev/null
tm send-keys -l $'\e[<0;20;10M\e[<0;20;10m\e[<0;20;10M\e[<0;20;10m'
check "a double click is Enter" wait_for 'filter \(replay\): pid 2001 \| all > ' 3
tm send-keys x Home
wait_gone 'filter \(replay\)' 3 >/dev/null
tm send-keys -l $'\e[<65;20;12M'
tm send-keys Enter
check "the wheel scrolls three rows a notch" wait_for 'filter \(replay\): pid 2003 \| all > ' 3
tm send-keys x

# sizes
for size in "120 40" "40 10" "20 5" "80 24"; do
	tm resize-window -x "${size% *}" -y "${size#* }"
	check "drawn at ${size/ /x} after a resize" wait_for '^ 1 cpu' 3
done
tm resize-window -x 120 -y 40
check "120x40: more rows on screen" wait_for '^ +2025 www-data +2 .*fx-web-25' 3
check "120x40: four meters on one line, the figures on one" \
	eval "screen_has '^0\\[.*75\\.0%\\] 1\\[.*100\\.0%\\] 2\\[.*0\\.0%\\] 3\\[.*20\\.0%\\]$' &&
	screen_has '^Load .* Up 2d 03:04  Mem 1\\.00GiB/4\\.00GiB .*PSI cpu 12\\.5%'"
tm send-keys 4
check "120x40: tcp shows rates, RTT and retransmits; LOCAL, CONN and AGE are left out" \
	wait_for '^ +PID +COMM +STATE +TX/s▼ +RX/s +RTT +RETR/s +TX +RX +REMOTE +▶$' 3
tm send-keys 2
check "120x40: runq: the heat map, a cell per interval (frame 6: six)" \
	wait_for '^   4\.0us\+ ▓▓▓▓▓█$' 3
check "120x40: and its legend, waits a cell per level" screen_has '^   waits: ░ 1  ▒ 2-10  ▓ 11-44  █ 45$'
check "120x40: the heat cells in colour" eval "screen -e | grep -m1 '[^0-9]4\\.0us+' | grep -qE $'\e\\[3[0-9]m(\e\\[[0-9;]*m)*▓'"
check "120x40: room for the header too" screen_has '^Load '
tm send-keys 4
tm resize-window -x 80 -y 24
check "80x24 again: they are dropped, with a marker" wait_for '^ +PID +COMM +STATE +TX +RX +REMOTE +▶$' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
check "the terminal is sane" terminal_sane

# --no-mouse leaves the mouse to the terminal
SOCK=$BASE_SOCK-nomouse
start_shell 80 24
type_line "$run --no-mouse; echo EXIT=\$?"
wait_for '^ REPLAY 10:00:00' 10 >/dev/null
check "--no-mouse: no mouse reports asked for" \
	[ "$(tm display -p '#{mouse_sgr_flag}#{mouse_standard_flag}')" = 00 ]
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null
check "and after q, none either" [ "$(tm display -p '#{mouse_standard_flag}')" = 0 ]

# LANG=C: ASCII only
SOCK=$BASE_SOCK-c
LANG_E2E=C start_shell 80 24
type_line "$run; echo EXIT=\$?"
check "LANG=C: drawn" wait_for '^ REPLAY 10:00:00' 10
check "LANG=C: no byte outside ASCII on screen" eval "! screen | LC_ALL=C grep -q '[^ -~]'"
check "LANG=C: TREND in characters" screen_has '^ +2000 www-data +2 +40\.0 +400\.0ms +- fx-web-00 '
tm send-keys 2
check "LANG=C: runq bars in characters" wait_for '^   4\.0us \.\. 8\.0us +30 \|\*{40}$' 3
check "LANG=C: no byte outside ASCII on the runq pane" eval "! screen | LC_ALL=C grep -q '[^ -~]'"
tm send-keys 1
check "LANG=C: meters in characters: | user, + system, * irq, ! steal" \
	eval "wait_for '^0\\[\\|{15}\\+{8} +75\\.0%\\] 1\\[\\|{31}100\\.0%\\]$' 3 &&
	screen_has '^2\\[ +0\\.0%\\] 3\\[\\*{3}!{3} +20\\.0%\\]$'"
tm send-keys q
check "LANG=C: q exits 0" wait_for '^EXIT=0' 5
finish
