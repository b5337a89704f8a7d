#!/bin/bash
# Record, then replay without root: a known load (a spinner, 50 execs with
# unique argv, a held TCP connection with 1 MiB each way) recorded from the
# test's own cgroup (-c) with --record; replayed in tmux as uid 65534, the
# spinner, the execs and the connection's bytes are on screen, and [ ] move
# through the frames. --replay --json re-emits every recorded document; a
# recording cut by kill -9 replays up to its last whole frame; a flipped
# byte in one frame costs that frame alone, and the status line says so.
. "$(dirname "$0")/lib.sh"

make_cgroup replay || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
rec=$TMPD/load.ebt
cp /usr/bin/yes "$TMPD/e2e-replayed"
in_cgroup "$CG" "exec '$TMPD/e2e-replayed' >/dev/null"
SPIN=$IN_CG_PID
LOADS+=("$SPIN")
hold_tcp e2e-rtcp 60 "$CG"
"$EBTOP" --record="$rec" -d 1 -n 5 -c "$CG" 2>"$TMPD/rec.err" &
RECORDER=$!
nap 1.5
in_cgroup "$CG" "for ((i = 1; i <= 50; i++)); do /bin/true replayed-$$-\$i; done"
wait "$IN_CG_PID"
wait "$RECORDER"
check "--record exits 0 after -n 5" [ $? -eq 0 ]
kill "$SPIN" "$HOLD"
check "the recording is mode 0600" [ "$(stat -c %a "$rec")" = 600 ]

"$EBTOP" -r "$rec" --json=- >"$TMPD/all.json" 2>"$TMPD/replay.err"
check "--replay --json re-emits the 5 documents" [ "$(wc -l <"$TMPD/all.json")" -eq 5 ]
check "and they carry the 50 execs, each once" \
	[ "$(jq -r ".exec.events[].argv[1] | select(startswith(\"replayed-$$-\"))" "$TMPD/all.json" | sort -u | wc -l)" -eq 50 ]

# as nobody, on a copy nobody may read
cp "$rec" "$TMPD/shared.ebt"
chmod 644 "$TMPD/shared.ebt"
chmod 755 "$TMPD"
start_shell 120 40
type_line "setpriv --reuid=65534 --regid=65534 --clear-groups $EBTOP -r $TMPD/shared.ebt; echo EXIT=\$?"
check "replay as uid 65534: the first frame is on screen" wait_for '^ REPLAY [0-9:]+  frame 1/5' 10
check "the spinner is the top row" eval "wait_for '^ +$SPIN +.* e2e-replayed ' 3 &&
	screen | grep -A1 'COMMAND' | tail -1 | grep -q e2e-replayed"
tm send-keys ']'
check "] moves to frame 2" wait_for 'frame 2/5' 3
tm send-keys ']' ']' ']' ']' ']'
check "] stops at the last frame" wait_for 'frame 5/5' 3
tm send-keys 5
check "exec pane: the 50th exec, newest at the bottom" wait_for "/bin/true replayed-$$-50 *\$" 3
check "exec pane: 50 in history, from the frames before" wait_for '^EXEC .* 5[0-9] in history' 3
tm send-keys 4
check "tcp pane: the held connection with 1 MiB sent" wait_for "^ *$HOLD +e2e-rtcp +ESTABLISHED .* 1\\.00MiB +0B +127" 3
tm send-keys '['
check "[ goes back a frame" wait_for 'frame 4/5' 3
tm send-keys q
wait_for '^EXIT=0' 5 >/dev/null
clear_screen
type_line "setpriv --reuid=65534 --regid=65534 --clear-groups $EBTOP -r $TMPD/shared.ebt --at=-2.5s; echo EXIT=\$?"
# the last frame at or before 2.5 s before the newest, by the frames' own times
# (mid-interval, so the documents' millisecond times decide it as the frames do)
at=$(jq -rs '[.[].time | sub("\\.(?<ms>[0-9]+)Z$"; "Z") as $s | (.[20:23] | tonumber) as $ms
	| ($s | fromdateiso8601) * 1000 + $ms] | . as $t | [range(length) | select($t[.] <= $t[-1] - 2500)]
	| last + 1' "$TMPD/all.json")
check "--at=-2.5s starts at the last frame 2.5 s before the end (frame $at)" wait_for "frame $at/5" 10
tm send-keys p Enter
check "filters are refused in a replay, with why" wait_for 'filters apply to live data' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5

# kill -9 mid-run: replays up to its last whole frame
"$EBTOP" --record="$TMPD/cut.ebt" -d 0.5 -c "$CG" 2>/dev/null &
CUT=$!
nap 2.2
kill -9 "$CUT"
wait "$CUT" 2>/dev/null
n=$("$EBTOP" -r "$TMPD/cut.ebt" --json=- 2>/dev/null | wc -l)
check "a recording cut by kill -9 replays its whole frames ($n)" [ "$n" -ge 2 ]

# one flipped byte in frame 3's payload
python3 - "$rec" "$TMPD/flip.ebt" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
off = 0
for i in range(2):
    off += 32 + struct.unpack_from('<I', d, off + 8)[0]
d[off + 40] ^= 0x20
open(sys.argv[2], 'wb').write(d)
EOF
check "a flipped byte in frame 3: the other 4 documents re-emitted" \
	[ "$("$EBTOP" -r "$TMPD/flip.ebt" --json=- 2>/dev/null | wc -l)" -eq 4 ]
clear_screen
type_line "$EBTOP -r $TMPD/flip.ebt; echo EXIT=\$?"
wait_for 'frame 1/5' 10 >/dev/null
tm send-keys ']' ']'
check "stepping onto it says the frame is damaged and counts it" \
	wait_for 'frame 3 is damaged .*1 damaged frames skipped' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
check "an empty file: one clear message, exit 1" \
	eval ": >'$TMPD/empty'; ! '$EBTOP' -r '$TMPD/empty' 2>'$TMPD/empty.err' && grep -q 'no ebtop document' '$TMPD/empty.err'"
finish
