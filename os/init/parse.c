/*
 * Model build, steps 1 and 4: routes, the top-level nodes other than
 * <start>, and init's own <service> policies. Errors at the top level
 * reject the whole config; errors in a <start> node's route (parsed here
 * for start.c) are attributed to that child.
 */
#include <argil/string.h>

#include "build.h"

/* ---- routes ------------------------------------------------------------- */

static const char *const filter_attrs[] = { "name", "label", "label_prefix", "label_suffix", "label_last", NULL };
static const char *const parent_target_attrs[] = { "label", "label_prefix", "label_last", NULL };
static const char *const child_target_attrs[] = { "name", "label", "label_prefix", "label_last", NULL };

bool mb_copy_filter(struct builder *b, const struct cfg_node *n, struct init_label_filter *f)
{
	f->label = mb_strdup(b, cfg_attr(n, "label"));
	f->label_prefix = mb_strdup(b, cfg_attr(n, "label_prefix"));
	f->label_suffix = mb_strdup(b, cfg_attr(n, "label_suffix"));
	f->label_last = mb_strdup(b, cfg_attr(n, "label_last"));
	return !b->oom;
}

static bool parse_target(struct builder *b, const struct cfg_node *n, struct init_target *t)
{
	bool ok = true;

	t->line = n->line;
	t->col = n->col;
	if (cfg_is(n, "parent")) {
		t->kind = INIT_TARGET_PARENT;
		ok &= mb_check_attrs(b, n, parent_target_attrs);
	} else if (cfg_is(n, "child")) {
		t->kind = INIT_TARGET_CHILD;
		ok &= mb_check_attrs(b, n, child_target_attrs);
		const char *name = mb_required_name(b, n);
		if (name)
			t->child = mb_strdup(b, name);
		else
			ok = false;
	} else if (cfg_is(n, "any-child")) {
		t->kind = INIT_TARGET_ANY_CHILD;
		ok &= mb_check_attrs(b, n, parent_target_attrs);
	} else {
		mb_err(b, n, "unknown route target <%s> (expected <parent>, <child> or <any-child>)", n->type);
		return false;
	}
	ok &= mb_check_leaf(b, n);
	if (cfg_has_attr(n, "label") && (cfg_has_attr(n, "label_prefix") || cfg_has_attr(n, "label_last"))) {
		mb_err(b, n, "attribute 'label' in <%s> excludes 'label_prefix' and 'label_last'", n->type);
		ok = false;
	}
	t->label = mb_strdup(b, cfg_attr(n, "label"));
	t->label_prefix = mb_strdup(b, cfg_attr(n, "label_prefix"));
	t->label_last = mb_strdup(b, cfg_attr(n, "label_last"));
	return ok && !b->oom;
}

static bool parse_rule(struct builder *b, const struct cfg_node *n, struct init_rule *r)
{
	bool ok = true;

	r->line = n->line;
	r->col = n->col;
	if (cfg_is(n, "service")) {
		ok &= mb_check_attrs(b, n, filter_attrs);
		const char *name = mb_required_name(b, n);
		if (name)
			r->service = mb_strdup(b, name);
		else
			ok = false;
		mb_copy_filter(b, n, &r->match);
	} else if (cfg_is(n, "any-service")) {
		ok &= mb_check_attrs(b, n, NULL);
	} else {
		mb_err(b, n, "unknown node <%s> in a route (expected <service> or <any-service>)", n->type);
		return false;
	}
	ok &= mb_check_no_text(b, n);
	r->n_targets = cfg_child_count(n, NULL);
	if (!r->n_targets) {
		mb_err(b, n, "<%s> without a target (<parent>, <child> or <any-child>)", n->type);
		return false;
	}
	r->targets = mb_array(b, r->n_targets, sizeof(*r->targets));
	if (!r->targets)
		return false;
	unsigned i = 0;
	for (const struct cfg_node *t = n->child; t; t = t->next)
		ok &= parse_target(b, t, &r->targets[i++]);
	return ok && !b->oom;
}

/* <route> or <default-route> */
bool mb_parse_route(struct builder *b, const struct cfg_node *n, struct init_route *route)
{
	bool ok = mb_check_attrs(b, n, NULL) & mb_check_no_text(b, n);

	route->n_rules = cfg_child_count(n, NULL);
	route->rules = mb_array(b, route->n_rules, sizeof(*route->rules));
	if (!route->rules)
		return false;
	unsigned i = 0;
	for (const struct cfg_node *r = n->child; r; r = r->next)
		ok &= parse_rule(b, r, &route->rules[i++]);
	return ok && !b->oom;
}

/* ---- top level ---------------------------------------------------------- */

static const char *const config_attrs[] = { "version", "prio_levels", "verbose", "reserve_ram", "bench", NULL };
static const char *const default_attrs[] = { "ram", "caps", NULL };
static const char *const report_attrs[] = { "requested", "provided", "child_ram", "child_caps",
                                            "init_ram", "init_caps", "errors", "delay_ms", "log", NULL };
static const char *const heartbeat_attrs[] = { "rate_ms", NULL };

static void parse_config_attrs(struct builder *b, const struct cfg_node *n)
{
	struct init_model *m = b->m;
	uint64_t levels;

	mb_check_attrs(b, n, config_attrs);
	m->version = mb_strdup(b, cfg_attr(n, "version") ? cfg_attr(n, "version") : "");
	mb_get_bool(b, n, "verbose", false, &m->verbose);
	mb_get_bool(b, n, "bench", false, &m->bench);
	if (mb_get_size(b, n, "reserve_ram", 0, &m->reserve_ram) && cfg_has_attr(n, "reserve_ram") &&
	    m->reserve_ram < INIT_RESERVE_RAM_MIN) {
		mb_err(b, n, "bad value \"%s\" of attribute 'reserve_ram' in <config> (expected at least 64K)",
		    cfg_attr(n, "reserve_ram"));
		m->reserve_ram = 0;
	}
	m->prio_levels = 1;
	if (mb_get_u64(b, n, "prio_levels", 1, &levels)) {
		if (levels < 1 || levels > 256 || (levels & (levels - 1)))
			mb_err(b, n, "bad value \"%s\" of attribute 'prio_levels' in <config> (expected a power of two, 1 to 256)",
			    cfg_attr(n, "prio_levels"));
		else
			m->prio_levels = (unsigned)levels;
	}
}

static void parse_parent_provides(struct builder *b, const struct cfg_node *n)
{
	struct init_model *m = b->m;

	mb_check_attrs(b, n, NULL);
	mb_check_no_text(b, n);
	m->parent_provides = mb_array(b, cfg_child_count(n, NULL), sizeof(*m->parent_provides));
	if (!m->parent_provides)
		return;
	for (const struct cfg_node *s = n->child; s; s = s->next) {
		if (!cfg_is(s, "service")) {
			mb_err(b, s, "unknown node <%s> in <parent-provides> (expected <service>)", s->type);
			continue;
		}
		mb_check_attrs(b, s, mb_name_attrs);
		mb_check_leaf(b, s);
		const char *name = mb_required_name(b, s);
		if (!name)
			continue;
		if (init_model_parent_provides(m, name)) {
			mb_err(b, s, "service '%s' is listed twice in <parent-provides>", name);
			continue;
		}
		const char *copy = mb_strdup(b, name);
		if (!copy)
			return;     /* out of memory: stored entries stay valid */
		m->parent_provides[m->n_parent_provides++] = copy;
	}
}

static void parse_default(struct builder *b, const struct cfg_node *n)
{
	mb_check_attrs(b, n, default_attrs);
	mb_check_leaf(b, n);
	mb_get_size(b, n, "ram", 0, &b->m->default_ram);
	mb_get_u64(b, n, "caps", 0, &b->m->default_caps);
}

static void parse_report(struct builder *b, const struct cfg_node *n)
{
	struct init_report_config *r = &b->m->report;

	mb_check_attrs(b, n, report_attrs);
	mb_check_leaf(b, n);
	r->enabled = true;
	mb_get_bool(b, n, "requested", false, &r->requested);
	mb_get_bool(b, n, "provided", false, &r->provided);
	mb_get_bool(b, n, "child_ram", false, &r->child_ram);
	mb_get_bool(b, n, "child_caps", false, &r->child_caps);
	mb_get_bool(b, n, "init_ram", false, &r->init_ram);
	mb_get_bool(b, n, "init_caps", false, &r->init_caps);
	mb_get_bool(b, n, "errors", true, &r->errors);
	mb_get_u64(b, n, "delay_ms", 100, &r->delay_ms);
	mb_get_bool(b, n, "log", false, &r->log);
}

static void parse_heartbeat(struct builder *b, const struct cfg_node *n)
{
	uint64_t rate;

	mb_check_attrs(b, n, heartbeat_attrs);
	mb_check_leaf(b, n);
	if (!cfg_has_attr(n, "rate_ms")) {
		mb_err(b, n, "missing attribute 'rate_ms' in <heartbeat>");
		return;
	}
	if (!mb_get_u64(b, n, "rate_ms", 0, &rate))
		return;
	if (rate == 0)
		mb_err(b, n, "attribute 'rate_ms' in <heartbeat> must not be 0");
	else
		b->m->heartbeat_rate_ms = rate;
}

/* Step 1: find the top-level nodes and parse all but <start> and <service>. */
void mb_parse_top_level(struct builder *b, const struct cfg_node *root)
{
	static const struct {
		const char *type;
		size_t offset;
	} singles[] = {
		{ "parent-provides", offsetof(struct builder, parent_provides) },
		{ "default-route", offsetof(struct builder, default_route) },
		{ "default", offsetof(struct builder, deflt) },
		{ "report", offsetof(struct builder, report) },
		{ "heartbeat", offsetof(struct builder, heartbeat) },
	};

	parse_config_attrs(b, root);
	mb_check_no_text(b, root);
	for (const struct cfg_node *n = root->child; n; n = n->next) {
		if (cfg_is(n, "start") || cfg_is(n, "service")) {
			if (cfg_is(n, "start"))
				b->n_slots++;
			continue;
		}
		bool known = false;
		for (unsigned i = 0; i < sizeof(singles) / sizeof(singles[0]); i++) {
			if (!cfg_is(n, singles[i].type))
				continue;
			const struct cfg_node **slot = (const struct cfg_node **)((char *)b + singles[i].offset);
			if (*slot)
				mb_err(b, n, "more than one <%s> node (the first is at line %u)", n->type, (*slot)->line);
			else
				*slot = n;
			known = true;
		}
		if (!known)
			mb_err(b, n, "unknown node <%s> in <config>", n->type);
	}
	/* the defaults first: <start> nodes depend on them */
	if (b->deflt)
		parse_default(b, b->deflt);
	if (b->parent_provides)
		parse_parent_provides(b, b->parent_provides);
	if (b->default_route) {
		b->m->has_default_route = true;
		mb_parse_route(b, b->default_route, &b->m->default_route);
	}
	if (b->report)
		parse_report(b, b->report);
	if (b->heartbeat)
		parse_heartbeat(b, b->heartbeat);
}

/* ---- step 4: init's own services ---------------------------------------- */

static const char *const policy_attrs[] = { "label", "label_prefix", "label_suffix", "label_last", NULL };
static const char *const policy_target_attrs[] = { "name", "label", NULL };

static bool parse_policy(struct builder *b, const struct cfg_node *n, const struct init_service *svc,
                         struct init_policy *p)
{
	bool ok = mb_check_attrs(b, n, p->is_default ? NULL : policy_attrs) & mb_check_no_text(b, n);

	p->line = n->line;
	p->col = n->col;
	mb_copy_filter(b, n, &p->match);
	const struct cfg_node *t = n->child;
	if (!t || t->next || !cfg_is(t, "child")) {
		mb_err(b, n, "<%s> needs exactly one target, a <child name=...>", n->type);
		return false;
	}
	ok &= mb_check_attrs(b, t, policy_target_attrs) & mb_check_leaf(b, t);
	const char *name = mb_required_name(b, t);
	if (!name)
		return false;
	const struct init_child *srv = init_model_child(b->m, name);
	if (!srv) {
		mb_err(b, t, "policy target child '%s' does not exist", name);
		return false;
	}
	if (!init_child_provides(srv, svc->name)) {
		mb_err(b, t, "policy target child '%s' does not provide '%s'", name, svc->name);
		return false;
	}
	p->target.kind = INIT_TARGET_CHILD;
	p->target.child = mb_strdup(b, name);
	p->target.label = mb_strdup(b, cfg_attr(t, "label"));
	p->target.line = t->line;
	p->target.col = t->col;
	return ok;
}

void mb_parse_services(struct builder *b, const struct cfg_node *root)
{
	struct init_model *m = b->m;

	m->services = mb_array(b, cfg_child_count(root, "service"), sizeof(*m->services));
	if (!m->services)
		return;
	for (const struct cfg_node *n = cfg_child(root, "service"); n; n = cfg_next(n, "service")) {
		mb_check_attrs(b, n, mb_name_attrs);
		mb_check_no_text(b, n);
		const char *name = mb_required_name(b, n);
		if (!name)
			continue;
		if (init_model_service(m, name)) {
			mb_err(b, n, "init's service '%s' is declared twice", name);
			continue;
		}
		struct init_service *svc = &m->services[m->n_services];
		svc->name = mb_strdup(b, name);
		if (!svc->name)
			return;
		svc->line = n->line;
		svc->col = n->col;
		svc->policies = mb_array(b, cfg_child_count(n, NULL), sizeof(*svc->policies));
		if (!svc->policies)
			return;
		const struct cfg_node *deflt = NULL;
		for (const struct cfg_node *p = n->child; p; p = p->next) {
			if (cfg_is(p, "default-policy")) {
				if (deflt)
					mb_err(b, p, "more than one <default-policy> in <service name=\"%s\">", name);
				deflt = p;
			} else if (cfg_is(p, "policy")) {
				struct init_policy *pol = &svc->policies[svc->n_policies];
				if (parse_policy(b, p, svc, pol))
					svc->n_policies++;
			} else {
				mb_err(b, p, "unknown node <%s> in <service> (expected <policy> or <default-policy>)", p->type);
			}
		}
		if (deflt) {
			struct init_policy *pol = &svc->policies[svc->n_policies];
			pol->is_default = true;
			if (parse_policy(b, deflt, svc, pol))
				svc->n_policies++;
		}
		if (!svc->n_policies && !deflt)
			mb_err(b, n, "<service name=\"%s\"> without a <policy> or <default-policy>", name);
		m->n_services++;
	}
}
