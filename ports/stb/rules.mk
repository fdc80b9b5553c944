# Build rules of the stb port (build.mk is the recipe), read by
# ports/port.mk: stb_truetype's implementation, one object, with the C
# library port's headers (malloc/free, memcpy, sqrt, pow, floor, ceil,
# fmod, cos, acos, fabs, assert). The header is installed for lib/gui.
SRCS := $(PORT_DIR)/stb_truetype.c
PORT_CFLAGS := -std=c99 -nostdinc -I$(SRC) -w
PORT_HEADERS := $(OUT)/include/stb_truetype.h

$(OUT)/include/stb_truetype.h: $(SRC)/stb_truetype.h
	@mkdir -p $(dir $@)
	cp $< $@
