# Build rules of the zlib port (build.mk is the recipe), read by
# ports/port.mk: the library's sources as zlib's own Makefile lists them,
# without the gz* file functions (they need open/read/write: a POSIX
# runtime), with the C library port's headers.
SRCS := $(addprefix $(SRC)/,adler32.c compress.c crc32.c deflate.c infback.c inffast.c inflate.c \
                           inftrees.c trees.c uncompr.c zutil.c)
PORT_CFLAGS := -std=c99 -nostdinc -w
PORT_HEADERS := $(OUT)/include/zlib.h

# zlib.h and zconf.h for those that name the port
$(OUT)/include/zlib.h: $(SRC)/zlib.h $(SRC)/zconf.h
	@mkdir -p $(dir $@)
	cp $^ $(dir $@)
