# Helpers for end-to-end tests: the real ebtop in an isolated tmux server,
# driven with send-keys and read back with capture-pane. Output is TAP.
set -u
: "${EBTOP:=build/ebtop}"
EBTOP=$(realpath "$EBTOP")
SOCK=ebtop-e2e-$$
N=0
FAILED=0
TMPD=$(mktemp -d /tmp/ebtop-e2e.XXXXXX)

tm() { tmux -L "$SOCK" "$@"; }

STARTED=() # every server start_shell made: a script may move SOCK on
cleanup() {
	for s in "${STARTED[@]}" "$SOCK"; do tmux -L "$s" kill-server 2>/dev/null; done
	[ -n "${SPIN_PID:-}" ] && kill "$SPIN_PID" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
check() { # label, command...
	local label=$1
	shift
	if "$@"; then ok "$label"; else not_ok "$label"; fi
}
finish() { echo "1..$N"; [ "$FAILED" -eq 0 ]; }

# A plain shell in a fresh tmux server: width, height, extra env assignments.
start_shell() {
	local w=$1 h=$2
	shift 2
	STARTED+=("$SOCK")
	tm -f /dev/null new-session -d -x "$w" -y "$h" \
		"env -i PATH=$PATH HOME=$TMPD LANG=${LANG_E2E:-C.UTF-8} TERM=${TERM_E2E:-xterm-256color} $* PS1='$ ' bash --norc --noprofile"
	tm set-option -g window-size manual >/dev/null
	wait_for '^\$ ?$' 5
}

screen() { tm capture-pane -p; }

# wait_for REGEX [SECONDS]: until the screen matches.
wait_for() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 10; i++)); do
		screen | grep -qE -- "$re" && return 0
		sleep 0.1
	done
	echo "# timed out waiting for /$re/; screen was:" >&2
	screen | sed 's/^/#   /' >&2
	return 1
}

type_line() { tm send-keys -l -- "$1"; tm send-keys Enter; }

# A busy process with a known comm, for the cpu pane.
start_spinner() {
	cp /usr/bin/yes "$TMPD/e2e-spinner"
	"$TMPD/e2e-spinner" >/dev/null &
	SPIN_PID=$!
}

# After ebtop exits: the prompt is back and the tty is sane (echo, icanon).
terminal_sane() {
	tm send-keys -l -- 'stty -a | tr " " "\n" | grep -xE "(-)?(icanon|echo)" | tr "\n" " "; echo'
	tm send-keys Enter
	wait_for '^icanon echo *$' 5
}
