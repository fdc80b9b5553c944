/*
 * The config format (argil/config.h): the parser. config_query.c reads the
 * tree it builds, config_write.c prints trees and writes new documents.
 *
 * Trusts nothing in the input: every byte is checked against the grammar,
 * nothing is read at or past 'len', and every arena allocation is checked.
 * Nothing recurses: the parser keeps its place in the tree through the
 * parent pointers. Each input byte is looked at a bounded number of
 * times, so parsing takes O(len) time.
 *
 * Arena layout while parsing: nodes, attributes and their strings grow up
 * from the (aligned) start in document order; the scratch trie that finds
 * duplicate attribute names of the start tag being read grows down from the
 * end and is dropped at the next start tag.
 */
#include <argil/config.h>
#include <argil/string.h>

#include "config_chars.h"

#define ALIGN 8u
#define NONE ((size_t)-1)

_Static_assert(_Alignof(struct cfg_node) <= ALIGN && _Alignof(struct cfg_attr) <= ALIGN,
	       "arena alignment");

/*
 * A trie node over attribute names: children are a singly linked list
 * (at most 66 name characters), so insertion costs at most 66 steps per
 * name byte, whatever names an adversary picks. Index 0 is the root, so 0
 * also means "none" for child and sibling. 32-bit indices keep a node at
 * 12 bytes, so one start tag's attribute names may have at most
 * UINT32_MAX - 1 bytes ("start tag too long").
 */
struct trie_node {
	uint32_t child, sibling;
	unsigned char c;
	bool end;                   /* a name ends here */
};

/*
 * Bounds behind cfg_arena_size (docs/config.md has the long form). Count
 * what the arena holds against 18 bytes for every input byte read so far:
 * - a node costs 64 bytes and its type, padded to 8; "<a/>" is 4 bytes and
 *   costs 72, and a node with content pays with its end tag too;
 * - an attribute costs 32 bytes, its name and value padded to 8 and one
 *   12-byte trie node per name byte: 13 per name byte + 41 + value, and
 *   ' a=""' is at least 4 bytes plus name and value, so it pays its way;
 * - text and values are never longer than their source (+1 NUL);
 * - comments cost nothing; whitespace between sub-nodes is dropped.
 * What is not paid yet at any moment: each open node (its end tag not read
 * yet: "<a>" is 3 bytes for 72) owes up to 18 bytes, at most CFG_MAX_DEPTH
 * of them; the tag being read owes up to 64 (node, trie root, one
 * attribute and its trie node for "<a b"); the arena's start and end may
 * lose 7 bytes each to alignment.
 */
#define ARENA_PER_BYTE ((sizeof(struct cfg_node) + ALIGN) / 4)
#define ARENA_FIXED (CFG_MAX_DEPTH * ARENA_PER_BYTE + 128u)
_Static_assert(ARENA_PER_BYTE * 4 >= sizeof(struct cfg_attr) + 1 + (ALIGN - 1) + sizeof(struct trie_node) &&
	       ARENA_PER_BYTE >= 1 + sizeof(struct trie_node),
	       "attributes must not cost more than nodes per input byte");
_Static_assert(ARENA_FIXED >= CFG_MAX_DEPTH * ARENA_PER_BYTE + 64 + 2 * (ALIGN - 1), "fixed arena part");

size_t cfg_arena_size(size_t len)
{
	if (len > (SIZE_MAX - ARENA_FIXED) / ARENA_PER_BYTE)
		return SIZE_MAX;
	return len * ARENA_PER_BYTE + ARENA_FIXED;
}

/* ---- Parser state ---- */

/* Where a byte offset is: incremental, lines end at LF, columns count bytes. */
struct tracker {
	size_t pos, line_start;
	unsigned line;
};

struct parser {
	const unsigned char *in;
	size_t len, pos;            /* pos: the byte being worked on */

	unsigned char *arena;       /* aligned start */
	size_t lo, hi, top;         /* permanent [0, lo), trie scratch [hi, top) */
	size_t ntrie;

	struct cfg_node *root, *cur;  /* cur: the open node whose content is read */
	struct cfg_node *last;      /* last sub-node of cur so far */
	unsigned depth;             /* of cur; 0 at the top level */
	size_t seg;                 /* arena offset where cur's current content segment starts */
	size_t text_pos;            /* first non-whitespace text byte in that segment, or NONE */

	struct tracker track;       /* for node positions, which only grow */

	const char *msg;            /* the error */
	size_t err_pos;
	const struct cfg_node *err_node;  /* if set: the error is at this node's '<' */
};

static void track_to(struct tracker *t, const unsigned char *in, size_t pos, unsigned *line, unsigned *col)
{
	for (; t->pos < pos; t->pos++) {
		if (in[t->pos] == '\n') {
			t->line++;
			t->line_start = t->pos + 1;
		}
	}
	*line = t->line;
	*col = (unsigned)(pos - t->line_start + 1);
}

static bool fail(struct parser *p, size_t pos, const char *msg)
{
	p->msg = msg;
	p->err_pos = pos;
	return false;
}

/* An unexpected byte: NUL and control characters are named as such. */
static bool fail_byte(struct parser *p, size_t pos, const char *msg)
{
	if (pos < p->len && p->in[pos] == 0)
		msg = "NUL byte";
	else if (pos < p->len && is_control(p->in[pos]))
		msg = "control character";
	return fail(p, pos, msg);
}

static bool exhausted(struct parser *p)
{
	return fail(p, p->pos, "arena exhausted");
}

/* ---- Arena ---- */

static void *alloc_struct(struct parser *p, size_t size)
{
	size_t at = (p->lo + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);

	if (at > p->hi || p->hi - at < size) {
		exhausted(p);
		return NULL;
	}
	p->lo = at + size;
	memset(p->arena + at, 0, size);
	return p->arena + at;
}

static bool put(struct parser *p, unsigned char c)
{
	if (p->lo == p->hi)
		return exhausted(p);
	p->arena[p->lo++] = c;
	return true;
}

static const char *copy_string(struct parser *p, const unsigned char *s, size_t n)
{
	if (p->hi - p->lo <= n) {
		exhausted(p);
		return NULL;
	}
	char *d = (char *)p->arena + p->lo;
	memcpy(d, s, n);
	d[n] = 0;
	p->lo += n + 1;
	return d;
}

static struct trie_node *trie_at(struct parser *p, uint32_t i)
{
	return (struct trie_node *)(p->arena + p->top) - (i + 1);
}

static bool trie_new(struct parser *p, unsigned char c, uint32_t *index)
{
	if (p->ntrie == UINT32_MAX)
		return fail(p, p->pos, "start tag too long");
	if (p->hi - p->lo < sizeof(struct trie_node))
		return exhausted(p);
	p->hi -= sizeof(struct trie_node);
	*index = (uint32_t)p->ntrie++;
	struct trie_node *t = trie_at(p, *index);
	t->child = t->sibling = 0;
	t->c = c;
	t->end = false;
	return true;
}

static bool trie_reset(struct parser *p)
{
	uint32_t root;

	p->hi = p->top;
	p->ntrie = 0;
	return trie_new(p, 0, &root);
}

/* 1: the name is new, 0: seen before in this tag, -1: arena exhausted. */
static int trie_insert(struct parser *p, const unsigned char *s, size_t n)
{
	uint32_t cur = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t k = trie_at(p, cur)->child;
		while (k && trie_at(p, k)->c != s[i])
			k = trie_at(p, k)->sibling;
		if (!k) {
			if (!trie_new(p, s[i], &k))
				return -1;
			trie_at(p, k)->sibling = trie_at(p, cur)->child;
			trie_at(p, cur)->child = k;
		}
		cur = k;
	}
	if (trie_at(p, cur)->end)
		return 0;
	trie_at(p, cur)->end = true;
	return 1;
}

/* ---- Lexical pieces ---- */

static size_t skip_ws(const struct parser *p, size_t i)
{
	while (i < p->len && is_ws(p->in[i]))
		i++;
	return i;
}

static size_t skip_name(const struct parser *p, size_t i)
{
	while (i < p->len && is_name_char(p->in[i]))
		i++;
	return i;
}

/* An entity at p->pos ('&'): *out gets the byte, p->pos moves past ';'. */
static bool decode_entity(struct parser *p, unsigned char *out)
{
	static const struct { const char *name; unsigned char c; } named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
	};
	const unsigned char *in = p->in;
	size_t amp = p->pos, i = amp + 1;

	if (i >= p->len)
		return fail(p, amp, "unterminated entity");
	if (in[i] == '#') {
		unsigned base = 10, v = 0;
		if (++i < p->len && in[i] == 'x') {
			base = 16;
			i++;
		}
		size_t d0 = i;
		for (; i < p->len; i++) {
			int d = hex_digit(in[i]);
			if (d < 0 || (unsigned)d >= base)
				break;
			v = v * base + (unsigned)d;
			if (v > 0xffff)  /* far out of range already; keeps v small */
				v = 0xffff;
		}
		if (i >= p->len)
			return fail(p, amp, "unterminated entity");
		if (i == d0)
			return fail_byte(p, i, "malformed character reference");
		if (in[i] != ';')
			return fail_byte(p, i, "expected ';' after the entity");
		if (!(v == '\t' || v == '\n' || v == '\r' || (v >= 32 && v <= 126)))
			return fail(p, amp, "character reference out of range");
		*out = (unsigned char)v;
		p->pos = i + 1;
		return true;
	}
	if (!is_name_start(in[i]))
		return fail(p, amp, "'&' does not start an entity");
	size_t n0 = i;
	i = skip_name(p, i);
	size_t n = i - n0;
	for (unsigned k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		if (strlen(named[k].name) != n || memcmp(named[k].name, in + n0, n))
			continue;
		if (i >= p->len)
			return fail(p, amp, "unterminated entity");
		if (in[i] != ';')
			return fail_byte(p, i, "expected ';' after the entity");
		*out = named[k].c;
		p->pos = i + 1;
		return true;
	}
	return fail(p, amp, "unknown entity");
}

/* A comment at p->pos ("<!--"); p->pos moves past "-->". */
static bool parse_comment(struct parser *p)
{
	size_t lt = p->pos;

	for (size_t i = lt + 4; i < p->len; i++) {
		unsigned c = p->in[i];
		if (c == '-' && i + 1 < p->len && p->in[i + 1] == '-') {
			if (i + 2 >= p->len)
				break;
			if (p->in[i + 2] != '>')
				return fail(p, i, "'--' in comment");
			p->pos = i + 3;
			return true;
		}
		if (is_control(c))
			return fail_byte(p, i, "");
	}
	return fail(p, lt, "unterminated comment");
}

/* ---- Tags ---- */

/* The attributes of a start tag from i (after the type) to '>' or "/>".
 * Returns the index after the tag, or NONE; *open says '>' (not "/>"). */
static size_t parse_attributes(struct parser *p, struct cfg_node *node, size_t lt, size_t i, bool *open)
{
	const unsigned char *in = p->in;
	size_t len = p->len;
	struct cfg_attr *last = NULL;

	for (;;) {
		size_t ws = i;
		i = skip_ws(p, i);
		if (i >= len)
			return fail(p, lt, "unterminated start tag"), NONE;
		unsigned c = in[i];
		if (c == '>') {
			*open = true;
			return i + 1;
		}
		if (c == '/') {
			if (i + 1 >= len)
				return fail(p, lt, "unterminated start tag"), NONE;
			if (in[i + 1] != '>')
				return fail_byte(p, i + 1, "expected '>' after '/'"), NONE;
			*open = false;
			return i + 2;
		}
		if (!is_name_start(c))
			return fail_byte(p, i, "expected an attribute name, '>' or '/>'"), NONE;
		if (i == ws)
			return fail(p, i, "missing whitespace before attribute"), NONE;

		size_t n0 = i;
		i = skip_name(p, i);
		p->pos = n0;
		int fresh = trie_insert(p, in + n0, i - n0);
		if (fresh < 0)
			return NONE;
		if (!fresh)
			return fail(p, n0, "duplicate attribute"), NONE;
		struct cfg_attr *a = alloc_struct(p, sizeof(*a));
		if (!a || !(a->name = copy_string(p, in + n0, i - n0)))
			return NONE;

		i = skip_ws(p, i);
		if (i >= len)
			return fail(p, lt, "unterminated start tag"), NONE;
		if (in[i] != '=')
			return fail_byte(p, i, "expected '=' after the attribute name"), NONE;
		i = skip_ws(p, i + 1);
		if (i >= len)
			return fail(p, lt, "unterminated start tag"), NONE;
		unsigned quote = in[i];
		if (quote != '"' && quote != '\'')
			return fail_byte(p, i, "expected a quoted attribute value"), NONE;

		size_t q = i++, v0 = p->lo;
		for (;;) {
			if (i >= len)
				return fail(p, q, "unterminated attribute value"), NONE;
			unsigned char b = in[i];
			p->pos = i;
			if (b == quote) {
				i++;
				break;
			}
			if (b == '<')
				return fail(p, i, "'<' in attribute value"), NONE;
			if (b == '&') {
				if (!decode_entity(p, &b))
					return NONE;
				i = p->pos;
			} else if (is_control(b)) {
				return fail_byte(p, i, ""), NONE;
			} else {
				i++;
			}
			if (!put(p, b))
				return NONE;
		}
		a->value = (const char *)p->arena + v0;
		a->value_len = p->lo - v0;
		if (!put(p, 0))
			return NONE;
		if (last)
			last->next = a;
		else
			node->attrs = a;
		last = a;
	}
}

/* A start tag at p->pos ('<' followed by neither '!', '?' nor '/'). */
static bool parse_start_tag(struct parser *p)
{
	const unsigned char *in = p->in;
	size_t lt = p->pos, i = lt + 1;

	if (i >= p->len)
		return fail(p, lt, "unterminated start tag");
	if (!is_name_start(in[i]))
		return fail_byte(p, i, "expected a node type after '<'");
	if (!p->cur && p->root)
		return fail(p, lt, "more than one top-level node");
	if (p->cur) {
		if (p->text_pos != NONE)
			return fail(p, lt, "text and sub-nodes mixed");
		p->lo = p->seg;  /* whitespace before a sub-node is no text */
	}
	if (p->depth == CFG_MAX_DEPTH)
		return fail(p, lt, "nodes nested too deep");

	size_t n0 = i;
	i = skip_name(p, i);
	struct cfg_node *node = alloc_struct(p, sizeof(*node));
	if (!node || !(node->type = copy_string(p, in + n0, i - n0)))
		return false;
	track_to(&p->track, in, lt, &node->line, &node->col);
	if (!trie_reset(p))
		return false;
	bool open;
	i = parse_attributes(p, node, lt, i, &open);
	if (i == NONE)
		return false;
	p->pos = i;
	p->hi = p->top;  /* the trie is needed no more */

	node->parent = p->cur;
	if (!p->cur)
		p->root = node;
	else if (p->last)
		p->last->next = node;
	else
		p->cur->child = node;
	if (open) {
		p->cur = node;
		p->last = NULL;
		p->depth++;
	} else {
		p->last = node;
	}
	p->seg = p->lo;
	p->text_pos = NONE;
	return true;
}

/* An end tag at p->pos ("</"). */
static bool parse_end_tag(struct parser *p)
{
	const unsigned char *in = p->in;
	size_t lt = p->pos, i = lt + 2;
	struct cfg_node *node = p->cur;

	if (!node)
		return fail(p, lt, "end tag outside any node");
	if (i >= p->len)
		return fail(p, lt, "unterminated end tag");
	if (!is_name_start(in[i]))
		return fail_byte(p, i, "expected a node type after '</'");
	const char *type = node->type;
	size_t k = 0;
	for (; i < p->len && is_name_char(in[i]); i++, k++)
		if ((unsigned char)type[k] != in[i])
			return fail(p, i, "end tag does not match the open node");
	if (i >= p->len)
		return fail(p, lt, "unterminated end tag");
	if (type[k])
		return fail(p, i, "end tag does not match the open node");
	i = skip_ws(p, i);
	if (i >= p->len)
		return fail(p, lt, "unterminated end tag");
	if (in[i] != '>')
		return fail_byte(p, i, "expected '>' to end the end tag");
	p->pos = i + 1;

	if (p->text_pos != NONE) {
		node->text = (const char *)p->arena + p->seg;
		node->text_len = p->lo - p->seg;
		if (!put(p, 0))
			return false;
	} else {
		p->lo = p->seg;
	}
	p->cur = node->parent;
	p->last = node;
	p->depth--;
	p->seg = p->lo;
	p->text_pos = NONE;
	return true;
}

/* One piece of content of p->cur at p->pos that is not markup. */
static bool parse_text(struct parser *p)
{
	size_t at = p->pos;
	unsigned char c = p->in[at];

	if (is_ws(c)) {
		p->pos++;
		return put(p, c);
	}
	if (is_control(c))
		return fail_byte(p, at, "");
	if (c == '>' && at >= 2 && p->in[at - 1] == ']' && p->in[at - 2] == ']')
		return fail(p, at - 2, "']]>' in text");
	if (p->text_pos == NONE) {
		if (p->cur->child)
			return fail(p, at, "text and sub-nodes mixed");
		p->text_pos = at;
	}
	if (c == '&')
		return decode_entity(p, &c) && put(p, c);
	p->pos++;
	return put(p, c);
}

static bool parse_document(struct parser *p)
{
	const unsigned char *in = p->in;

	if (p->len >= 3 && in[0] == 0xef && in[1] == 0xbb && in[2] == 0xbf)
		return fail(p, 0, "byte order mark");
	while (p->pos < p->len) {
		size_t at = p->pos;
		unsigned c = in[at];
		bool ok;

		if (c == '<') {
			unsigned next = at + 1 < p->len ? in[at + 1] : 0;
			if (next == '!') {
				if (at + 3 < p->len && in[at + 2] == '-' && in[at + 3] == '-')
					ok = parse_comment(p);
				else
					ok = fail(p, at, "DOCTYPE and CDATA are not allowed");
			} else if (next == '?') {
				ok = fail(p, at, "processing instructions are not allowed");
			} else if (next == '/') {
				ok = parse_end_tag(p);
			} else {
				ok = parse_start_tag(p);
			}
		} else if (p->cur) {
			ok = parse_text(p);
		} else if (is_ws(c)) {
			p->pos++;
			ok = true;
		} else {
			ok = fail_byte(p, at, "text outside the top-level node");
		}
		if (!ok)
			return false;
	}
	if (p->cur) {
		p->msg = "unclosed node";
		p->err_node = p->cur;
		return false;
	}
	if (!p->root)
		return fail(p, p->len, "no top-level node");
	return true;
}

struct cfg_node *cfg_parse(const char *buf, size_t len, void *arena, size_t arena_size,
			   struct cfg_error *err)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.in = (const unsigned char *)buf;
	p.len = buf ? len : 0;
	p.text_pos = NONE;
	p.track.line = 1;

	size_t skip = arena ? (ALIGN - ((uintptr_t)arena & (ALIGN - 1))) & (ALIGN - 1) : 0;
	if (!arena || arena_size < skip)
		arena_size = skip = 0;
	p.arena = (unsigned char *)arena + skip;
	p.top = p.hi = (arena_size - skip) & ~(size_t)(ALIGN - 1);

	if (parse_document(&p)) {
		if (err)
			*err = (struct cfg_error){ 0, 0, NULL };
		return p.root;
	}
	if (err) {
		err->msg = p.msg;
		if (p.err_node) {
			err->line = p.err_node->line;
			err->col = p.err_node->col;
		} else {
			struct tracker t = { 0, 0, 1 };
			track_to(&t, p.in, p.err_pos, &err->line, &err->col);
		}
	}
	return NULL;
}
