# gui_text_test (run/gui_text_test): lib/gui's scene (scene.c) drawn into
# a GUI buffer on the screen, compared by the host with the same scene
# rendered by tools/gui_render (lib/gui and stb_truetype built for the
# host): the reference image is made here with the component.
NAME := gui_text_test
KIND := component
LIBS := testbed gui_session guilib

GUI_RENDER_SRCS := tools/gui_render.c tools/host_image.c lib/gui/test/scene.c $(filter-out lib/gui/font_rom.c,$(wildcard lib/gui/*.c)) \
                   ports/stb/stb_truetype.c base/src/config_parse.c base/src/config_query.c \
                   base/src/config_write.c
$(BUILD)/host/gui_render: $(GUI_RENDER_SRCS) $(wildcard lib/gui/include/gui/*.h lib/gui/test/*.h) tools/host_image.h \
		$(BUILD)/ports/stb/unpacked
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ilib/gui/include -Ilib/gui/test \
		-isystem $(BUILD)/ports/stb/src -Iabi/include -Ibase/include -Iservers/event/session/include \
		-Ibase/arch/x86_64/include $(GUI_RENDER_SRCS) -o $@ -lm
$(BUILD)/gui_text_test/reference.ppm: $(BUILD)/host/gui_render $(BUILD)/fonts/DejaVuSans.ttf \
		$(BUILD)/fonts/DejaVuSansMono.ttf
	@mkdir -p $(dir $@)
	$(call quiet,RENDER,$@)$(BUILD)/host/gui_render $(BUILD)/fonts/DejaVuSans.ttf \
		$(BUILD)/fonts/DejaVuSansMono.ttf $@ >/dev/null
# the reference comes with the component (run.py makes the modules only)
$(BUILD)/gui_text_test.elf: $(BUILD)/gui_text_test/reference.ppm
