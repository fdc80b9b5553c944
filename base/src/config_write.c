/*
 * The config format (argil/config.h): output, that is cfg_print (a parsed
 * tree as text) and the writer (a new document, node by node). Both escape
 * what they write so that cfg_parse reads it back as it was. Nothing
 * recurses: cfg_print walks the tree through child, next and parent.
 */
#include <argil/config.h>
#include <argil/string.h>

#include "config_chars.h"

/* ---- Output: shared by cfg_print and the writer ---- */

struct sink {
	char *buf;
	size_t size, len;           /* len counts all bytes, also those that did not fit */
};

static void emit(struct sink *s, const char *b, size_t n)
{
	if (s->size && s->len < s->size - 1) {
		size_t room = s->size - 1 - s->len;
		memcpy(s->buf + s->len, b, n < room ? n : room);
	}
	s->len = s->len + n < s->len ? SIZE_MAX : s->len + n;
}

static void emit_str(struct sink *s, const char *str)
{
	emit(s, str, strlen(str));
}

static void terminate(struct sink *s)
{
	if (s->size)
		s->buf[s->len < s->size - 1 ? s->len : s->size - 1] = 0;
}

static void indent(struct sink *s, unsigned depth)
{
	static const char spaces[] = "                                ";

	for (size_t n = 2 * (size_t)depth; n; ) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		emit(s, spaces, k);
		n -= k;
	}
}

/* The escape for byte c, or NULL if it is written as it is. */
static const char *escape(unsigned char c, bool value)
{
	switch (c) {
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '&': return "&amp;";
	case '"': return value ? "&quot;" : NULL;
	case '\t': return value ? "&#9;" : NULL;
	case '\n': return value ? "&#10;" : NULL;
	case '\r': return "&#13;";
	}
	return NULL;
}

/* A value (for a double-quoted attribute) or a text, escaped. A text that
 * starts with whitespace starts with it escaped, so that it stays text. */
static void emit_escaped(struct sink *s, const char *str, size_t n, bool value, bool text_start)
{
	static const char *const ws_refs[] = { ['\t'] = "&#9;", ['\n'] = "&#10;", ['\r'] = "&#13;", [' '] = "&#32;" };
	size_t run = 0, i = 0;

	if (text_start && n && is_ws((unsigned char)str[0])) {
		emit_str(s, ws_refs[(unsigned char)str[0]]);
		run = i = 1;
	}
	for (; i < n; i++) {
		const char *e = escape((unsigned char)str[i], value);
		if (!e)
			continue;
		emit(s, str + run, i - run);
		emit_str(s, e);
		run = i + 1;
	}
	emit(s, str + run, n - run);
}

/* v in decimal into buf[21], NUL-terminated; returns buf */
static char *u64_text(char buf[21], uint64_t v)
{
	size_t n = 20;

	buf[n] = 0;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return buf + n;
}

size_t cfg_print(const struct cfg_node *n, char *buf, size_t size)
{
	struct sink s = { buf, buf ? size : 0, 0 };
	const struct cfg_node *x = n;
	unsigned depth = 0;

	while (x) {
		indent(&s, depth);
		emit(&s, "<", 1);
		emit_str(&s, x->type);
		for (const struct cfg_attr *a = x->attrs; a; a = a->next) {
			emit(&s, " ", 1);
			emit_str(&s, a->name);
			emit(&s, "=\"", 2);
			emit_escaped(&s, a->value, a->value_len, true, false);
			emit(&s, "\"", 1);
		}
		if (x->child) {
			emit(&s, ">\n", 2);
			x = x->child;
			depth++;
			continue;
		}
		if (has_text(x)) {
			emit(&s, ">", 1);
			emit_escaped(&s, x->text, x->text_len, false, true);
			emit(&s, "</", 2);
			emit_str(&s, x->type);
			emit(&s, ">\n", 2);
		} else {
			emit(&s, "/>\n", 3);
		}
		/* next: a sibling, or end parents until one has a sibling */
		while (x != n && !x->next) {
			x = x->parent;
			depth--;
			indent(&s, depth);
			emit(&s, "</", 2);
			emit_str(&s, x->type);
			emit(&s, ">\n", 2);
		}
		x = x == n ? NULL : x->next;
	}
	terminate(&s);
	return s.len;
}
/* ---- Writer ---- */

static struct sink writer_sink(const struct cfg_writer *w)
{
	return (struct sink){ w->buf, w->buf ? w->size : 0, w->len };
}

static void writer_update(struct cfg_writer *w, struct sink *s)
{
	w->len = s->len;
	terminate(s);
}

static bool no_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_control((unsigned char)s[i]))
			return false;
	return true;
}

void cfg_writer_init(struct cfg_writer *w, char *buf, size_t size)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = buf ? size : 0;
	struct sink s = writer_sink(w);
	writer_update(w, &s);
}

void cfg_node_begin(struct cfg_writer *w, const char *type)
{
	if (w->invalid)
		return;
	if (!is_name(type) || w->depth == CFG_MAX_DEPTH || (w->depth == 0 && w->len > 0)) {
		w->invalid = true;
		return;
	}
	struct sink s = writer_sink(w);
	if (w->depth > 0) {
		unsigned parent = w->depth - 1;
		if (w->open_tag) {
			emit(&s, ">\n", 2);
		} else if (!w->has_child[parent]) {
			w->invalid = true;  /* the parent holds text */
			return;
		}
		w->has_child[parent] = true;
	}
	indent(&s, w->depth);
	emit(&s, "<", 1);
	emit_str(&s, type);
	w->types[w->depth] = type;
	w->has_child[w->depth] = false;
	w->depth++;
	w->open_tag = true;
	writer_update(w, &s);
}

void cfg_node_attr(struct cfg_writer *w, const char *name, const char *value)
{
	if (w->invalid)
		return;
	if (!w->open_tag || !is_name(name) || !value || !no_control(value, strlen(value))) {
		w->invalid = true;
		return;
	}
	struct sink s = writer_sink(w);
	emit(&s, " ", 1);
	emit_str(&s, name);
	emit(&s, "=\"", 2);
	emit_escaped(&s, value, strlen(value), true, false);
	emit(&s, "\"", 1);
	writer_update(w, &s);
}

void cfg_node_attr_u64(struct cfg_writer *w, const char *name, uint64_t value)
{
	char buf[21];

	cfg_node_attr(w, name, u64_text(buf, value));
}

void cfg_node_text(struct cfg_writer *w, const char *text, size_t len)
{
	if (w->invalid || len == 0)
		return;
	if (w->depth == 0 || w->has_child[w->depth - 1] || !text || !no_control(text, len)) {
		w->invalid = true;
		return;
	}
	struct sink s = writer_sink(w);
	bool first = w->open_tag;
	if (first)
		emit(&s, ">", 1);
	w->open_tag = false;
	emit_escaped(&s, text, len, false, first);
	writer_update(w, &s);
}

void cfg_node_end(struct cfg_writer *w)
{
	if (w->invalid)
		return;
	if (w->depth == 0) {
		w->invalid = true;
		return;
	}
	struct sink s = writer_sink(w);
	unsigned d = --w->depth;
	if (w->open_tag) {
		emit(&s, "/>\n", 3);
	} else {
		if (w->has_child[d])
			indent(&s, d);
		emit(&s, "</", 2);
		emit_str(&s, w->types[d]);
		emit(&s, ">\n", 2);
	}
	w->open_tag = false;
	writer_update(w, &s);
}

void cfg_node_copy(struct cfg_writer *w, const struct cfg_node *n)
{
	cfg_node_begin(w, n->type);
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		cfg_node_attr(w, a->name, a->value);
	if (n->text)
		cfg_node_text(w, n->text, n->text_len);
	for (const struct cfg_node *c = n->child; c; c = c->next)
		cfg_node_copy(w, c);
	cfg_node_end(w);
}

bool cfg_writer_ok(const struct cfg_writer *w)
{
	return !w->invalid && w->depth == 0 && w->len < w->size;
}
