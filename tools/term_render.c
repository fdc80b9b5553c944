/*
 * term_render: the host half of run/terminal_test. Feeds the test's byte
 * stream (servers/terminal/test/script.h), then the echo of TYPED, to the
 * terminal's vt (servers/terminal/vt.c) and draws the screen with the
 * terminal's own render code (servers/terminal/render.c, lib/gui,
 * stb_truetype, all built for the host) in the terminal's defaults
 * (DejaVu Sans Mono at 16 px, its colours), W x H pixels, as a binary PPM:
 * the reference that servers/terminal/test/screen_check.py compares
 * QEMU's screendump with.
 *
 *   term_render MONO.ttf W H OUT.ppm [TYPED [W2 H2 [BACK]]]
 *   term_render --text MONO.ttf PX W H OUT.ppm FILE
 *   term_render --script3 MONO.ttf W H OUT.ppm [blink_off]
 *
 * TYPED: the characters the host types, followed by Enter (a CR). W2 H2:
 * then a new size, as the terminal takes it on a mode change (the grid
 * of W2 x H2 pixels, vt_resize), and the picture of that size. BACK:
 * then script.h's term_script2, and the view scrolled back BACK lines.
 * --text: FILE's bytes instead of the script, the font at PX pixels (the
 * host checks of other scenarios render what a program in the terminal
 * writes, e.g. servers/log_view/test/desktop_check.py the shell's ps).
 * --script3: script.h's term_script3 at the default 16 px (it clears the
 * screen first, so that what came before does not matter); blink_off:
 * in the phase where blinking text is hidden.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_image.h"
#include "render.h"
#include "test/script.h"

/* --text MONO.ttf PX W H OUT.ppm FILE, or --script3 MONO.ttf W H OUT.ppm */
static int text_mode(int argc, char **argv)
{
	bool script3 = !strcmp(argv[1], "--script3");
	bool blink_off = script3 && argc == 7 && !strcmp(argv[6], "blink_off");
	char px_arg[8], *args[8];

	struct term_view tv;
	struct gui_surface s;
	struct gui_font *font;
	const char *err = "";
	struct vt vt;
	size_t size, mem_size, text_size;
	void *ttf, *mem, *text;
	uint32_t *px;
	int fpx, w, h;

	if (script3 && (argc == 6 || blink_off)) {
		/* as --text with the default font size and the script's bytes */
		snprintf(px_arg, sizeof(px_arg), "%d", TERM_FONT_PX);
		args[0] = argv[0];
		args[1] = argv[1];
		args[2] = argv[2];
		args[3] = px_arg;
		args[4] = argv[3];
		args[5] = argv[4];
		args[6] = argv[5];
		args[7] = 0;
		argv = args;
		argc = 8;
	} else if (argc != 8 || script3) {
		fprintf(stderr, "usage: term_render --text MONO.ttf PX W H OUT.ppm FILE\n"
		                "       term_render --script3 MONO.ttf W H OUT.ppm\n");
		return 2;
	}
	fpx = atoi(argv[3]);
	w = atoi(argv[4]);
	h = atoi(argv[5]);
	if (fpx < GUI_FONT_PX_MIN || fpx > GUI_FONT_PX_MAX || w < 1 || h < 1 || w > 4096 || h > 4096) {
		fprintf(stderr, "term_render: bad font size %s or size %sx%s\n", argv[3], argv[4], argv[5]);
		return 2;
	}
	ttf = host_load("term_render", argv[2], &size);
	if (script3) {
		text = (void *)term_script3;
		text_size = sizeof(term_script3) - 1;
	} else {
		text = host_load("term_render", argv[7], &text_size);
	}
	font = gui_font_new(ttf, size, fpx, 0, &err);
	if (!font) {
		fprintf(stderr, "term_render: %s: %s\n", argv[2], err);
		return 1;
	}
	px = calloc((size_t)w * (size_t)h, 4);
	term_view_init(&tv, font, w, h, TERM_FG, TERM_BG);
	mem_size = vt_memory(tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK);
	mem = malloc(mem_size);
	if (!px || !mem || !vt_init(&vt, mem, mem_size, tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK)) {
		fprintf(stderr, "term_render: no memory for %dx%d cells\n", tv.grid.cols, tv.grid.rows);
		return 1;
	}
	gui_surface_init(&s, px, w, h, w);
	vt_write(&vt, text, text_size);
	tv.blink_off = blink_off;
	term_draw_all(&s, &tv, &vt);
	if (host_write_ppm("term_render", argv[6], px, w, h))
		return 1;
	printf("term_render: %s: %dx%d pixels, cells of %dx%d, %dx%d cells\n", argv[6], w, h,
	       tv.grid.cell_w, tv.grid.cell_h, tv.grid.cols, tv.grid.rows);
	return 0;
}

int main(int argc, char **argv)
{
	struct term_view tv;
	struct gui_surface s;
	struct gui_font *font;
	const char *err = "";
	struct vt vt;
	size_t size, mem_size;
	void *ttf, *mem;
	uint32_t *px;
	int w, h;

	if (argc > 1 && (!strcmp(argv[1], "--text") || !strcmp(argv[1], "--script3")))
		return text_mode(argc, argv);
	if (argc != 5 && argc != 6 && argc != 8 && argc != 9) {
		fprintf(stderr, "usage: term_render MONO.ttf W H OUT.ppm [TYPED [W2 H2 [BACK]]]\n");
		return 2;
	}
	w = atoi(argv[2]);
	h = atoi(argv[3]);
	if (w < 1 || h < 1 || w > 4096 || h > 4096) {
		fprintf(stderr, "term_render: bad size %sx%s\n", argv[2], argv[3]);
		return 2;
	}
	ttf = host_load("term_render", argv[1], &size);
	font = gui_font_new(ttf, size, TERM_FONT_PX, 0, &err);
	if (!font) {
		fprintf(stderr, "term_render: %s: %s\n", argv[1], err);
		return 1;
	}
	px = calloc((size_t)w * (size_t)h, 4);
	gui_surface_init(&s, px, w, h, w);
	term_view_init(&tv, font, w, h, TERM_FG, TERM_BG);
	mem_size = vt_memory(tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK);
	mem = malloc(mem_size);
	if (!px || !mem || !vt_init(&vt, mem, mem_size, tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK)) {
		fprintf(stderr, "term_render: no memory for %dx%d cells\n", tv.grid.cols, tv.grid.rows);
		return 1;
	}
	vt_write(&vt, term_script, sizeof(term_script) - 1);
	if (argc >= 6)
		for (const char *t = argv[5]; *t; t++) {
			char e[2];
			vt_write(&vt, e, term_echo(*t, e));
		}
	if (argc >= 6) {
		char e[2];
		vt_write(&vt, e, term_echo('\r', e));
	}
	if (argc >= 8) {
		w = atoi(argv[6]);
		h = atoi(argv[7]);
		if (w < 1 || h < 1 || w > 4096 || h > 4096) {
			fprintf(stderr, "term_render: bad size %sx%s\n", argv[6], argv[7]);
			return 2;
		}
		term_view_init(&tv, font, w, h, TERM_FG, TERM_BG);
		mem_size = vt_memory(tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK);
		mem = malloc(mem_size);
		if (!mem || !vt_resize(&vt, mem, mem_size, tv.grid.cols, tv.grid.rows, TERM_SCROLLBACK)) {
			fprintf(stderr, "term_render: no resize to %dx%d cells\n", tv.grid.cols, tv.grid.rows);
			return 1;
		}
		free(px);
		px = calloc((size_t)w * (size_t)h, 4);
		if (!px) {
			fprintf(stderr, "term_render: no memory for %dx%d pixels\n", w, h);
			return 1;
		}
		gui_surface_init(&s, px, w, h, w);
	}
	if (argc == 9) {
		vt_write(&vt, term_script2, sizeof(term_script2) - 1);
		tv.back = atoi(argv[8]);
		if (tv.back < 0 || tv.back > vt.sb_count) {
			fprintf(stderr, "term_render: %d lines back, %d in the scrollback\n", tv.back,
			        vt.sb_count);
			return 2;
		}
	}
	term_draw_all(&s, &tv, &vt);
	if (host_write_ppm("term_render", argv[4], px, w, h))
		return 1;
	printf("term_render: %s: %dx%d pixels, %dx%d cells, cursor %d,%d, %d lines of scrollback\n", argv[4], w, h,
	       tv.grid.cols, tv.grid.rows, vt.cur.x, vt.cur.y, vt.sb_count);
	return 0;
}
