#!/bin/sh
# The static archives Debian does not ship, or ships unfit for a static
# ebtop, built from Debian's own source packages into ROOT (lib/, include/,
# lib/pkgconfig/ ahead of the system's):
#   cjson          no static archive in libcjson-dev
#   libmicrohttpd  Debian's archive pulls in GnuTLS; ebtop serves plain HTTP
#   ncurses        with compiled-in descriptions of the common terminals, for
#                  boxes without a terminfo database (the host's still wins)
# Sources come through a private apt configuration under the state folder,
# so the host's apt setup is not changed. Each library is built once; a
# second run only says so.
# usage: static-deps.sh STATE_DIR   (ROOT is STATE_DIR/root)
set -eu
state=$(mkdir -p "$1" && cd "$1" && pwd)
root=$state/root
apt=$state/apt
src=$state/src
jobs=$(nproc)
FALLBACKS=xterm,xterm-256color,screen,screen-256color,tmux-256color,linux,vt100

# the suite the host runs, and its keyring; sources only
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
aptget() {
	apt-get -q -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts="$apt/parts" \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}

fetch() { # package -> its unpacked source folder in $src, printed
	if [ ! -f "$apt/updated" ]; then
		mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
		printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian %s main\n' \
			"$suite" >"$apt/sources.list"
		aptget update >&2
		touch "$apt/updated"
	fi
	mkdir -p "$src/$1"
	[ -f "$src/$1/.fetched" ] ||
		(cd "$src/$1" && rm -rf ./* && aptget source "$1" >&2 && touch .fetched)
	echo "$src/$1/$(cd "$src/$1" && ls -d */ | head -1)"
}

mkdir -p "$root/lib/pkgconfig" "$root/include"

cjson() { # one C file: compiled here
	d=$(fetch cjson)
	mkdir -p "$root/include/cjson"
	cc -O2 -fPIC -c "$d/cJSON.c" -o "$state/cJSON.o"
	ar rcs "$root/lib/libcjson.a" "$state/cJSON.o"
	cp "$d/cJSON.h" "$root/include/cjson/"
	printf 'prefix=%s\nName: libcjson\nDescription: cJSON\nVersion: %s\nLibs: -L${prefix}/lib -lcjson -lm\nCflags: -I${prefix}/include\n' \
		"$root" "$(sed -n 's/^#define CJSON_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$d/cJSON.h" | paste -sd.)" \
		>"$root/lib/pkgconfig/libcjson.pc"
}

libmicrohttpd() {
	d=$(fetch libmicrohttpd)
	cd "$d"
	./configure -q --prefix="$root" --enable-static --disable-shared --disable-https \
		--without-gnutls --disable-doc --disable-examples --disable-curl --disable-tools \
		--disable-nls >/dev/null
	make -s -j"$jobs" -C src/microhttpd >/dev/null
	make -s -C src/microhttpd install >/dev/null
	cp libmicrohttpd.pc "$root/lib/pkgconfig/"
}

ncurses() {
	d=$(fetch ncurses)
	cd "$d"
	./configure -q --prefix="$root" --enable-widec --without-shared --without-debug \
		--without-cxx --without-cxx-binding --without-ada --without-progs --without-tests \
		--without-manpages --disable-db-install --with-termlib --with-xterm-kbs=DEL \
		--enable-pc-files --with-pkg-config-libdir="$root/lib/pkgconfig" \
		--with-fallbacks="$FALLBACKS" --with-tic-path=/usr/bin/tic \
		--with-infocmp-path=/usr/bin/infocmp \
		--with-terminfo-dirs=/etc/terminfo:/lib/terminfo:/usr/share/terminfo \
		--with-default-terminfo-dir=/usr/share/terminfo >/dev/null
	make -s -j"$jobs" libs >/dev/null
	make -s install.libs install.includes >/dev/null
}

# each in a subshell (they change folder), once: a stamp says it is built
for lib in cjson libmicrohttpd ncurses; do
	if [ -f "$root/.built-$lib" ]; then
		echo "static-deps: $lib already built"
	else
		(set -e; "$lib")
		touch "$root/.built-$lib"
		echo "static-deps: built $lib"
	fi
done
