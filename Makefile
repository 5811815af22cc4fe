# socktrace build. `make V=1` shows the full commands.
#   make            ./socktrace (dynamic, against the system libbpf)
#   make STATIC=1   ./socktrace linked statically (libbpf.a, libelf.a, libz.a)
#   make deps       install the Debian packages that are missing
#   make run        deps + build + start the live tracer
#   make test       deps + build + unit tests + live tests on this kernel
#   make static-bins  static socktrace and st-live in .output/static/ (for VMs)
#   make vmtest     the backend x kernel matrix in VMs (tests/vm/run)
#   make bench      the overhead benchmark (bench/run)

ARCH      ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CLANG     ?= clang
BPFTOOL   ?= bpftool
CC        ?= cc
OUT       := .output$(if $(STATIC),-static)
VMLINUX   := vmlinux/$(ARCH)/vmlinux.h
VERSION   := 0.1.0

BPF_SRCS  := bpf/tcp.bpf.c bpf/udp.bpf.c bpf/tp.bpf.c
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(OUT)/%.bpf.o,$(BPF_SRCS))
USER_LIB  := user/parse.c user/format.c user/cli.c
USER_SRCS := user/main.c user/backend.c user/summary.c user/top.c $(USER_LIB)

CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -std=gnu11 -Iinclude -I$(OUT) -DSOCKTRACE_VERSION='"$(VERSION)"'
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
	      -Iinclude -Ivmlinux/$(ARCH) -idirafter /usr/include/x86_64-linux-gnu
ifdef STATIC
LDLIBS    := -static -Wl,-Bstatic -lbpf -lelf -lz
else
LDLIBS    := -lbpf -lelf -lz
endif
ifdef SANITIZE
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all deps run test unit live static-bins vmtest bench bench-smoke clean

all: socktrace

$(OUT):
	$(Q)mkdir -p $@

$(OUT)/%.bpf.o: bpf/%.bpf.c bpf/common.bpf.h include/socktrace.h $(VMLINUX) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/socktrace.bpf.o: $(BPF_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUT)/socktrace.skel.h: $(OUT)/socktrace.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name socktrace_bpf > $@

$(OUT)/probe.skel.h: $(OUT)/probe.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name probe_bpf > $@

$(OUT)/%.o: user/%.c $(wildcard user/*.h) include/socktrace.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/main.o $(OUT)/backend.o: $(OUT)/socktrace.skel.h $(OUT)/probe.skel.h

$(OUT)/socktrace: $(patsubst user/%.c,$(OUT)/%.o,$(USER_SRCS))
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

socktrace: $(OUT)/socktrace
	$(Q)cp $< $@

# ---- tests -------------------------------------------------------------
$(OUT)/unit: tests/unit.c tests/jsonl.c $(USER_LIB) $(wildcard user/*.h) | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Iuser tests/unit.c tests/jsonl.c $(USER_LIB) -o $@

$(OUT)/st-live: tests/live.c tests/jsonl.c tests/jsonl.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(if $(STATIC),-static) tests/live.c tests/jsonl.c -o $@

unit: $(OUT)/unit
	$(OUT)/unit

live: socktrace $(OUT)/st-live
	$(OUT)/st-live --socktrace ./socktrace

deps:
	$(Q)./tests/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./socktrace $(ARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory all $(OUT)/unit $(OUT)/st-live
	$(Q)./tests/run-all.sh

static-bins:
	$(Q)$(MAKE) --no-print-directory STATIC=1 .output-static/socktrace .output-static/st-live
	$(Q)mkdir -p .output/static
	$(Q)cp .output-static/socktrace .output-static/st-live .output/static/

vmtest: static-bins
	tests/vm/run

bench: all
	bench/run

bench-smoke: all
	bench/run --quick

clean:
	rm -rf .output .output-static socktrace
