/*
 * Model build, steps 3 and 4: conflicts between children, settled in
 * document order (a child in conflict falls back to its previous settings,
 * then to none), and the default route's targets.
 */
#include <argil/string.h>

#include "build.h"

/* ---- copying previous settings ------------------------------------------ */

static void copy_filter_from(struct builder *b, struct init_label_filter *d, const struct init_label_filter *s)
{
	d->label = mb_strdup(b, s->label);
	d->label_prefix = mb_strdup(b, s->label_prefix);
	d->label_suffix = mb_strdup(b, s->label_suffix);
	d->label_last = mb_strdup(b, s->label_last);
}

static void copy_target(struct builder *b, struct init_target *d, const struct init_target *s)
{
	*d = *s;
	d->child = mb_strdup(b, s->child);
	d->label = mb_strdup(b, s->label);
	d->label_prefix = mb_strdup(b, s->label_prefix);
	d->label_last = mb_strdup(b, s->label_last);
}

static void copy_route(struct builder *b, struct init_route *d, const struct init_route *s)
{
	d->n_rules = s->n_rules;
	d->rules = mb_array(b, s->n_rules, sizeof(*d->rules));
	for (unsigned i = 0; d->rules && i < s->n_rules; i++) {
		struct init_rule *r = &d->rules[i];
		const struct init_rule *sr = &s->rules[i];
		*r = *sr;
		r->service = mb_strdup(b, sr->service);
		copy_filter_from(b, &r->match, &sr->match);
		r->targets = mb_array(b, sr->n_targets, sizeof(*r->targets));
		for (unsigned k = 0; r->targets && k < sr->n_targets; k++)
			copy_target(b, &r->targets[k], &sr->targets[k]);
	}
}

/* A copy of a child of the previous model, flagged as carried over. */
static struct init_child *copy_child(struct builder *b, const struct init_child *s, const struct cfg_node *n)
{
	struct init_child *c = mb_alloc(b, sizeof(*c));

	if (!c)
		return NULL;
	*c = *s;
	c->name = mb_strdup(b, s->name);
	c->binary = mb_strdup(b, s->binary);
	c->version = mb_strdup(b, s->version);
	c->config = s->config ? mb_strndup(b, s->config, s->config_len) : NULL;
	c->provides = mb_array(b, s->n_provides, sizeof(*c->provides));
	for (unsigned i = 0; c->provides && i < s->n_provides; i++) {
		c->provides[i] = s->provides[i];
		c->provides[i].name = mb_strdup(b, s->provides[i].name);
	}
	copy_route(b, &c->route, &s->route);
	c->line = n->line;
	c->col = n->col;
	c->carried = true;
	return b->oom ? NULL : c;
}

/* ---- step 3: conflicts between children --------------------------------- */

struct init_child *mb_candidate(const struct builder *b, unsigned i)
{
	const struct slot *s = &b->slots[i];
	return s->stage == STAGE_FRESH ? s->fresh : s->stage == STAGE_PREV ? s->kept : NULL;
}

/* The mb_candidate of that name; *named tells whether a <start> node has it. */
static struct init_child *candidate_named(const struct builder *b, const char *name, bool *named)
{
	*named = false;
	for (unsigned i = 0; i < b->n_slots; i++) {
		if (b->slots[i].name && !strcmp(b->slots[i].name, name)) {
			*named = true;
			return mb_candidate(b, i);
		}
	}
	return NULL;
}

/* Checks the targets of a route: of mb_candidate c, or the default route
 * when c is NULL. 'n' is the <start> node whose position errors about kept
 * settings (pfx not empty) get. */
static bool check_route_targets(struct builder *b, const struct init_route *route, const struct init_child *c,
                                const struct cfg_node *n, const char *pfx)
{
	bool ok = true;

	for (unsigned i = 0; i < route->n_rules; i++) {
		const struct init_rule *r = &route->rules[i];
		for (unsigned k = 0; k < r->n_targets; k++) {
			const struct init_target *t = &r->targets[k];
			unsigned line = *pfx ? n->line : t->line, col = *pfx ? n->col : t->col;
			if (t->kind == INIT_TARGET_CHILD) {
				bool named;
				const struct init_child *srv = candidate_named(b, t->child, &named);
				if (c && !strcmp(t->child, c->name)) {
					mb_err_at(b, line, col, "%sroute of child '%s' targets the child itself", pfx, c->name);
					ok = false;
				} else if (!srv && named) {
					mb_err_at(b, line, col, "%sroute target child '%s' is not started (its <start> node is rejected)",
					       pfx, t->child);
					ok = false;
				} else if (!srv) {
					mb_err_at(b, line, col, "%sroute target child '%s' does not exist", pfx, t->child);
					ok = false;
				} else if (r->service && !init_child_provides(srv, r->service)) {
					mb_err_at(b, line, col, "%sroute target child '%s' does not provide '%s'", pfx, t->child,
					       r->service);
					ok = false;
				}
			} else if (t->kind == INIT_TARGET_PARENT && r->service &&
			           !init_model_parent_provides(b->m, r->service)) {
				mb_err_at(b, line, col, "%sroute target <parent> does not provide '%s' (not in <parent-provides>)",
				       pfx, r->service);
				ok = false;
			}
		}
	}
	return ok;
}

static bool check_candidate(struct builder *b, unsigned i)
{
	const struct slot *s = &b->slots[i];
	const struct init_child *c = mb_candidate(b, i);
	const char *pfx = s->stage == STAGE_PREV ? "previous settings: " : "";
	bool ok = true;

	b->origin = (int)i;
	/* several children may provide a service: routes name the one they mean */
	ok &= check_route_targets(b, &c->route, c, s->node, pfx);

	uint64_t ram = 0, caps = 0;
	bool ram_over = false, caps_over = false;
	for (unsigned j = 0; j < i; j++) {
		const struct init_child *o = mb_candidate(b, j);
		if (!o)
			continue;
		ram_over |= o->ram > UINT64_MAX - ram;
		ram += ram_over ? 0 : o->ram;
		caps_over |= o->caps > UINT64_MAX - caps;
		caps += caps_over ? 0 : o->caps;
	}
	if (ram_over || ram > b->budget.ram || c->ram > b->budget.ram - ram) {
		mb_err(b, s->node, "%sRAM quota of child '%s' (%llu bytes) exceeds what init has left (%llu of %llu bytes)",
		    pfx, c->name, (unsigned long long)c->ram,
		    (unsigned long long)(ram_over || ram > b->budget.ram ? 0 : b->budget.ram - ram),
		    (unsigned long long)b->budget.ram);
		ok = false;
	}
	if (caps_over || caps > b->budget.caps || c->caps > b->budget.caps - caps) {
		mb_err(b, s->node, "%scap quota of child '%s' (%llu) exceeds what init has left (%llu of %llu)",
		    pfx, c->name, (unsigned long long)c->caps,
		    (unsigned long long)(caps_over || caps > b->budget.caps ? 0 : b->budget.caps - caps),
		    (unsigned long long)b->budget.caps);
		ok = false;
	}
	b->origin = -1;
	return ok;
}

/* Copies of the previous settings where a slot uses them. */
static bool copy_kept(struct builder *b)
{
	for (unsigned i = 0; i < b->n_slots && !b->oom; i++) {
		struct slot *s = &b->slots[i];
		if (s->stage == STAGE_PREV && !s->kept)
			s->kept = copy_child(b, s->prev, s->node);
	}
	return !b->oom;
}

/* Turn down candidates in document order until no conflict is left: the
 * first one in conflict goes from its new settings to its previous ones
 * (if it runs) or to none, and everything is checked again. Each round
 * turns one down, so this ends. */
void mb_settle_conflicts(struct builder *b)
{
	bool changed = true;

	while (changed && copy_kept(b)) {
		changed = false;
		for (unsigned i = 0; i < b->n_slots && !changed; i++) {
			struct slot *s = &b->slots[i];
			if (!mb_candidate(b, i) || check_candidate(b, i))
				continue;
			changed = true;
			if (s->stage == STAGE_FRESH && s->prev)
				s->stage = STAGE_PREV;
			else
				s->stage = STAGE_NONE;
		}
	}
}

/* ---- step 4: references from the top level ------------------------------ */

void mb_check_default_route(struct builder *b)
{
	check_route_targets(b, &b->m->default_route, NULL, NULL, "");
}
