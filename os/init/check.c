/*
 * Node checks shared by the steps of the model build: allowed attributes,
 * leaves, names, typed values. Each records its errors with the node's
 * position and says whether all was well.
 */
#include <argil/string.h>

#include "build.h"
#include "text.h"

static bool has_text(const struct cfg_node *n)
{
	for (size_t i = 0; n->text && i < n->text_len; i++) {
		char c = n->text[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return true;
	}
	return false;
}

/* Every attribute of n is in the NULL-terminated list. */
bool mb_check_attrs(struct builder *b, const struct cfg_node *n, const char *const *allowed)
{
	bool ok = true;

	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		bool known = false;
		for (unsigned i = 0; allowed && allowed[i]; i++)
			if (!strcmp(a->name, allowed[i]))
				known = true;
		if (!known) {
			mb_err(b, n, "unknown attribute '%s' in <%s>", a->name, n->type);
			ok = false;
		}
	}
	return ok;
}

/* n has neither sub-nodes nor text. */
bool mb_check_leaf(struct builder *b, const struct cfg_node *n)
{
	bool ok = true;

	for (const struct cfg_node *c = n->child; c; c = c->next) {
		mb_err(b, c, "unexpected node <%s> in <%s>", c->type, n->type);
		ok = false;
	}
	if (has_text(n)) {
		mb_err(b, n, "unexpected text in <%s>", n->type);
		ok = false;
	}
	return ok;
}

bool mb_check_no_text(struct builder *b, const struct cfg_node *n)
{
	if (!has_text(n))
		return true;
	mb_err(b, n, "unexpected text in <%s>", n->type);
	return false;
}

/* A name of a child or service: not empty, no label separator in it. */
static bool valid_name(const char *s)
{
	return s[0] != '\0' && !str_contains(s, LABEL_SEP);
}

/* The value of a required name attribute, or NULL with an error. */
const char *mb_required_name(struct builder *b, const struct cfg_node *n)
{
	const char *v = cfg_attr(n, "name");

	if (!v) {
		mb_err(b, n, "missing attribute 'name' in <%s>", n->type);
		return NULL;
	}
	if (!valid_name(v)) {
		mb_err(b, n, "bad name \"%s\" in <%s>: empty or contains \" -> \"", v, n->type);
		return NULL;
	}
	return v;
}

bool mb_get_bool(struct builder *b, const struct cfg_node *n, const char *attr, bool def, bool *out)
{
	if (cfg_attr_bool(n, attr, def, out) >= 0)
		return true;
	mb_err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected yes or no)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

bool mb_get_u64(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out)
{
	if (cfg_attr_u64(n, attr, def, out) >= 0)
		return true;
	mb_err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected a number)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

bool mb_get_size(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out)
{
	if (cfg_attr_size(n, attr, def, out) >= 0)
		return true;
	mb_err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected a size such as 4096, 64K or 2M)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

/* A decimal integer with an optional leading '-'. */
bool mb_parse_int(const char *s, long long *out)
{
	bool neg = false;
	unsigned long long v = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000000ull)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = neg ? -(long long)v : (long long)v;
	return true;
}

const char *const mb_name_attrs[] = { "name", NULL };
