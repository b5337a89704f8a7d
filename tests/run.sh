#!/bin/bash
# Run every test and print one summary line: "N passed, N failed, N skipped".
# Each test program speaks TAP ("ok", "not ok", "ok ... # SKIP why").
# EBTOP: the binary under test; TESTBIN: the built test programs.
# ONLY=pattern runs the tests whose file name matches.
set -u
cd "$(dirname "$0")/.."
: "${EBTOP:=build/ebtop}" "${TESTBIN:=build/tests}"
export EBTOP TESTBIN CMOCKA_MESSAGE_OUTPUT=TAP
pass=0 fail=0 skip=0
log=$(mktemp -d /tmp/ebtop-tests.XXXXXX)

run_one() { # name, command...
	local name=$1 out=$log/$1.tap
	shift
	case "$name" in *${ONLY:-}*) ;; *) return ;; esac
	echo "== $name"
	timeout 600 "$@" >"$out" 2>"$log/$name.err"
	local rc=$?
	local p f s
	p=$(grep -cE '^ok ' "$out" | tr -d ' ')
	s=$(grep -cE '^ok .*# ?SKIP' "$out" | tr -d ' ')
	f=$(grep -cE '^not ok ' "$out" | tr -d ' ')
	p=$((p - s))
	grep -E '^(not ok|ok .*# ?SKIP)' "$out" | sed 's/^/   /'
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "   not ok - $name exited with status $rc"
		tail -5 "$log/$name.err" | sed 's/^/   | /'
		f=$((f + 1))
	fi
	echo "   $p passed, $f failed, $s skipped"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

for t in "$TESTBIN"/test_*; do
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for t in "$TESTBIN"/bpf_*; do
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/test_*.sh; do
	run_one "$(basename "$t" .sh)" bash "$t"
done
echo "logs: $log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
