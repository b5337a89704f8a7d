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
# filters on the recorded rows, in userspace
tm send-keys 1 p
tm send-keys -l "$SPIN"
tm send-keys Enter
check "p filters the recorded rows: the status says so" \
	wait_for "frame $at/5 .*\\| filter \\(replay\\): pid $SPIN\$" 3
check "and the spinner is the one row left" eval "screen | grep -A2 'COMMAND' | tail -2 |
	{ IFS= read -r a; IFS= read -r b; [[ \$a =~ ^\ +$SPIN\ .*e2e-replayed && ! \$b =~ ^\ +[0-9]+\  ]]; }"
tm send-keys x
check "x clears it" wait_gone 'filter \(replay\)' 3
tm send-keys C
check "C filters to the selected process's recorded cgroup" \
	wait_for "filter \\(replay\\): cgroup /.*${CG##*/}\$" 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5

# headless: the filter narrows what is re-emitted; --from and --to a range
"$EBTOP" -r "$rec" --json=- -p "$SPIN" >"$TMPD/spin.json" 2>/dev/null
check "--replay -p re-emits the 5 documents with the spinner's rows alone" \
	[ "$(jq -c '[.cpu.processes[].pid] | unique' "$TMPD/spin.json" | sort -u)" = "[$SPIN]" \
	-a "$(wc -l <"$TMPD/spin.json")" -eq 5 -a "$(jq -r .filter.pids[0] "$TMPD/spin.json" | sort -u)" = "$SPIN" ]
# by the frames' own times: from 2.5 s before the newest to 0.5 s before it
want=$(jq -rs '[.[].time | sub("\\.(?<ms>[0-9]+)Z$"; "Z") as $s | (.[20:23] | tonumber) as $ms
	| ($s | fromdateiso8601) * 1000 + $ms] | . as $t
	| [.[] | select(. >= $t[-1] - 2500 and . <= $t[-1] - 500)] | length' "$TMPD/all.json")
got=$("$EBTOP" -r "$rec" --json=- --from=-2.5s --to=-0.5s 2>/dev/null | wc -l)
check "--from=-2.5s --to=-0.5s re-emits the $want frames in that range ($got)" [ "$got" -eq "$want" ]
want=$((want + 1)) # and the newest
check "--batch --from=-2.5s re-emits those and the newest as text" \
	eval "'$EBTOP' -r '$rec' --batch --from=-2.5s 2>/dev/null | grep -c '^ebtop [0-9:]* - cpu pane' | grep -qx $want"
check "--from without --json or --batch: a usage error" \
	eval "'$EBTOP' -r '$rec' --from=-1s 2>&1 | grep -q 'give one of them'"

# --record and SIGHUP: after logrotate moves the file, frames go on in a new one
"$EBTOP" --record="$TMPD/hup.ebt" -d 0.3 -c "$CG" 2>"$TMPD/hup.err" &
HUPPER=$!
LOADS+=("$HUPPER")
wait_file() { local i; for ((i = 0; i < 100; i++)); do [ -s "$1" ] && return 0; nap 0.1; done; return 1; }
wait_file "$TMPD/hup.ebt"
mv "$TMPD/hup.ebt" "$TMPD/hup.ebt.moved"
kill -HUP "$HUPPER"
check "SIGHUP: --record opens the file again and writes on" wait_file "$TMPD/hup.ebt"
kill "$HUPPER"
wait "$HUPPER"
check "and exits 0 at SIGTERM" [ $? -eq 0 ]
check "both files replay" eval "[ \$('$EBTOP' -r '$TMPD/hup.ebt.moved' --json=- | wc -l) -ge 1 ] &&
	[ \$('$EBTOP' -r '$TMPD/hup.ebt' --json=- | wc -l) -ge 1 ]"

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
