#!/bin/sh
# The Debian package from a staged install (make install DESTDIR=WORK/root
# PREFIX=/usr, which make deb runs first): stripped binary, compressed man
# page, copyright and changelog, the library packages the binary links as
# its only dependencies (dpkg-shlibdeps reads them from the binary).
# usage: deb.sh VERSION WORK   (writes build/ebtop_VERSION_ARCH.deb)
set -eu
version=$1
work=$(cd "$2" && pwd)
root=$work/root
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
deb=build/ebtop_${version}_$arch.deb
maintainer="ebtop developers <ebtop@lists.ebtop.dev>"
umask 022

strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/ebtop"
gzip -9nf "$root/usr/share/man/man1/ebtop.1"
doc=$root/usr/share/doc/ebtop
install -d "$doc"
install -m 0644 "$here/copyright" "$doc/copyright"
# a native package's changelog: this build, dated by its commit when known
when=$(git log -1 --format=%cD 2>/dev/null || date -R)
printf 'ebtop (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- %s  %s\n' \
	"$version" "$(git describe --always --dirty 2>/dev/null || echo "a source tree")" \
	"$maintainer" "$when" | gzip -9n >"$doc/changelog.gz"

# dpkg-shlibdeps wants a source package around it: a minimal one
mkdir -p "$work/src/debian" "$root/DEBIAN"
printf 'Source: ebtop\n\nPackage: ebtop\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/ebtop" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
cat >"$root/DEBIAN/control" <<CONTROL
Package: ebtop
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Homepage: https://ebtop.dev
Description: live system explorer built on eBPF
 An interactive, top-like terminal program: on-CPU time per process,
 run-queue latency, syscall rates, TCP connections and a live exec
 stream, counted in the kernel with CO-RE eBPF programs, with filters
 applied in the kernel. It also writes JSON, records and replays, and
 serves Prometheus metrics. Needs a kernel with BTF and root (or
 CAP_BPF and CAP_PERFMON).
CONTROL
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort |
	xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: wrote $deb (Depends: $depends)"
