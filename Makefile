# ebtop build. Quiet unless V=1; SAN=1 builds with ASan+UBSan into build-san/.
# vmlinux.h is generated from the running kernel's BTF at build time (see README).

SAN ?= 0
OUT := $(if $(filter 1,$(SAN)),build-san,build)
CLANG ?= clang
BPFTOOL ?= bpftool
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' -e 's/s390x/s390/')
PREFIX ?= /usr/local
VERSION := 0.1.0

PKGS := libbpf libelf zlib ncursesw libcjson libseccomp
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DEBTOP_VERSION='"$(VERSION)"' \
	  -I$(OUT) -Ibpf -Iprobes -Iviews -Itui -MMD -MP
LDLIBS += -lbpf -lelf -lz -lncursesw -ltinfo -lcjson -lseccomp -lm
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
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

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps run test check bench install clean

all: $(OUT)/ebtop

deps:
	@tests/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./$(OUT)/ebtop $(ARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory check

# check: build everything and run the suite (no dependency install).
check: $(OUT)/ebtop $(UNIT_BINS) $(BPFT_BINS) $(BENCH_BINS)
	@EBTOP=$(OUT)/ebtop TESTBIN=$(OUT)/tests tests/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory $(OUT)/ebtop $(BENCH_BINS) $(OUT)/bench/floor.bpf.o
	@BENCH_DEPS=1 tests/deps.sh
	@EBTOP=$(OUT)/ebtop BENCHBIN=$(OUT)/bench tests/bench/run.sh

$(OUT)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(OUT) -Ibpf \
		-Wall -Werror -MMD -MP -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUT)/%.o: %.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/ebtop: $(OUT)/tui/main.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/%: $(OUT)/tests/unit/%.o $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

$(OUT)/tests/%: $(OUT)/tests/bpf/%.o $(OUT)/tests/bpf/harness.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lcjson -lm -lpthread -o $@

$(OUT)/bench/%: $(OUT)/tests/bench/%.o
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) $^ -lbpf -lelf -lz -lpthread -o $@

$(OUT)/bench/%.bpf.o: tests/bench/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(OUT) -c $< -o $@

install: $(OUT)/ebtop
	install -D -m 0755 $(OUT)/ebtop $(DESTDIR)$(PREFIX)/bin/ebtop
	install -d $(DESTDIR)$(PREFIX)/share/ebtop/themes
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/ebtop/themes/

clean:
	rm -rf build build-san

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
