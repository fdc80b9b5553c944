# Argil top-level build. `make run` boots the default system, `make test`
# runs every test, `make bench` runs the benchmarks. See README.md.

BUILD   ?= build
ARCH    := x86_64
CC      := gcc
AR      := ar
PYTHON  := python3

# Build progress: one short line per file compiled and program linked,
# e.g. "  CC      kernel/src/cnode.c", on stderr (stdout stays for results
# such as make bench's); VERBOSE=1 shows the commands instead.
ifeq ($(VERBOSE),1)
quiet =
else
quiet = @printf '  %-7s %s\n' '$(1)' '$(2)' >&2;
endif

CWARN   := -Wall -Wextra -Werror
CFREE   := -std=gnu11 -ffreestanding -nostdlib -fno-pic -fno-pie -fno-stack-protector \
           -fno-builtin -mno-red-zone -fno-omit-frame-pointer -g -O2 $(CWARN)
KCFLAGS := $(CFREE) -mcmodel=kernel -mno-sse -mno-mmx -mno-sse2 -mno-avx \
           -Iabi/include -Ikernel/include -Ikernel/arch/$(ARCH)/include -MMD -MP
UCFLAGS := $(CFREE) -mcmodel=small -Iabi/include -Ibase/include -Ibase/arch/$(ARCH)/include -MMD -MP

KSRC    := $(wildcard kernel/src/*.c) $(wildcard kernel/arch/$(ARCH)/*.c) $(wildcard kernel/arch/$(ARCH)/*.S)
KOBJ    := $(patsubst %,$(BUILD)/%.o,$(KSRC))

.PHONY: all kernel programs ports run test bench deps clean host-test fuzz fuzz-list configcheck
all: kernel programs

kernel: $(BUILD)/kernel.elf

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(KCFLAGS) -c $< -o $@
# The IPC fastpath's entry points never return: they need not keep the
# callee-saved registers, so let the compiler use them freely.
$(BUILD)/kernel/src/fastpath.c.o: KCFLAGS += -fomit-frame-pointer -mpreferred-stack-boundary=3 -fcall-used-rbx \
	-fcall-used-r12 -fcall-used-r13 -fcall-used-r14 -fcall-used-r15
$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS,$<)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJ) kernel/arch/$(ARCH)/linker.ld
	$(call quiet,LD,$@)$(CC) $(KCFLAGS) -no-pie -static -Wl,-n -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T kernel/arch/$(ARCH)/linker.ld -o $@ $(KOBJ) -lgcc

# ---------------------------------------------------------------------------
# User space: every program, component, library and port has a build.mk in
# its own folder, which this Makefile finds (docs/build.md). A build.mk sets:
#   NAME     the output's name (default: the folder's name)
#   KIND     program    root task started by the kernel: $(BUILD)/NAME.elf, user.ld
#            component  started by core or init: $(BUILD)/NAME.elf, component.ld
#            library    $(BUILD)/libNAME.a, linked by the programs that name it
#            port       a library built from third-party sources (docs/ports.md)
#   SRCS     its sources (default: the folder's *.c); DIR is the folder
#   LIBS     libraries and ports it links, by NAME; their INCLUDE folders are
#            on its include path; what they name is linked too
#   INCLUDE  (library, port) folders put on the include path of those that
#            name it (default for a library: DIR/include if it exists)
#   CFLAGS   extra compiler flags for its own sources
# Every program and component links libbase.a (base/build.mk) without naming it.
BUILD_FILES := $(sort $(wildcard */build.mk */*/build.mk */*/*/build.mk */*/*/*/build.mk))
KINDS       := program component library port
TARGETS     :=

# Load one build.mk: its variables are kept as <NAME>.<variable>.
define LOAD_BUILD_FILE
DIR     := $(patsubst %/,%,$(dir $(1)))
NAME    := $$(notdir $$(DIR))
KIND    :=
SRCS     = $$(wildcard $$(DIR)/*.c)
LIBS    :=
INCLUDE  = $$(if $$(filter library,$$(KIND)),$$(wildcard $$(DIR)/include))
CFLAGS  :=
PORT_PACKAGE :=
PORT_VERSION :=
PORT_FILES   :=
PORT_PATCHES :=
PORT_PATHS   :=
include $(1)
$$(if $$(filter $$(KIND),$$(KINDS)),,$$(error $(1): KIND must be one of: $$(KINDS)))
$$(if $$(filter $$(NAME),$$(TARGETS)),$$(error $(1): NAME $$(NAME) is taken by $$($$(NAME).file)))
TARGETS            += $$(NAME)
$$(NAME).file      := $(1)
$$(NAME).dir       := $$(DIR)
$$(NAME).kind      := $$(KIND)
$$(NAME).srcs      := $$(SRCS)
$$(NAME).libs      := $$(LIBS)
$$(NAME).include   := $$(INCLUDE)
$$(NAME).cflags    := $$(CFLAGS)
$$(NAME).package   := $$(PORT_PACKAGE)
$$(NAME).version   := $$(PORT_VERSION)
$$(NAME).files     := $$(PORT_FILES)
$$(NAME).patches   := $$(PORT_PATCHES)
$$(NAME).paths     := $$(PORT_PATHS)
endef
$(foreach f,$(BUILD_FILES),$(eval $(call LOAD_BUILD_FILE,$(f))))
# the loader's variables must not leak into the rules below
DIR :=
NAME :=
KIND :=
SRCS :=
LIBS :=
INCLUDE :=
CFLAGS :=
PORT_PACKAGE :=
PORT_VERSION :=
PORT_FILES :=
PORT_PATCHES :=
PORT_PATHS :=

of_kind   = $(foreach t,$(TARGETS),$(if $(filter $(1),$($(t).kind)),$(t)))
reverse   = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
uniq      = $(if $(1),$(firstword $(1)) $(call uniq,$(filter-out $(firstword $(1)),$(1))))
# The libraries a target links, each before the libraries it names itself
lib_tree  = $(foreach l,$(1),$(l) $(call lib_tree,$($(l).libs)))
libs_of   = $(strip $(call reverse,$(call uniq,$(call reverse,$(call lib_tree,$($(1).libs))))))
lib_file  = $(if $(filter port,$($(1).kind)),$(BUILD)/ports/$(1)/$(1).a,$(BUILD)/lib$(1).a)
check_libs = $(foreach l,$($(1).libs),$(if $(filter library port,$($(l).kind)),,\
             $(error $($(1).file): LIBS names $(l), which is no library or port)))
$(foreach t,$(TARGETS),$(call check_libs,$(t)))

# Objects: $(BUILD)/<NAME>/<path of the source inside DIR>.o
objs_of   = $(patsubst $($(1).dir)/%,$(BUILD)/$(1)/%.o,$($(1).srcs))

# Compile rules for one program, component or library
define OBJECT_RULES
$(BUILD)/$(1)/%.c.o: $($(1).dir)/%.c
	@mkdir -p $$(dir $$@)
	$$(call quiet,CC,$$<)$$(CC) $$(UCFLAGS) $$(T_CFLAGS) -c $$< -o $$@
$(BUILD)/$(1)/%.S.o: $($(1).dir)/%.S
	@mkdir -p $$(dir $$@)
	$$(call quiet,AS,$$<)$$(CC) $$(UCFLAGS) $$(T_CFLAGS) -D__ASSEMBLY__ -c $$< -o $$@
$(call objs_of,$(1)): T_CFLAGS := -I$($(1).dir) $(addprefix -I,$($(1).include)) $(foreach l,$(call libs_of,$(1)),\
	$(if $(filter port,$($(l).kind)),$(addprefix -isystem ,$($(l).include)),$(addprefix -I,$($(l).include)))) $($(1).cflags)
# the headers of ports exist once they are built
$(call objs_of,$(1)): | $(foreach l,$(call libs_of,$(1)),$(if $(filter port,$($(l).kind)),$(call lib_file,$(l))))
endef

define LIBRARY_RULES
$(BUILD)/lib$(1).a: $(call objs_of,$(1))
	@mkdir -p $$(dir $$@)
	$$(call quiet,AR,$$@)rm -f $$@ && $$(AR) rcs $$@ $$^
endef

# program: user.ld, component: component.ld
define LINK_RULES
$(BUILD)/$(1).elf: $(call objs_of,$(1)) $(foreach l,$(call libs_of,$(1)),$(call lib_file,$(l))) \
		$(BUILD)/libbase.a base/arch/$(ARCH)/$(2).ld
	$$(call quiet,LD,$$@)$$(CC) $$(UCFLAGS) -no-pie -Wl,-n -Wl,--build-id=none -static -T base/arch/$(ARCH)/$(2).ld -o $$@ \
		$(call objs_of,$(1)) $(foreach l,$(call libs_of,$(1)),$(call lib_file,$(l))) $(BUILD)/libbase.a -lgcc
endef

$(foreach t,$(call of_kind,program component library),$(eval $(call OBJECT_RULES,$(t))))
$(foreach t,$(call of_kind,library),$(eval $(call LIBRARY_RULES,$(t))))
$(foreach t,$(call of_kind,program),$(eval $(call LINK_RULES,$(t),user)))
$(foreach t,$(call of_kind,component),$(eval $(call LINK_RULES,$(t),component)))

programs: $(foreach t,$(call of_kind,program component),$(BUILD)/$(t).elf)

# Ports (docs/ports.md): `make ports` fetches, checks,
# patches and builds every port. tools/port fetches and unpacks one;
# ports/port.mk builds it with the port's rules.mk in a make of its own,
# since its list of sources is known only once it is unpacked.
PORTS_CACHE ?= $(BUILD)/ports/cache
# apt's deb-src entries, once before the ports fetch in parallel
$(BUILD)/ports/deb-src:
	tools/deps --src
	@mkdir -p $(dir $@) && touch $@
define PORT_RULES
$(BUILD)/ports/$(1)/unpacked: $($(1).file) $(addprefix $($(1).dir)/,$($(1).patches)) tools/port | $(BUILD)/ports/deb-src
	@PORT_PATHS="$($(1).paths)" tools/port $(BUILD)/ports/$(1) $(PORTS_CACHE) $($(1).package) $($(1).version) \
		$($(1).files) -- $(addprefix $($(1).dir)/,$($(1).patches))
$(call lib_file,$(1)): $(BUILD)/ports/$(1)/unpacked $(foreach l,$(call libs_of,$(1)),$(call lib_file,$(l))) .FORCE
	@$$(MAKE) -s --no-print-directory -f ports/port.mk PORT=$(1) PORT_DIR=$($(1).dir) BUILD=$(BUILD) \
		OUT=$(BUILD)/ports/$(1) LIB=$$@ LIB_INCLUDE="$(foreach l,$(call libs_of,$(1)),$($(l).include))"
endef
$(foreach t,$(call of_kind,port),$(eval $(call PORT_RULES,$(t))))
ports: $(foreach t,$(call of_kind,port),$(call lib_file,$(t)))
.PHONY: .FORCE
.FORCE:

-include $(shell find $(BUILD) -path $(BUILD)/ports -prune -o -name '*.d' -print 2>/dev/null)
# A source named in an old .d file that has since moved or gone: nothing to
# make, so the object is rebuilt from where its rule finds the source now
# (without this, a build/ from before a rename stops with "No rule to make").
%.c %.S:
	@:

deps:
	@tools/deps

# deps first, then the build: make -j must not build before tools exist
# with a display QEMU opens a window (qemu-system-gui), else a VNC server
run: deps
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then tools/deps --gui; fi
	@$(MAKE) -s all && $(PYTHON) tools/run.py --interactive run/default

run/%: deps
	@$(MAKE) -s all && $(PYTHON) tools/run.py run/$*

# the include rules (tools/include_check.py), then the host unit tests;
# lib/gui's (tests/host/gui_*.c) need the stb port unpacked and the fonts
HOST_TEST_DEPS := $(BUILD)/ports/stb/unpacked $(addprefix $(BUILD)/fonts/,$(DEJAVU_FONTS))
host-test: deps
	@$(MAKE) -s $(HOST_TEST_DEPS) && $(PYTHON) tools/include_check.py && $(PYTHON) tools/hosttest.py

# the ports are fetched with apt-get source, which needs deb-src entries
test: deps
	@tools/deps --src && $(MAKE) -s -j2 ports && $(MAKE) -s -j2 all && $(PYTHON) tools/testall.py

# every run/*_bench scenario (bench/README.md); a new one needs no list
BENCH_SCENARIOS := $(sort $(wildcard run/*_bench))
bench: deps
	@$(MAKE) -s all && $(PYTHON) tools/run.py --bench $(BENCH_SCENARIOS)

# Fuzzing (docs/build.md, "Fuzzers"): each libFuzzer harness tests/fuzz/NAME_fuzz.c has a
# tests/fuzz/NAME.mk that adds NAME to FUZZERS and says what it links (NAME_FUZZ_SRCS),
# its extra flags (NAME_FUZZ_CFLAGS), further prerequisites (NAME_FUZZ_DEPS), libFuzzer
# options (NAME_FUZZ_ARGS) and its seed corpus folders (NAME_FUZZ_SEEDS, default
# tests/fuzz/NAME_corpus; a generated one is a target of the .mk). `make fuzz/NAME` runs
# one for FUZZ_SECONDS, `make fuzz` all; new inputs go to $(BUILD)/fuzz/NAME_corpus, a
# crashing input to $(BUILD)/fuzz/NAME-crash-*. `make test` runs each for 60 s.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -Ibase/include
# The config format's sources: parser, queries, output (docs/config.md)
CONFIG_SRCS  := $(addprefix base/src/,config_parse.c config_query.c config_write.c)
CONFIG_DEPS  := $(CONFIG_SRCS) base/src/config_chars.h base/include/argil/config.h base/include/argil/string.h
FUZZERS :=
FUZZ_SOAK :=
include $(sort $(wildcard tests/fuzz/*.mk))

define FUZZ_RULES
$(1)_FUZZ_SEEDS ?= tests/fuzz/$(1)_corpus
$(BUILD)/fuzz/$(1)_fuzz: tests/fuzz/$(1)_fuzz.c $$($(1)_FUZZ_SRCS) $$($(1)_FUZZ_DEPS)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$($(1)_FUZZ_CFLAGS) tests/fuzz/$(1)_fuzz.c $$(filter %.c,$$($(1)_FUZZ_SRCS)) -o $$@
fuzz/$(1): deps
	@$$(MAKE) -s $(BUILD)/fuzz/$(1)_fuzz $$(filter-out tests/fuzz/%,$$($(1)_FUZZ_SEEDS))
	@mkdir -p $(BUILD)/fuzz/$(1)_corpus
	$(BUILD)/fuzz/$(1)_fuzz -max_total_time=$$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/$(1)- $$($(1)_FUZZ_ARGS) \
		$(BUILD)/fuzz/$(1)_corpus $$($(1)_FUZZ_SEEDS)
endef
$(foreach f,$(FUZZERS),$(eval $(call FUZZ_RULES,$(f))))
.PHONY: $(addprefix fuzz/,$(FUZZERS))

fuzz: $(addprefix fuzz/,$(FUZZERS))
# the fuzzers make test runs (60 s each): all but those a .mk puts into
# FUZZ_SOAK (run by `make fuzz` and `make fuzz/NAME` only)
fuzz-list:
	@echo $(filter-out $(FUZZ_SOAK),$(FUZZERS))

# Host tool: checks config files with the same parser and init's own model
# build (tools/config-check wraps it)
CONFIGCHECK_SRC := tools/configcheck.c $(CONFIG_SRCS) $(addprefix os/init/,model.c check.c parse.c start.c settle.c text.c malloc_mem.c)
$(BUILD)/host/argil-config: $(CONFIGCHECK_SRC) $(wildcard os/init/*.h) $(CONFIG_DEPS)
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ibase/include -Ios/init $(CONFIGCHECK_SRC) -o $@

configcheck: $(BUILD)/host/argil-config

clean:
	rm -rf $(BUILD)
