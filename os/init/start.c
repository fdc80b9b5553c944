/*
 * Model build, step 2: each <start> node on its own. An error rejects the
 * node; whether the child then keeps its previous settings is settled in
 * step 3 (settle.c).
 */
#include <argil/string.h>

#include "build.h"

static const char *const start_attrs[] = { "name", "ram", "caps", "priority", "version", "ld", "restart", NULL };
static const char *const child_heartbeat_attrs[] = { "restart_after", NULL };

static void parse_binary(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	*ok &= mb_check_attrs(b, n, mb_name_attrs);
	*ok &= mb_check_leaf(b, n);
	const char *name = cfg_attr(n, "name");
	if (!name) {
		mb_err(b, n, "missing attribute 'name' in <binary>");
		*ok = false;
	} else if (!name[0]) {
		mb_err(b, n, "empty binary name in <binary>");
		*ok = false;
	} else {
		c->binary = mb_strdup(b, name);
		c->binary_line = n->line;
		c->binary_col = n->col;
	}
}

static void parse_embedded_config(struct builder *b, const struct cfg_node *n, struct init_child *c)
{
	char probe[1];
	size_t len = cfg_print(n, probe, 0);
	char *text = mb_alloc(b, len + 1);

	if (!text)
		return;
	cfg_print(n, text, len + 1);
	c->config = text;
	c->config_len = len;
}

static void parse_provides(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	*ok &= mb_check_attrs(b, n, NULL);
	*ok &= mb_check_no_text(b, n);
	c->provides = mb_array(b, cfg_child_count(n, NULL), sizeof(*c->provides));
	if (!c->provides)
		return;
	for (const struct cfg_node *s = n->child; s; s = s->next) {
		if (!cfg_is(s, "service")) {
			mb_err(b, s, "unknown node <%s> in <provides> (expected <service>)", s->type);
			*ok = false;
			continue;
		}
		*ok &= mb_check_attrs(b, s, mb_name_attrs);
		*ok &= mb_check_leaf(b, s);
		const char *name = mb_required_name(b, s);
		if (!name) {
			*ok = false;
			continue;
		}
		if (init_child_provides(c, name)) {
			mb_err(b, s, "service '%s' is listed twice in <provides>", name);
			*ok = false;
			continue;
		}
		const char *copy = mb_strdup(b, name);
		if (!copy)
			return;
		struct init_provide *p = &c->provides[c->n_provides++];
		p->name = copy;
		p->line = s->line;
		p->col = s->col;
	}
}

static void parse_child_heartbeat(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	uint64_t after;

	*ok &= mb_check_attrs(b, n, child_heartbeat_attrs);
	*ok &= mb_check_leaf(b, n);
	c->heartbeat = true;
	if (!mb_get_u64(b, n, "restart_after", 0, &after)) {
		*ok = false;
	} else if (cfg_has_attr(n, "restart_after") && (after == 0 || after > 1000000)) {
		mb_err(b, n, "attribute 'restart_after' in <heartbeat> must be 1 to 1000000");
		*ok = false;
	} else {
		c->heartbeat_restart_after = (unsigned)after;
	}
}

static void parse_start_attrs(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	struct init_model *m = b->m;
	bool ld;

	*ok &= mb_check_attrs(b, n, start_attrs);
	*ok &= mb_check_no_text(b, n);

	if (!mb_get_size(b, n, "ram", m->default_ram, &c->ram)) {
		*ok = false;
	} else if (!cfg_has_attr(n, "ram") && !m->default_ram) {
		mb_err(b, n, "missing attribute 'ram' in <start> (and no <default ram=...>)");
		*ok = false;
	} else if (!c->ram) {
		mb_err(b, n, "attribute 'ram' in <start> must not be 0");
		*ok = false;
	}
	if (!mb_get_u64(b, n, "caps", m->default_caps, &c->caps)) {
		*ok = false;
	} else if (!cfg_has_attr(n, "caps") && !m->default_caps) {
		mb_err(b, n, "missing attribute 'caps' in <start> (and no <default caps=...>)");
		*ok = false;
	} else if (!c->caps) {
		mb_err(b, n, "attribute 'caps' in <start> must not be 0");
		*ok = false;
	}

	const char *prio = cfg_attr(n, "priority");
	long long p = 0;
	if (prio && (!mb_parse_int(prio, &p) || p > 0 || p <= -(long long)m->prio_levels)) {
		mb_err(b, n, "bad value \"%s\" of attribute 'priority' in <start> (expected 0 to -%u)",
		    prio, m->prio_levels - 1);
		*ok = false;
	} else {
		c->priority = (int)p;
	}

	const char *version = cfg_attr(n, "version");
	c->version = mb_strdup(b, version ? version : "");

	if (!mb_get_bool(b, n, "ld", false, &ld)) {
		*ok = false;
	} else if (ld) {
		mb_err(b, n, "ld=\"yes\" in <start>: dynamically linked binaries are not supported");
		*ok = false;
	}

	const char *restart = cfg_attr(n, "restart");
	if (!restart || !strcmp(restart, "never"))
		c->restart = INIT_RESTART_NEVER;
	else if (!strcmp(restart, "on_exit"))
		c->restart = INIT_RESTART_ON_EXIT;
	else if (!strcmp(restart, "on_fault"))
		c->restart = INIT_RESTART_ON_FAULT;
	else if (!strcmp(restart, "always"))
		c->restart = INIT_RESTART_ALWAYS;
	else {
		mb_err(b, n, "bad value \"%s\" of attribute 'restart' in <start> (expected never, on_exit, on_fault or always)",
		    restart);
		*ok = false;
	}
}

/* The new settings of slot s, or NULL when its node has an error. */
static struct init_child *parse_start(struct builder *b, struct slot *s)
{
	static const char *const subs[] = { "binary", "config", "provides", "route", "heartbeat" };
	const struct cfg_node *seen[5] = { 0 };
	const struct cfg_node *n = s->node;
	struct init_child *c = mb_alloc(b, sizeof(*c));
	bool ok = true;

	if (!c)
		return NULL;
	c->name = s->name;
	c->line = n->line;
	c->col = n->col;
	parse_start_attrs(b, n, c, &ok);

	for (const struct cfg_node *sub = n->child; sub; sub = sub->next) {
		unsigned k = 0;
		while (k < 5 && !cfg_is(sub, subs[k]))
			k++;
		if (k == 5) {
			if (cfg_is(sub, "resource"))
				mb_err(b, sub, "unknown node <resource> in <start> (give quota as ram=... caps=... of <start>)");
			else
				mb_err(b, sub, "unknown node <%s> in <start>", sub->type);
			ok = false;
			continue;
		}
		if (seen[k]) {
			mb_err(b, sub, "more than one <%s> node in <start>", sub->type);
			ok = false;
			continue;
		}
		seen[k] = sub;
		switch (k) {
		case 0: parse_binary(b, sub, c, &ok); break;
		case 1: parse_embedded_config(b, sub, c); break;
		case 2: parse_provides(b, sub, c, &ok); break;
		case 3:
			c->has_route = true;
			ok &= mb_parse_route(b, sub, &c->route);
			break;
		case 4: parse_child_heartbeat(b, sub, c, &ok); break;
		}
	}
	if (!seen[0]) {
		mb_err(b, n, "missing <binary name=...> in <start name=\"%s\">", s->name);
		ok = false;
	}
	return ok && !b->oom ? c : NULL;
}

/* Step 2: the name of every <start> node, then each node's contents. */
void mb_parse_starts(struct builder *b, const struct cfg_node *root)
{
	unsigned i = 0;

	b->slots = mb_array(b, b->n_slots, sizeof(*b->slots));
	if (!b->slots)
		return;
	for (const struct cfg_node *n = cfg_child(root, "start"); n; n = cfg_next(n, "start")) {
		struct slot *s = &b->slots[i];
		s->node = n;
		s->stage = STAGE_NONE;
		b->origin = (int)i++;
		const char *name = mb_required_name(b, n);
		if (!name)
			continue;
		for (unsigned j = 0; j + 1 < i; j++) {
			if (b->slots[j].name && !strcmp(b->slots[j].name, name)) {
				mb_err(b, n, "duplicate child name \"%s\" (first <start> at line %u)", name, b->slots[j].node->line);
				name = NULL;
				break;
			}
		}
		if (!name)
			continue;
		s->name = mb_strdup(b, name);
		s->prev = b->prev ? init_model_child(b->prev, name) : NULL;
		s->fresh = parse_start(b, s);
		s->stage = s->fresh ? STAGE_FRESH : s->prev ? STAGE_PREV : STAGE_NONE;
		if (b->oom)
			return;
	}
	b->origin = -1;
}
