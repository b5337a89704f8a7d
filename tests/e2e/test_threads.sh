#!/bin/bash
# Threads (H) on the fixture recording: the cpu pane lists threads with
# their process, busiest first, the runq pane their waits; H again lists
# processes. A recording without threads says so.
. "$(dirname "$0")/lib.sh"

make_fixture || { echo "not ok 1 - fixture.py wrote no fixture"; exit 1; }
run="$NOBODY env TZ=UTC $EBTOP -r $FX --no-config"

at_size 80 24
type_line "$run; echo EXIT=\$?"
check "$AT: the cpu pane" wait_for '^ +PID +USER ' 10
tm send-keys H
check "$AT: H: threads, with their process" wait_for '^ +TID +PID +THREAD +CPU%▼ +ONCPU +WAITS$' 3
check "$AT: fx-hot's busiest worker first" \
	eval "screen | grep -A1 '^ *TID ' | tail -1 | grep -qE '^ +4243 +4242 fx-worker-0 +30\\.0 +300\\.0ms +10$'"
check "$AT: fx-web-00's own thread beside its io thread" \
	eval "screen_has '^ +2000 +2000 fx-web-00 +20\\.0 ' && screen_has '^ +2100 +2000 fx-web-io +20\\.0 '"
check "$AT: six threads in the title" screen_has "^CPU 6 threads"
tm send-keys 2
check "$AT: runq, still threads: their waits" wait_for '^ +TID +PID +THREAD +WAITS▼ +WAITED +AVG$' 3
check "$AT: the worker that waited most, 30 waits of 200 us each" \
	screen_has '^ +4245 +4242 fx-worker-2 +30 +6\.0ms +200\.0us$'
tm send-keys H
check "$AT: H again: processes" wait_for '^ +PID +COMMAND +WAITS +SLOW' 3
tm send-keys 1 q
check "$AT: q exits 0" wait_for '^EXIT=0' 5
tm kill-server

# a recording of processes only: no threads in it
python3 - "$FX" "$TMPD/nothreads.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        d = json.loads(line)
        d["cpu"].pop("threads", None)
        out.write(json.dumps(d) + "\n")
PY
chmod a+r "$TMPD/nothreads.jsonl"
at_size 80 24
type_line "$NOBODY env TZ=UTC $EBTOP -r $TMPD/nothreads.jsonl --no-config; echo EXIT=\$?"
wait_for '^ +PID +USER ' 10 >/dev/null
tm send-keys H
check "$AT: H on a recording without threads says so" wait_for '^threads: none in this recording' 3
tm send-keys q
check "$AT: q exits 0" wait_for '^EXIT=0' 5
finish
