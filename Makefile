# ebtop build. Quiet unless V=1; SAN=1 builds with ASan+UBSan into build-san/;
# STATIC=1 links everything in, into build-static/out/ (make static drives it).
# vmlinux.h is generated from the running kernel's BTF at build time (see README).

SAN ?= 0
STATIC ?= 0
OUT := $(if $(filter 1,$(SAN)),build-san,$(if $(filter 1,$(STATIC)),build-static/out,build))
# where dist/static-deps.sh puts what Debian ships no fit static archive of
STATIC_ROOT := $(abspath build-static/root)
CLANG ?= clang
BPFTOOL ?= bpftool
# The arches whose syscall-number register bpf/sys.bpf.c knows.
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ifeq ($(filter x86 arm64,$(ARCH)),)
$(error ebtop builds for x86_64 and aarch64; on $(ARCH) bpf/sys.bpf.c does not know which register holds the syscall number)
endif
PREFIX ?= /usr/local
VERSION := 0.1.0

# Libraries come from their pkg-config files: the flags a distribution's
# build of each needs, not ones written down here.
PKGS := libbpf libelf zlib ncursesw libcjson libseccomp libmicrohttpd libzstd libdw
PKG_CONFIG ?= pkg-config
BUILD_KIND := dynamic
ifeq ($(STATIC),1)
PKG_CONFIG := PKG_CONFIG_PATH=$(STATIC_ROOT)/lib/pkgconfig $(PKG_CONFIG) --static
BUILD_KIND := static
CFLAGS += -DEBTOP_STATIC=1
# probes/vmlinux_btf.c stands in front of the BTF calls, probes/usyms.c
# of dlopen (see there)
LDFLAGS += -static -Wl,--wrap=btf__load_vmlinux_btf -Wl,--wrap=btf__free -Wl,--wrap=dlopen
endif
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1))
PKG_CFLAGS := $(call pkg_cflags,$(PKGS))
PKG_LIBS := $(call pkg_libs,$(PKGS))
CFLAGS ?= -O2 -g
# includes name their folder ("bpf/cpu.h"); $(OUT) holds the skeletons
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DEBTOP_VERSION='"$(VERSION)"' \
	  -DEBTOP_BUILD='"$(BUILD_KIND)"' -I$(OUT) -I. $(PKG_CFLAGS) -MMD -MP
LDLIBS += $(PKG_LIBS) -lm -lpthread
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
# a root tool on production hosts: Debian's hardening (ASan does its own checks)
CFLAGS += -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDFLAGS += -Wl,-z,relro,-z,now
endif

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
CORE_SRCS := $(wildcard probes/*.c views/*.c) $(filter-out tui/main.c,$(wildcard tui/*.c))
CORE_OBJS := $(patsubst %.c,$(OUT)/%.o,$(CORE_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
BPFT_SRCS := $(filter-out tests/bpf/harness.c,$(wildcard tests/bpf/*.c))
BPFT_BINS := $(patsubst tests/bpf/%.c,$(OUT)/tests/%,$(BPFT_SRCS))
BENCH_SRCS := $(filter-out %.bpf.c,$(wildcard tests/bench/*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(OUT)/bench/%,$(BENCH_SRCS))
# programs that make a known load, built with what their test needs
LOAD_SRCS := $(wildcard tests/load/*.c)
LOAD_BINS := $(patsubst tests/load/%.c,$(OUT)/load/%,$(LOAD_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
# what the fuzzed parsers need, built into each fuzzer with libFuzzer
FUZZ_DEPS := tui/themefile.c tui/conffile.c tui/settings.c tui/options.c probes/procfs.c probes/cgroup.c \
	     probes/symfiles.c \
	     probes/snapshot.c probes/histogram.c probes/frame.c $(wildcard views/*.c)
THEMES := $(wildcard themes/*.theme)
# the build tree's binary finds its themes next to it, like an installed one
THEME_COPIES := $(patsubst themes/%,$(OUT)/themes/%,$(THEMES))

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps run test check bench static static-bin deb deb-file install clean

all: $(OUT)/ebtop $(THEME_COPIES)

# deps: what building and running need; the suite's tools come with test
deps:
	@tests/deps.sh build

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./$(OUT)/ebtop $(ARGS)

test:
	@tests/deps.sh test
	$(Q)$(MAKE) --no-print-directory check

# check: build everything and run the suite (no dependency install); the
# plain build's check makes the static binary and the .deb too, which
# tests/e2e checks.
check: $(OUT)/ebtop $(THEME_COPIES) $(UNIT_BINS) $(BPFT_BINS) $(BENCH_BINS) $(FUZZ_BINS) $(LOAD_BINS) \
       $(if $(filter 1,$(SAN)),,static-bin deb-file)
	@EBTOP=$(OUT)/ebtop TESTBIN=$(OUT)/tests tests/run.sh

bench:
	@tests/deps.sh bench
	$(Q)$(MAKE) --no-print-directory $(OUT)/ebtop $(BENCH_BINS) $(OUT)/bench/floor.bpf.o
	@EBTOP=$(OUT)/ebtop BENCHBIN=$(OUT)/bench tests/bench/run.sh

$(OUT)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(OUT) \
		-Wall -Werror -MMD -MP -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# The built-in themes are the shipped default and mono files, as C strings.
$(OUT)/builtin_themes.h: themes/default.theme themes/mono.theme
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)for f in $^; do \
		echo "static const char builtin_$$(basename $$f .theme)[] ="; \
		sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/\t"&\\n"/' $$f; echo ";"; \
	done > $@

$(OUT)/themes/%.theme: themes/%.theme
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# frame pointers in every function, leaves too (gcc 12 leaves them out of
# functions that need no frame): the stack tests walk them
$(OUT)/load/%: tests/load/%.c
	$(call msg,LOAD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -O1 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -Wall -Wextra -Werror $< -o $@

$(OUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_DEPS) | $(SKELS) $(OUT)/builtin_themes.h
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O1 -std=gnu11 -D_GNU_SOURCE -DEBTOP_VERSION='"$(VERSION)"' -DEBTOP_BUILD='"fuzz"' -I$(OUT) \
		-I. $(call pkg_cflags,libcjson) -fsanitize=fuzzer,address,undefined \
		$< $(FUZZ_DEPS) $(call pkg_libs,libcjson libzstd zlib) -lm -o $@

$(OUT)/%.o: %.c | $(SKELS) $(OUT)/builtin_themes.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/ebtop: $(OUT)/tui/main.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/%: $(OUT)/tests/unit/%.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) $(call pkg_libs,cmocka) -o $@

$(OUT)/tests/%: $(OUT)/tests/bpf/%.o $(OUT)/tests/bpf/harness.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(call pkg_libs,libcjson) -lm -lpthread -o $@

# benches that drive ebtop's own code (the replay reader, the header) link the core
CORE_BENCHES := $(OUT)/bench/replaybench $(OUT)/bench/headerbench
$(CORE_BENCHES): $(OUT)/bench/%: $(OUT)/tests/bench/%.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/bench/%: $(OUT)/tests/bench/%.o
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) $^ $(call pkg_libs,libbpf libelf zlib) -lpthread -o $@

$(OUT)/bench/%.bpf.o: tests/bench/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(OUT) -c $< -o $@

# static: build/ebtop-static, one executable to copy to any x86_64 box
static:
	@tests/deps.sh static
	$(Q)$(MAKE) --no-print-directory static-bin

# the libraries, then the binary, each step only when out of date
static-bin:
	@dist/static-deps.sh build-static
	$(Q)$(MAKE) --no-print-directory STATIC=1 build-static/out/ebtop
	$(Q)if [ ! build/ebtop-static -nt build-static/out/ebtop ]; then \
		printf '  %-8s %s\n' STRIP build/ebtop-static; \
		mkdir -p build && strip -o build/ebtop-static build-static/out/ebtop; fi

install: $(OUT)/ebtop
	install -D -m 0755 $(OUT)/ebtop $(DESTDIR)$(PREFIX)/bin/ebtop
	install -d $(DESTDIR)$(PREFIX)/share/ebtop/themes
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/ebtop/themes/
	install -D -m 0644 doc/ebtop.1 $(DESTDIR)$(PREFIX)/share/man/man1/ebtop.1
	install -D -m 0644 dist/ebtop.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ebtop

# deb: build/ebtop_VERSION_ARCH.deb from a staged install
deb:
	@tests/deps.sh static
	$(Q)$(MAKE) --no-print-directory deb-file

deb-file: $(OUT)/ebtop
	$(Q)rm -rf build/deb
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath build/deb/root) PREFIX=/usr >/dev/null
	@dist/deb.sh $(VERSION) build/deb

clean:
	rm -rf build build-san build-static

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
