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
#include "scene.h"

static void *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *data = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(data = malloc((size_t)n)) || fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "gui_render: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*size = (size_t)n;
	return data;
}

int main(int argc, char **argv)
{
	static uint32_t px[SCENE_W * SCENE_H];
	static struct scene_result res;
	size_t sans_size, mono_size;
	void *sans, *mono;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: gui_render SANS.ttf MONO.ttf OUT.ppm\n");
		return 2;
	}
	sans = load(argv[1], &sans_size);
	mono = load(argv[2], &mono_size);
	scene_draw(px, sans, sans_size, mono, mono_size, &res);
	if (res.error) {
		fprintf(stderr, "gui_render: %s\n", res.error);
		return 1;
	}
	out = fopen(argv[3], "wb");
	if (!out) {
		fprintf(stderr, "gui_render: cannot write %s\n", argv[3]);
		return 1;
	}
	fprintf(out, "P6\n%d %d\n255\n", SCENE_W, SCENE_H);
	for (int i = 0; i < SCENE_W * SCENE_H; i++) {
		unsigned char rgb[3] = { (unsigned char)(px[i] >> 16), (unsigned char)(px[i] >> 8),
		                         (unsigned char)px[i] };
		fwrite(rgb, 1, 3, out);
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "gui_render: cannot write %s\n", argv[3]);
		return 1;
	}
	printf("gui_render: %s: %dx%d, %u glyphs rendered, report %s", argv[3], SCENE_W, SCENE_H,
	       res.glyphs_rendered, res.report);
	return 0;
}
