// sources: lib/wm_core/geometry.c lib/wm_core/layout.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c
// cflags: -Ilib/wm_core/include -Iservers/gui/session/include -Iservers/event/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the window manager's portable core
 * (lib/wm_core): decoration hit tests, the wm's view and input
 * translation, and the layouter's logic: placement by rules, changed
 * rules applied at once, focus by click, moving by the title, resizing by
 * the border, maximize by button and double click, close requests,
 * shortcuts, the reports it writes, bad documents refused.
 *
 * Area: WM.
 */
#include <harness.h>
#include <stdio.h>
#include <string.h>
#include <wm_layout.h>
#include <gui_session.h>

static const struct wm_margins M = { 22, 4, 4, 4 };

/* A document parsed into an arena freed after the case. */
static const struct cfg_node *doc(const char *text)
{
	size_t len = strlen(text), asize = cfg_arena_size(len);
	void *arena = test_alloc(16, asize);
	struct cfg_error err;
	const struct cfg_node *n = cfg_parse(text, len, arena, asize, &err);

	CHECK_MSG(n, "parse: %s", text);
	return n;
}

static struct input_event ev(uint32_t type, uint32_t code, int32_t x, int32_t y)
{
	return (struct input_event){ type, code, x, y };
}

static bool in(struct layouter *l, uint32_t type, uint32_t code, int32_t x, int32_t y,
	       unsigned long ms)
{
	struct input_event e = ev(type, code, x, y);
	return lay_input(l, &e, ms);
}

static void click_at(struct layouter *l, long x, long y, unsigned long ms)
{
	in(l, GUI_EV_POINTER, 0, (int32_t)x, (int32_t)y, ms);
	in(l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, ms);
	in(l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, ms);
}

static const char *two_windows =
	"<window_list>"
	" <window id=\"1\" label=\"apps -> red\" title=\"Red\" width=\"300\" height=\"200\"/>"
	" <window id=\"2\" label=\"apps -> blue\" title=\"Blue\" width=\"200\" height=\"100\"/>"
	"</window_list>";

static void setup(struct layouter *l, const char *rules)
{
	lay_init(l, 1024, 768, &M);
	if (rules)
		CHECK(!lay_set_rules(l, doc(rules)));
	CHECK(!lay_set_windows(l, doc(two_windows)));
}

static void check_rect(const struct wm_rect *r, long x, long y, long w, long h)
{
	CHECK_EQ(r->x, x);
	CHECK_EQ(r->y, y);
	CHECK_EQ(r->w, w);
	CHECK_EQ(r->h, h);
}

TEST(WM_0001, "decoration hit test: content, title, buttons, borders and corners, outside")
{
	struct wm_rect w = { 100, 100, 200, 100 };
	struct deco_hit h;

	CHECK_EQ(deco_hit(&w, &M, 150, 150).element, DECO_CONTENT);
	CHECK_EQ(deco_hit(&w, &M, 150, 90).element, DECO_TITLE);
	/* title bar 18 high at y 82..99, close the rightmost 18x18 square */
	check_rect(&(struct wm_rect){ 0 }, 0, 0, 0, 0);
	struct wm_rect c = deco_close(&w, &M), m = deco_maximize(&w, &M);
	check_rect(&c, 282, 82, 18, 18);
	check_rect(&m, 264, 82, 18, 18);
	CHECK_EQ(deco_hit(&w, &M, 290, 90).element, DECO_CLOSE);
	CHECK_EQ(deco_hit(&w, &M, 270, 90).element, DECO_MAXIMIZE);
	h = deco_hit(&w, &M, 97, 150);
	CHECK(h.element == DECO_BORDER && h.edges == DECO_EDGE_LEFT);
	h = deco_hit(&w, &M, 302, 203);
	CHECK(h.element == DECO_BORDER && h.edges == (DECO_EDGE_RIGHT | DECO_EDGE_BOTTOM));
	h = deco_hit(&w, &M, 150, 78);
	CHECK(h.element == DECO_BORDER && h.edges == DECO_EDGE_TOP);
	h = deco_hit(&w, &M, 100, 78);   /* the top border near the corner */
	CHECK(h.element == DECO_BORDER && h.edges == (DECO_EDGE_TOP | DECO_EDGE_LEFT));
	CHECK_EQ(deco_hit(&w, &M, 95, 150).element, DECO_NONE);
	CHECK_EQ(deco_hit(&w, &M, 150, 77).element, DECO_NONE);
	CHECK_EQ(deco_hit(&w, &M, 304, 150).element, DECO_NONE);
	CHECK(!strcmp(deco_hit_name(deco_hit(&w, &M, 302, 203)), "bottom_right"));
	CHECK(deco_hit_parse("top_left", &h) && h.edges == (DECO_EDGE_TOP | DECO_EDGE_LEFT));
	CHECK(!deco_hit_parse("middle", &h));
}

TEST(WM_0002, "the wm's translation: views clipped to their window, input to window coordinates")
{
	struct wm_rect win = { 100, 50, 300, 200 }, v, s;
	long x, y;

	v = (struct wm_rect){ 10, 20, 100, 100 };
	s = wm_view_to_screen(&win, &v);
	check_rect(&s, 110, 70, 100, 100);
	v = (struct wm_rect){ 250, 150, 100, 100 };   /* beyond the right and bottom */
	s = wm_view_to_screen(&win, &v);
	check_rect(&s, 350, 200, 50, 50);
	v = (struct wm_rect){ -30, -5, 100, 100 };    /* pushed inside */
	s = wm_view_to_screen(&win, &v);
	check_rect(&s, 100, 50, 100, 100);
	v = (struct wm_rect){ 400, 0, 10, 10 };       /* outside: nothing */
	s = wm_view_to_screen(&win, &v);
	CHECK_EQ(s.w, 0);
	wm_screen_to_window(&win, 105, 45, &x, &y);
	CHECK(x == 5 && y == -5);
}

TEST(WM_0003, "placement: rules by the longest label prefix, else cascading at the requested size")
{
	struct layouter l;

	setup(&l, "<rules>"
		  " <assign label_prefix=\"apps\" xpos=\"10\" ypos=\"30\"/>"
		  " <assign label_prefix=\"apps -> blue\" xpos=\"500\" ypos=\"400\" width=\"250\"/>"
		  "</rules>");
	check_rect(&lay_window(&l, 1)->r, 10, 30, 300, 200);
	check_rect(&lay_window(&l, 2)->r, 500, 400, 250, 100);
	/* the last new window has the focus and is in front */
	CHECK_EQ(l.focus, 2u);
	CHECK_EQ(l.win[1].id, 2u);
	/* without rules: cascade from the margins */
	setup(&l, 0);
	check_rect(&lay_window(&l, 1)->r, 4, 22, 300, 200);
	check_rect(&lay_window(&l, 2)->r, 36, 54, 200, 100);
}

TEST(WM_0004, "changed rules apply at once; a maximizing rule; windows that go")
{
	struct layouter l;

	setup(&l, "<rules> <assign label_prefix=\"apps -> red\" xpos=\"10\" ypos=\"30\"/> </rules>");
	CHECK(!lay_set_rules(&l, doc("<rules> <assign label_prefix=\"apps -> red\" xpos=\"600\""
				     " ypos=\"300\"/> <assign label_prefix=\"apps -> blue\""
				     " maximized=\"yes\"/> </rules>")));
	check_rect(&lay_window(&l, 1)->r, 600, 300, 300, 200);
	check_rect(&lay_window(&l, 2)->r, 4, 22, 1016, 742);
	CHECK(lay_window(&l, 2)->maximized);
	CHECK(!lay_set_rules(&l, doc("<rules> <assign label_prefix=\"apps -> blue\""
				     " maximized=\"no\"/> </rules>")));
	check_rect(&lay_window(&l, 2)->r, 36, 54, 200, 100);
	/* blue (focused) goes: red gets the focus */
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"1\" label=\"apps -> red\""
				       " width=\"300\" height=\"200\"/> </window_list>")));
	CHECK_EQ(l.nwin, 1u);
	CHECK_EQ(l.focus, 1u);
	/* the window keeps its place when the list is reported again */
	check_rect(&lay_window(&l, 1)->r, 600, 300, 300, 200);
}

TEST(WM_0005, "focus follows a click: on a title bar, and into the content (WM_EV_CLICK)")
{
	struct layouter l;
	char buf[512];

	setup(&l, "<rules> <assign label_prefix=\"apps -> red\" xpos=\"100\" ypos=\"100\"/>"
		  " <assign label_prefix=\"apps -> blue\" xpos=\"600\" ypos=\"100\"/> </rules>");
	CHECK_EQ(l.focus, 2u);
	click_at(&l, 150, 90, 1000);       /* red's title bar */
	CHECK_EQ(l.focus, 1u);
	CHECK_EQ(l.win[1].id, 1u);         /* raised */
	CHECK(in(&l, WM_EV_CLICK, 2, 0, 0, 2000));
	CHECK_EQ(l.focus, 2u);
	CHECK(!in(&l, WM_EV_CLICK, 2, 0, 0, 2001));  /* focused already */
	CHECK(!in(&l, WM_EV_CLICK, 9, 0, 0, 2002));  /* no such window */
	CHECK(lay_write_focus(&l, buf, sizeof(buf)));
	CHECK_MSG(!strcmp(buf, "<focus window=\"2\" label=\"apps -&gt; blue\"/>\n"), "%s", buf);
	/* a click on the background changes nothing */
	click_at(&l, 50, 700, 3000);
	CHECK_EQ(l.focus, 2u);
}

TEST(WM_0006, "dragging the title moves a window; dragging a border or corner resizes it")
{
	struct layouter l;

	setup(&l, "<rules> <assign label_prefix=\"apps\" xpos=\"100\" ypos=\"100\"/> </rules>");
	in(&l, GUI_EV_POINTER, 0, 150, 90, 0);
	CHECK(in(&l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, 0));
	CHECK(in(&l, GUI_EV_POINTER, 0, 200, 60, 10));
	CHECK(in(&l, GUI_EV_POINTER, 0, 250, 140, 20));
	in(&l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, 30);
	/* blue was in front at the same place: it is the one moved */
	check_rect(&lay_window(&l, 2)->r, 200, 150, 200, 100);
	CHECK(!in(&l, GUI_EV_POINTER, 0, 300, 300, 40));   /* released: no move */
	/* blue's bottom-right corner (content ends at 400, 250) */
	in(&l, GUI_EV_POINTER, 0, 402, 252, 50);
	in(&l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, 50);
	in(&l, GUI_EV_POINTER, 0, 452, 232, 60);
	in(&l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, 70);
	check_rect(&lay_window(&l, 2)->r, 200, 150, 250, 80);
	/* the left border, not below the least size */
	in(&l, GUI_EV_POINTER, 0, 197, 200, 80);
	in(&l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, 80);
	in(&l, GUI_EV_POINTER, 0, 1000, 200, 90);
	in(&l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, 100);
	check_rect(&lay_window(&l, 2)->r, 418, 150, LAY_MIN_SIDE, 80);
}

TEST(WM_0007, "maximize by the button and by a double click on the title; restore")
{
	struct layouter l;
	struct wm_rect mx;

	setup(&l, "<rules> <assign label_prefix=\"apps -> blue\" xpos=\"100\" ypos=\"100\"/> </rules>");
	mx = deco_maximize(&lay_window(&l, 2)->r, &M);
	click_at(&l, mx.x + 2, mx.y + 2, 0);
	CHECK(lay_window(&l, 2)->maximized);
	check_rect(&lay_window(&l, 2)->r, 4, 22, 1016, 742);
	/* a maximized window does not move */
	in(&l, GUI_EV_POINTER, 0, 100, 10, 1000);
	in(&l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, 1000);
	in(&l, GUI_EV_POINTER, 0, 300, 300, 1010);
	in(&l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, 1020);
	check_rect(&lay_window(&l, 2)->r, 4, 22, 1016, 742);
	/* double click on the title: restored */
	click_at(&l, 100, 10, 2000);
	click_at(&l, 101, 11, 2000 + LAY_DOUBLE_CLICK_MS);
	CHECK(!lay_window(&l, 2)->maximized);
	check_rect(&lay_window(&l, 2)->r, 100, 100, 200, 100);
	/* two presses too far apart in time are no double click */
	click_at(&l, 150, 90, 5000);
	click_at(&l, 150, 90, 5001 + LAY_DOUBLE_CLICK_MS);
	CHECK(!lay_window(&l, 2)->maximized);
	/* a button released elsewhere does nothing */
	mx = deco_maximize(&lay_window(&l, 2)->r, &M);
	in(&l, GUI_EV_POINTER, 0, (int32_t)mx.x + 1, (int32_t)mx.y + 1, 9000);
	in(&l, INPUT_PRESS, KEY_BTN_LEFT, 0, 0, 9000);
	in(&l, GUI_EV_POINTER, 0, 150, 90, 9001);
	in(&l, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0, 9002);
	CHECK(!lay_window(&l, 2)->maximized);
}

TEST(WM_0008, "close button and shortcuts (TAB, UP, Q as global key combinations) in the layout report")
{
	struct layouter l;
	struct wm_rect c;
	char buf[1024];

	setup(&l, "<rules> <assign label_prefix=\"apps -> red\" xpos=\"100\" ypos=\"100\"/>"
		  " <assign label_prefix=\"apps -> blue\" xpos=\"600\" ypos=\"100\"/> </rules>");
	c = deco_close(&lay_window(&l, 1)->r, &M);
	click_at(&l, c.x + 1, c.y + 1, 0);
	CHECK(lay_window(&l, 1)->close);
	/* red is in front, but the focus went to blue (red's views are hidden) */
	CHECK_EQ(l.focus, 2u);
	CHECK(lay_write_layout(&l, buf, sizeof(buf)));
	CHECK_MSG(!strcmp(buf, "<window_layout>\n"
			   "  <window id=\"2\" xpos=\"600\" ypos=\"100\" width=\"200\" height=\"100\""
			   " focused=\"yes\" title=\"Blue\"/>\n"
			   "  <window id=\"1\" xpos=\"100\" ypos=\"100\" width=\"300\" height=\"200\""
			   " focused=\"no\" title=\"Red\" close=\"yes\"/>\n"
			   "</window_layout>\n"), "%s", buf);
	/* the layouter gets keys only as global key combinations: TAB cycles
	 * (skipping red, asked to close), other keys and releases do nothing */
	CHECK(!in(&l, INPUT_PRESS, KEY_A, 0, 0, 0));
	CHECK(!in(&l, INPUT_PRESS, KEY_LEFTMETA, 0, 0, 0));
	CHECK(in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));    /* blue, the only one, */
	CHECK_EQ(l.focus, 2u);
	CHECK_EQ(l.win[1].id, 2u);                        /* to the front */
	CHECK(!in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));   /* and nothing more */
	l.win[0].close = false;                           /* red back for the test */
	CHECK(in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));
	CHECK_EQ(l.focus, 1u);
	CHECK(in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));
	CHECK_EQ(l.focus, 2u);
	CHECK(!in(&l, INPUT_RELEASE, KEY_TAB, 0, 0, 0));
	CHECK(in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));
	CHECK_EQ(l.focus, 1u);
	CHECK(in(&l, INPUT_PRESS, KEY_UP, 0, 0, 0));
	CHECK(lay_window(&l, 1)->maximized);
	CHECK(in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));
	CHECK_EQ(l.focus, 2u);
	CHECK(in(&l, INPUT_PRESS, KEY_Q, 0, 0, 0));
	CHECK(lay_window(&l, 2)->close);
	CHECK_EQ(l.focus, 1u);         /* the focus to red, not closing */
	CHECK(in(&l, INPUT_PRESS, KEY_Q, 0, 0, 0));
	CHECK(lay_window(&l, 1)->close);
	CHECK_EQ(l.focus, 0u);         /* both closing: none has the focus */
	CHECK(!in(&l, INPUT_PRESS, KEY_TAB, 0, 0, 0));  /* none to cycle to */
	CHECK(!in(&l, INPUT_PRESS, KEY_UP, 0, 0, 0));   /* no focused window */
	CHECK(lay_write_layout(&l, buf, 16) == 0);   /* too small: said so */
}

TEST(WM_0009, "the decorator's hover report decides what a press hits at its position")
{
	struct layouter l;
	struct deco_hit close = { DECO_CLOSE, 0 };

	setup(&l, "<rules> <assign label_prefix=\"apps -> red\" xpos=\"100\" ypos=\"100\"/>"
		  " <assign label_prefix=\"apps -> blue\" xpos=\"600\" ypos=\"100\"/> </rules>");
	/* the decorator says the pointer at 150,90 is on red's close button
	 * (its own geometry); the layouter believes it for that position */
	lay_set_hover(&l, true, 1, close, 150, 90);
	click_at(&l, 150, 90, 0);
	CHECK(lay_window(&l, 1)->close);
	/* for another position its own hit test counts */
	lay_set_hover(&l, true, 2, close, 650, 90);
	click_at(&l, 160, 90, 1000);
	CHECK(!lay_window(&l, 2)->close);
	CHECK_EQ(l.focus, 1u);
}

TEST(WM_0010, "bad documents are refused with an error and change nothing")
{
	struct layouter l;
	struct wm_margins m;

	setup(&l, "<rules> <assign label_prefix=\"apps\" xpos=\"10\" ypos=\"30\"/> </rules>");
	CHECK(lay_set_rules(&l, doc("<rules> <assign xpos=\"ten\"/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <assign colour=\"red\"/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <place/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <assign width=\"0\"/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <assign maximized=\"maybe\"/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<layout/>")));
	CHECK_EQ(l.nrules, 1u);
	CHECK(lay_set_windows(&l, doc("<window_list> <window label=\"x\"/> </window_list>")));
	CHECK(lay_set_windows(&l, doc("<window_list> <window id=\"3\"/> <window id=\"3\"/>"
				      " </window_list>")));
	CHECK(lay_set_windows(&l, doc("<window_list> <window id=\"3\" width=\"-5\"/>"
				      " </window_list>")));
	CHECK_EQ(l.nwin, 2u);
	CHECK(!lay_parse_margins(doc("<decorator_margins top=\"22\" bottom=\"4\" left=\"4\""
				     " right=\"4\"/>"), &m));
	CHECK(m.top == 22 && m.left == 4);
	CHECK(lay_parse_margins(doc("<decorator_margins top=\"999\"/>"), &m));
	CHECK(lay_parse_margins(doc("<decorator_margins middle=\"1\"/>"), &m));
}

TEST(WM_0011, "a tiling rule: rows=N places its windows in a grid, a window that goes leaves its place to the next")
{
	struct layouter l;
	char list[1024];
	unsigned n = 0;

	lay_init(&l, 1024, 768, &M);
	CHECK(!lay_set_rules(&l, doc("<rules> <assign label_prefix=\"mon -> \" xpos=\"600\""
				     " ypos=\"30\" width=\"100\" height=\"40\" rows=\"2\"/>"
				     " <assign label_prefix=\"term\" xpos=\"10\" ypos=\"30\"/> </rules>")));
	n += (unsigned)snprintf(list + n, sizeof(list) - n, "<window_list>");
	for (unsigned i = 1; i <= 5; i++)
		n += (unsigned)snprintf(list + n, sizeof(list) - n,
					"<window id=\"%u\" label=\"mon -> c%u\"/>", i, i);
	n += (unsigned)snprintf(list + n, sizeof(list) - n,
				"<window id=\"9\" label=\"term\" width=\"50\" height=\"50\"/>"
				"</window_list>");
	CHECK(!lay_set_windows(&l, doc(list)));
	/* steps of 100+4+4 across, 40+22+4 down; two a column */
	check_rect(&lay_window(&l, 1)->r, 600, 30, 100, 40);
	check_rect(&lay_window(&l, 2)->r, 600, 96, 100, 40);
	check_rect(&lay_window(&l, 3)->r, 708, 30, 100, 40);
	check_rect(&lay_window(&l, 5)->r, 816, 30, 100, 40);
	check_rect(&lay_window(&l, 9)->r, 10, 30, 50, 50);
	/* 2 goes, 3..5 keep their places, a new one takes 2's */
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"1\" label=\"mon -> c1\"/>"
				       " <window id=\"3\" label=\"mon -> c3\"/>"
				       " <window id=\"4\" label=\"mon -> c4\"/>"
				       " <window id=\"5\" label=\"mon -> c5\"/>"
				       " <window id=\"6\" label=\"mon -> c6\"/> </window_list>")));
	check_rect(&lay_window(&l, 6)->r, 600, 96, 100, 40);
	check_rect(&lay_window(&l, 4)->r, 708, 96, 100, 40);
	/* changed rules tile anew in the windows' order */
	CHECK(!lay_set_rules(&l, doc("<rules> <assign label_prefix=\"mon -> \" xpos=\"0\""
				     " ypos=\"0\" width=\"100\" height=\"40\" rows=\"3\"/> </rules>")));
	check_rect(&lay_window(&l, 1)->r, 0, 0, 100, 40);
	check_rect(&lay_window(&l, 3)->r, 0, 66, 100, 40);
	check_rect(&lay_window(&l, 4)->r, 0, 132, 100, 40);
	check_rect(&lay_window(&l, 5)->r, 108, 0, 100, 40);
	check_rect(&lay_window(&l, 6)->r, 108, 66, 100, 40);
	/* new margins: new steps */
	lay_set_margins(&l, &(struct wm_margins){ 10, 0, 0, 0 });
	check_rect(&lay_window(&l, 6)->r, 100, 50, 100, 40);
	/* rows without a size, or below 1: refused */
	CHECK(lay_set_rules(&l, doc("<rules> <assign xpos=\"0\" rows=\"2\"/> </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <assign width=\"9\" height=\"9\" rows=\"-1\"/>"
				    " </rules>")));
	CHECK(lay_set_rules(&l, doc("<rules> <assign width=\"9\" height=\"9\" rows=\"x\"/>"
				    " </rules>")));
}

TEST(WM_0012, "focus=\"no\": a new window of the rule leaves the focus where it is, and takes it only by a click")
{
	struct layouter l;
	struct input_event click = { .type = WM_EV_CLICK, .code = 2 };

	lay_init(&l, 1024, 768, &M);
	CHECK(!lay_set_rules(&l, doc("<rules> <assign label_prefix=\"mon\" focus=\"no\"/> </rules>")));
	/* the first window that may take the focus takes it, not one of "mon" */
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"2\" label=\"mon -> a\"/>"
				       " </window_list>")));
	CHECK_EQ(l.focus, 0);
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"2\" label=\"mon -> a\"/>"
				       " <window id=\"1\" label=\"term\"/> </window_list>")));
	CHECK_EQ(l.focus, 1);
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"2\" label=\"mon -> a\"/>"
				       " <window id=\"1\" label=\"term\"/>"
				       " <window id=\"3\" label=\"mon -> b\"/> </window_list>")));
	CHECK_EQ(l.focus, 1);
	CHECK(lay_input(&l, &click, 0));
	CHECK_EQ(l.focus, 2);
	/* the focused one gone: the front-most that may take it */
	CHECK(!lay_set_windows(&l, doc("<window_list> <window id=\"1\" label=\"term\"/>"
				       " <window id=\"3\" label=\"mon -> b\"/> </window_list>")));
	CHECK_EQ(l.focus, 1);
	CHECK(lay_set_rules(&l, doc("<rules> <assign label_prefix=\"mon\" focus=\"maybe\"/> </rules>")));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
