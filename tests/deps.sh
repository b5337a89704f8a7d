#!/bin/sh
# Install the Debian packages a set needs, only those that are missing,
# saying what it installs:
#   build  what building and running ebtop need (make deps, make run)
#   static build's, and what the static binary and the .deb are made with
#          (make static, make deb)
#   test   static's, and the tools the suite drives (make test)
#   bench  test's, and the benchmark peers (make bench)
# --list SET prints the set's packages and installs nothing.
set -eu
BUILD="make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev
       libncurses-dev libcjson-dev libseccomp-dev libzstd-dev libmicrohttpd-dev libdw-dev"
# dpkg-dev unpacks the source packages and reads the .deb's library needs
STATIC="dpkg-dev debian-archive-keyring ncurses-bin libbz2-dev liblzma-dev"
TEST="lintian man-db libcmocka-dev tmux procps iproute2 jq util-linux nftables libclang-rt-14-dev valgrind
      prometheus curl python3"
BENCH="bpftrace htop"

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
case "${1:-test}" in
build) PKGS="$BUILD" ;;
static) PKGS="$BUILD $STATIC" ;;
test) PKGS="$BUILD $STATIC $TEST" ;;
bench) PKGS="$BUILD $STATIC $TEST $BENCH" ;;
*)
	echo "usage: $0 [--list] build|static|test|bench" >&2
	exit 2
	;;
esac
if [ "$list" = 1 ]; then
	# shellcheck disable=SC2086
	printf '%s\n' $PKGS
	exit 0
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root or install them with apt-get" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed:$missing"
