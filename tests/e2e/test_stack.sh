#!/bin/bash
# The stack pane as a person uses it, on the fixture recording (fx-hot: 60
# samples in hot_a, 20 in hot_b's write() in the kernel; fx-web-00: 20 in
# parse_json, of 100): the table, F for the flame graph with its widths and
# colours, its zoom and search, F back, at 80x24 and 120x40, in colour and
# on a mono terminal;
# -v stack, key 6 and Enter to the process; S from the cpu pane.
. "$(dirname "$0")/lib.sh"

make_fixture 3 || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
run="$NOBODY env TZ=UTC $EBTOP -r $FX -v stack"

for size in "80 24" "120 40"; do
	at_size $size
	width=${size% *}
	type_line "$run; echo EXIT=\$?"
	check "$AT: -v stack: the title line" wait_for '^STACK on-CPU  49 Hz  100 samples  3 stacks' 10
	check "$AT: the tab is there" screen_has '5 exec +6 stack'
	check "$AT: the busiest stack first, leaf first" \
		screen_has '^ +60\.0 +60 +4242 fx-hot +hot_a < fx_serve < main < _start'
	check "$AT: a kernel frame, marked" \
		screen_has '^ +20\.0 +20 +4242 fx-hot +ksys_write_\[k\] < entry_SYSCALL_64_\[k\] < w'
	tm send-keys F
	check "$AT: F: the flame graph, all samples on top" wait_for '^all *$' 3
	# the line of hot_a: fx-hot's 80 samples are the first 80% of the width,
	# hot_a 60 of them; hot_b follows, then fx-web-00's frames
	line=$(screen | grep -m1 'hot_a')
	a=$(awk -v l="$line" 'BEGIN { print index(l, "hot_a") - 1 }')
	b=$(awk -v l="$line" 'BEGIN { print index(l, "hot_b") - 1 }')
	p=$(awk -v l="$line" 'BEGIN { print index(l, "parse_json") - 1 }')
	check "$AT: hot_a at 0, hot_b at 60%, parse_json at 80% of $width (at $a, $b, $p)" \
		bash -c "[ $a = 0 ] && [ $b = $((width * 60 / 100)) ] && [ $p = $((width * 80 / 100)) ]"
	check "$AT: the kernel frames below hot_b, without their mark" \
		eval "screen_has '^ {$((width * 60 / 100))}ksys_write( |$)' && ! screen_has 'ksys_write_\\[k\\]'"
	ctl capture-pane -p -e
	user=$(printf '%s\n' "${CTL_LINES[@]}" | grep -m1 'hot_a')
	kernel=$(printf '%s\n' "${CTL_LINES[@]}" | grep -m1 'ksys_write')
	check "$AT: user frames on yellow, kernel ones on red (default theme)" \
		bash -c '[[ $1 == *$'"'"'\e[43m'"'"'* && $2 == *$'"'"'\e[41m'"'"'* ]]' _ "$user" "$kernel"
	# Down to the widest callee each time: fx-hot, _start, main, fx_serve
	tm send-keys Down Down Down Down Enter
	check "$AT: Enter zooms into fx_serve, its callers named above" \
		wait_for '^in all > fx-hot > _start > main$' 3
	line=$(screen | grep -m1 'hot_a')
	b=$(awk -v l="$line" 'BEGIN { print index(l, "hot_b") - 1 }')
	check "$AT: zoomed, hot_a at 0 and hot_b at 75% of $width (at $b)" \
		bash -c "[[ '$line' == hot_a* ]] && [ $b = $((width * 75 / 100)) ]"
	tm send-keys Down Right
	check "$AT: Down, Right: hot_b selected, its share of all and of the zoom" \
		wait_for '^hot_b: 20 samples, 20\.0% \(25\.0% of fx_serve\)' 3
	tm send-keys / w r i t e Enter
	check "$AT: /write: the share of the frames that match" wait_for '"write": 20\.0%' 3
	ctl capture-pane -p -e
	marked=$(printf '%s\n' "${CTL_LINES[@]}" | grep -m1 'write')
	check "$AT: the match on magenta, the selection on cyan" \
		bash -c '[[ $1 == *$'"'"'\e[45m'"'"'* ]] && printf "%s\n" "${@:2}" | grep hot_b | grep -q $'"'"'\e\[46m'"'"'' \
		_ "$marked" "${CTL_LINES[@]}"
	tm send-keys / Enter BSpace BSpace BSpace BSpace
	check "$AT: Backspace four times: out to all again" \
		eval "wait_gone '^in all' 3 && screen_has '^all *\$'"
	tm send-keys F
	check "$AT: F again: the table" wait_for '^SHARE%' 3
	tm send-keys o
	check "$AT: o in a replay: the recorded mode stays" wait_for 'stack: a replay shows the mode' 3
	tm send-keys ] ]
	check "$AT: ] ]: the third frame, recorded off-CPU" \
		wait_for '^STACK off-CPU  blocks of 1000 us or more: 3, 2\.0+s in all' 3
	check "$AT: time blocked by stack, its share of all" \
		screen_has '^ +75\.0 +1\.50*s +4242 fx-hot +do_sys_poll_\[k\] < poll < fx_serve'
	tm send-keys [ [ Home Enter
	check "$AT: Enter on a row filters to its process" wait_for 'pid 4242' 3
	tm send-keys q
	check "$AT: q leaves with status 0" wait_for '^EXIT=0' 5
done

# S from the cpu pane: the stacks of the selected process, and back
SOCK=$BASE_SOCK-s AT=S
start_shell 80 24
type_line "$NOBODY env TZ=UTC $EBTOP -r $FX -v cpu --no-config; echo EXIT=\$?"
check "S: the cpu pane, fx-hot on top" wait_for '^ +4242 .* fx-hot ' 10
tm send-keys Home S
check "S: the stack pane, only fx-hot's two stacks, their shares of its samples" \
	eval "wait_for '^STACK on-CPU  49 Hz  80 samples  2 stacks' 3 &&
	screen_has '^ +75\\.0 +60 +4242 fx-hot +hot_a' && ! screen_has 'fx-web-00'"
check "S: filtered to it" screen_has 'filter \(replay\): pid 4242'
tm send-keys BSpace
check "S, Backspace: the cpu pane, unfiltered" \
	eval "wait_for '^ +PID USER ' 3 && wait_gone 'filter \\(replay\\)' 3 && screen_has 'fx-web-00'"
tm send-keys q
check "S: q leaves with status 0" wait_for '^EXIT=0' 5
tm kill-server

# no colour, no UTF-8: the frames still part by a blank cell each
SOCK=$BASE_SOCK-mono AT=mono
TERM_E2E=vt100 LANG_E2E=C start_shell 80 24
type_line "NO_COLOR=1 $run; echo EXIT=\$?"
check "mono: the table" wait_for '^ +60\.0 +60 +4242 fx-hot' 10
tm send-keys F
check "mono: the flame graph" wait_for '^all *$' 3
check "mono: hot_a, a blank, then hot_b at 48" \
	eval "screen | grep -m1 hot_a | grep -Eq '^hot_a {42} hot_b '"
tm send-keys 6 q
check "mono: q leaves with status 0" wait_for '^EXIT=0' 5
check "to a sane terminal" terminal_sane
finish
