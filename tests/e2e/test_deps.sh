#!/bin/bash
# What the make targets install (tests/deps.sh): make deps and make run
# only what building and running ebtop need, every library ebtop links
# among it and none of the suite's tools; make test and make bench that
# and more. Read from the lists deps.sh prints, so nothing is installed.
. "$(dirname "$0")/lib.sh"

DEPS=tests/deps.sh
build=$("$DEPS" --list build)
static=$("$DEPS" --list static)
test=$("$DEPS" --list test)
bench=$("$DEPS" --list bench)
has() { grep -qx -- "$2" <<<"$1"; }

for tool in tmux prometheus libcmocka-dev valgrind jq curl libclang-rt-14-dev python3 bpftrace htop; do
	check "build's packages leave out the suite's $tool" bash -c '! grep -qx -- "$1" <<<"$2"' _ "$tool" "$build"
done
missing=""
for p in $build; do has "$static" "$p" || missing="$missing $p"; done
check "static's packages hold all of build's (missing:${missing:- none})" [ -z "$missing" ]
missing=""
for p in $static; do has "$test" "$p" || missing="$missing $p"; done
check "test's packages hold all of static's (missing:${missing:- none})" [ -z "$missing" ]
missing=""
for p in $test; do has "$bench" "$p" || missing="$missing $p"; done
check "bench's packages hold all of test's (missing:${missing:- none})" [ -z "$missing" ]
# every library the Makefile links ebtop against comes with build's
# packages: its pkg-config file belongs to one of them
mods=$(sed -n 's/^PKGS := //p' Makefile)
for m in $mods; do
	pc=$(pkg-config --variable=pcfiledir "$m" 2>/dev/null)/$m.pc
	pkg=$(dpkg -S "$(readlink -f "$pc")" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || pkg=$(dpkg -S "$pc" 2>/dev/null | head -1 | cut -d: -f1)
	check "ebtop links $m, from $pkg, one of build's packages" has "$build" "${pkg:-?}"
done
run=$(make -n run 2>&1)
check "make run installs build's packages" has "$run" 'tests/deps.sh build'
check "make run installs nothing of test's" bash -c '! grep -q "deps.sh test" <<<"$1"' _ "$run"
check "make test installs test's" has "$(make -n test 2>&1)" 'tests/deps.sh test'
check "make static installs static's" has "$(make -n static 2>&1)" 'tests/deps.sh static'
out=$("$DEPS" nonsense 2>&1)
rc=$?
check "an unknown set: exit 2, the usage ($out)" bash -c "[ $rc -eq 2 ] && grep -q '^usage: ' <<<\"\$1\"" _ "$out"
finish
