#!/bin/bash
# The runq pane draws its percentiles, histogram bars and a heat map that
# grows a column each refresh.
. "$(dirname "$0")/lib.sh"

start_spinner
start_shell 120 40
type_line "$EBTOP -v runq -d 0.5; echo EXIT=\$?"
check "percentile line drawn" wait_for '^RUNQ [0-9]+ waits  p50 .* p90 .* p99 .* max ' 10
check "histogram bars drawn" wait_for '[0-9.]+(ns|us|ms) \.\. +[0-9.]+(ns|us|ms) +[0-9]+ \|(█|[▏▎▍▌▋▊▉])' 5
check "heat map drawn" wait_for '^heat map \(last [0-9]+ intervals' 5
check "heat map scrolls: several intervals after a few refreshes" wait_for 'heat map \(last ([4-9]|[1-9][0-9]+) intervals' 8
check "per-process table drawn, slow waits and p99.9 among its columns" \
	wait_for 'PID +COMMAND +WAITS +SLOW.? +P50 +P99 +P99\.9 +MAX<' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
