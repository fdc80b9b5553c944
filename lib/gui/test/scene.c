/*
 * The scene of run/gui_text_test (scene.h). Portable: no Argil headers
 * beyond lib/gui's and the event definitions.
 */
#include "scene.h"
#include <gui/dialog.h>
#include <event_session.h>
#include <string.h>

static const char dialog_desc[] =
	"<dialog>\n"
	"  <frame title=\"Network\">\n"
	"    <vbox>\n"
	"      <label text=\"Choose an uplink\"/>\n"
	"      <checkbox name=\"wifi\" text=\"Wi-Fi\" checked=\"yes\"/>\n"
	"      <checkbox name=\"wired\" text=\"Ethernet\"/>\n"
	"      <textfield name=\"ssid\" text=\"home\"/>\n"
	"      <scroll height=\"72\">\n"
	"        <list name=\"nets\">\n"
	"          <item name=\"a\" text=\"alpha\"/> <item name=\"b\" text=\"beta\"/>\n"
	"          <item name=\"c\" text=\"gamma\"/> <item name=\"d\" text=\"delta\"/>\n"
	"          <item name=\"e\" text=\"epsilon\"/>\n"
	"        </list>\n"
	"      </scroll>\n"
	"      <hbox> <button name=\"ok\" text=\"OK\"/> <button name=\"cancel\" text=\"Cancel\"/> </hbox>\n"
	"    </vbox>\n"
	"  </frame>\n"
	"</dialog>\n";

static void event(struct gui_dialog *d, uint32_t type, uint32_t code, int x, int y)
{
	struct input_event e = { type, code, x, y };

	gui_dialog_input(d, &e);
}

static void click(struct gui_dialog *d, const char *name)
{
	struct gui_rect r = gui_dialog_widget_rect(d, name);

	event(d, INPUT_ABSOLUTE, 0, r.x + r.w / 2, r.y + r.h / 2);
	event(d, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
	event(d, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
}

static void put(struct gui_surface *s, struct gui_font *f, int x, int y, const char *t, uint32_t rgb)
{
	gui_draw_text(s, f, x, y, t, strlen(t), rgb);
}

static void count(struct gui_font *f, struct scene_result *res)
{
	struct gui_glyph_stats st;

	gui_font_stats(f, &st);
	res->glyphs_rendered += (unsigned)st.rendered;
	res->glyphs_drawn += (unsigned)st.lookups;
}

void scene_draw(uint32_t *pixels, const void *sans_ttf, size_t sans_size, const void *mono_ttf,
                size_t mono_size, struct scene_result *res)
{
	static const char *const term[3] = { "$ make run/gui_text_test", "argil: 1 passed, 0 failed",
	                                     "\xe2\x94\x8c\xe2\x94\x80 box \xe2\x94\x80\xe2\x94\x90 \xc2\xb1\xc2\xb5" };
	static const uint32_t colours[] = { 0xe0e0e0, 0x80ff80, 0xffd060 };
	struct gui_font *title = NULL, *sans = NULL, *mono = NULL;
	struct gui_dialog *d = NULL;
	struct gui_surface s;
	struct gui_grid grid;
	struct gui_cell cells[26 * 3];
	const char *err;
	int y;

	memset(res, 0, sizeof *res);
	gui_surface_init(&s, pixels, SCENE_W, SCENE_H, 0);
	gui_fill(&s, gui_rect(0, 0, SCENE_W, SCENE_H), 0x283040);
	title = gui_font_new(sans_ttf, sans_size, 22, 0, &err);
	sans = title ? gui_font_new(sans_ttf, sans_size, 15, 0, &err) : NULL;
	mono = sans ? gui_font_new(mono_ttf, mono_size, 14, 0, &err) : NULL;
	if (!mono) {
		res->error = err;
		goto out;
	}
	/* text: two sizes, several scripts, an invalid byte (U+FFFD) */
	y = 8;
	put(&s, title, 12, y, "lib/gui \xe2\x80\x94 TrueType text", 0xffffff);
	y += 32;
	put(&s, sans, 12, y,
	    "Gr\xc3\xbc\xc3\x9f" "e \xc2\xb7 \xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac"
	    " \xc2\xb7 \xd0\x9a\xd0\xb8\xd1\x80\xd0\xb8\xd0\xbb\xd0\xbb\xd0\xb8\xd1\x86\xd0\xb0"
	    " \xc2\xb7 \xc2\xbd \xe2\x89\xa0 \xe2\x88\x9e \xe2\x86\x92", 0xd0e0ff);
	y += 22;
	put(&s, sans, 12, y, "invalid UTF-8: [\xff] [\xe2\x82] stays readable", 0xffc0c0);
	y += 24;
	/* clipped text and blending */
	{
		struct gui_rect old = gui_clip(&s, gui_rect(12, y + 4, 200, 10));
		put(&s, title, 12, y, "clipped to a strip", 0xffff80);
		gui_clip(&s, old);
		gui_fill_argb(&s, gui_rect(230, y, 120, 24), 0x80ff4040);
		put(&s, sans, 236, y + 3, "blended", 0xffffff);
		gui_line(&s, 360, y, 468, y + 24, 0x40ff40);
		gui_frame(&s, gui_rect(360, y, 108, 25), 1, 0x40ff40);
	}
	/* a monospace grid, as a terminal draws */
	y += 34;
	gui_grid_init(&grid, mono, 12, y, SCENE_W - 24, 3 * 20);
	for (int r = 0; r < 3 && r < grid.rows; r++) {
		size_t at = 0, len = strlen(term[r]);
		for (int c = 0; c < 26 && c < grid.cols; c++) {
			uint32_t cp = ' ';
			if (at < len)
				at += gui_utf8_decode(term[r] + at, len - at, &cp);
			cells[r * 26 + c] = (struct gui_cell){ cp, colours[r], c % 2 ? 0x101418 : 0x181c24 };
			gui_grid_draw_cell(&s, &grid, c, r, &cells[r * 26 + c]);
		}
	}
	y += grid.rows * grid.cell_h + 10;
	/* a dialog, after some input */
	d = gui_dialog_new(dialog_desc, sizeof dialog_desc - 1, sans, res->dialog_error);
	if (!d) {
		res->error = res->dialog_error;
		goto out;
	}
	click(d, "wifi");
	click(d, "wired");
	click(d, "ssid");
	event(d, INPUT_CHAR, '-', 0, 0);
	event(d, INPUT_CHAR, '5', 0, 0);
	event(d, INPUT_CHAR, 'G', 0, 0);
	click(d, "nets/b");
	event(d, INPUT_WHEEL, 0, 0, -1);
	event(d, INPUT_ABSOLUTE, 0, gui_dialog_widget_rect(d, "ok").x + 3, gui_dialog_widget_rect(d, "ok").y + 3);
	gui_dialog_draw(d, &s, 12, y);
	gui_dialog_report(d, res->report, sizeof res->report);
out:
	if (title)
		count(title, res);
	if (sans)
		count(sans, res);
	if (mono)
		count(mono, res);
	gui_dialog_free(d);
	gui_font_free(title);
	gui_font_free(sans);
	gui_font_free(mono);
}
