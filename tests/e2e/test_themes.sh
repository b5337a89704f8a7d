#!/bin/bash
# Themes on screen: each shipped theme draws the table header in its own
# colours (as tmux records them, capture-pane -e); NO_COLOR and a terminal
# without colour fall back to attributes only; an 8-colour terminal gets
# the nearest colours; t cycles themes live; a hostile theme file still
# starts, with warnings. The screens are of a fixture recording.
. "$(dirname "$0")/lib.sh"

# what is drawn comes from a fixture recording: the same rows every run
make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }

ESC=$'\e'
# header_line: the table header line of the screen, with its escapes
header_line() { tm capture-pane -p -e | grep -m1 'PID .*USER'; }

# theme, TERM, NO_COLOR, expected escape (a fixed string), label
try() {
	local theme=$1 term=$2 nc=$3 want=$4 label=$5 line
	# a tmux server of its own: a new one on a socket still closing can fail
	SOCK=ebtop-e2e-$$-$((++TRY))
	TERM_E2E=$term start_shell 120 20 ${nc:+NO_COLOR=$nc}
	type_line "$EBTOP -r $FX -t $theme"
	wait_for 'PID .*USER' 10 >/dev/null 2>&1
	line=$(header_line)
	check "$label: header drawn with $(printf %q "$want")" grep -qF -- "$want" <<<"$line"
	if [ "$want" = "${ESC}[0;7m" ]; then
		check "$label: no colour at all on screen" \
			bash -c "! tmux -L $SOCK capture-pane -p -e | grep -qE $'\e'\"\\[(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)\""
	fi
	tm send-keys q
	tm kill-server 2>/dev/null
}
TRY=0

try default xterm-256color "" "${ESC}[30m${ESC}[42m" "default"
try light xterm-256color "" "${ESC}[38;5;16m${ESC}[48;5;153m" "light (256 colours)"
try term16 xterm-256color "" "${ESC}[30m${ESC}[42m" "term16 (the terminal's palette)"
try high-contrast xterm-256color "" "${ESC}[30m${ESC}[107m" "high-contrast"
try mono xterm-256color "" "${ESC}[0;7m" "mono"
try default xterm-256color 1 "${ESC}[0;7m" "NO_COLOR=1"
try light vt100 "" "${ESC}[0;7m" "TERM=vt100 (no colour)"
try light xterm "" "${ESC}[30m${ESC}[47m" "light on an 8-colour terminal (nearest colours)"

SOCK=ebtop-e2e-$$-$((++TRY))
start_shell 120 20
type_line "$EBTOP -r $FX; echo EXIT=\$?"
wait_for 'PID .*USER' 10 >/dev/null
tm send-keys t
check "t switches to the next theme" wait_for 'theme: high-contrast' 3
check "and redraws in its colours" bash -c "tmux -L $SOCK capture-pane -p -e | grep -m1 'PID .*USER' | grep -qF $'\e[107m'"
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null

printf 'title = #zz0000\nbogus = red\nheader = 1,2,3,4\n%s\n\001\002\000junk\n' \
	"$(head -c 6000 /dev/zero | tr '\0' x)" >"$TMPD/hostile.theme"
clear_screen
type_line "$EBTOP -t $TMPD/hostile.theme -n 2 -d 0.2 2>$TMPD/warn; echo EXIT=\$?"
check "a hostile theme file starts anyway and exits 0" wait_for '^EXIT=0' 10
check "with one warning per bad line ($(wc -l <"$TMPD/warn"))" bash -c "
	grep -q 'hostile.theme:1: bad colour' $TMPD/warn && grep -q ':2: unknown role' $TMPD/warn &&
	grep -q ':3: more than three fields' $TMPD/warn && grep -q ':4: line too long' $TMPD/warn &&
	grep -q ':5: binary data' $TMPD/warn"
clear_screen
type_line "$EBTOP -t no-such-theme; echo EXIT=\$?"
check "an unknown theme name: exit 2 with the list" eval "wait_for \"unknown theme 'no-such-theme': use default, .*term16\" 5 && wait_for '^EXIT=2' 3"
finish
