# Build rules of the musl port (build.mk is the recipe), read by
# ports/port.mk. The parts built are those of musl's own Makefile for
# x86_64 in the folders below: src/<dir>/*.c, where src/<dir>/x86_64/
# holds a file of the same name (.c, .s or .S) that one replaces it.
# Not built: malloc (base's malloc on the component's heap serves), the
# seven memory and string functions that base has (below), threads,
# time, files, processes, networking, the dynamic linker (of signals only
# raise and the signal mask helpers abort needs: abort ends the component
# with 128 + SIGABRT through the glue's tkill): they need a POSIX
# runtime below (docs/ports.md). glue/ is Argil's: the system calls that
# the parts built make (output to the LOG session, exit) and the one
# thread structure.
MUSL_DIRS := string ctype stdlib stdio math setjmp errno multibyte locale prng fenv exit
MUSL_BASE := $(foreach d,$(MUSL_DIRS),$(wildcard $(SRC)/src/$(d)/*.c))
MUSL_ARCH := $(foreach d,$(MUSL_DIRS),$(wildcard $(SRC)/src/$(d)/x86_64/*.[csS]))
MUSL_REPLACED := $(foreach f,$(MUSL_ARCH),$(dir $(patsubst %/x86_64/,%/,$(dir $(f))))$(basename $(notdir $(f))).c)
# base defines these for every component (base/src/string.c); two
# definitions would clash when both are linked. base's log() is the LOG
# line of argil/log.h: <math.h>'s log() is left out (log2, log10, logf,
# log1p and the others stay).
MUSL_BASE_HAS := $(foreach f,memcpy memmove memset memcmp strlen strcmp strncmp,$(SRC)/src/string/$(f).c \
                 $(wildcard $(SRC)/src/string/x86_64/$(f).[csS])) $(SRC)/src/math/log.c
SRCS := $(filter-out $(MUSL_REPLACED) $(MUSL_BASE_HAS),$(MUSL_BASE) $(MUSL_ARCH)) \
        $(addprefix $(SRC)/src/internal/,libc.c syscall_ret.c shgetc.c floatscan.c intscan.c) \
        $(SRC)/src/thread/__lock.c $(SRC)/src/unistd/lseek.c \
        $(SRC)/src/signal/raise.c $(SRC)/src/signal/block.c \
        $(wildcard $(PORT_DIR)/glue/*.c)

# musl's own flags (its configure for gcc), then its include order
PORT_CFLAGS := -std=c99 -nostdinc -fexcess-precision=standard -frounding-math \
               -fno-tree-loop-distribute-patterns -fno-unwind-tables -fno-asynchronous-unwind-tables \
               -ffunction-sections -fdata-sections -Wa,--noexecstack -D_XOPEN_SOURCE=700 -w \
               -I$(SRC)/arch/x86_64 -I$(SRC)/arch/generic -I$(OUT)/gen/src/internal \
               -I$(SRC)/src/include -I$(SRC)/src/internal -I$(OUT)/gen/include -I$(SRC)/include

GEN := $(OUT)/gen/include/bits/alltypes.h $(OUT)/gen/include/bits/syscall.h
PORT_HEADERS := $(GEN) $(OUT)/include/stdio.h

$(OUT)/gen/include/bits/alltypes.h: $(SRC)/arch/x86_64/bits/alltypes.h.in $(SRC)/include/alltypes.h.in
	@mkdir -p $(dir $@)
	sed -f $(SRC)/tools/mkalltypes.sed $^ > $@
$(OUT)/gen/include/bits/syscall.h: $(SRC)/arch/x86_64/bits/syscall.h.in
	@mkdir -p $(dir $@)
	cp $< $@ && sed -n -e s/__NR_/SYS_/p < $< >> $@

# The headers for those that name the port, laid out as musl installs them
$(OUT)/include/stdio.h: $(GEN)
	@rm -rf $(OUT)/include && mkdir -p $(OUT)/include/bits
	cp -R $(SRC)/include/. $(OUT)/include/
	cp $(SRC)/arch/generic/bits/*.h $(OUT)/include/bits/
	cp $(SRC)/arch/x86_64/bits/*.h $(OUT)/include/bits/
	cp $(GEN) $(OUT)/include/bits/
