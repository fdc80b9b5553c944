/*
 * The picture of run/gui_text_test, drawn by the same code in Argil (into
 * the test's GUI buffer, main.c) and on the host (tools/gui_render.c: the
 * reference image the screendump is compared with): text in two fonts and
 * sizes, UTF-8 with an invalid sequence, a monospace grid, blending, and a
 * dialog after a fixed series of input events.
 */
#ifndef GUI_TEST_SCENE_H
#define GUI_TEST_SCENE_H

#include <stddef.h>
#include <stdint.h>

#define SCENE_W 480
#define SCENE_H 470

struct scene_result {
	char report[1024];          /* the dialog's report after the events */
	unsigned glyphs_rendered;   /* by the glyph caches */
	unsigned glyphs_drawn;      /* glyphs asked of them */
	const char *error;          /* NULL: drawn */
	char dialog_error[160];
};

/* Draws the scene into pixels[SCENE_W * SCENE_H] (0x00RRGGBB) with the
 * fonts DejaVuSans and DejaVuSansMono (TrueType files in memory). */
void scene_draw(uint32_t *pixels, const void *sans, size_t sans_size, const void *mono,
                size_t mono_size, struct scene_result *res);

#endif
