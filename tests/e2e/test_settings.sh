#!/bin/bash
# Settings that stay: keys change the pane, sort, theme and header; at exit
# they are written to ~/.config/ebtop/ebtoprc (0600, in a 0700 directory,
# by rename, no temporary left) and read at the next start; the command
# line wins over the file; a session that changes nothing leaves it as it
# was; --no-config neither reads nor writes; XDG_CONFIG_HOME and --config
# choose the file; a hostile file starts with one warning per bad line and
# is not rewritten unless something changed; a symlink is not followed.
# The screens are of a fixture recording (no kernel).
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
rc=$TMPD/.config/ebtop/ebtoprc
sum() { stat -c '%Y.%y %s' "$1" 2>/dev/null; md5sum <"$1" 2>/dev/null; }
# session ARGS KEYS: replay the fixture with ARGS, press KEYS, quit
session() {
	clear_screen
	type_line "$EBTOP -r $FX $1; echo EXIT=\$?"
	wait_for '^ REPLAY' 10 >/dev/null
	tm send-keys $2 q
	wait_for '^EXIT=0' 5 >/dev/null
}

start_shell 100 30 TZ=UTC
type_line "$EBTOP -r $FX; echo EXIT=\$?"
wait_for '^ REPLAY 10:00:00' 10 >/dev/null
tm send-keys 3
wait_for '^ +NR +SYSCALL ' 5 >/dev/null # its table is there to sort
tm send-keys '<' m a t
wait_for 'theme: [a-z0-9-]+$' 5 >/dev/null
theme=$(screen | sed -n 's/.*| theme: \([a-z0-9-]*\)$/\1/p')
tm send-keys q
check "at exit the settings are written" wait_for '^EXIT=0' 5
check "0600, in a 0700 directory" \
	[ "$(stat -c %a "$rc" 2>/dev/null)" = 600 -a "$(stat -c %a "${rc%/*}")" = 700 ]
check "no temporary file left" [ "$(ls -A "${rc%/*}")" = ebtoprc ]
check "with what the keys changed" eval "grep -qx 'pane = sys' '$rc' && grep -qx 'theme = ${theme:-?}' '$rc' &&
	grep -qx 'header = off' '$rc' && grep -qx 'sort.sys = SYSCALL' '$rc' && grep -qx 'delay = 1' '$rc' &&
	grep -qx 'cmdline = on' '$rc'"

clear_screen
before=$(sum "$rc")
type_line "$EBTOP -r $FX; echo EXIT=\$?"
check "read at start: the sys pane, sorted by SYSCALL, no header" \
	eval "wait_for '^SYS ' 10 && wait_for '^ +NR SYSCALL▼ ' 3 && ! screen_has '^Load '"
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null
check "a session that changes nothing leaves the file as it was" [ "$(sum "$rc")" = "$before" ]

clear_screen
type_line "$EBTOP -r $FX -v tcp; echo EXIT=\$?"
check "the command line wins: -v tcp" wait_for '^TCP ' 10
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null

clear_screen
type_line "$EBTOP -r $FX --no-config; echo EXIT=\$?"
check "--no-config: the defaults (cpu pane, header)" eval "wait_for '^CPU 16 cpus' 10 && screen_has '^Load '"
tm send-keys 4
wait_for '^TCP ' 3 >/dev/null
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null
check "--no-config: nothing written" [ "$(sum "$rc")" = "$before" ]

# hostile content: one warning a bad line, and the defaults for them
printf 'pane = exec\ndelay = 0\nbogus = 1\nheader = maybe\n=\n%s\n\001\000junk\nsort.cpu = #x\ntheme = no-such\n' \
	"$(head -c 5000 /dev/zero | tr '\0' x)" >"$rc"
before=$(sum "$rc")
clear_screen
type_line "$EBTOP -r $FX 2>$TMPD/warn; echo EXIT=\$?"
check "a hostile file: it starts, on the pane it names" wait_for '^EXEC ' 10
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null
check "with one warning per bad line ($(wc -l <"$TMPD/warn"))" eval "
	grep -q 'ebtoprc:2: bad delay' '$TMPD/warn' && grep -q ':3: unknown setting .bogus.' '$TMPD/warn' &&
	grep -q ':4: .maybe. is not on or off' '$TMPD/warn' && grep -q ':5: unknown setting' '$TMPD/warn' &&
	grep -q ':6: line too long' '$TMPD/warn' && grep -q ':7: binary data' '$TMPD/warn' &&
	grep -q ':8: a value cannot start with' '$TMPD/warn' &&
	grep -q 'unknown theme .no-such.*the default theme instead' '$TMPD/warn'"
check "and, nothing changed, it is left as it was" [ "$(sum "$rc")" = "$before" ]

# a symlink in its place is neither read nor replaced
rm "$rc"
ln -s /etc/hostname "$rc"
session "2>$TMPD/warn" 2
check "a symlinked file: the defaults, and it says why" grep -q 'cannot read settings .*the defaults instead' "$TMPD/warn"
check "and the link is left alone" [ -L "$rc" -a "$(readlink "$rc")" = /etc/hostname ]

# XDG_CONFIG_HOME, then --config
SOCK=$BASE_SOCK-xdg
start_shell 100 30 TZ=UTC XDG_CONFIG_HOME=$TMPD/xdg
session "" 5
check "XDG_CONFIG_HOME chooses the directory" grep -qx 'pane = exec' "$TMPD/xdg/ebtop/ebtoprc"
session "--config=$TMPD/mine.rc" 4
check "--config FILE: that file" grep -qx 'pane = tcp' "$TMPD/mine.rc"
clear_screen
type_line "$EBTOP -r $FX --config=$TMPD; echo EXIT=\$?"
check "--config of a directory: exit 2, saying so" \
	eval "wait_for 'cannot read settings .*not a regular file' 5 && wait_for '^EXIT=2' 3"
finish
