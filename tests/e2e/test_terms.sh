#!/bin/bash
# ebtop draws and quits cleanly on every common TERM, in UTF-8 and C locales:
# a fixture recording replayed as uid 65534, so every run draws the same.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }

base=$SOCK
for term in xterm xterm-256color screen linux vt100; do
	for lang in C.UTF-8 C; do
		SOCK=$base-$term-${lang//./}
		TERM_E2E=$term LANG_E2E=$lang start_shell 80 24
		type_line "$NOBODY $EBTOP -r $FX; echo EXIT=\$?"
		check "TERM=$term LANG=$lang: cpu pane drawn" wait_for '^ +4242 .* fx-hot ' 10
		tm send-keys q
		check "TERM=$term LANG=$lang: exits 0" wait_for '^EXIT=0' 5
		check "TERM=$term LANG=$lang: terminal sane" terminal_sane
		tm kill-server
	done
done
finish
