# socktrace build. `make V=1` shows the full commands.
#   make            ./socktrace (dynamic, against the system libbpf)
#   make STATIC=1   ./socktrace linked statically (libbpf.a, libelf.a, libz.a)
#   make deps       install the Debian packages that are missing
#   make run        deps + build + start the live tracer
#   make test       deps + build + unit tests + live tests on this kernel
#   make static-bins  static socktrace and st-live in .output/static/ (for VMs)
#   make ARCH=arm64 STATIC=1   cross-builds a static arm64 socktrace (and st-live)
#                   on x86-64, in .output-arm64-static/ (see README, Architectures);
#                   make ARCH=arm64 static-bins: in .output/static-arm64/
#   make vmtest     the backend x kernel matrix in VMs (tests/vm/run)
#   make bench      the overhead benchmark (bench/run)
#   make bench-profile  where a traced storm's CPU goes (bench/profile, perf)
#   make install    socktrace, socktrace(8), bash completion, systemd unit
#                   (PREFIX=/usr/local, DESTDIR=); make uninstall removes them
#   make deb        a Debian package (debhelper), in .output-deb/

HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH      ?= $(HOST_ARCH)
CLANG     ?= clang
BPFTOOL   ?= bpftool
CC        ?= cc
ifneq ($(ARCH),$(HOST_ARCH))
# a cross build: Debian's cross compiler and C library (gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross), and the target's static libbpf, libelf and zlib from
# Debian's packages of that architecture, unpacked by cross/sysroot.sh into a
# sysroot in ~/.cache/socktrace (bpftool, which makes the skeletons, runs here)
CROSS_TRIPLE := $(if $(filter arm64,$(ARCH)),aarch64-linux-gnu,$(error ARCH=$(ARCH): no cross build for it (arm64 only)))
ifeq ($(origin CC),default)
CC        := $(CROSS_TRIPLE)-gcc
endif
# static only: the binary is copied onto the other machine
override STATIC := 1
SYSROOT   ?= $(shell cross/sysroot.sh $(ARCH) || echo sysroot-failed)
$(if $(filter sysroot-failed,$(SYSROOT)),$(error cross/sysroot.sh $(ARCH) failed))
MULTIARCH := $(CROSS_TRIPLE)
CPPFLAGS  += -isystem $(SYSROOT)/usr/include
LDFLAGS   += -L$(SYSROOT)/usr/lib/$(CROSS_TRIPLE)
BPF_INCDIR := /usr/$(CROSS_TRIPLE)/include
endif
OUT       := .output$(if $(filter-out $(HOST_ARCH),$(ARCH)),-$(ARCH))$(if $(STATIC),-static)$(if $(SANITIZE),-san)
VMLINUX   := vmlinux/$(ARCH)/vmlinux.h
VERSION   := 0.1.0

# each backend's hooks (bpf/*.bpf.c but the start-up probe), linked into one object
BPF_SRCS  := bpf/fentry.bpf.c bpf/kprobe.bpf.c bpf/fk_set_state.bpf.c \
	     bpf/tp_set_state.bpf.c bpf/tp_dev_queue.bpf.c bpf/tp_accept_sys.bpf.c \
	     bpf/tp_accept_btf.bpf.c bpf/tp_iouring.bpf.c bpf/iter.bpf.c bpf/dns_answer.bpf.c \
	     bpf/connect_fail.bpf.c bpf/cgroup_birth.bpf.c bpf/tp_udp_recv.bpf.c
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(OUT)/%.bpf.o,$(BPF_SRCS))
# the parts that need no kernel: linked into the unit tests and fuzz targets too
USER_LIB  :=
USER_LIB  += user/parse.c
USER_LIB  += user/event_kinds.c
USER_LIB  += user/escape.c
USER_LIB  += user/addr.c
USER_LIB  += user/json.c
USER_LIB  += user/format.c
USER_LIB  += user/tcp_states.c
USER_LIB  += user/snapshot_report.c
USER_LIB  += user/cli.c user/cli_usage.c user/cli_names.c user/cli_combine.c
USER_LIB  += user/btfscan.c
USER_LIB  += user/http.c
USER_LIB  += user/metrics.c
USER_LIB  += user/metrics_text.c
USER_LIB  += user/metrics_procs.c
USER_LIB  += user/conn_table.c
USER_LIB  += user/local_peers.c user/local_peers_table.c user/local_peers_nat.c
USER_LIB  += user/peer_counts.c
USER_LIB  += user/peer_names.c
USER_LIB  += user/proc_peers.c
USER_LIB  += user/busiest_peers.c
USER_LIB  += user/top_keys.c
USER_LIB  += user/cgroup_parse.c
USER_LIB  += user/cgroup_names.c user/cgroup_seed.c
USER_LIB  += user/dns_parse.c
USER_LIB  += user/dns_cache.c
USER_LIB  += user/format_dns.c
USER_LIB  += user/cgroup_root.c
USER_LIB  += user/snapshot_sizes.c
USER_SRCS := user/main.c user/preflight.c user/test_seam.c user/backend.c user/backend_probe.c \
	     user/backend_load.c user/backend_config.c user/backend_btf.c user/load_heap.c user/start_marks.c user/loop.c user/cgroup_filter.c \
	     user/source_ringbuf.c user/source_dns.c user/source_cgroups.c user/source_snapshot.c user/pipeline.c user/timers.c user/exit_report.c \
	     user/map_walk.c user/map_empty.c user/proc_table.c user/peers.c user/human.c \
	     user/summary.c user/summary_group.c user/udp_flows_summary.c user/top.c user/top_detail.c user/screen.c user/term.c \
	     user/version.c user/http_server.c user/exporter.c \
	     $(USER_LIB)

CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -std=gnu11 -Iinclude -I$(OUT) -DSOCKTRACE_VERSION='"$(VERSION)"'
# the multiarch include dir (asm/types.h for <linux/types.h>): /usr/include/x86_64-linux-gnu
MULTIARCH ?= $(or $(shell $(CC) -print-multiarch 2>/dev/null),$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null))
BPF_INCDIR ?= $(if $(MULTIARCH),/usr/include/$(MULTIARCH))
# -Wno-missing-declarations: 6.19 and later build with -fms-extensions, and
# their BTF has unnamed members of named struct types ("struct ns_tree;"),
# which bpftool writes as they are and clang warns about (arm64's vmlinux.h)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function -Wno-missing-declarations \
	      -Iinclude -Ivmlinux/$(ARCH) $(if $(SYSROOT),-isystem $(SYSROOT)/usr/include) \
	      $(if $(BPF_INCDIR),-idirafter $(BPF_INCDIR))
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
.PHONY: all deps run test unit live static-bins vmtest bench bench-smoke bench-web bench-profile bench-snapshot bench-cgroups clean fuzz soak \
	install uninstall deb

ifeq ($(ARCH),$(HOST_ARCH))
all: socktrace
else
# a cross build leaves ./socktrace (this machine's) alone
all: $(OUT)/socktrace $(OUT)/st-live
endif

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

# every user file that includes a skeleton waits for it (a hand-kept list
# missed source_dns.c and broke make -j)
SKEL_USERS := $(patsubst user/%.c,$(OUT)/%.o,$(shell grep -l 'skel\.h"' user/*.c))
$(SKEL_USERS): $(OUT)/socktrace.skel.h $(OUT)/probe.skel.h

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
# user/cgroup_root.c: where the cgroup v2 root is, for the FAIL_DENIED actor's cgroup;
# user/btfscan.c: what the kernel's BTF describes, for the NAT scenario's expectations
$(OUT)/st-live: $(LIVE_SRCS) $(wildcard tests/live/*.h) tests/jsonl.c tests/jsonl.h \
		user/cgroup_root.c user/cgroup_root.h user/btfscan.c user/btfscan.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Iuser $(if $(STATIC),-static) $(LIVE_SRCS) \
		tests/jsonl.c user/cgroup_root.c user/btfscan.c -luring -o $@

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

# .output/static/ for this machine's architecture, .output/static-<arch>/ for another
STATIC_DIR := .output/static$(if $(filter-out $(HOST_ARCH),$(ARCH)),-$(ARCH))
STATIC_OUT := .output$(if $(filter-out $(HOST_ARCH),$(ARCH)),-$(ARCH))-static
static-bins:
	$(Q)$(MAKE) --no-print-directory STATIC=1 $(STATIC_OUT)/socktrace $(STATIC_OUT)/st-live
	$(Q)mkdir -p $(STATIC_DIR)
	$(Q)cp $(STATIC_OUT)/socktrace $(STATIC_OUT)/st-live $(STATIC_DIR)/

vmtest: static-bins
	tests/vm/run

bench: all $(OUT)/loadgen $(OUT)/floor $(OUT)/floor.bpf.o
	$(Q)$(MAKE) --no-print-directory STATIC=1 .output-static/socktrace
	bench/run --loadgen $(OUT)/loadgen --floor $(OUT)/floor $(ARGS)

bench-smoke: all $(OUT)/loadgen $(OUT)/floor $(OUT)/floor.bpf.o
	bench/run --quick --loadgen $(OUT)/loadgen --floor $(OUT)/floor

# only the web rows: nginx/wrk and iperf3 between two namespaces (~3.5 minutes)
bench-web: all
	bench/run --web-only $(ARGS)

# where a traced storm's CPU time goes, by kind of kernel work (perf sampling)
bench-profile: all $(OUT)/loadgen
	bench/profile --loadgen $(OUT)/loadgen $(ARGS)

clean:
	rm -rf .output .output-static .output-san .output-deb .output-arm64-static socktrace

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
FUZZ_TARGETS := cli parse event btf http cgroup dns conns mlabels
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Iuser
FUZZ_LIB := $(USER_LIB) tests/jsonl.c

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(wildcard user/*.h tests/fuzz/*.h) | $(OUT)
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

# the stream's own work per event, replayed without a kernel (bench/replay/replay.c)
$(OUT)/replay: bench/replay/replay.c $(USER_LIB) $(wildcard user/*.h) | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Iuser bench/replay/replay.c $(USER_LIB) -o $@

# the floor row of the benchmark: do-nothing programs on the tracepoint backend's hooks
$(OUT)/floor.bpf.o: bench/floor.bpf.c $(VMLINUX) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/floor: bench/floor.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(LDLIBS) -o $@

# bench/snapshot/run: --snapshot against ss -tanp, with this many connections open
$(OUT)/holdconns: bench/snapshot/holdconns.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

bench-snapshot: all $(OUT)/holdconns
	bench/snapshot/run --socktrace ./socktrace --holdconns $(OUT)/holdconns $(ARGS)

# bench/cgroups/run: the stream with 1,000 cgroups, named at birth or looked up
bench-cgroups: all
	bench/cgroups/run --socktrace ./socktrace $(ARGS)

soak: all $(OUT)/loadgen
	$(Q)OUT=$(OUT) tests/soak.sh ./socktrace $(OUT)/loadgen $(SOAK_SECONDS) $(SOAK_PROCS)
