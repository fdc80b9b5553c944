/*
 * The config format (argil/config.h): parser, accessors, printer, writer.
 *
 * Trusts nothing in the input: every byte is checked against the grammar,
 * nothing is read at or past 'len', and every arena allocation is checked.
 * Nothing recurses: the parser keeps its place in the tree through the
 * parent pointers, and the printer and cfg_equal walk the tree through
 * child, next and parent. Each input byte is looked at a bounded number of
 * times, so parsing takes O(len) time.
 *
 * Arena layout while parsing: nodes, attributes and their strings grow up
 * from the (aligned) start in document order; the scratch trie that finds
 * duplicate attribute names of the start tag being read grows down from the
 * end and is dropped at the next start tag.
 */
#include <argil/config.h>
#include <argil/string.h>

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

/* ---- Characters ---- */

static bool is_ws(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_start(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(unsigned c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-';
}

/* Control characters other than tab, LF and CR, NUL and DEL included. */
static bool is_control(unsigned c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static bool is_name(const char *s)
{
	if (!s || !is_name_start((unsigned char)*s))
		return false;
	while (*++s)
		if (!is_name_char((unsigned char)*s))
			return false;
	return true;
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

static int hex_digit(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
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

/* ---- Navigation and attributes ---- */

bool cfg_is(const struct cfg_node *n, const char *type)
{
	return n && type && !strcmp(n->type, type);
}

static bool type_matches(const struct cfg_node *n, const char *type)
{
	return !type || !strcmp(n->type, type);
}

struct cfg_node *cfg_next(const struct cfg_node *n, const char *type)
{
	if (!n)
		return NULL;
	for (n = n->next; n && !type_matches(n, type); n = n->next)
		;
	return (struct cfg_node *)n;
}

struct cfg_node *cfg_child(const struct cfg_node *n, const char *type)
{
	if (!n || !n->child)
		return NULL;
	if (type_matches(n->child, type))
		return n->child;
	return cfg_next(n->child, type);
}

unsigned cfg_child_count(const struct cfg_node *n, const char *type)
{
	unsigned count = 0;

	for (const struct cfg_node *c = cfg_child(n, type); c; c = cfg_next(c, type))
		count++;
	return count;
}

static const struct cfg_attr *find_attr(const struct cfg_node *n, const char *name)
{
	if (!n || !name)
		return NULL;
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

const char *cfg_attr(const struct cfg_node *n, const char *name)
{
	const struct cfg_attr *a = find_attr(n, name);
	return a ? a->value : NULL;
}

bool cfg_has_attr(const struct cfg_node *n, const char *name)
{
	return find_attr(n, name) != NULL;
}

bool cfg_attr_is(const struct cfg_node *n, const char *name, const char *value)
{
	const struct cfg_attr *a = find_attr(n, name);
	return a && value && !strcmp(a->value, value);
}

/* Decimal or 0x/0X-hex digits at *s; *s moves past them. false: none or overflow. */
static bool scan_u64(const char **s, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	const char *d0 = p;
	for (;; p++) {
		int d = hex_digit((unsigned char)*p);
		if (d < 0 || (unsigned)d >= base)
			break;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return false;
		v = v * base + (unsigned)d;
	}
	if (p == d0)
		return false;
	*s = p;
	*out = v;
	return true;
}

static int getter_result(int r, uint64_t v, uint64_t def, uint64_t *out)
{
	if (out)
		*out = r == 1 ? v : def;
	return r;
}

int cfg_attr_u64(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out)
{
	const char *s = cfg_attr(n, name);
	uint64_t v = 0;

	if (!s)
		return getter_result(0, 0, def, out);
	if (!scan_u64(&s, &v) || *s)
		return getter_result(-1, 0, def, out);
	return getter_result(1, v, def, out);
}

int cfg_attr_size(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out)
{
	const char *s = cfg_attr(n, name);
	uint64_t v = 0;
	unsigned shift = 0;

	if (!s)
		return getter_result(0, 0, def, out);
	if (!scan_u64(&s, &v))
		return getter_result(-1, 0, def, out);
	switch (*s) {
	case 'K': shift = 10; s++; break;
	case 'M': shift = 20; s++; break;
	case 'G': shift = 30; s++; break;
	}
	if (*s || v > (UINT64_MAX >> shift))
		return getter_result(-1, 0, def, out);
	return getter_result(1, v << shift, def, out);
}

int cfg_attr_bool(const struct cfg_node *n, const char *name, bool def, bool *out)
{
	const char *s = cfg_attr(n, name);
	int r = 1;
	bool v = def;

	if (!s)
		r = 0;
	else if (!strcmp(s, "yes") || !strcmp(s, "true"))
		v = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false"))
		v = false;
	else
		r = -1;
	if (out)
		*out = r == 1 ? v : def;
	return r;
}

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

static bool has_text(const struct cfg_node *n)
{
	return n->text && n->text_len;
}

static void emit_u64(struct sink *s, uint64_t v)
{
	char tmp[20];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	emit(s, tmp + n, sizeof(tmp) - n);
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

static bool same_node(const struct cfg_node *a, const struct cfg_node *b)
{
	if (strcmp(a->type, b->type) || has_text(a) != has_text(b))
		return false;
	if (has_text(a) && (a->text_len != b->text_len || memcmp(a->text, b->text, a->text_len)))
		return false;
	const struct cfg_attr *x = a->attrs, *y = b->attrs;
	for (; x && y; x = x->next, y = y->next) {
		if (strcmp(x->name, y->name) || x->value_len != y->value_len ||
		    memcmp(x->value, y->value, x->value_len))
			return false;
	}
	return !x && !y;
}

bool cfg_equal(const struct cfg_node *a, const struct cfg_node *b)
{
	const struct cfg_node *ra = a;

	if (!a || !b)
		return a == b;
	for (;;) {
		if (!same_node(a, b) || !a->child != !b->child)
			return false;
		if (a->child) {
			a = a->child;
			b = b->child;
			continue;
		}
		/* a and b walk in step, so b is at its root exactly when a is */
		while (a != ra && !a->next) {
			if (b->next)
				return false;
			a = a->parent;
			b = b->parent;
		}
		if (a == ra)
			return true;
		if (!b->next)
			return false;
		a = a->next;
		b = b->next;
	}
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
	if (w->invalid)
		return;
	if (!w->open_tag || !is_name(name)) {
		w->invalid = true;
		return;
	}
	struct sink s = writer_sink(w);
	emit(&s, " ", 1);
	emit_str(&s, name);
	emit(&s, "=\"", 2);
	emit_u64(&s, value);
	emit(&s, "\"", 1);
	writer_update(w, &s);
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

bool cfg_writer_ok(const struct cfg_writer *w)
{
	return !w->invalid && w->depth == 0 && w->len < w->size;
}
