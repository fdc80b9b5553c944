# Build rules of the dejavu port (build.mk is the recipe), read by
# ports/port.mk: no sources; the fonts of the unpacked binary package are
# copied to $(BUILD)/fonts/ for the run/ scenarios and host tools.
DEJAVU_FONTS := DejaVuSans.ttf DejaVuSansMono.ttf DejaVuSans-Bold.ttf DejaVuSansMono-Bold.ttf
SRCS :=
PORT_HEADERS := $(addprefix $(BUILD)/fonts/,$(DEJAVU_FONTS))

$(BUILD)/fonts/%.ttf: $(SRC)/usr/share/fonts/truetype/dejavu/%.ttf
	@mkdir -p $(dir $@)
	cp $< $@
