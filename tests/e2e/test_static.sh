#!/bin/bash
# The static binary (make static) on a box that has nothing else: a chroot
# holding only it, with /proc, /sys and /dev bound in, in a private mount
# namespace so that nothing changes on the host. No libraries, no terminfo
# database, no /etc/passwd, no locale files.
. "$(dirname "$0")/lib.sh"
: "${EBTOP_STATIC:=build/ebtop-static}"

if [ ! -x "$EBTOP_STATIC" ]; then
	# make check builds it; a sanitizer build (SAN=1) does not
	echo "ok 1 # SKIP no $EBTOP_STATIC: make static (the plain pass builds and checks it)"
	finish
	exit
fi
ROOT=$TMPD/box
mkdir -p "$ROOT/proc" "$ROOT/sys" "$ROOT/dev"
cp "$EBTOP_STATIC" "$ROOT/ebtop"
cat >"$TMPD/inbox.sh" <<EOF
mount --make-rprivate / &&
for d in proc sys dev; do mount --rbind /\$d "$ROOT/\$d" || exit 1; done &&
exec chroot "$ROOT" /ebtop "\$@"
EOF
inbox() { env -i TERM="${TERM:-dumb}" unshare -m sh "$TMPD/inbox.sh" "$@"; }

check "no dynamic section" bash -c "readelf -d '$EBTOP_STATIC' | grep -q 'no dynamic section'"
size=$(stat -c %s "$EBTOP_STATIC")
check "at most 8 MB ($size bytes)" [ "$size" -le $((8 * 1024 * 1024)) ]
check "--version names the build ($(inbox --version))" \
	bash -c "$(declare -f inbox); TMPD=$TMPD; inbox --version | grep -Eq '^ebtop [0-9.]+ \(static build, libbpf [0-9]+\.[0-9]+\)$'"

# A process of the test's that spins: the chroot's ebtop, shown only it,
# reports its CPU time.
start_spinner
tracefs_before=$(grep -c ' - tracefs ' /proc/self/mountinfo)
inbox --json - -n 2 -p "$SPIN_PID" >"$TMPD/docs.json" 2>"$TMPD/docs.err"
rc=$?
check "in the chroot, --json - -n 2 exits 0 (rc $rc: $(head -c 200 "$TMPD/docs.err"))" [ "$rc" -eq 0 ]
check "two JSON documents" [ "$(jq -s length "$TMPD/docs.json" 2>/dev/null)" = 2 ]
oncpu=$(jq -s --argjson p "$SPIN_PID" '[.[1].cpu.processes[] | select(.pid == $p) | .oncpu_ns] | add // 0' \
	"$TMPD/docs.json" 2>/dev/null)
check "the spinner's CPU time is reported (${oncpu:-none} ns in the second interval)" \
	bash -c "[ '${oncpu:-0}' -gt 10000000 ]"
note=$(jq -rs '.[1].exec.note // ""' "$TMPD/docs.json" 2>/dev/null)
check "the exec pane collects in the chroot (note: '${note}')" [ -z "$note" ]
check "nothing was mounted on the host (tracefs mounts $tracefs_before before and after)" \
	[ "$(grep -c ' - tracefs ' /proc/self/mountinfo)" = "$tracefs_before" ]

# The screen: TERM=xterm-256color and no terminfo database in the box, so
# the compiled-in description draws it, in colour.
at_size 80 24
type_line "TERM=xterm-256color unshare -m sh $TMPD/inbox.sh; echo exit=\$?"
check "the cpu pane draws at 80x24" wait_for 'PID +USER .*COMMAND' 10
check "with the tab bar" screen_has '^ ?1 cpu +2 runq'
ctl capture-pane -p -e
check "in colour (SGR sequences on the screen)" grep -q $'\e\\[[0-9;]*m' <<<"$(printf '%s\n' "${CTL_LINES[@]}")"
tm send-keys q
check "q leaves with status 0" wait_for '^exit=0' 10
check "to a sane terminal" terminal_sane
finish
