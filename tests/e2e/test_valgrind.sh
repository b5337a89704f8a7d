#!/bin/bash
# valgrind --leak-check=full on a 10-refresh --json run: no definite leaks.
# (Memcheck does not know several bpf() commands, so its uninitialised-value
# reports about them are noise and are turned off; leaks are what is checked.)
. "$(dirname "$0")/lib.sh"

if ldd "$EBTOP" | grep -q libasan; then
	N=$((N + 1))
	echo "ok $N - valgrind leak check # SKIP valgrind cannot run an ASan build; the plain pass runs it"
	finish
	exit 0
fi
valgrind --leak-check=full --undef-value-errors=no --show-leak-kinds=definite \
	"$EBTOP" --json "$TMPD/out.json" -n 10 -d 0.2 >"$TMPD/vg" 2>&1
rc=$?
check "ebtop under valgrind exits 0 ($rc)" [ "$rc" -eq 0 ]
check "it wrote 10 documents ($(wc -l <"$TMPD/out.json"))" [ "$(wc -l <"$TMPD/out.json")" -eq 10 ]
summary=$(grep -E 'definitely lost:|no leaks are possible' "$TMPD/vg" | sed 's/^==[0-9]*== *//')
check "no definite leaks (${summary:-no summary})" \
	bash -c "grep -qE 'no leaks are possible|definitely lost: 0 bytes' <<<\"\$1\"" _ "$summary"
finish
