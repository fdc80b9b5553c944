/*
 * The config format (argil/config.h): queries on a parsed tree, that is
 * navigation, attribute getters and cfg_equal. Nothing recurses: cfg_equal
 * walks both trees through child, next and parent.
 */
#include <argil/config.h>
#include <argil/string.h>

#include "config_chars.h"

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

int cfg_attr_colour(const struct cfg_node *n, const char *name, uint32_t def, uint32_t *out)
{
	const char *s = cfg_attr(n, name);
	uint32_t v = 0;
	int r = s ? 1 : 0;

	if (s && (s[0] != '#' || strlen(s) != 7))
		r = -1;
	for (int i = 1; r == 1 && i < 7; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0'
		      : c >= 'a' && c <= 'f' ? c - 'a' + 10
		      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			r = -1;
		v = v << 4 | (uint32_t)(d & 15);
	}
	if (out)
		*out = r == 1 ? v : def;
	return r;
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
