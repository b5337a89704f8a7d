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

# The screen is read through one long-lived control-mode client of the
# test's tmux server, and waits sleep on a pipe nobody writes: a poll
# starts no process, so polling adds nothing to the exec stream, the cpu
# pane or the run queue that the test is reading.
CTL_PID="" CTL_IN="" CTL_OUT=""
mkfifo "$TMPD/nap"
exec {NAP}<>"$TMPD/nap"
nap() { read -r -t "$1" -u "$NAP" || true; }

ctl_close() {
	[ -n "$CTL_PID" ] || return 0
	exec {CTL_IN}>&- {CTL_OUT}<&-
	kill "$CTL_PID" 2>/dev/null
	wait "$CTL_PID" 2>/dev/null
	CTL_PID=""
}

ctl_open() {
	local f=$TMPD/ctl-$SOCK
	ctl_close
	rm -f "$f.in" "$f.out"
	mkfifo "$f.in" "$f.out"
	exec {CTL_IN}<>"$f.in" {CTL_OUT}<>"$f.out"
	tmux -L "$SOCK" -C attach -f ignore-size,no-output <"$f.in" >"$f.out" 2>/dev/null &
	CTL_PID=$!
}

# ctl CMD...: one tmux command through the control client; its output
# lines in CTL_LINES. Blocks with flags 0 (the attach's own) and
# notifications are skipped.
ctl() {
	local line
	CTL_LINES=()
	printf '%s\n' "$*" >&"$CTL_IN" || return 1
	while :; do
		IFS= read -r -t 5 -u "$CTL_OUT" line || return 1
		[[ $line == "%begin "*" 1" ]] && break
	done
	while IFS= read -r -t 5 -u "$CTL_OUT" line; do
		case $line in "%end "* | "%error "*) return 0 ;; esac
		CTL_LINES+=("$line")
	done
	return 1
}

STARTED=() # every server start_shell made: a script may move SOCK on
CGROUPS=() # every cgroup make_cgroup made, removed deepest first
LOADS=()   # background loads a test started (add with $!), ended at exit
cleanup() {
	ctl_close
	for s in "${STARTED[@]}" "$SOCK"; do tmux -L "$s" kill-server 2>/dev/null; done
	[ -n "${SPIN_PID:-}" ] && kill "$SPIN_PID" 2>/dev/null
	[ ${#LOADS[@]} -gt 0 ] && kill "${LOADS[@]}" 2>/dev/null
	for ((i = ${#CGROUPS[@]} - 1; i >= 0; i--)); do
		kill $(cat "${CGROUPS[i]}/cgroup.procs" 2>/dev/null) 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "${CGROUPS[i]}" 2>/dev/null && break; nap 0.1; done
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT

# make_cgroup NAME: a new cgroup v2 of the test's own, its path in CG.
# Loads started in it are the only ones a -c filter shows.
make_cgroup() {
	local mnt
	mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$mnt" ] || return 1
	CG=$mnt/ebtop-e2e-$1-$$
	mkdir "$CG" || return 1
	CGROUPS+=("$CG")
}

# in_cgroup PATH SCRIPT: a bash running SCRIPT in the cgroup, in the
# background, its pid in IN_CG_PID. The shell joins the cgroup after its own
# exec, so only what SCRIPT runs is seen there.
in_cgroup() {
	bash -c "echo \$\$ >'$1/cgroup.procs' && $2" &
	IN_CG_PID=$!
}

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
	ctl_open
	wait_for '^\$ ?$' 5
}

# screen [-e]: the pane's text (-e: with its colour escapes), a line each.
screen() {
	ctl capture-pane -p "$@" && printf '%s\n' "${CTL_LINES[@]}"
}

# screen_has REGEX: some line of the screen matches (ERE, as grep -E), read
# in this shell.
screen_has() {
	local line
	ctl capture-pane -p || return 1
	for line in "${CTL_LINES[@]}"; do
		[[ $line =~ $1 ]] && return 0
	done
	return 1
}

# wait_for REGEX [SECONDS]: until the screen matches.
wait_for() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 10; i++)); do
		screen_has "$re" && return 0
		nap 0.1
	done
	echo "# timed out waiting for /$re/; screen was:" >&2
	screen | sed 's/^/#   /' >&2
	return 1
}

# wait_gone REGEX [SECONDS]: until no line of the screen matches.
wait_gone() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		screen_has "$1" || return 0
		nap 0.1
	done
	echo "# timed out waiting for /$1/ to go; screen was:" >&2
	screen | sed 's/^/#   /' >&2
	return 1
}

# The pid of the program the pane's shell runs in the foreground (ebtop).
pane_child() {
	local shell
	shell=$(tm display -p '#{pane_pid}')
	cat "/proc/$shell/task/$shell/children" 2>/dev/null | awk '{ print $1 }'
}

type_line() { tm send-keys -l -- "$1"; tm send-keys Enter; }

# A blank screen at the prompt, so a wait cannot match an earlier command's
# output.
clear_screen() {
	local i
	type_line clear
	for ((i = 0; i < 50; i++)); do
		ctl capture-pane -p && [[ ${CTL_LINES[0]} =~ ^\$\ ?$ && -z ${CTL_LINES[1]} ]] && return 0
		nap 0.1
	done
	return 1
}

# A busy process with a known comm, for the cpu pane.
start_spinner() {
	cp /usr/bin/yes "$TMPD/e2e-spinner"
	"$TMPD/e2e-spinner" >/dev/null &
	SPIN_PID=$!
}

# hold_tcp NAME SECS [CGROUP]: one loopback connection held open by a
# process named NAME (1 MiB sent each way), for SECS, started in CGROUP if
# given (a socket belongs to the cgroup it was made in); its pid in HOLD,
# the client's and the server's ports in CPORT and SPORT.
hold_tcp() {
	: "${BENCHBIN:=$(dirname "$TESTBIN")/bench}"
	cp "$BENCHBIN/tcpload" "$TMPD/$1"
	bash -c "${3:+echo \$\$ >'$3/cgroup.procs' && }exec '$TMPD/$1' hold $2" >"$TMPD/$1.ports" &
	HOLD=$!
	LOADS+=("$HOLD")
	for _ in $(seq 50); do [ -s "$TMPD/$1.ports" ] && break; nap 0.1; done
	read -r _ CPORT _ SPORT <"$TMPD/$1.ports"
}

# make_fixture: FX, a fixture recording (fixture.py) any user may read, and
# NOBODY, the command prefix that runs as uid 65534: the UI tests that need
# no kernel replay it, so what they see is known to the character.
make_fixture() {
	FX=$TMPD/fixture.jsonl
	python3 "$(dirname "${BASH_SOURCE[0]}")/fixture.py" "$FX" "${1:-20}" || return 1
	chmod 755 "$TMPD"
	chmod 644 "$FX"
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
}

# at_size W H: a fresh shell W columns by H rows on a server of its own;
# sets AT ("80x24") for check labels.
at_size() {
	SOCK=$BASE_SOCK-$1x$2
	AT=$1x$2
	start_shell "$1" "$2"
}
BASE_SOCK=$SOCK

# After ebtop exits: the prompt is back and the tty is sane (echo, icanon).
terminal_sane() {
	tm send-keys -l -- 'stty -a | tr " " "\n" | grep -xE "(-)?(icanon|echo)" | tr "\n" " "; echo'
	tm send-keys Enter
	wait_for '^icanon echo *$' 5
}
