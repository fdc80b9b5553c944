/*
 * The shell's line editor (line.h): a small parser of the typed bytes
 * (ground, ESC, CSI, SS3, a UTF-8 character under way) and the edits it
 * calls; every edit ends with a redraw of the one row the line is on.
 */
#include "line.h"
#include <terminal_wide.h>
#include <string.h>

enum { GROUND, ESC, CSI, SS3 };

static void put(struct line_editor *e, const char *s, size_t n)
{
	if (n > sizeof(e->out) - e->out_len)
		n = sizeof(e->out) - e->out_len;   /* cannot happen: one redraw fits */
	memcpy(e->out + e->out_len, s, n);
	e->out_len += n;
}

static void puts_(struct line_editor *e, const char *s) { put(e, s, strlen(s)); }

static void put_uint(struct line_editor *e, unsigned v)
{
	char tmp[12];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		put(e, &tmp[--n], 1);
}

static bool cont(char c) { return ((uint8_t)c & 0xc0) == 0x80; }

/* The code point of the UTF-8 character at s (n bytes left), its length in *len. */
static uint32_t decode(const char *s, size_t n, size_t *len)
{
	uint8_t b = (uint8_t)s[0];
	size_t k = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	uint32_t cp = k == 1 ? b : k == 2 ? (b & 0x1fu) : k == 3 ? (b & 0x0fu) : (b & 0x07u);

	if (k > n)
		k = n;
	for (size_t i = 1; i < k; i++)
		cp = cp << 6 | ((uint8_t)s[i] & 0x3fu);
	*len = k;
	return cp;
}

int le_columns(const char *s, size_t n)
{
	int cols = 0;

	for (size_t i = 0; i < n;) {
		size_t k;
		uint32_t cp = decode(s + i, n - i, &k);
		cols += terminal_wide(cp) ? 2 : 1;
		i += k;
	}
	return cols;
}

size_t le_capacity(const struct line_editor *e)
{
	int room = e->width - e->prompt_cols - 1;

	if (room < 0)
		room = 0;
	return (size_t)room < LINE_MAX_ ? (size_t)room : LINE_MAX_;
}

void le_redraw(struct line_editor *e)
{
	int col = e->prompt_cols + le_columns(e->buf, e->pos);

	puts_(e, "\r");
	puts_(e, e->prompt);
	put(e, e->buf, e->len);
	puts_(e, "\x1b[K\r");
	if (col) {
		puts_(e, "\x1b[");
		put_uint(e, (unsigned)col);
		puts_(e, "C");
	}
}

void le_init(struct line_editor *e, const char *prompt, int width)
{
	memset(e, 0, sizeof(*e));
	e->prompt = prompt;
	e->prompt_cols = le_columns(prompt, strlen(prompt));
	e->width = width;
}

/* Cuts the line to what fits in capacity, at a character's start. */
static void fit(struct line_editor *e)
{
	size_t cap = le_capacity(e);

	/* the columns matter, not the bytes: wide characters take two */
	while (e->len && (size_t)le_columns(e->buf, e->len) > cap) {
		do
			e->len--;
		while (e->len && cont(e->buf[e->len]));
	}
	e->buf[e->len] = 0;
	if (e->pos > e->len)
		e->pos = e->len;
}

void le_set_width(struct line_editor *e, int width)
{
	e->width = width;
	fit(e);
}

static void set_line(struct line_editor *e, const char *s)
{
	size_t n = strlen(s);

	memcpy(e->buf, s, n + 1);
	e->len = e->pos = n;
	fit(e);
}

static void insert(struct line_editor *e, const char *s, size_t n)
{
	if (e->len + n > LINE_MAX_ ||
	    (size_t)(le_columns(e->buf, e->len) + le_columns(s, n)) > le_capacity(e)) {
		puts_(e, "\a");
		return;
	}
	memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos + 1);
	memcpy(e->buf + e->pos, s, n);
	e->len += n;
	e->pos += n;
	le_redraw(e);
}

static size_t prev_char(const struct line_editor *e, size_t p)
{
	if (!p)
		return 0;
	do
		p--;
	while (p && cont(e->buf[p]));
	return p;
}

static size_t next_char(const struct line_editor *e, size_t p)
{
	if (p >= e->len)
		return e->len;
	do
		p++;
	while (p < e->len && cont(e->buf[p]));
	return p;
}

static void delete_range(struct line_editor *e, size_t from, size_t to)
{
	if (from >= to)
		return;
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->pos = from;
	le_redraw(e);
}

static void move_to(struct line_editor *e, size_t p)
{
	if (p == e->pos)
		return;
	e->pos = p;
	le_redraw(e);
}

/* Up (older, dir 1) or Down (newer, dir -1) in the history. */
static void browse(struct line_editor *e, int dir)
{
	int to = e->browse + dir;

	if (to < 0 || to > e->hist_count)
		return;
	if (e->browse == 0)
		memcpy(e->saved, e->buf, e->len + 1);
	e->browse = to;
	if (to == 0)
		set_line(e, e->saved);
	else
		set_line(e, e->hist[(e->hist_head - to + LINE_HISTORY) % LINE_HISTORY]);
	le_redraw(e);
}

static void remember(struct line_editor *e, const char *s)
{
	const char *newest = e->hist[(e->hist_head - 1 + LINE_HISTORY) % LINE_HISTORY];
	bool blank = true;

	for (const char *p = s; *p; p++)
		blank &= *p == ' ';
	if (blank || (e->hist_count && !strcmp(newest, s)))
		return;
	memcpy(e->hist[e->hist_head], s, strlen(s) + 1);
	e->hist_head = (e->hist_head + 1) % LINE_HISTORY;
	if (e->hist_count < LINE_HISTORY)
		e->hist_count++;
}

/* The line ends: the cursor to its end, then `end` (a new line for the
 * output, or ^C and one), an empty line to edit. */
static void finish_line(struct line_editor *e, const char *end)
{
	e->pos = e->len;
	le_redraw(e);
	puts_(e, end);
	e->len = e->pos = 0;
	e->buf[0] = 0;
	e->browse = 0;
}

static enum le_result enter(struct line_editor *e)
{
	memcpy(e->done, e->buf, e->len + 1);
	remember(e, e->done);
	finish_line(e, "\r\n");
	return LE_LINE;
}

/* A finished CSI sequence in e->seq (parameters and the final byte). */
static void csi(struct line_editor *e)
{
	char final = e->seq[e->seq_len - 1];
	unsigned p = 0;

	if (e->seq_len > 1 && e->seq[0] >= '0' && e->seq[0] <= '9') {
		for (size_t i = 0; i < e->seq_len - 1 && e->seq[i] >= '0' && e->seq[i] <= '9'; i++)
			p = p * 10 + (unsigned)(e->seq[i] - '0');
	}
	switch (final) {
	case 'A': browse(e, 1); break;
	case 'B': browse(e, -1); break;
	case 'C': move_to(e, next_char(e, e->pos)); break;
	case 'D': move_to(e, prev_char(e, e->pos)); break;
	case 'H': move_to(e, 0); break;
	case 'F': move_to(e, e->len); break;
	case '~':
		if (p == 1 || p == 7)
			move_to(e, 0);
		else if (p == 4 || p == 8)
			move_to(e, e->len);
		else if (p == 3)
			delete_range(e, e->pos, next_char(e, e->pos));
		else if (p == 200)
			e->pasting = true;
		else if (p == 201)
			e->pasting = false;
		break;
	default:
		break;   /* any other sequence changes nothing */
	}
}

static enum le_result control(struct line_editor *e, uint8_t b)
{
	if (e->pasting) {
		/* pasted line breaks and tabs become spaces, nothing runs */
		if (b == '\r' || b == '\n' || b == '\t')
			insert(e, " ", 1);
		return LE_NONE;
	}
	switch (b) {
	case '\r': case '\n': return enter(e);
	case 0x7f: case 0x08: delete_range(e, prev_char(e, e->pos), e->pos); break;
	case 0x01: move_to(e, 0); break;
	case 0x05: move_to(e, e->len); break;
	case 0x02: move_to(e, prev_char(e, e->pos)); break;
	case 0x06: move_to(e, next_char(e, e->pos)); break;
	case 0x15: delete_range(e, 0, e->pos); break;
	case 0x0b:
		e->len = e->pos;
		e->buf[e->len] = 0;
		le_redraw(e);
		break;
	case 0x03:
		/* the line dropped, shown with ^C, a new prompt below */
		finish_line(e, "^C\r\n");
		le_redraw(e);
		break;
	case 0x0c: return LE_CLEAR;
	default: break;   /* other control characters change nothing */
	}
	return LE_NONE;
}

enum le_result le_feed(struct line_editor *e, uint8_t b)
{
	switch (e->state) {
	case ESC:
		if (b == '[') {
			e->state = CSI;
			e->seq_len = 0;
		} else if (b == 'O') {
			e->state = SS3;
		} else if (b == 0x1b) {
			/* ESC ESC: the second one starts a sequence */
		} else {
			e->state = GROUND;   /* ESC and anything else: ignored */
		}
		return LE_NONE;
	case SS3:
		e->state = GROUND;
		e->seq[0] = (char)b;
		e->seq_len = 1;
		if (b >= 'A' && b <= 'H')
			csi(e);   /* SS3 A..D, H, F: as their CSI forms */
		return LE_NONE;
	case CSI:
		if (b >= 0x40 && b <= 0x7e) {
			e->state = GROUND;
			if (e->seq_len < LINE_SEQ_MAX) {
				e->seq[e->seq_len++] = (char)b;
				csi(e);
			}
			return LE_NONE;
		}
		if (b < 0x20 || b > 0x3f) {
			e->state = GROUND;   /* malformed: dropped, the byte anew */
			return le_feed(e, b);
		}
		if (e->seq_len < LINE_SEQ_MAX - 1)
			e->seq[e->seq_len++] = (char)b;
		else
			e->seq_len = LINE_SEQ_MAX;   /* too long: dropped at its end */
		return LE_NONE;
	default:
		break;
	}
	if (e->utf8_left) {
		if (cont((char)b)) {
			e->utf8[e->utf8_len++] = (char)b;
			if (--e->utf8_left == 0)
				insert(e, e->utf8, e->utf8_len);
			return LE_NONE;
		}
		e->utf8_left = 0;   /* cut short: dropped, the byte anew */
	}
	if (b == 0x1b) {
		e->state = ESC;
		return LE_NONE;
	}
	if (b < 0x20 || b == 0x7f)
		return control(e, b);
	if (b < 0x80) {
		char c = (char)b;
		insert(e, &c, 1);
	} else if (b >= 0xc2 && b <= 0xf4) {
		e->utf8[0] = (char)b;
		e->utf8_len = 1;
		e->utf8_left = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
	}
	/* other bytes (stray continuations, invalid leads): dropped */
	return LE_NONE;
}

const char *le_line(const struct line_editor *e)
{
	return e->done;
}
