# socktrace build. `make V=1` shows the full commands.
#   make            ./socktrace (dynamic, against the system libbpf)
#   make STATIC=1   ./socktrace linked statically (libbpf.a, libelf.a, libz.a)
#   make deps       install the Debian packages that are missing
#   make run        deps + build + start the live tracer
#   make test       deps + build + unit tests + live tests on this kernel
#   make static-bins  static socktrace and st-live in .output/static/ (for VMs)
#   make vmtest     the backend x kernel matrix in VMs (tests/vm/run)
#   make bench      the overhead benchmark (bench/run)
#   make bench-profile  where a traced storm's CPU goes (bench/profile, perf)
#   make install    socktrace, socktrace(8), bash completion, systemd unit
#                   (PREFIX=/usr/local, DESTDIR=); make uninstall removes them
#   make deb        a Debian package (debhelper), in .output-deb/

ARCH      ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CLANG     ?= clang
BPFTOOL   ?= bpftool
CC        ?= cc
OUT       := .output$(if $(STATIC),-static)$(if $(SANITIZE),-san)
VMLINUX   := vmlinux/$(ARCH)/vmlinux.h
VERSION   := 0.1.0

# each backend's hooks (bpf/*.bpf.c but the start-up probe), linked into one object
BPF_SRCS  := bpf/fentry.bpf.c bpf/kprobe.bpf.c bpf/fk_set_state.bpf.c \
	     bpf/tp_set_state.bpf.c bpf/tp_dev_queue.bpf.c bpf/tp_accept_sys.bpf.c \
	     bpf/tp_accept_btf.bpf.c bpf/dns_answer.bpf.c
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(OUT)/%.bpf.o,$(BPF_SRCS))
# the parts that need no kernel: linked into the unit tests and fuzz targets too
USER_LIB  := user/parse.c user/event_kinds.c user/escape.c user/addr.c user/json.c \
	     user/format.c user/cli.c user/btfscan.c user/http.c \
	     user/metrics.c user/metrics_text.c user/dns_parse.c user/format_dns.c \
	     user/cgroup_root.c
USER_SRCS := user/main.c user/preflight.c user/test_seam.c user/backend.c user/backend_probe.c \
	     user/backend_load.c user/backend_btf.c user/loop.c \
	     user/source_ringbuf.c user/source_dns.c user/pipeline.c user/timers.c user/exit_report.c \
	     user/map_walk.c user/proc_table.c user/peers.c user/udp_expiry.c user/human.c \
	     user/summary.c user/top.c user/version.c user/http_server.c user/exporter.c \
	     $(USER_LIB)

CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -std=gnu11 -Iinclude -I$(OUT) -DSOCKTRACE_VERSION='"$(VERSION)"'
# the multiarch include dir (asm/types.h for <linux/types.h>): /usr/include/x86_64-linux-gnu
MULTIARCH ?= $(or $(shell $(CC) -print-multiarch 2>/dev/null),$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null))
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
	      -Iinclude -Ivmlinux/$(ARCH) $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))
ifdef STATIC
# the one binary to copy onto another machine: its symbols stay (perf, gdb's
# backtraces), the DWARF of every libbpf/libelf/zlib file does not
LDLIBS    := -static -Wl,-Bstatic -lbpf -lelf -lz -lpthread -Wl,--strip-debug
else
LDLIBS    := -lbpf -lelf -lz -lpthread
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
.PHONY: all deps run test unit live static-bins vmtest bench bench-smoke bench-profile clean fuzz soak \
	install uninstall deb

all: socktrace

$(OUT):
	$(Q)mkdir -p $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.bpf.h) include/socktrace.h $(VMLINUX) | $(OUT)
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
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(OUT)/main.o $(OUT)/backend_probe.o $(OUT)/backend_load.o $(OUT)/backend_btf.o \
	$(OUT)/source_ringbuf.o $(OUT)/source_dns.o $(OUT)/pipeline.o $(OUT)/timers.o $(OUT)/exit_report.o \
	$(OUT)/exporter.o: \
	$(OUT)/socktrace.skel.h $(OUT)/probe.skel.h

$(OUT)/socktrace: $(patsubst user/%.c,$(OUT)/%.o,$(USER_SRCS))
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# ./socktrace is the last build of any flavour (plain, STATIC=1, SANITIZE=1)
socktrace: $(OUT)/socktrace FORCE
	$(Q)cmp -s $< $@ || { cp $< $@.tmp && mv -f $@.tmp $@; }

FORCE:

# ---- tests -------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/*.c)
$(OUT)/unit: $(UNIT_SRCS) $(wildcard tests/unit/*.h) tests/jsonl.c tests/jsonl.h $(USER_LIB) \
	$(wildcard user/*.h) | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Iuser $(UNIT_SRCS) tests/jsonl.c $(USER_LIB) -o $@

LIVE_SRCS := $(wildcard tests/live/*.c)
$(OUT)/st-live: $(LIVE_SRCS) $(wildcard tests/live/*.h) tests/jsonl.c tests/jsonl.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(if $(STATIC),-static) $(LIVE_SRCS) tests/jsonl.c -o $@

$(OUT)/st-privstack: tests/privstack.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) tests/privstack.c $(LDLIBS) -o $@

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
	$(Q)$(MAKE) --no-print-directory all $(OUT)/unit $(OUT)/st-live $(OUT)/st-privstack
	$(Q)OUT=$(OUT) SANITIZE=$(SANITIZE) ./tests/run-all.sh

static-bins:
	$(Q)$(MAKE) --no-print-directory STATIC=1 .output-static/socktrace .output-static/st-live
	$(Q)mkdir -p .output/static
	$(Q)cp .output-static/socktrace .output-static/st-live .output/static/

vmtest: static-bins
	tests/vm/run

bench: all $(OUT)/loadgen $(OUT)/floor $(OUT)/floor.bpf.o
	$(Q)$(MAKE) --no-print-directory STATIC=1 .output-static/socktrace
	bench/run --loadgen $(OUT)/loadgen --floor $(OUT)/floor $(ARGS)

bench-smoke: all $(OUT)/loadgen $(OUT)/floor $(OUT)/floor.bpf.o
	bench/run --quick --loadgen $(OUT)/loadgen --floor $(OUT)/floor

# where a traced storm's CPU time goes, by kind of kernel work (perf sampling)
bench-profile: all $(OUT)/loadgen
	bench/profile --loadgen $(OUT)/loadgen $(ARGS)

clean:
	rm -rf .output .output-static .output-san .output-deb socktrace

# ---- installing ---------------------------------------------------------------
PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR     ?= $(PREFIX)/lib/systemd/system
INSTALLED   := $(SBINDIR)/socktrace $(MANDIR)/man8/socktrace.8 $(BASHCOMPDIR)/socktrace \
	       $(UNITDIR)/socktrace.service

install: all
	install -D -m 0755 socktrace $(DESTDIR)$(SBINDIR)/socktrace
	install -D -m 0644 docs/socktrace.8 $(DESTDIR)$(MANDIR)/man8/socktrace.8
	install -D -m 0644 dist/socktrace.bash $(DESTDIR)$(BASHCOMPDIR)/socktrace
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|=/usr/sbin/socktrace |=$(SBINDIR)/socktrace |' dist/socktrace.service \
		>$(DESTDIR)$(UNITDIR)/socktrace.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/socktrace.service

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# ---- the Debian package ---------------------------------------------------------
# Built from a copy of the tree in .output-deb/src (the .deb lands in .output-deb/),
# dynamic against libbpf1. The BPF objects and skeletons of the plain build are
# copied in, times kept, so the package build compiles only the userspace (with
# Debian's hardening flags) and not the BPF side again. STATIC and SANITIZE of the
# calling make (make test SANITIZE=1) don't reach the package build.
DEB_DIR := .output-deb

deb:
	$(Q)$(MAKE) --no-print-directory STATIC= SANITIZE= .output/socktrace.skel.h .output/probe.skel.h
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src/.output
	$(Q)tar -c --exclude='./.output*' --exclude=./socktrace --exclude=./.git . | tar -x -C $(DEB_DIR)/src
	$(Q)cp -p .output/*.bpf.o .output/*.skel.h $(DEB_DIR)/src/.output/
	$(Q)cd $(DEB_DIR)/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u STATIC -u SANITIZE \
		dpkg-buildpackage -b -nc -us -uc >../build.log 2>&1 || \
		{ tail -30 ../build.log; echo "deb: failed, see $(DEB_DIR)/build.log"; exit 1; }
	$(Q)ls $(DEB_DIR)/*.deb

# ---- fuzzing (libFuzzer; clang's runtime from libclang-rt-dev) ----------------
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := cli parse event btf http dns
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Iuser
FUZZ_LIB := $(USER_LIB) tests/jsonl.c

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(wildcard user/*.h) | $(OUT)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -DSOCKTRACE_VERSION='"$(VERSION)"' $< $(FUZZ_LIB) -o $@

# each target runs FUZZ_SECONDS from the corpus in tests/fuzz/corpus (new finds
# go to a scratch folder, not into the repository); a crash fails the target
fuzz: $(patsubst %,$(OUT)/fuzz_%,$(FUZZ_TARGETS))
	$(Q)pass=0; fail=0; for t in $(FUZZ_TARGETS); do \
		work=$$(mktemp -d); \
		if $(OUT)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-artifact_prefix=$(OUT)/fuzz_$$t- $$work tests/fuzz/corpus/$$t \
			>$(OUT)/fuzz_$$t.log 2>&1; then \
			echo "PASS fuzz_$$t: $$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' $(OUT)/fuzz_$$t.log | head -1)s"; pass=$$((pass+1)); \
		else echo "FAIL fuzz_$$t: see $(OUT)/fuzz_$$t.log"; tail -20 $(OUT)/fuzz_$$t.log; fail=$$((fail+1)); fi; \
		rm -rf $$work; \
	done; echo "$$pass passed, $$fail failed"; [ $$fail = 0 ]

# ---- soak: memory levels off under a long storm -------------------------------
SOAK_SECONDS ?= 600
SOAK_PROCS ?= 3

LOADGEN_SRCS := $(wildcard bench/loadgen/*.c)
$(OUT)/loadgen: $(LOADGEN_SRCS) bench/loadgen/loadgen.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -pthread $(LOADGEN_SRCS) -o $@

# the floor row of the benchmark: do-nothing programs on the tracepoint backend's hooks
$(OUT)/floor.bpf.o: bench/floor.bpf.c $(VMLINUX) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/floor: bench/floor.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(LDLIBS) -o $@

soak: all $(OUT)/loadgen
	$(Q)OUT=$(OUT) tests/soak.sh ./socktrace $(OUT)/loadgen $(SOAK_SECONDS) $(SOAK_PROCS)
