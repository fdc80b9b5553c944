/*
 * The terminal's screen model (servers/terminal, docs/gui.md "Terminal"):
 * a grid of character cells that bytes from a program change as an
 * xterm would, for the subset programs use: UTF-8 text, control
 * characters, ESC and CSI sequences for cursor movement, erasing,
 * inserting and deleting, scroll regions, colours (16, 256 and direct)
 * and attributes, the alternate screen, tab stops, saved cursors and
 * the cursor position report. Lines that scroll off the top of the main
 * screen go into a scrollback of bounded size. Portable C, no allocation:
 * the caller gives the memory (vt_init), so the model is host-tested
 * (tests/host/vt.c) and cannot fail at run time.
 *
 * East Asian wide characters (terminal_wide.h) take two cells: the first
 * holds the character (VT_WIDE), the second is its tail (VT_WIDE_TAIL, no
 * character); the cursor advances two; one that does not fit in the last
 * column goes to the next line (with autowrap) and leaves that column
 * blank; a half overwritten erases the other half.
 *
 * What it does not do (xterm does): combining characters (they are
 * dropped), the line-drawing character set, mouse reporting, reflow on
 * resize.
 */
#ifndef VT_H
#define VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_MAX_SIDE 512          /* columns and rows at most */
#define VT_PARAMS 16             /* CSI parameters kept (more are ignored) */

/* Colours: VT_DEFAULT, an index 0..255 of xterm's palette, or direct
 * 0x00RRGGBB | VT_RGB. */
#define VT_DEFAULT 0xffffffffu
#define VT_RGB 0x01000000u

enum vt_attr {
	VT_BOLD = 1,
	VT_FAINT = 2,
	VT_ITALIC = 4,
	VT_UNDERLINE = 8,
	VT_BLINK = 16,
	VT_INVERSE = 32,
	VT_HIDDEN = 64,
	VT_STRIKE = 128,
	VT_WIDE = 256,           /* a cell's: the first of a wide character's two */
	VT_WIDE_TAIL = 512,      /* a cell's: the second */
};

struct vt_cell {
	uint32_t ch;             /* Unicode code point; 0: empty (shown as a space) */
	uint32_t fg, bg;         /* colours as above */
	uint16_t attr;           /* enum vt_attr */
	uint16_t pad;
};

struct vt_cursor {
	int x, y;
	uint32_t fg, bg;
	uint16_t attr;
	bool origin;             /* DECOM: rows counted from the scroll region */
	bool wrap_next;          /* the last column was written: the next character wraps */
};

struct vt {
	int cols, rows;
	struct vt_cell *screen;          /* rows * cols, the screen shown */
	struct vt_cell *main, *alt;      /* the main and the alternate screen */
	struct vt_cell *scrollback;      /* ring of sb_max lines of cols cells */
	int sb_max, sb_count, sb_head;   /* capacity, lines kept, the next line to write */
	struct vt_cursor cur, saved_main, saved_alt;
	int top, bottom;                 /* the scroll region, rows top..bottom */
	bool autowrap, cursor_visible, insert, app_cursor, alt_active, newline_mode;
	bool bracketed_paste;            /* mode ?2004: pastes come in CSI 200~ .. CSI 201~ */
	uint8_t tabs[VT_MAX_SIDE / 8];   /* a bit per column: a tab stop */

	/* the parser */
	int state;
	uint32_t params[VT_PARAMS];
	int nparams;
	bool param_started, private_mark;
	uint8_t intermediate;
	uint32_t utf8_cp;
	int utf8_left;
	uint32_t utf8_min;
	char title[128];
	size_t title_len;

	/* what the program must be answered (cursor position, status,
	 * identification), for the caller to send back */
	char reply[64];
	size_t reply_len;

	/* what changed since vt_take_damage: rows first..last (first > last:
	 * nothing), and whether everything moved (scrolling) */
	int damage_first, damage_last;
	uint32_t bell;                   /* BEL characters received */
};

/* The memory vt_init needs for cols x rows with sb_max lines of scrollback. */
size_t vt_memory(int cols, int rows, int sb_max);
/* Sets up a blank terminal in mem (vt_memory bytes); false if the size is
 * out of range (1..VT_MAX_SIDE) or mem too small. */
bool vt_init(struct vt *vt, void *mem, size_t size, int cols, int rows, int sb_max);
/* Feeds bytes from the program. */
void vt_write(struct vt *vt, const void *data, size_t len);
/* A new size, keeping the top-left of the screen and the scrollback's
 * newest lines that fit (mem as for vt_init, may be the same). */
bool vt_resize(struct vt *vt, void *mem, size_t size, int cols, int rows, int sb_max);

/* A cell of the screen (row 0 at the top), or of the scrollback for rows
 * -1 (its newest line) to -sb_count; NULL outside. */
const struct vt_cell *vt_cell(const struct vt *vt, int col, int row);
/* The text of rows first..last (as vt_cell numbers them) from column x0 of
 * the first to column x1 of the last (inclusive), as UTF-8, trailing
 * spaces of each line dropped, lines joined with '\n' (a selection's
 * copy). Returns the length it needed; writes at most size bytes. */
size_t vt_text(const struct vt *vt, int x0, int first, int x1, int last, char *out, size_t size);
/* The rows that changed since the last call (false: none). */
bool vt_take_damage(struct vt *vt, int *first, int *last);

/* The bytes a key sends to the program (xterm's: arrows as CSI or SS3 in
 * application cursor mode, Home/End, PageUp/PageDown, Insert/Delete, F1..F12,
 * Enter, Backspace as DEL, Tab, Escape), key a code of input_keys.h, mods a
 * set of VT_MOD_*; 0 for a key that sends nothing. Characters come from
 * the keymap (INPUT_CHAR events): vt_char_bytes encodes one (Ctrl with a
 * letter gives its control character, Alt prefixes ESC). */
enum { VT_MOD_SHIFT = 1, VT_MOD_ALT = 2, VT_MOD_CTRL = 4 };
size_t vt_key_bytes(const struct vt *vt, unsigned key, unsigned mods, char out[16]);
size_t vt_char_bytes(uint32_t ch, unsigned mods, char out[16]);

/* xterm's colour for an index 0..255 (0x00RRGGBB). */
uint32_t vt_palette(unsigned index);

#endif
