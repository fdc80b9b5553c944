/*
 * Components' config checks that say what is wrong (argil/config.h): an
 * "error: config:L: ..." line on the component's LOG, with the line of
 * the node, and false.
 */
#include <argil/config.h>
#include <argil/log.h>
#include <argil/string.h>

bool cfg_attrs_known(const struct cfg_node *n, const char *const *names)
{
	bool ok = true;

	for (const struct cfg_attr *a = n ? n->attrs : 0; a; a = a->next) {
		const char *const *k = names;

		while (*k && strcmp(*k, a->name))
			k++;
		if (!*k) {
			log("error: config:%u: unknown attribute '%s' of <%s>", n->line, a->name,
			    n->type);
			ok = false;
		}
	}
	return ok;
}

bool cfg_attr_range(const struct cfg_node *n, const char *name, uint64_t def, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (cfg_attr_u64(n, name, def, &v) >= 0 && v >= min && v <= max) {
		*out = v;
		return true;
	}
	log("error: config:%u: %s of <%s> is a number %lu..%lu, not '%s'", n->line, name, n->type,
	    (unsigned long)min, (unsigned long)max, cfg_attr(n, name));
	*out = def;
	return false;
}

bool cfg_colour(const struct cfg_node *n, const char *name, uint32_t def, uint32_t *out)
{
	if (cfg_attr_colour(n, name, def, out) >= 0)
		return true;
	log("error: config:%u: %s of <%s> is a colour #rrggbb, not '%s'", n->line, name, n->type,
	    cfg_attr(n, name));
	return false;
}

bool cfg_bool(const struct cfg_node *n, const char *name, bool def, bool *out)
{
	if (cfg_attr_bool(n, name, def, out) >= 0)
		return true;
	log("error: config:%u: %s of <%s> is yes or no, not '%s'", n->line, name, n->type,
	    cfg_attr(n, name));
	return false;
}
