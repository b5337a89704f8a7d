#!/bin/bash
# The Debian package (make deb): lintian finds no error in it, it installs
# into a scratch root with dpkg --root (the host's package database is not
# touched), what it installed works there, and it goes without a trace.
. "$(dirname "$0")/lib.sh"
version=$(sed -n 's/^VERSION := //p' Makefile)
DEB=build/ebtop_${version}_$(dpkg --print-architecture).deb

if [ ! -f "$DEB" ]; then
	echo "ok 1 # SKIP no $DEB: make deb (the plain pass builds and checks it)"
	finish
	exit
fi
lint=$(lintian "$DEB" 2>&1 | grep -v 'running with root privileges')
check "lintian reports no error ($(grep -c '^E:' <<<"$lint") errors, $(grep -c '^W:' <<<"$lint") warnings)" \
	bash -c '! grep -q "^E:" <<<"$1"' _ "$lint"
grep '^[EW]:' <<<"$lint" | sed 's/^/# /'
deps=$(dpkg-deb -f "$DEB" Depends)
check "it depends on the libraries ebtop links ($deps)" \
	bash -c 'for p in libbpf1 libncursesw6 libcjson1 libc6; do grep -q "\\b$p\\b" <<<"$1" || exit 1; done' _ "$deps"
check "and on none of the build's packages" bash -c '! grep -Eq "clang|-dev\\b|bpftool" <<<"$1"' _ "$deps"

R=$TMPD/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
dpk() { dpkg --root="$R" --log=/dev/null --force-depends --force-not-root "$@" >/dev/null; }
check "dpkg --root installs it" dpk -i "$DEB"
check "dpkg lists it installed" bash -c "dpkg --root='$R' -s ebtop | grep -q '^Status: install ok installed'"
out=$("$R/usr/bin/ebtop" --version 2>&1)
check "ebtop --version: $out" grep -Eq "^ebtop $version \\(dynamic build, libbpf [0-9.]+\\)$" <<<"$out"
man=$(MANPATH=$R/usr/share/man MANPAGER=cat MANWIDTH=80 man ebtop 2>&1)
check "man ebtop shows its page" grep -q 'live system explorer' <<<"$man"
# the themes in /usr/share/ebtop/themes: an unknown name lists them
out=$("$R/usr/bin/ebtop" -t no-such-theme --batch -n 1 2>&1)
check "the installed themes are found ($out)" grep -q 'high-contrast.*term16' <<<"$out"
comp=$(bash -c '. "$1/usr/share/bash-completion/completions/ebtop"
	COMP_WORDS=("$1/usr/bin/ebtop" --view = r) COMP_CWORD=3; _ebtop; echo "${COMPREPLY[*]}"
	COMP_WORDS=("$1/usr/bin/ebtop" --sys) COMP_CWORD=1; _ebtop; echo "${COMPREPLY[*]}"
	COMP_WORDS=("$1/usr/bin/ebtop" -t h) COMP_CWORD=2; _ebtop; echo "${COMPREPLY[*]}"' _ "$R")
check "bash completion: panes, options, themes ($(tr '\n' '|' <<<"$comp"))" \
	bash -c '[ "$1" = "runq
--sys-latency
high-contrast" ]' _ "$comp"

check "dpkg --root purges it" dpk -P ebtop
left=$(find "$R" -mindepth 1 ! -path "$R/var" ! -path "$R/var/lib" ! -path "$R/var/lib/dpkg*" | head -5)
check "nothing is left of it (${left:-nothing})" [ -z "$left" ]
check "dpkg no longer knows it" bash -c "! dpkg --root='$R' -s ebtop 2>/dev/null | grep -q '^Status: install'"
finish
