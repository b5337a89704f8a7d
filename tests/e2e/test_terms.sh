#!/bin/bash
# ebtop draws and quits cleanly on every common TERM, in UTF-8 and C
# locales, at 80x24 and 160x50: a fixture recording replayed as uid 65534,
# so every run draws the same. The header has a meter per CPU of the
# recording (four); block graphics only where the locale is UTF-8 and the
# terminal is not the linux console or a VT, ASCII forms elsewhere; the
# run-queue heat map is in colour on a 256-colour terminal and has none
# on a vt100.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
base=$SOCK
for term in xterm xterm-256color screen screen-256color linux vt100; do
	for lang in C.UTF-8 C; do
		for size in "80 24" "160 50"; do
			at="TERM=$term LANG=$lang ${size/ /x}"
			SOCK=$base-$term-${lang//./}-${size/ /x}
			TERM_E2E=$term LANG_E2E=$lang start_shell $size TZ=UTC
			type_line "$NOBODY $EBTOP -r $FX; echo EXIT=\$?"
			check "$at: cpu pane drawn" wait_for '^ +4242 .* fx-hot ' 10
			check "$at: the header: a meter for each of the 4 CPUs" \
				[ "$(screen | sed -n 2,3p | grep -o '[0-3]\[' | wc -l)" -eq 4 ]
			blocks=no
			[ "$lang" = C.UTF-8 ] && [[ $term != linux* && $term != vt* ]] && blocks=yes
			if [ $blocks = yes ]; then
				check "$at: meters in blocks" screen_has '^0\[█+▓+'
			else
				check "$at: meters in ASCII" screen_has '^0\[\|+\++ '
			fi
			if [ "${size% *}" = 160 ]; then
				tm send-keys 2
				wait_for '^   waits: ' 3 >/dev/null
				line=$(screen -e | grep -m1 '[^0-9]4\.0us+')
				case $term in
				*-256color)
					check "$at: heat cells in colour" \
						grep -qE $'\e\\[3[0-9]m(\e\\[[0-9;]*m)*[█#]' <<<"$line" ;;
				vt100)
					check "$at: heat cells without colour, in ASCII" \
						eval "! grep -qE $'\e\\\\[(3[0-7]|38;)' <<<\"\$line\" && screen_has '^   4\\.0us\\+ #\$'" ;;
				esac
			fi
			tm send-keys q
			check "$at: exits 0" wait_for '^EXIT=0' 5
			check "$at: terminal sane" terminal_sane
			tm kill-server
		done
	done
done
finish
