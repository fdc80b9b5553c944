# terminal_test (run/terminal_test): the terminal's program writes
# script.h's bytes and echoes what the host types; the host compares the
# screendumps with tools/term_render's references (the same vt.c,
# render.c, lib/gui and stb_truetype built for the host), made here with
# the component.
NAME := terminal_test
KIND := component
LIBS := testbed gui_session terminal_session

TERM_RENDER_SRCS := tools/term_render.c tools/host_image.c servers/terminal/render.c servers/terminal/vt.c \
                    $(filter-out lib/gui/font_rom.c,$(wildcard lib/gui/*.c)) ports/stb/stb_truetype.c base/src/config_parse.c \
                    base/src/config_query.c base/src/config_write.c
$(BUILD)/host/term_render: $(TERM_RENDER_SRCS) $(wildcard lib/gui/include/gui/*.h) tools/host_image.h \
		servers/terminal/vt.h servers/terminal/render.h servers/terminal/test/script.h \
		servers/terminal/session/include/terminal_wide.h \
		$(BUILD)/ports/stb/unpacked
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ilib/gui/include \
		-Iservers/terminal -isystem $(BUILD)/ports/stb/src -Iabi/include -Ibase/include \
		-Iservers/event/session/include -Iservers/terminal/session/include -Ibase/arch/x86_64/include \
		$(TERM_RENDER_SRCS) -o $@ -lm
$(BUILD)/terminal_test/reference1.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf 1024 768 $@ >/dev/null
$(BUILD)/terminal_test/reference2.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf 1024 768 $@ \
		'Echo 42!' >/dev/null
$(BUILD)/terminal_test/reference3.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf 1024 768 $@ \
		'Echo 42!' 800 600 >/dev/null
$(BUILD)/terminal_test/reference4.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf 1024 768 $@ \
		'Echo 42!' 800 600 17 >/dev/null
$(BUILD)/terminal_test/reference5.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render --script3 $(BUILD)/fonts/DejaVuSansMono.ttf 800 600 $@ \
		>/dev/null
$(BUILD)/terminal_test/reference5b.ppm: $(BUILD)/host/term_render $(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/term_render --script3 $(BUILD)/fonts/DejaVuSansMono.ttf 800 600 $@ \
		blink_off >/dev/null
# the references come with the component (run.py makes the modules only)
$(BUILD)/terminal_test.elf: $(BUILD)/terminal_test/reference1.ppm $(BUILD)/terminal_test/reference2.ppm \
		$(BUILD)/terminal_test/reference3.ppm $(BUILD)/terminal_test/reference4.ppm \
		$(BUILD)/terminal_test/reference5.ppm $(BUILD)/terminal_test/reference5b.ppm
