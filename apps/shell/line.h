/*
 * The shell's line editor (apps/shell, docs/gui.md "The shell"): typed
 * bytes from a Terminal session in, the echo and redraws for the screen
 * out, a finished line when Enter comes. Portable C, no allocation, so
 * that it is host-tested (tests/host/shell.c).
 *
 * Keys (as servers/terminal sends them, xterm's bytes): printable
 * characters (ASCII and UTF-8) insert at the cursor; Backspace (DEL or
 * ^H) deletes before it, Delete (CSI 3 ~) under it; Left/Right move a
 * character, Home/End (CSI H/F, CSI 1~/4~/7~/8~, SS3 H/F) and ^A/^E to
 * the ends; ^U deletes from the start to the cursor, ^K from the cursor
 * to the end; ^C drops the line ("^C" and a new prompt); ^L asks for the
 * screen to be cleared; Up/Down walk the history (the line being typed
 * comes back below the newest entry); Enter ends the line. A bracketed
 * paste (CSI 200~ .. CSI 201~, the terminal sends it when the shell asked
 * with CSI ?2004h) inserts its text as typed, line breaks and tabs as
 * spaces, other control characters dropped. Anything else (other escape
 * sequences, stray bytes, a character that would make the line longer
 * than it may be) changes nothing; a refused character rings the bell.
 *
 * The line is at most LINE_MAX bytes and never wider than the terminal:
 * the prompt and the line fit on one row (le_set_width), so a redraw is
 * "CR, prompt, line, erase to the end, cursor to its column".
 */
#ifndef SHELL_LINE_H
#define SHELL_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_MAX_ 240            /* bytes of a line */
#define LINE_HISTORY 32          /* lines kept */
#define LINE_OUT_MAX 1024        /* the most le_feed writes for one byte */
#define LINE_SEQ_MAX 16          /* bytes of an escape sequence kept */

enum le_result {
	LE_NONE,                 /* nothing for the caller but the output */
	LE_LINE,                 /* a line ended: le_line() has it */
	LE_CLEAR,                /* ^L: clear the screen, then le_redraw() */
};

struct line_editor {
	char buf[LINE_MAX_ + 1];
	size_t len, pos;                 /* bytes; pos at a character's start */
	const char *prompt;
	int prompt_cols;
	int width;                       /* the terminal's columns */
	/* the history: a ring of LINE_HISTORY lines, hist_count kept, the
	 * newest at hist_head - 1; browse 0: the line being typed, n: the
	 * n-th newest entry */
	char hist[LINE_HISTORY][LINE_MAX_ + 1];
	int hist_head, hist_count, browse;
	char saved[LINE_MAX_ + 1];       /* the line being typed while browsing */
	/* the input parser */
	int state;
	char seq[LINE_SEQ_MAX];
	size_t seq_len;
	int utf8_left;
	char utf8[4];
	size_t utf8_len;
	bool pasting;
	char done[LINE_MAX_ + 1];        /* the line that ended */
	/* what to write to the terminal */
	char out[LINE_OUT_MAX];
	size_t out_len;
};

/* A fresh editor with prompt (ASCII, kept by pointer) for a terminal of
 * width columns. */
void le_init(struct line_editor *e, const char *prompt, int width);
/* The terminal's width changed: the line is cut if it no longer fits. */
void le_set_width(struct line_editor *e, int width);
/* One typed byte; output in e->out (e->out_len bytes, the caller takes
 * them and sets out_len 0). */
enum le_result le_feed(struct line_editor *e, uint8_t b);
/* The line that ended (after LE_LINE), NUL-terminated. */
const char *le_line(const struct line_editor *e);
/* Writes prompt and line anew (after other output, or a cleared screen). */
void le_redraw(struct line_editor *e);
/* The columns a line may take: min(LINE_MAX_, width - prompt - 1); its
 * bytes are at most LINE_MAX_ too. */
size_t le_capacity(const struct line_editor *e);
/* The columns UTF-8 text takes (a character one column; East Asian
 * wide characters two, as the terminal shows them). */
int le_columns(const char *s, size_t n);

#endif
