#!/bin/bash
# ebtop draws and quits cleanly on every common TERM, in UTF-8 and C locales.
. "$(dirname "$0")/lib.sh"

base=$SOCK
for term in xterm xterm-256color screen linux vt100; do
	for lang in C.UTF-8 C; do
		SOCK=$base-$term-${lang//./}
		TERM_E2E=$term LANG_E2E=$lang start_shell 80 24
		type_line "$EBTOP; echo EXIT=\$?"
		check "TERM=$term LANG=$lang: cpu pane drawn" wait_for 'PID .*COMMAND' 10
		tm send-keys q
		check "TERM=$term LANG=$lang: exits 0" wait_for '^EXIT=0' 5
		check "TERM=$term LANG=$lang: terminal sane" terminal_sane
		tm kill-server
	done
done
finish
