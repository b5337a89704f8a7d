#!/bin/bash
# Bad usage: one clear line, exit 2, never a curses screen left behind.
# Headless modes: --batch and --json outputs, non-tty fallback.
. "$(dirname "$0")/lib.sh"

expect_usage() { # label, expected message, args...
	local label=$1 msg=$2 out rc
	shift 2
	out=$("$EBTOP" "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$msg" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
		ok "$label: exit 2, '$out'"
	else
		not_ok "$label: exit $rc, '$out' (want 2 and '$msg')"
	fi
}
expect_usage "-d 0" "invalid delay '0'" -d 0
expect_usage "-v nope" "unknown view 'nope'" -v nope
expect_usage "-n -1" "invalid iteration count '-1'" -n -1
expect_usage "bogus pid" "pid 2147483647 does not exist" -p 2147483647
expect_usage "unknown theme" "unknown theme 'nope'" -t nope
expect_usage "unwritable --json" "cannot write --json file /nonexistent/x.json" --json /nonexistent/x.json
expect_usage "no such cgroup" "no such cgroup: /no/such/group" -c /no/such/group

if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$EBTOP" -b -n 1 2>&1 </dev/null)
	rc=$?
	check "not root: exit 1 with 'needs root or CAP_BPF+CAP_PERFMON' ($out)" \
		bash -c "[ $rc -eq 1 ] && grep -q 'needs root or CAP_BPF+CAP_PERFMON' <<<\"\$1\"" _ "$out"
else
	N=$((N + 1)); echo "ok $N - not root # SKIP setpriv (util-linux) missing"
fi

out=$("$EBTOP" --batch -n 2 -d 0.3 </dev/null)
check "--batch -n 2 prints two frames" [ "$(grep -c '^ebtop .* cpu pane' <<<"$out")" -eq 2 ]
check "--batch frames have the cpu table" grep -q 'PID .*CPU%.*COMMAND' <<<"$out"
check "--batch output has no escape sequences" bash -c "! grep -q $'\x1b' <<<\"\$1\"" _ "$out"

"$EBTOP" --json "$TMPD/out.json" -n 2 -d 0.3 </dev/null
check "--json FILE: two lines" [ "$(wc -l <"$TMPD/out.json")" -eq 2 ]
check "--json FILE: schema ebtop/1 on each line" [ "$(grep -c '"schema":"ebtop/1"' "$TMPD/out.json")" -eq 2 ]

out=$("$EBTOP" -n 1 -d 0.3 2>&1 </dev/null)
check "not a tty: falls back to --batch and says so" grep -q 'not a terminal' <<<"$out"

start_shell 80 24
type_line "$EBTOP -d 0; echo EXIT=\$?"
check "bad usage in a terminal: exit 2" wait_for '^EXIT=2' 5
check "bad usage: message on screen" wait_for "invalid delay '0'" 2
check "bad usage: terminal sane" terminal_sane
finish
