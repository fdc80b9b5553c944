/*
 * terminal_test (run/terminal_test): started by core as init (testbed.h)
 * with report_rom, platform, pci_decode, gui, timer, event_filter, ps2,
 * fb_bochs and the terminal as children (ps2 -> event_filter -> gui ->
 * terminal). It is the terminal's program: it writes the byte stream of
 * script.h (text, UTF-8, colours, cursor movement, erasing, a scroll
 * region), checks the screen's text in the terminal's report, and says
 * "terminal_test: shot 1": the host (screen_check.py) compares QEMU's
 * screendump with the same stream rendered on the host by
 * tools/term_render, then clicks into the terminal (the focus) and types
 * "Echo 42!" and Enter. The test echoes what it reads (script.h's
 * term_echo), checks the bytes and the report, says "shot 2" (the host
 * compares again, with the echo), and ends when the host has dragged
 * over "Argil termina" (the clipboard report); then fb_bochs's mode
 * becomes 800x600: the terminal takes the new size (the session's
 * signal, TERMINAL_SIZE, the report), the host compares a third time
 * and types Escape; forty more lines, the host's Shift+PageUp shows half
 * a screen of the scrollback (compared a fourth time), Escape; then
 * italic, faint, blinking and wide characters (compared a fifth time,
 * blinking text seen shown and hidden), the host's
 * Shift+Insert pastes the clipboard in brackets, its middle click without.
 */
#include <argil/rom.h>
#include <gui_session.h>
#include <terminal_session.h>
#include "testbed.h"
#include "script.h"
#include <string.h>

#define MB (1024ul * 1024)
#define PRIO 100
#define ROM_MAX (256 * 1024)
#define TYPED "Echo 42!\r"

RPC_CLIENT(gui, GUI_RPC)

static struct tb_child *rr, *platform, *decode, *gui, *timer, *filter, *ps2, *fb, *term;
static struct tb_own probe, tsess, report_rom, clip_rom;
static struct terminal_connection tc;
static cptr_t ntfn, bits[62];
static char text[ROM_MAX + 1];

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"  <policy label=\"terminal\" report=\"terminal -> terminal\"/>\n"
	"  <policy label=\"clipboard\" report=\"terminal -> clipboard\"/>\n"
	"  <policy label=\"terminal -> clipboard\" report=\"terminal -> clipboard\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"  <policy label_prefix=\"fb_bochs\"> <pci vendor=\"0x1234\" product=\"0x1111\"/> </policy>\n"
	"</config>\n";

static const char *const gui_config =
	"<config background=\"#202020\" pointer=\"no\">\n"
	"  <domain name=\"apps\" layer=\"1\"/>\n"
	"  <domain name=\"probe\" layer=\"2\" focus=\"none\"/>\n"
	"  <policy label=\"probe\" domain=\"probe\"/>\n"
	"  <policy label_prefix=\"terminal\" domain=\"apps\"/>\n"
	"</config>\n";

static void route(struct tb_child *c, const char *service, const char *label, struct tb_route *r)
{
	tb_route_default(c, service, label, r);
	if (c == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
	/* the terminal's font is a boot module */
	if (c == term && !strcmp(service, "ROM") && !strcmp(label, "mono.ttf"))
		r->kind = TB_PARENT;
	/* ps2 -> event_filter -> gui */
	if (!strcmp(service, "Event")) {
		r->kind = TB_CHILD;
		r->server = c == ps2 ? filter : gui;
	}
}

static void term_open(void);

static void setup(void)
{
	word_t w = 0, h = 0;

	tb_route_hook = route;
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&platform, "platform", "platform", 6 * MB, 5000, PRIO, platform_config));
	CHECK(tb_wait_announce(platform, "Platform"));
	CHECK_OK(tb_start(&decode, "pci_decode", "pci_decode", 2 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&gui, "gui", "gui", 8 * MB, 200, PRIO, gui_config));
	CHECK(tb_wait_announce(gui, GUI_SERVICE));
	CHECK(tb_wait_announce(gui, "Event"));
	CHECK_OK(tb_start(&timer, "timer", "timer", 1 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(timer, "Timer"));
	CHECK_OK(tb_start(&filter, "event_filter", "event_filter", 2 * MB, 200, PRIO,
	                  "<config keymap=\"us\" rate_ms=\"0\"/>"));
	CHECK(tb_wait_announce(filter, "Event"));
	CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&fb, "fb_bochs", "fb_bochs", 2 * MB, 200, PRIO,
	                  "<config width=\"1024\" height=\"768\"/>"));
	/* the screen's mode, before the terminal starts (it follows changes
	 * too, but the test wants its final size at once) */
	CHECK_OK(tb_open(&probe, gui, GUI_SERVICE, "probe", "", GUI_SESSION_RAM, GUI_SESSION_CAPS));
	CHECK_OK(gui_mode_sigh(probe.cap, bits[3]));
	for (;;) {
		CHECK_OK(gui_mode(probe.cap, &w, &h));
		if (w && h)
			break;
		while (!(sys_wait(ntfn) & 8))
			;
	}
	CHECK(w == 1024 && h == 768);
	CHECK_OK(tb_start(&term, "terminal", "terminal", 12 * MB, 300, PRIO,
	                  "<config font_px=\"16\" scrollback=\"1000\" report=\"yes\"/>"));
	CHECK(tb_wait_announce(term, TERMINAL_SERVICE));
	CHECK_OK(tb_open(&report_rom, rr, "ROM", "terminal", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
	                 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(report_rom.cap, bits[1]));
	CHECK_OK(tb_open(&clip_rom, rr, "ROM", "clipboard", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
	                 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(clip_rom.cap, bits[4]));
	/* sessions of setup outlive the cases */
	term_open();
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

/* a report's text */
static const char *rom_text(struct tb_own *rom)
{
	word_t size = 0, dsize, addr;
	cptr_t ds;

	CHECK_OK(rom_dataspace(rom->cap, &ds, &size));
	text[0] = 0;
	if (!size) {
		cap_slot_free(ds);
		return text;
	}
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(size <= dsize && size <= ROM_MAX);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	memcpy(text, (void *)addr, size);
	text[size] = 0;
	pd_detach(tb_env->pd, addr);
	cap_slot_free(ds);
	return text;
}

/* Wait until the report holds every one of the strings. */
static void report_wait(const char *const *want)
{
	for (;;) {
		const char *t = rom_text(&report_rom);
		bool all = true;

		for (int i = 0; want[i]; i++)
			all &= contains(t, want[i]);
		if (all)
			return;
		while (!(sys_wait(ntfn) & 2))
			;
	}
}

static void term_open(void)
{
	word_t size, dsize, at;
	cptr_t ds;

	CHECK_OK(tb_open(&tsess, term, TERMINAL_SERVICE, "test", "", TERMINAL_SESSION_RAM,
	                 TERMINAL_SESSION_CAPS));
	CHECK_OK(terminal_ds(tsess.cap, &ds, &size));
	CHECK(size == TERMINAL_IO_SIZE);
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	cap_slot_free(ds);
	memset(&tc, 0, sizeof(tc));
	tc.session = tsess.cap;
	tc.io = (char *)at;
	tc.io_size = size;
	CHECK_OK(terminal_sigh(tsess.cap, bits[2]));
}

TEST(TERM_0001, "the script's text, colours, movement, erasing and scroll region on the screen")
{
	static const char *const want[] = {
		"<row y=\"0\" text=\"Argil terminal test: Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xc3\xa9t\xc3\xa9 \xce\xbb\"/>",
		"<row y=\"5\" text=\"         abs 6,10  right\"/>",
		"<row y=\"6\" text=\"                        down&lt;-saved\"/>",
		"<row y=\"9\" text=\"row 10\"/>",
		"<row y=\"11\" text=\"     XXXXXXXXXXXXXX\"/>",
		"<row y=\"12\" text=\"  erased line 13\"/>",
		"<row y=\"14\" text=\"region 2\"/>",
		"<row y=\"17\" text=\"region 5\"/>",
		"<row y=\"21\" text=\"$\"/>",
		"cursor_x=\"2\" cursor_y=\"21\"",
		0,
	};
	word_t cols, rows, n;

	CHECK_OK(terminal_size(tsess.cap, &cols, &rows));
	printf("terminal_test: %lux%lu cells\n", cols, rows);
	CHECK(cols >= 80 && rows >= 24);
	/* a count beyond the buffer is refused */
	CHECK(terminal_write(tsess.cap, TERMINAL_IO_SIZE + 1, &n) == RPC_E_INVALID_ARGUMENT);
	/* the script in pieces of 7 bytes: sequences cut anywhere */
	for (size_t i = 0; i < sizeof(term_script) - 1; i += 7) {
		size_t k = sizeof(term_script) - 1 - i < 7 ? sizeof(term_script) - 1 - i : 7;
		CHECK_OK(terminal_write_all(&tc, term_script + i, k));
	}
	report_wait(want);
	CHECK_OK(terminal_avail(tsess.cap, &n));
	CHECK(n == 0);
	printf("terminal_test: shot 1\n");
}

TEST(TERM_0002, "typed keys reach the program, its echo the screen")
{
	static const char *const want[] = {
		"<row y=\"21\" text=\"$ Echo 42!\"/>",
		"cursor_x=\"0\" cursor_y=\"22\"",
		0,
	};
	static char got[64];
	size_t ngot = 0;
	char buf[TERMINAL_IO_SIZE];

	/* the host clicks (the focus) and types TYPED */
	while (!ngot || got[ngot - 1] != '\r') {
		size_t n;
		CHECK_OK(terminal_read_some(&tc, buf, sizeof(buf), &n));
		if (!n) {
			while (!(sys_wait(ntfn) & 4))
				;
			continue;
		}
		CHECK_MSG(ngot + n <= sizeof(got), "%lu bytes typed, more than expected",
		          (unsigned long)(ngot + n));
		for (size_t i = 0; i < n; i++) {
			char e[2];
			CHECK_OK(terminal_write_all(&tc, e, term_echo(buf[i], e)));
		}
		memcpy(got + ngot, buf, n);
		ngot += n;
	}
	CHECK_MSG(ngot == strlen(TYPED) && !memcmp(got, TYPED, ngot), "typed '%.*s'", (int)ngot, got);
	report_wait(want);
	printf("terminal_test: shot 2\n");
}

TEST(TERM_0003, "a drag of the left button selects, its copy is the clipboard report")
{
	static const char want[] = "<clipboard>Argil termina</clipboard>";

	/* the host dragged before its Escape */
	while (!contains(rom_text(&clip_rom), want))
		while (!(sys_wait(ntfn) & 16))
			;
	printf("terminal_test: clipboard: %s\n", want);
}

TEST(TERM_0004, "a mode change resizes the grid, the program is told")
{
	static const char *const want[] = {
		"cols=\"88\" rows=\"35\" cursor_x=\"0\" cursor_y=\"22\"",
		"<row y=\"21\" text=\"$ Echo 42!\"/>",
		0,
	};
	char buf[TERMINAL_IO_SIZE];
	word_t cols, rows;

	/* 800x600: 88x35 cells of 9x17 */
	tb_set_config(fb, "<config width=\"800\" height=\"600\"/>");
	for (;;) {
		CHECK_OK(terminal_size(tsess.cap, &cols, &rows));
		if (cols != 113)
			break;
		while (!(sys_wait(ntfn) & 4))
			;
	}
	CHECK_MSG(cols == 88 && rows == 35, "%lux%lu cells", cols, rows);
	report_wait(want);
	printf("terminal_test: shot 3\n");
	/* the host's Escape ends the test */
	for (;;) {
		size_t n;
		CHECK_OK(terminal_read_some(&tc, buf, sizeof(buf), &n));
		if (n) {
			CHECK_MSG(n == 1 && buf[0] == 0x1b, "%lu more bytes, not Escape", (unsigned long)n);
			break;
		}
		while (!(sys_wait(ntfn) & 4))
			;
	}
}

TEST(TERM_0005, "Shift+PageUp shows the scrollback, a typed key the live screen again")
{
	static const char *const want[] = {
		"<row y=\"33\" text=\"scroll 40\"/>",
		"cursor_x=\"0\" cursor_y=\"34\" scrollback=\"28\"",
		0,
	};
	static const char *const live[] = { "back=\"0\"", 0 };
	char buf[TERMINAL_IO_SIZE];

	CHECK_OK(terminal_write_all(&tc, term_script2, sizeof(term_script2) - 1));
	report_wait(want);
	printf("terminal_test: shot 4\n");
	/* the host: Shift+PageUp, the screen checked, Escape */
	for (;;) {
		size_t n;
		CHECK_OK(terminal_read_some(&tc, buf, sizeof(buf), &n));
		if (n) {
			CHECK_MSG(n == 1 && buf[0] == 0x1b, "%lu more bytes, not Escape", (unsigned long)n);
			break;
		}
		while (!(sys_wait(ntfn) & 4))
			;
	}
	report_wait(live);
}

/* The next typed bytes, exactly n of them. */
static void read_exactly(char *out, size_t n)
{
	char buf[TERMINAL_IO_SIZE];
	size_t got = 0;

	while (got < n) {
		size_t k;
		CHECK_OK(terminal_read_some(&tc, buf, sizeof(buf), &k));
		if (!k) {
			while (!(sys_wait(ntfn) & 4))
				;
			continue;
		}
		CHECK_MSG(got + k <= n, "%lu bytes typed, %lu expected", (unsigned long)(got + k),
		          (unsigned long)n);
		memcpy(out + got, buf, k);
		got += k;
	}
}

TEST(TERM_0006, "italic, faint, blinking and wide characters on the screen; Shift+Insert and the middle button paste")
{
	static const char *const want[] = {
		"<row y=\"0\" text=\"italic: Italic text bold italic green underlined italic\"/>",
		"<row y=\"2\" text=\"blink: blinking blinking underlined steady\"/>",
		"<row y=\"3\" text=\"wide: [\xe4\xb8\xad\xe6\x96\x87] [\xef\xbc\xa1\xef\xbc\xa2] \xe4\xb8\xad end\"/>",
		"<row y=\"5\" text=\"\xe4\xb8\xad\"/>",
		"cursor_x=\"2\" cursor_y=\"7\"",
		0,
	};
	static const char pasted[] = "\x1b[200~Argil termina\x1b[201~";
	char got[sizeof(pasted)];

	CHECK_OK(terminal_write_all(&tc, term_script3, sizeof(term_script3) - 1));
	report_wait(want);
	printf("terminal_test: shot 5\n");
	/* the host: Shift+Insert, the clipboard ("Argil termina" of
	 * TERM_0003) in brackets (the script asked for them) */
	read_exactly(got, sizeof(pasted) - 1);
	CHECK_MSG(!memcmp(got, pasted, sizeof(pasted) - 1), "pasted '%.*s'", (int)sizeof(pasted) - 1, got);
	/* without brackets, by the middle button */
	CHECK_OK(terminal_write_all(&tc, "\x1b[?2004l", 8));
	printf("terminal_test: middle click\n");
	read_exactly(got, strlen("Argil termina"));
	CHECK_MSG(!memcmp(got, "Argil termina", strlen("Argil termina")), "pasted '%.*s'",
	          (int)strlen("Argil termina"), got);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("terminal_test", setup);
}
