#!/bin/bash
# Escape sequences as terminals send them, as raw bytes (send-keys -H): the
# xterm, VT220, rxvt and linux-console forms of Home, End, F1 and F10 work
# whatever TERM says; Insert, Delete and unknown sequences are dropped
# whole, never read as '[', '3', '~' (keys and prompt text), and so are
# mouse reports while a prompt is open (test_ui clicks);
# Esc alone cancels a prompt at once. On the exec pane, scoped to the
# test's own cgroup, Home stops following and End follows again.
. "$(dirname "$0")/lib.sh"

make_cgroup esc || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }

hex() { printf '%s' "$1" | od -An -tx1 | tr -s ' \n' '  '; }
bytes() { tm send-keys -H $(hex "$1"); } # one write of exactly these bytes

junk=($'\e[3~' $'\e[2~' $'\e[99~' $'\e[E' $'\eOj' $'\e[?1;2c' $'\e[1;5Q')
mice=($'\e[<0;10;5M' $'\e[M !!' $'\e[<0;3;1M')
homes=($'\e[1~' $'\e[7~' $'\e[H' $'\eOH')
ends=($'\e[4~' $'\e[8~' $'\e[F' $'\eOF')

base=$SOCK
for setup in "xterm-256color C.UTF-8 80 24" "linux C 120 40" "rxvt C.UTF-8 80 24"; do
	read -r term lang w h <<<"$setup"
	at="TERM=$term ${w}x$h"
	SOCK=$base-$term
	TERM_E2E=$term LANG_E2E=$lang start_shell "$w" "$h"
	type_line "$EBTOP -c $CG -v exec; echo EXIT=\$?"
	wait_for 'TIME.* ARGV' 10 >/dev/null 2>&1
	in_cgroup "$CG" 'for ((i = 1; i <= 5; i++)); do /bin/true esc-$i; done'
	wait "$IN_CG_PID"
	check "$at: exec pane with the test's execs" wait_for 'esc-5 *$' 10
	for s in "${junk[@]}"; do bytes "$s"; done
	tm send-keys /
	wait_for 'search: _' 3 >/dev/null 2>&1
	for s in "${junk[@]}" "${mice[@]}"; do bytes "$s"; done
	tm send-keys -l zz
	check "$at: no byte of $((${#junk[@]} + ${#mice[@]})) dropped sequences reached the prompt" \
		wait_for 'search: zz_' 3
	check "$at: nor switched the pane (still exec)" screen_has '^EXEC '
	bytes $'\e'
	check "$at: Esc alone cancels the prompt" wait_for 'every 1s' 1
	for i in 0 1 2 3; do
		bytes "${homes[i]}"
		check "$at: Home as $(printf %q "${homes[i]}") stops following" wait_for 'following off: End' 2
		bytes "${ends[i]}"
		check "$at: End as $(printf %q "${ends[i]}") follows again" \
			eval "wait_gone 'following off' 2 && screen_has 'esc-5 *\$'"
	done
	for f1 in $'\e[11~' $'\eOP' $'\e[[A'; do
		bytes "$f1"
		check "$at: F1 as $(printf %q "$f1") opens help" wait_for '^ebtop .* keys  ' 2
		tm send-keys q
		wait_for '^EXEC ' 3 >/dev/null 2>&1
	done
	bytes $'\e[21~'
	check "$at: F10 as ESC [ 2 1 ~ quits, exit 0" wait_for '^EXIT=0' 5
	tm kill-server
done
finish
