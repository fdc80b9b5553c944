/*
 * test_init's matcher (match.h). Recursion depth is the pattern's depth,
 * which the steps file bounds (a few levels).
 */
#include <argil/string.h>

#include "match.h"

/* A number with an optional K, M or G suffix, up to end; false if malformed. */
static bool number(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s < end) {
		unsigned shift = *s == 'K' ? 10 : *s == 'M' ? 20 : *s == 'G' ? 30 : 0;
		if (!shift || s + 1 != end || v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
	}
	*out = v;
	return true;
}

/* "[min,max]": is v a number within? Not a range: compare as strings. */
static bool value_matches(const char *pattern, const char *v)
{
	size_t len = strlen(pattern);
	const char *comma = 0;
	uint64_t lo, hi, x;

	if (!strcmp(pattern, "*"))
		return true;
	if (len < 5 || pattern[0] != '[' || pattern[len - 1] != ']')
		return !strcmp(pattern, v);
	for (const char *c = pattern; *c; c++)
		if (*c == ',')
			comma = c;
	if (!comma || !number(pattern + 1, comma, &lo) || !number(comma + 1, pattern + len - 1, &hi))
		return !strcmp(pattern, v);
	return number(v, v + strlen(v), &x) && x >= lo && x <= hi;
}

static bool attrs_match(const struct cfg_node *p, const struct cfg_node *r)
{
	for (const struct cfg_attr *a = p->attrs; a; a = a->next) {
		const char *v = cfg_attr(r, a->name);
		if (!v || !value_matches(a->value, v))
			return false;
	}
	return true;
}

static bool some_child_matches(const struct cfg_node *p, const struct cfg_node *r)
{
	for (const struct cfg_node *c = r->child; c; c = c->next)
		if (tinit_match(p, c))
			return true;
	return false;
}

/* Does sub-node p of a pattern (a pattern or an <absent>) hold for r? */
static bool sub_holds(const struct cfg_node *p, const struct cfg_node *r)
{
	if (!cfg_is(p, "absent"))
		return some_child_matches(p, r);
	for (const struct cfg_node *a = p->child; a; a = a->next)
		if (some_child_matches(a, r))
			return false;
	return true;
}

bool tinit_match(const struct cfg_node *p, const struct cfg_node *r)
{
	if (!p || !r || strcmp(p->type, r->type) || !attrs_match(p, r))
		return false;
	for (const struct cfg_node *c = p->child; c; c = c->next)
		if (!sub_holds(c, r))
			return false;
	return true;
}

bool tinit_expect(const struct cfg_node *e, const struct cfg_node *state)
{
	return e && state && sub_holds(e, state);
}

void tinit_describe(const struct cfg_node *p, char *buf, size_t size)
{
	char tmp[1024];
	size_t n = cfg_print(p, tmp, sizeof(tmp)), o = 0;
	bool space = false;

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		char c = tmp[i];
		if (c == '\n' || c == ' ') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			buf[o++] = ' ';
		space = false;
		buf[o++] = c;
	}
	buf[o] = '\0';
	if (o + 1 >= size || n == sizeof(tmp) - 1)
		memcpy(buf + size - 4, "...", 4);
}
