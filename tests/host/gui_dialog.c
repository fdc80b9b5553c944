// sources: lib/gui/dialog.c lib/gui/surface.c lib/gui/font.c lib/gui/utf8.c ports/stb/stb_truetype.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c
// cflags: -Ilib/gui/include -isystem build/ports/stb/src -Iservers/event/session/include -Ibase/arch/x86_64/include -lm
/*
 * Host unit tests of lib/gui's dialog renderer (lib/gui/dialog.c): bad
 * descriptions refused with a clear error (and mutated ones never crash),
 * the layout, the drawing inside the dialog's rectangle only, and input
 * events turned into the state report.
 *
 * Area: GUI.
 */
#include <harness.h>
#include <gui/dialog.h>
#include <argil/config.h>
#include <event_session.h>

static struct gui_font *font16(void)
{
	static void *ttf;
	static size_t size;
	const char *err;

	if (!ttf) {
		FILE *f = fopen("build/fonts/DejaVuSans.ttf", "rb");
		if (!f) {
			printf("no build/fonts/DejaVuSans.ttf: `make build/fonts/DejaVuSans.ttf`\n");
			return NULL;
		}
		fseek(f, 0, SEEK_END);
		size = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		ttf = malloc(size);
		if (fread(ttf, 1, size, f) != size)
			size = 0;
		fclose(f);
	}
	return gui_font_new(ttf, size, 16, 0, &err);
}

static const char good[] =
	"<dialog>\n"
	"  <frame title=\"Network\">\n"
	"    <vbox>\n"
	"      <label text=\"Choose an uplink\"/>\n"
	"      <checkbox name=\"wifi\" text=\"Wi-Fi\" checked=\"yes\"/>\n"
	"      <textfield name=\"ssid\" text=\"home\"/>\n"
	"      <scroll height=\"60\">\n"
	"        <list name=\"nets\">\n"
	"          <item name=\"a\" text=\"alpha\"/> <item name=\"b\" text=\"beta\"/>\n"
	"          <item name=\"c\" text=\"gamma\"/> <item name=\"d\" text=\"delta\"/>\n"
	"          <item name=\"e\" text=\"epsilon\"/> <item name=\"f\" text=\"zeta\"/>\n"
	"        </list>\n"
	"      </scroll>\n"
	"      <hbox> <button name=\"ok\" text=\"OK\"/> <button name=\"cancel\" text=\"Cancel\"/> </hbox>\n"
	"    </vbox>\n"
	"  </frame>\n"
	"</dialog>\n";

struct bad_row {
	TEST_ROW;
	const char *text;       /* the description */
	const char *error;      /* part of the message */
};

static const struct bad_row bad_rows[] = {
	{ "GUI_0201", "not the config format", "<dialog", "line 1 col" },
	{ "GUI_0202", "empty", "", "line" },
	{ "GUI_0203", "the top node is no dialog", "<vbox/>", "not <dialog>" },
	{ "GUI_0204", "an unknown node", "<dialog><slider name=\"x\"/></dialog>", "unknown node <slider>" },
	{ "GUI_0205", "an unknown attribute", "<dialog><label text=\"a\" colour=\"red\"/></dialog>",
	  "no attribute 'colour'" },
	{ "GUI_0206", "a button without a name", "<dialog><button text=\"OK\"/></dialog>", "needs a name" },
	{ "GUI_0207", "a name used twice",
	  "<dialog><button name=\"a\" text=\"1\"/><checkbox name=\"a\" text=\"2\"/></dialog>", "used twice" },
	{ "GUI_0208", "an item outside a list", "<dialog><item name=\"a\" text=\"x\"/></dialog>",
	  "outside a <list>" },
	{ "GUI_0209", "a list holding a label", "<dialog><list name=\"l\"><label text=\"x\"/></list></dialog>",
	  "only <item>s" },
	{ "GUI_0210", "a scroll without a height", "<dialog><scroll><vbox/></scroll></dialog>", "height" },
	{ "GUI_0211", "a scroll with two nodes", "<dialog><scroll height=\"40\"><vbox/><vbox/></scroll></dialog>",
	  "exactly one" },
	{ "GUI_0212", "text content instead of an attribute", "<dialog><vbox>hello</vbox></dialog>", "holds text" },
	{ "GUI_0213", "a bad boolean", "<dialog><checkbox name=\"c\" text=\"x\" checked=\"maybe\"/></dialog>",
	  "yes or no" },
	{ "GUI_0214", "a label holding a node", "<dialog><label text=\"x\"><vbox/></label></dialog>",
	  "holds no nodes" },
	{ "GUI_0215", "a label without text", "<dialog><label/></dialog>", "needs a text" },
	{ "GUI_0216", "a dialog inside a dialog", "<dialog><dialog/></dialog>", "only at the top" },
	{ "GUI_0217", "a control character in a text field",
	  "<dialog><textfield name=\"t\" text=\"a&#9;b\"/></dialog>", "control character" },
	{ "GUI_0218", "two items of one name in a list",
	  "<dialog><list name=\"l\"><item name=\"a\" text=\"1\"/><item name=\"a\" text=\"2\"/></list></dialog>",
	  "used twice" },
};

TEST_TABLE(GUI_0201, bad_rows, row)
{
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d;

	CHECK(f);
	d = gui_dialog_new(row->text, strlen(row->text), f, err);
	CHECK_MSG(!d, "accepted");
	CHECK_MSG(strstr(err, row->error) && !strncmp(err, "dialog: ", 8), "error '%s'", err);
	gui_font_free(f);
}

TEST(GUI_0230, "nesting beyond 32 levels and over-long descriptions are refused")
{
	char err[GUI_DIALOG_ERROR], *big;
	struct gui_font *f = font16();
	size_t n = 0;

	CHECK(f);
	big = malloc(GUI_DIALOG_MAX_LEN + 100);
	CHECK(big);
	n += (size_t)sprintf(big, "<dialog>");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(big + n, "<vbox>");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(big + n, "</vbox>");
	n += (size_t)sprintf(big + n, "</dialog>");
	CHECK(!gui_dialog_new(big, n, f, err) && strstr(err, "deeper"));
	memset(big, ' ', GUI_DIALOG_MAX_LEN + 1);
	CHECK(!gui_dialog_new(big, GUI_DIALOG_MAX_LEN + 1, f, err) && strstr(err, "longer"));
	free(big);
	gui_font_free(f);
}

/* the report parsed back; the first node of type 'type' with name 'name' */
static char report[4096], arena[65536];
static struct cfg_node *state(struct gui_dialog *d)
{
	size_t n = gui_dialog_report(d, report, sizeof report);
	struct cfg_error e;
	struct cfg_node *root;

	if (n == 0 || n >= sizeof report)
		return NULL;
	root = cfg_parse(report, n, arena, sizeof arena, &e);
	if (!root)
		printf("report does not parse: %s\n%s", e.msg, report);
	return root;
}

static const char *state_attr(struct gui_dialog *d, const char *type, const char *name, const char *attr)
{
	struct cfg_node *n = state(d);

	for (n = cfg_child(n, type); n; n = cfg_next(n, type))
		if (!name || cfg_attr_is(n, "name", name))
			return cfg_attr(n, attr);
	return NULL;
}

static void ev(struct gui_dialog *d, uint32_t type, uint32_t code, int x, int y)
{
	struct input_event e = { type, code, x, y };

	gui_dialog_input(d, &e);
}

static void click_at(struct gui_dialog *d, struct gui_rect r)
{
	ev(d, INPUT_ABSOLUTE, 0, r.x + r.w / 2, r.y + r.h / 2);
	ev(d, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
	ev(d, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
}

TEST(GUI_0231, "layout: widgets inside the dialog, stacked in a vbox, side by side in an hbox")
{
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d = gui_dialog_new(good, strlen(good), f, err);
	struct gui_rect wifi, ssid, ok, cancel, nets;
	int w, h, mw, mh;

	CHECK_MSG(d, "%s", err);
	gui_dialog_min_size(d, &mw, &mh);
	gui_dialog_size(d, &w, &h);
	CHECK(w == mw && h == mh && w > 100 && h > 150);
	wifi = gui_dialog_widget_rect(d, "wifi");
	ssid = gui_dialog_widget_rect(d, "ssid");
	ok = gui_dialog_widget_rect(d, "ok");
	cancel = gui_dialog_widget_rect(d, "cancel");
	nets = gui_dialog_widget_rect(d, "nets");
	CHECK(!gui_rect_empty(wifi) && !gui_rect_empty(ssid) && !gui_rect_empty(ok));
	CHECK(ssid.y >= wifi.y + wifi.h && nets.y >= ssid.y + ssid.h && ok.y >= nets.y);
	CHECK(cancel.x >= ok.x + ok.w && cancel.y == ok.y);
	CHECK(gui_rect_empty(gui_dialog_widget_rect(d, "nope")));
	CHECK(!gui_rect_empty(gui_dialog_widget_rect(d, "nets/b")));
	CHECK(gui_rect_empty(gui_dialog_widget_rect(d, "b")));
	gui_dialog_resize(d, w + 100, h + 50);
	gui_dialog_size(d, &w, &h);
	CHECK(w == mw + 100 && h == mh + 50);
	CHECK_EQ(gui_dialog_widget_rect(d, "ssid").w, ssid.w + 100);
	gui_dialog_resize(d, 1, 1);
	gui_dialog_size(d, &w, &h);
	CHECK(w == mw && h == mh);
	gui_dialog_free(d);
	gui_font_free(f);
}

#define SW 600
#define SH 500
static uint32_t px[SH][SW];

TEST(GUI_0232, "drawing: only inside the dialog's rectangle; background, title bar, text, check mark")
{
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d = gui_dialog_new(good, strlen(good), f, err);
	struct gui_surface s;
	int w, h, text = 0;

	CHECK_MSG(d, "%s", err);
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++)
			px[y][x] = 0x00ff00;
	gui_surface_init(&s, &px[0][0], SW, SH, 0);
	gui_dialog_size(d, &w, &h);
	gui_dialog_draw(d, &s, 30, 20);
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++) {
			bool in = gui_rect_contains(gui_rect(30, 20, w, h), x, y);
			if (!in)
				CHECK_EQ(px[y][x], 0x00ff00u);
			else
				CHECK(px[y][x] != 0x00ff00u);
		}
	CHECK_EQ(px[20][30], 0xd8d8d8u);    /* the dialog's background */
	{
		struct gui_rect l = gui_dialog_widget_rect(d, "wifi");
		for (int y = l.y; y < l.y + l.h; y++)
			for (int x = l.x; x < l.x + l.w; x++)
				text += px[20 + y][30 + x] == 0x141414u;
		CHECK(text > 20);
	}
	/* drawn again partly off the surface: no crash, clipped */
	gui_dialog_draw(d, &s, -100, SH - 50);
	gui_dialog_draw(d, &s, 0x7ffff000, -0x7ffff000);
	gui_dialog_free(d);
	gui_font_free(f);
}

TEST(GUI_0233, "events: hover, button click with a sequence number, checkbox toggle, report parses")
{
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d = gui_dialog_new(good, strlen(good), f, err);
	struct gui_rect ok = gui_dialog_widget_rect(d, "ok"), wifi = gui_dialog_widget_rect(d, "wifi");
	struct input_event e = { INPUT_ABSOLUTE, 0, ok.x + 2, ok.y + 2 };

	CHECK_MSG(d, "%s", err);
	CHECK(state(d));
	CHECK(!state_attr(d, "hover", NULL, "name"));
	CHECK(!state_attr(d, "clicked", NULL, "name"));
	CHECK(!strcmp(state_attr(d, "checkbox", "wifi", "checked"), "yes"));
	CHECK(gui_dialog_input(d, &e));
	CHECK(!strcmp(state_attr(d, "hover", NULL, "name"), "ok"));
	CHECK(!gui_dialog_input(d, &e));        /* nothing changed */
	e.type = INPUT_MOTION;
	e.x = 1;
	e.y = 0;
	CHECK(!gui_dialog_input(d, &e));        /* still on the button */
	click_at(d, ok);
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "name"), "ok"));
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "seq"), "1"));
	click_at(d, ok);
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "seq"), "2"));
	/* pressed on ok, released elsewhere: no click */
	ev(d, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
	ev(d, INPUT_ABSOLUTE, 0, wifi.x + 3, wifi.y + 3);
	ev(d, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "seq"), "2"));
	CHECK(!strcmp(state_attr(d, "hover", NULL, "name"), "wifi"));
	click_at(d, wifi);
	CHECK(!strcmp(state_attr(d, "checkbox", "wifi", "checked"), "no"));
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "name"), "wifi"));
	click_at(d, wifi);
	CHECK(!strcmp(state_attr(d, "checkbox", "wifi", "checked"), "yes"));
	/* away from everything: no hover */
	ev(d, INPUT_ABSOLUTE, 0, 5000, 5000);
	CHECK(!state_attr(d, "hover", NULL, "name"));
	/* unknown event types and keys change nothing */
	ev(d, 99, 0, 0, 0);
	ev(d, INPUT_PRESS, KEY_A, 0, 0);
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "seq"), "4"));
	gui_dialog_free(d);
	gui_font_free(f);
}

TEST(GUI_0234, "text field: click focuses, characters and backspace edit, tab moves the focus, UTF-8 kept")
{
	static const char two[] = "<dialog><textfield name=\"a\" text=\"x\"/><textfield name=\"b\"/></dialog>";
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d = gui_dialog_new(two, strlen(two), f, err);

	CHECK_MSG(d, "%s", err);
	ev(d, INPUT_CHAR, 'q', 0, 0);          /* no focus: ignored */
	CHECK(!strcmp(state_attr(d, "textfield", "a", "text"), "x"));
	click_at(d, gui_dialog_widget_rect(d, "a"));
	CHECK(!strcmp(state_attr(d, "focus", NULL, "name"), "a"));
	ev(d, INPUT_CHAR, 'y', 0, 0);
	ev(d, INPUT_CHAR, 0xe4, 0, 0);
	ev(d, INPUT_CHAR, 0x20ac, 0, 0);
	ev(d, INPUT_CHAR, 7, 0, 0);            /* control character: ignored */
	CHECK(!strcmp(state_attr(d, "textfield", "a", "text"), "xy\xc3\xa4\xe2\x82\xac"));
	ev(d, INPUT_PRESS, KEY_BACKSPACE, 0, 0);
	CHECK(!strcmp(state_attr(d, "textfield", "a", "text"), "xy\xc3\xa4"));
	ev(d, INPUT_PRESS, KEY_TAB, 0, 0);
	CHECK(!strcmp(state_attr(d, "focus", NULL, "name"), "b"));
	ev(d, INPUT_CHAR, '<', 0, 0);
	ev(d, INPUT_CHAR, '"', 0, 0);
	CHECK(!strcmp(state_attr(d, "textfield", "b", "text"), "<\""));
	for (int i = 0; i < 300; i++)
		ev(d, INPUT_CHAR, 'z', 0, 0);
	CHECK_EQ(strlen(state_attr(d, "textfield", "b", "text")), (size_t)GUI_TEXTFIELD_MAX - 1);
	for (int i = 0; i < 300; i++)
		ev(d, INPUT_PRESS, KEY_BACKSPACE, 0, 0);
	CHECK(!strcmp(state_attr(d, "textfield", "b", "text"), ""));
	gui_dialog_free(d);
	gui_font_free(f);
}

TEST(GUI_0235, "list in a scroll area: a click selects, the wheel scrolls what the pointer hits")
{
	char err[GUI_DIALOG_ERROR];
	struct gui_font *f = font16();
	struct gui_dialog *d = gui_dialog_new(good, strlen(good), f, err);
	struct gui_rect a, e, nets;

	CHECK_MSG(d, "%s", err);
	a = gui_dialog_widget_rect(d, "nets/a");
	e = gui_dialog_widget_rect(d, "nets/e");
	nets = gui_dialog_widget_rect(d, "nets");
	CHECK(!state_attr(d, "list", "nets", "selected"));
	click_at(d, a);
	CHECK(!strcmp(state_attr(d, "list", "nets", "selected"), "a"));
	CHECK(!strcmp(state_attr(d, "clicked", NULL, "list"), "nets"));
	/* item e lies below the 60-pixel view: clicking where it would be hits nothing of it */
	ev(d, INPUT_ABSOLUTE, 0, e.x + 3, e.y + 3);
	CHECK(!state_attr(d, "hover", NULL, "name") ||
	      strcmp(state_attr(d, "hover", NULL, "name"), "e"));
	/* scroll down over the list: now e is where the view shows it */
	ev(d, INPUT_ABSOLUTE, 0, a.x + 3, a.y + 3);
	ev(d, INPUT_WHEEL, 0, 0, -1);
	for (int y = nets.y; y < nets.y + 60; y++) {
		ev(d, INPUT_ABSOLUTE, 0, e.x + 3, y);
		if (state_attr(d, "hover", NULL, "name") && !strcmp(state_attr(d, "hover", NULL, "name"), "e")) {
			ev(d, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
			ev(d, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
			break;
		}
	}
	CHECK(!strcmp(state_attr(d, "list", "nets", "selected"), "e"));
	gui_dialog_free(d);
	gui_font_free(f);
}

TEST(GUI_0236, "mutated descriptions: every one parsed or refused with an error, never a crash")
{
	struct gui_font *f = font16();
	char buf[sizeof good], err[GUI_DIALOG_ERROR];
	uint32_t seed = 12345;
	unsigned accepted = 0, refused = 0;
	static const char alphabet[] = "<>/=\"' abcdefghilmnorstuvwxy&;#1234567890\n";

	CHECK(f);
	for (int round = 0; round < 3000; round++) {
		size_t len = sizeof good - 1;
		memcpy(buf, good, len);
		for (int k = 0; k < 1 + round % 4 && len > 1; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 16) % 3) {
			case 0: buf[at] = alphabet[(seed >> 4) % (sizeof alphabet - 1)]; break;
			case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
			default: len = at + 1; break;
			}
		}
		struct gui_dialog *d = gui_dialog_new(buf, len, f, err);
		if (d) {
			uint32_t scr[64 * 64];
			struct gui_surface s;
			accepted++;
			gui_surface_init(&s, scr, 64, 64, 0);
			gui_dialog_draw(d, &s, -10, -10);
			ev(d, INPUT_ABSOLUTE, 0, 20, 20);
			ev(d, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
			ev(d, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
			CHECK(gui_dialog_report(d, report, sizeof report) > 0);
			gui_dialog_free(d);
		} else {
			refused++;
			CHECK_MSG(!strncmp(err, "dialog: line ", 13), "error '%s'", err);
		}
	}
	printf("mutations: %u accepted, %u refused\n", accepted, refused);
	CHECK(accepted > 0 && refused > 0);
	gui_font_free(f);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
