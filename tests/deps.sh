#!/bin/sh
# Install the Debian packages ebtop needs to build and test, only those that
# are missing, saying what it installs. BENCH_DEPS=1 adds the benchmark peers.
set -eu
PKGS="make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev
      libncurses-dev libcjson-dev libseccomp-dev libzstd-dev libcmocka-dev tmux procps iproute2 jq
      util-linux libclang-rt-14-dev valgrind libmicrohttpd-dev prometheus curl python3"
[ "${BENCH_DEPS:-0}" = 1 ] && PKGS="$PKGS bpftrace htop"
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
