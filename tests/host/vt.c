// sources: servers/terminal/vt.c
// cflags: -Iservers/terminal -Iservers/event/session/include -Iservers/terminal/session/include
/*
 * Host unit tests of the terminal's screen model (servers/terminal/vt.c):
 * text, wrapping and scrolling into the scrollback, cursor movement,
 * erasing, inserting and deleting, scroll regions, colours and
 * attributes, the alternate screen, tabs, UTF-8, answers to the program,
 * resizing, the copy of a selection, the bytes of keys, and random input
 * that must never leave the grid.
 *
 * Area: TERM.
 */
#include <harness.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vt.h"
#include <input_keys.h>

static struct vt vt;
static struct vt_cell mem[2][(80 * 2 + 200) * 30];

static void term(int cols, int rows, int sb)
{
	CHECK(vt_memory(cols, rows, sb) <= sizeof(mem[0]));
	CHECK(vt_init(&vt, mem[0], sizeof(mem[0]), cols, rows, sb));
}

static void put(const char *s) { vt_write(&vt, s, strlen(s)); }

/* The text of one row (trailing blanks dropped). */
static const char *row(int y)
{
	static char buf[2048];
	size_t n = vt_text(&vt, 0, y, vt.cols - 1, y, buf, sizeof(buf) - 1);

	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = 0;
	return buf;
}

#define CHECK_ROW(y, s) CHECK_MSG(!strcmp(row(y), s), "row %d is \"%s\", not \"%s\"", y, row(y), s)
#define CHECK_CUR(cx, cy) CHECK_MSG(vt.cur.x == (cx) && vt.cur.y == (cy), "cursor %d,%d not %d,%d", \
				    vt.cur.x, vt.cur.y, cx, cy)

TEST(TERM_0001, "text, CR LF, wrapping at the last column, scrolling into the scrollback")
{
	term(10, 3, 5);
	put("hello\r\nworld");
	CHECK_ROW(0, "hello");
	CHECK_ROW(1, "world");
	CHECK_CUR(5, 1);
	put("\r\n0123456789");
	CHECK_CUR(9, 2);          /* the last column written: the cursor waits there */
	CHECK(vt.cur.wrap_next);
	put("X");                 /* wraps and scrolls */
	CHECK_ROW(0, "world");
	CHECK_ROW(1, "0123456789");
	CHECK_ROW(2, "X");
	CHECK_EQ(vt.sb_count, 1);
	CHECK_ROW(-1, "hello");
	put("\r\n\n\n\n\n\n");    /* 6 more lines: the scrollback keeps 5 */
	CHECK_EQ(vt.sb_count, 5);
	CHECK(!vt_cell(&vt, 0, -6));
	CHECK(!vt_cell(&vt, 10, 0));
	put("\x1b[?7l" "\rabcdefghijklmn");   /* no autowrap: the last column is overwritten */
	CHECK_ROW(2, "abcdefghin");
	CHECK_CUR(9, 2);
}

TEST(TERM_0002, "cursor movement: CUP, CUU/CUD/CUF/CUB, CHA, VPA, CNL/CPL, clamped to the screen")
{
	term(20, 10, 0);
	put("\x1b[5;7H");
	CHECK_CUR(6, 4);
	put("\x1b[2A");
	CHECK_CUR(6, 2);
	put("\x1b[100B");
	CHECK_CUR(6, 9);
	put("\x1b[3C\x1b[D");
	CHECK_CUR(8, 9);
	put("\x1b[G");
	CHECK_CUR(0, 9);
	put("\x1b[99G\x1b[3d");
	CHECK_CUR(19, 2);
	put("\x1b[2E");
	CHECK_CUR(0, 4);
	put("\x1b[9F");
	CHECK_CUR(0, 0);
	put("\x1b[;5H");          /* an empty row: its default 1 */
	CHECK_CUR(4, 0);
	put("\x1b[H\x08\x08");    /* backspace stops at the left edge */
	CHECK_CUR(0, 0);
	put("ab\x1b" "7\x1b[9;9H\x1b" "8");   /* save and restore */
	CHECK_CUR(2, 0);
	put("\x1b[4;4H\x1b[s\x1b[H\x1b[u");
	CHECK_CUR(3, 3);
}

TEST(TERM_0003, "erasing: ED 0/1/2/3 and EL 0/1/2, with the current background")
{
	term(6, 3, 4);
	put("aaaaaa" "bbbbbb" "cccccc");
	put("\x1b[2;3H\x1b[K");
	CHECK_ROW(1, "bb");
	put("\x1b[1K");
	CHECK_ROW(1, "");
	put("\x1b[3;4H\x1b[1J");
	CHECK_ROW(0, "");
	CHECK_ROW(2, "    cc");
	put("\x1b[41m\x1b[2J");
	CHECK_ROW(2, "");
	CHECK_EQ(vt_cell(&vt, 0, 0)->bg, 1u);   /* xterm erases with the background colour */
	put("\x1b[0m\n\n\n\n\n");
	CHECK(vt.sb_count > 0);
	put("\x1b[3J");
	CHECK_EQ(vt.sb_count, 0);
	put("\x1b[H" "xyz\x1b[2K");
	CHECK_ROW(0, "");
	CHECK_CUR(3, 0);
}

TEST(TERM_0004, "inserting and deleting: ICH, DCH, ECH, IL, DL, insert mode")
{
	term(8, 4, 4);
	put("abcdef\x1b[1;3H\x1b[2@");
	CHECK_ROW(0, "ab  cdef");
	put("\x1b[3P");
	CHECK_ROW(0, "abdef");
	put("\x1b[2X");
	CHECK_ROW(0, "ab  f");
	put("\x1b[H\x1b[4h" "XY\x1b[4l");
	CHECK_ROW(0, "XYab  f");
	put("\x1b[2;1Hline2\r\nline3\r\nline4\x1b[2;1H\x1b[L");
	CHECK_ROW(1, "");
	CHECK_ROW(2, "line2");
	CHECK_ROW(3, "line3");
	put("\x1b[2M");
	CHECK_ROW(1, "line3");
	CHECK_ROW(2, "");
	CHECK_EQ(vt.sb_count, 0);   /* deleted lines never go to the scrollback */
	put("\x1b[99@");
	CHECK_ROW(1, "");
}

TEST(TERM_0005, "scroll regions: DECSTBM, LF at the region's bottom, RI at its top, SU/SD, origin mode")
{
	term(5, 6, 10);
	put("0\r\n1\r\n2\r\n3\r\n4\r\n5");
	put("\x1b[2;4r");          /* rows 2..4; the cursor goes home */
	CHECK_CUR(0, 0);
	put("\x1b[4;1H\nX");
	CHECK_ROW(0, "0");
	CHECK_ROW(1, "2");
	CHECK_ROW(2, "3");
	CHECK_ROW(3, "X");
	CHECK_ROW(5, "5");
	CHECK_EQ(vt.sb_count, 0);  /* a region not at the top keeps nothing */
	put("\x1b[2;1H\x1bM");
	CHECK_ROW(1, "");
	CHECK_ROW(2, "2");
	CHECK_ROW(3, "3");
	put("\x1b[2S");
	CHECK_ROW(1, "3");
	CHECK_ROW(2, "");
	put("\x1b[T");
	CHECK_ROW(1, "");
	CHECK_ROW(2, "3");
	put("\x1b[?6h\x1b[1;1HO\x1b[99;1H");   /* origin mode: row 1 is the region's top */
	CHECK_ROW(1, "O");
	CHECK_CUR(0, 3);
	put("\x1b[6n");
	CHECK_EQ(vt.reply_len, 6u);
	CHECK(!memcmp(vt.reply, "\x1b[3;1R", 6));
	put("\x1b[?6l\x1b[r\x1b[6;1H\n");   /* the whole screen again: scrolls into the scrollback */
	CHECK_EQ(vt.sb_count, 1);
	CHECK_ROW(-1, "0");
	put("\x1b[2;4r\x1b[5;2r\x1b[4;4r");   /* top >= bottom: ignored */
	CHECK_EQ(vt.top, 1);
	CHECK_EQ(vt.bottom, 3);
}

TEST(TERM_0006, "SGR: 16, 256 and direct colours, attributes on and off, reset")
{
	term(10, 2, 0);
	put("\x1b[1;4;31;42mA\x1b[22;24;39;49mB\x1b[38;5;196;48;2;1;2;3mC\x1b[0;7;93;104mD\x1b[mE");
	const struct vt_cell *a = vt_cell(&vt, 0, 0), *b = vt_cell(&vt, 1, 0), *c = vt_cell(&vt, 2, 0),
			     *d = vt_cell(&vt, 3, 0), *e = vt_cell(&vt, 4, 0);
	CHECK_EQ(a->attr, VT_BOLD | VT_UNDERLINE);
	CHECK_EQ(a->fg, 1u);
	CHECK_EQ(a->bg, 2u);
	CHECK_EQ(b->attr, 0);
	CHECK_EQ(b->fg, VT_DEFAULT);
	CHECK_EQ(c->fg, 196u);
	CHECK_EQ(c->bg, VT_RGB | 0x010203u);
	CHECK_EQ(d->attr, VT_INVERSE);
	CHECK_EQ(d->fg, 11u);
	CHECK_EQ(d->bg, 12u);
	CHECK_EQ(e->attr, 0);
	CHECK_EQ(e->fg, VT_DEFAULT);
	put("\x1b[38;5;999mF\x1b[38;2;300;0;0mG\x1b[38mH");   /* out of range: unchanged */
	CHECK_EQ(vt_cell(&vt, 5, 0)->fg, VT_DEFAULT);
	CHECK_EQ(vt_cell(&vt, 6, 0)->fg, VT_DEFAULT);
	CHECK_EQ(vt_palette(1), 0xcd0000u);
	CHECK_EQ(vt_palette(196), 0xff0000u);
	CHECK_EQ(vt_palette(16), 0u);
	CHECK_EQ(vt_palette(231), 0xffffffu);
	CHECK_EQ(vt_palette(232), 0x080808u);
	CHECK_EQ(vt_palette(255), 0xeeeeeeu);
}

TEST(TERM_0007, "the alternate screen (1049): a clean screen, the main one and the cursor restored")
{
	term(10, 3, 5);
	put("main\r\ntext");
	put("\x1b[?1049h");
	CHECK(vt.alt_active);
	CHECK_ROW(0, "");
	put("\x1b[3;1Hfull\n\n\n");   /* no scrollback from the alternate screen */
	CHECK_EQ(vt.sb_count, 0);
	put("\x1b[?1049l");
	CHECK(!vt.alt_active);
	CHECK_ROW(0, "main");
	CHECK_ROW(1, "text");
	CHECK_CUR(4, 1);
	put("\x1b[?25l");
	CHECK(!vt.cursor_visible);
	put("\x1b[?25h\x1b[?1h");
	CHECK(vt.cursor_visible);
	CHECK(vt.app_cursor);
}

TEST(TERM_0008, "tabs: default stops every 8, HTS, TBC, CHT and CBT, stopping at the edge")
{
	term(30, 2, 0);
	put("\tA");
	CHECK_CUR(9, 0);
	put("\t\t\t\tB");
	CHECK_EQ(vt_cell(&vt, 29, 0)->ch, (uint32_t)'B');
	put("\r\x1b[3g\x1b[5G\x1bH\r\tC");
	CHECK_EQ(vt_cell(&vt, 4, 0)->ch, (uint32_t)'C');
	put("\x1b[2;1H\x1b[3g\x1b[8G\x1bH\x1b[16G\x1bH\r\x1b[2IX\x1b[Z");
	CHECK_EQ(vt_cell(&vt, 15, 1)->ch, (uint32_t)'X');
	CHECK_CUR(15, 1);
}

TEST(TERM_0009, "UTF-8: two to four bytes, invalid, overlong, surrogates and cut sequences give U+FFFD")
{
	term(20, 2, 0);
	put("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_EQ(vt_cell(&vt, 0, 0)->ch, 0xe4u);
	CHECK_EQ(vt_cell(&vt, 1, 0)->ch, 0x20acu);
	CHECK_EQ(vt_cell(&vt, 2, 0)->ch, 0x1f600u);   /* wide: cells 2 and 3 */
	CHECK(vt_cell(&vt, 3, 0)->attr & VT_WIDE_TAIL);
	put("\xc0\x80" "\xed\xa0\x80" "\xff" "\xe2\x82" "x" "\xf4\x90\x80\x80");
	CHECK_EQ(vt_cell(&vt, 4, 0)->ch, 0xfffdu);   /* overlong NUL */
	CHECK_EQ(vt_cell(&vt, 5, 0)->ch, 0xfffdu);   /* a surrogate */
	CHECK_EQ(vt_cell(&vt, 6, 0)->ch, 0xfffdu);   /* 0xff */
	CHECK_EQ(vt_cell(&vt, 7, 0)->ch, 0xfffdu);   /* cut short by 'x' */
	CHECK_EQ(vt_cell(&vt, 8, 0)->ch, (uint32_t)'x');
	CHECK_EQ(vt_cell(&vt, 9, 0)->ch, 0xfffdu);   /* beyond U+10FFFF */
	CHECK_EQ(vt_cell(&vt, 10, 0)->ch, 0u);
	char out[64];
	size_t n = vt_text(&vt, 0, 0, 3, 0, out, sizeof(out));
	CHECK_EQ(n, 9u);
	CHECK(!memcmp(out, "\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	put("\r\n\x1b]2;t\xc3\xa4tle\x07" "after");
	CHECK(!strcmp(vt.title, "t\xc3\xa4tle"));
	CHECK_ROW(1, "after");
	put("\x1b]0;other\x1b\\" "z");
	CHECK(!strcmp(vt.title, "other"));
	CHECK_ROW(1, "afterz");
}

TEST(TERM_0010, "answers to the program: DSR 5 and 6, DA; unknown sequences are ignored")
{
	term(10, 4, 0);
	put("\x1b[3;7H\x1b[6n\x1b[5n\x1b[c");
	CHECK_EQ(vt.reply_len, 6u + 4 + 5);
	CHECK(!memcmp(vt.reply, "\x1b[3;7R\x1b[0n\x1b[?6c", vt.reply_len));
	vt.reply_len = 0;
	put("\x1b[?1234h\x1b[99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99m\x1b[>c\x1b(0\x1b#8");
	CHECK_ROW(0, "EEEEEEEEEE");   /* DECALN */
	CHECK_EQ(vt.reply_len, 0u);
	put("\x1b[2J\x1b[H" "a\x1b[12\x18" "b\x1b[1;2\x1a" "c");   /* CAN and SUB abort */
	CHECK_ROW(0, "abc");
	put("\x1b[1\nm");         /* C0 controls inside a sequence act; the sequence goes on */
	CHECK_CUR(3, 1);
	put("\x1b" "c");          /* full reset */
	CHECK_ROW(0, "");
	CHECK_CUR(0, 0);
}

TEST(TERM_0011, "resize: the top-left kept, the cursor's line kept visible by pushing rows into the scrollback")
{
	term(10, 5, 10);
	put("l0\r\nl1\r\nl2\r\nl3\r\nl4");
	CHECK(vt_resize(&vt, mem[1], sizeof(mem[1]), 4, 3, 10));
	CHECK_EQ(vt.cols, 4);
	CHECK_EQ(vt.rows, 3);
	CHECK_ROW(0, "l2");
	CHECK_ROW(2, "l4");
	CHECK_EQ(vt.sb_count, 2);
	CHECK_ROW(-1, "l1");
	CHECK_ROW(-2, "l0");
	CHECK_CUR(2, 2);
	CHECK(vt_resize(&vt, mem[0], sizeof(mem[0]), 12, 6, 1));
	CHECK_ROW(0, "l2");
	CHECK_EQ(vt.sb_count, 1);
	CHECK_ROW(-1, "l1");
	put("\x1b[1;12HZ");
	CHECK_EQ(vt_cell(&vt, 11, 0)->ch, (uint32_t)'Z');
	CHECK(!vt_resize(&vt, mem[0], sizeof(mem[0]), 12, 6, 1));   /* overlapping memory */
	CHECK(!vt_resize(&vt, mem[1], sizeof(mem[1]), 0, 6, 1));
	CHECK(!vt_resize(&vt, mem[1], 16, 12, 6, 1));
	CHECK(!vt_init(&vt, mem[1], sizeof(mem[1]), VT_MAX_SIDE + 1, 2, 0));
}

TEST(TERM_0012, "the copy of a selection: across lines and the scrollback, trailing blanks dropped")
{
	char out[256];
	size_t n;

	term(8, 2, 4);
	put("first  \r\nsecond\r\nthird");
	n = vt_text(&vt, 2, -1, 3, 1, out, sizeof(out));
	out[n] = 0;
	CHECK(!strcmp(out, "rst\nsecond\nthir"));
	n = vt_text(&vt, 0, -1, 7, 1, out, 4);   /* too small: the length it needs */
	CHECK_EQ(n, strlen("first\nsecond\nthird"));
}

TEST(TERM_0013, "keys: arrows in both cursor modes, with modifiers, editing keys, F keys, Enter, Backspace, Tab")
{
	char b[16];
	size_t n;

	term(10, 2, 0);
#define KEYIS(key, mods, s) (n = vt_key_bytes(&vt, key, mods, b), n == sizeof(s) - 1 && !memcmp(b, s, n))
	CHECK(KEYIS(KEY_UP, 0, "\x1b[A"));
	CHECK(KEYIS(KEY_LEFT, VT_MOD_CTRL, "\x1b[1;5D"));
	CHECK(KEYIS(KEY_HOME, 0, "\x1b[H"));
	CHECK(KEYIS(KEY_DELETE, 0, "\x1b[3~"));
	CHECK(KEYIS(KEY_PAGEDOWN, VT_MOD_SHIFT, "\x1b[6;2~"));
	CHECK(KEYIS(KEY_F1, 0, "\x1bOP"));
	CHECK(KEYIS(KEY_F5, 0, "\x1b[15~"));
	CHECK(KEYIS(KEY_F12, 0, "\x1b[24~"));
	CHECK(KEYIS(KEY_ENTER, 0, "\r"));
	CHECK(KEYIS(KEY_BACKSPACE, 0, "\x7f"));
	CHECK(KEYIS(KEY_TAB, VT_MOD_SHIFT, "\x1b[Z"));
	CHECK(KEYIS(KEY_ESC, 0, "\x1b"));
	CHECK_EQ(vt_key_bytes(&vt, KEY_A, 0, b), 0u);   /* letters come as characters */
	put("\x1b[?1h");
	CHECK(KEYIS(KEY_UP, 0, "\x1bOA"));
	n = vt_char_bytes('c', VT_MOD_CTRL, b);
	CHECK(n == 1 && b[0] == 3);
	n = vt_char_bytes('x', VT_MOD_ALT, b);
	CHECK(n == 2 && b[0] == 0x1b && b[1] == 'x');
	n = vt_char_bytes(0x20ac, 0, b);
	CHECK(n == 3 && !memcmp(b, "\xe2\x82\xac", 3));
}

TEST(TERM_0014, "damage: the rows that changed, everything after a scroll")
{
	int f, l;

	term(10, 5, 0);
	CHECK(vt_take_damage(&vt, &f, &l));
	CHECK(!vt_take_damage(&vt, &f, &l));
	put("\x1b[3;1Hx");
	CHECK(vt_take_damage(&vt, &f, &l));
	CHECK(f == 2 && l == 2);
	put("\x1b[5;1H\n");
	CHECK(vt_take_damage(&vt, &f, &l));
	CHECK(f == 0 && l == 4);
}

TEST(TERM_0015, "random bytes (and random sequences) never leave the grid or break the model")
{
	static const char *pieces[] = { "\x1b[", "\x1b]", "\x1b", ";", "?", "1049", "h", "l", "r", "H",
					"J", "K", "L", "M", "@", "P", "S", "T", "m", "38;5;", "\r\n",
					"\xe2\x82", "\xf0", "\t", "\x1b[999;999H", "\x1b[0;0r", "\x1bM",
					"\x1b" "8", "\x1b" "c", "\x1b[6n", "x", "\x1b[99X", "\x1b[2;3r" };
	char buf[64];
	unsigned seed = 12345;

	term(17, 7, 9);
	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		if (seed >> 31) {
			const char *p = pieces[(seed >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
			vt_write(&vt, p, strlen(p));
		} else {
			buf[0] = (char)(seed >> 16);
			vt_write(&vt, buf, 1);
		}
		vt.reply_len = 0;
		if (vt.cur.x < 0 || vt.cur.x >= vt.cols || vt.cur.y < 0 || vt.cur.y >= vt.rows ||
		    vt.top < 0 || vt.bottom >= vt.rows || vt.top >= vt.bottom || vt.sb_count > vt.sb_max) {
			CHECK_MSG(0, "after %d steps: cursor %d,%d region %d..%d", i, vt.cur.x, vt.cur.y,
				  vt.top, vt.bottom);
			return;
		}
		if (i == 100000)
			CHECK(vt_resize(&vt, mem[1], sizeof(mem[1]), 9, 4, 3));
	}
	CHECK(vt_text(&vt, 0, -vt.sb_count, vt.cols - 1, vt.rows - 1, buf, sizeof(buf)) > 0);
}

TEST(TERM_0030, "wide characters take two cells, the cursor advances two, one in the last column wraps")
{
	term(6, 3, 0);
	put("a\xe4\xb8\xad" "b");              /* a, U+4E2D, b */
	CHECK_EQ(vt_cell(&vt, 1, 0)->ch, 0x4e2du);
	CHECK(vt_cell(&vt, 1, 0)->attr & VT_WIDE);
	CHECK(vt_cell(&vt, 2, 0)->attr & VT_WIDE_TAIL);
	CHECK_EQ(vt_cell(&vt, 3, 0)->ch, (uint32_t)'b');
	CHECK_CUR(4, 0);
	CHECK_ROW(0, "a\xe4\xb8\xad" "b");
	/* column 5 is the last: a wide character there goes to the next line */
	put("c\xef\xbc\xa1");                  /* c, U+FF21 */
	CHECK_EQ(vt_cell(&vt, 5, 0)->ch, 0u);
	CHECK_EQ(vt_cell(&vt, 0, 1)->ch, 0xff21u);
	CHECK_CUR(2, 1);
	/* one that ends in the last column waits there to wrap */
	put("\x1b[2;5H\xe4\xb8\xad");
	CHECK_CUR(5, 1);
	CHECK(vt.cur.wrap_next);
	put("d");
	CHECK_EQ(vt_cell(&vt, 0, 2)->ch, (uint32_t)'d');
	/* overwriting either half erases the other */
	put("\x1b[1;3Hx");
	CHECK_EQ(vt_cell(&vt, 1, 0)->ch, 0u);
	CHECK(!(vt_cell(&vt, 1, 0)->attr & VT_WIDE));
	put("\x1b[2;1Hy");
	CHECK(!(vt_cell(&vt, 1, 1)->attr & VT_WIDE_TAIL));
	CHECK_ROW(0, "a xbc");
	/* a one-column terminal: narrow */
	term(1, 2, 0);
	put("\xe4\xb8\xad");
	CHECK_EQ(vt_cell(&vt, 0, 0)->ch, 0x4e2du);
	CHECK(!(vt_cell(&vt, 0, 0)->attr & VT_WIDE));
}

TEST(TERM_0031, "bracketed paste mode ?2004 is kept for the terminal, reset by RIS")
{
	term(10, 2, 0);
	CHECK(!vt.bracketed_paste);
	put("\x1b[?2004h");
	CHECK(vt.bracketed_paste);
	put("\x1b[?2004l");
	CHECK(!vt.bracketed_paste);
	put("\x1b[?2004h\x1b" "c");
	CHECK(!vt.bracketed_paste);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
