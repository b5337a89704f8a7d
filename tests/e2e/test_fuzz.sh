#!/bin/bash
# Every parser fuzzed briefly with libFuzzer (ASan+UBSan): theme files,
# settings files, the command line and the PID filter input, files given
# to --replay (the frame reader and the document parser), and the text
# files user frames are named from (JIT perf maps, /proc/PID/maps). A
# crash, leak or sanitizer report fails; the crashing input is kept in the
# log directory.
. "$(dirname "$0")/lib.sh"

FUZZBIN=$(dirname "$TESTBIN")/fuzz
secs=${FUZZ_SECS:-10}
for f in fuzz_theme:themes fuzz_settings:tests/fuzz/settings fuzz_options: fuzz_replay:tests/fuzz/replay \
	fuzz_symfiles:tests/fuzz/symfiles; do
	name=${f%%:*} seeds=${f#*:}
	mkdir -p "$TMPD/$name"
	out=$("$FUZZBIN/$name" -max_total_time="$secs" -artifact_prefix="$TMPD/" \
		"$TMPD/$name" ${seeds:+"$seeds"} 2>&1)
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' <<<"$out")
	check "$name: ${runs:-0} inputs in ${secs}s, no crash (exit $rc)" bash -c "[ $rc -eq 0 ] && [ ${runs:-0} -gt 1000 ]"
	[ "$rc" -eq 0 ] || { tail -20 <<<"$out" | sed 's/^/# /'; cp "$TMPD"/crash-* /tmp/ 2>/dev/null; }
done
finish
