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
BSRC    := $(wildcard base/src/*.c) $(wildcard base/arch/$(ARCH)/*.c) $(wildcard base/arch/$(ARCH)/*.S)
BOBJ    := $(patsubst %,$(BUILD)/%.o,$(BSRC))
# Libraries kept beside an os/ component (the testbed of os/dummy):
# os/<name>/include is on the include path of components and
# os/<name>/lib/*.c goes into libbase.a
OSLIB_SRC := $(wildcard os/*/lib/*.c)
BOBJ    += $(patsubst %,$(BUILD)/%.o,$(OSLIB_SRC))
UCFLAGS += $(addprefix -I,$(wildcard os/*/include))

# Root-task programs: <dir> builds into $(BUILD)/<name>.elf
PROGRAMS := kernel_test:kernel/test kernel_bench:bench/kernel core:core
# Components (started by core or init): <dir> builds into $(BUILD)/<name>.elf,
# linked with base/arch/$(ARCH)/component.ld
COMPONENTS := core_test:core/test core_test_helper:core/test/helper core_bench:bench/core system_bench:bench/system
COMPONENTS += init:os/init init_test_child:os/init/test test_init:os/init/test_init ticker:os/ticker
# os/ services and their tests (os/<name>/README.md)
COMPONENTS += timer:os/timer report_rom:os/report_rom rom_filter:os/rom_filter dummy:os/dummy \
              timer_test:os/timer/test report_rom_test:os/report_rom/test \
              rom_filter_test:os/rom_filter/test dummy_test:os/dummy/test
# run/isolation's attacker and neighbour (tests/isolation/README.md)
COMPONENTS += isolation_attacker:tests/isolation/attacker isolation_neighbour:tests/isolation/neighbour
prog_name = $(word 1,$(subst :, ,$1))
prog_dir  = $(word 2,$(subst :, ,$1))
# a program directory without sources yet is skipped
PROG_ELFS := $(foreach p,$(PROGRAMS),$(if $(wildcard $(call prog_dir,$p)/*.c),$(BUILD)/$(call prog_name,$p).elf))
COMP_ELFS := $(foreach p,$(COMPONENTS),$(if $(wildcard $(call prog_dir,$p)/*.c),$(BUILD)/$(call prog_name,$p).elf))

.PHONY: all kernel programs run test bench deps clean host-test fuzz configcheck
all: kernel programs

kernel: $(BUILD)/kernel.elf
programs: $(PROG_ELFS) $(COMP_ELFS)

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

$(BUILD)/base/%.c.o: base/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(UCFLAGS) -c $< -o $@
$(BUILD)/base/%.S.o: base/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS,$<)$(CC) $(UCFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(BUILD)/os/%.c.o: os/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(UCFLAGS) -c $< -o $@
$(BUILD)/libbase.a: $(BOBJ)
	@mkdir -p $(dir $@)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# Program rules, one per entry of PROGRAMS
define PROGRAM_RULES
$(BUILD)/$(1)/%.c.o: $(2)/%.c
	@mkdir -p $$(dir $$@)
	$$(call quiet,CC,$$<)$$(CC) $$(UCFLAGS) -I$(2) -c $$< -o $$@
$(BUILD)/$(1).elf: $$(patsubst $(2)/%.c,$(BUILD)/$(1)/%.c.o,$$(wildcard $(2)/*.c)) $(BUILD)/libbase.a base/arch/$(ARCH)/user.ld
	$$(call quiet,LD,$$@)$$(CC) $$(UCFLAGS) -no-pie -Wl,-n -Wl,--build-id=none -static -T base/arch/$(ARCH)/user.ld -o $$@ \
		$$(patsubst $(2)/%.c,$(BUILD)/$(1)/%.c.o,$$(wildcard $(2)/*.c)) $(BUILD)/libbase.a -lgcc
endef
$(foreach p,$(PROGRAMS),$(eval $(call PROGRAM_RULES,$(call prog_name,$p),$(call prog_dir,$p))))

# Component rules, one per entry of COMPONENTS
define COMPONENT_RULES
$(BUILD)/$(1)/%.c.o: $(2)/%.c
	@mkdir -p $$(dir $$@)
	$$(call quiet,CC,$$<)$$(CC) $$(UCFLAGS) -I$(2) -c $$< -o $$@
$(BUILD)/$(1).elf: $$(patsubst $(2)/%.c,$(BUILD)/$(1)/%.c.o,$$(wildcard $(2)/*.c)) $(BUILD)/libbase.a base/arch/$(ARCH)/component.ld
	$$(call quiet,LD,$$@)$$(CC) $$(UCFLAGS) -no-pie -Wl,-n -Wl,--build-id=none -static -T base/arch/$(ARCH)/component.ld -o $$@ \
		$$(patsubst $(2)/%.c,$(BUILD)/$(1)/%.c.o,$$(wildcard $(2)/*.c)) $(BUILD)/libbase.a -lgcc
endef
$(foreach p,$(COMPONENTS),$(eval $(call COMPONENT_RULES,$(call prog_name,$p),$(call prog_dir,$p))))

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

deps:
	@tools/deps

# deps first, then the build: make -j must not build before tools exist
run: deps
	@$(MAKE) -s all && $(PYTHON) tools/run.py --interactive run/default

run/%: deps
	@$(MAKE) -s all && $(PYTHON) tools/run.py run/$*

host-test: deps
	@$(PYTHON) tools/hosttest.py

test: deps
	@$(MAKE) -s all && $(PYTHON) tools/testall.py

bench: deps
	@$(MAKE) -s all && $(PYTHON) tools/run.py --bench run/kernel_bench run/core_bench run/system_bench run/init_bench

# Fuzzing the config parser (docs/config.md): `make fuzz` builds the libFuzzer
# harness and runs it for FUZZ_SECONDS; new inputs go to $(BUILD)/fuzz/config_corpus,
# a crashing input to $(BUILD)/fuzz/crash-*. `make test` runs it for 60 s.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -Ibase/include
$(BUILD)/fuzz/config_fuzz: tests/fuzz/config_fuzz.c base/src/config.c base/include/argil/config.h base/include/argil/string.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/config_fuzz.c base/src/config.c -o $@

fuzz: deps
	@$(MAKE) -s $(BUILD)/fuzz/config_fuzz
	@mkdir -p $(BUILD)/fuzz/config_corpus
	$(BUILD)/fuzz/config_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/ -dict=tests/fuzz/config.dict \
		$(BUILD)/fuzz/config_corpus tests/fuzz/config_corpus

# Host tool: checks config files with the same parser and init's own model
# build (tools/config-check wraps it)
CONFIGCHECK_SRC := tools/configcheck.c base/src/config.c $(addprefix os/init/,model.c check.c parse.c start.c settle.c text.c)
$(BUILD)/host/argil-config: $(CONFIGCHECK_SRC) $(wildcard os/init/*.h) base/include/argil/config.h base/include/argil/string.h
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ibase/include -Ios/init $(CONFIGCHECK_SRC) -o $@

configcheck: $(BUILD)/host/argil-config

clean:
	rm -rf $(BUILD)
