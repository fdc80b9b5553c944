/*
 * gui_render: the host half of run/gui_text_test. Draws the test's scene
 * (lib/gui/test/scene.c) with lib/gui and stb_truetype built for the host
 * and writes it as a binary PPM, the reference image that
 * lib/gui/test/screen_check.py compares QEMU's screendump with.
 *
 *   gui_render SANS.ttf MONO.ttf OUT.ppm
 *
 * Built by lib/gui/test/build.mk ($(BUILD)/host/gui_render), run when the
 * test component is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include "host_image.h"
#include "scene.h"

int main(int argc, char **argv)
{
	static uint32_t px[SCENE_W * SCENE_H];
	static struct scene_result res;
	size_t sans_size, mono_size;
	void *sans, *mono;

	if (argc != 4) {
		fprintf(stderr, "usage: gui_render SANS.ttf MONO.ttf OUT.ppm\n");
		return 2;
	}
	sans = host_load("gui_render", argv[1], &sans_size);
	mono = host_load("gui_render", argv[2], &mono_size);
	scene_draw(px, sans, sans_size, mono, mono_size, &res);
	if (res.error) {
		fprintf(stderr, "gui_render: %s\n", res.error);
		return 1;
	}
	if (host_write_ppm("gui_render", argv[3], px, SCENE_W, SCENE_H))
		return 1;
	printf("gui_render: %s: %dx%d, %u glyphs rendered, report %s", argv[3], SCENE_W, SCENE_H,
	       res.glyphs_rendered, res.report);
	return 0;
}
