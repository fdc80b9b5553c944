/*
 * Building init's configuration model from a parsed config (see model.h
 * for the rules on errors and README.md for the format).
 *
 * The build runs in steps:
 *   1. the <config> node's attributes and the top-level nodes other than
 *      <start> and <service> (any error there rejects the whole config);
 *   2. each <start> node on its own: its name, duplicates, and everything
 *      inside it (an error rejects that node only);
 *   3. the conflicts between children (services provided twice, route
 *      targets, quota), settled in document order until none is left;
 *   4. the default route's targets and init's own <service> policies
 *      against the children that remain (errors reject the whole config).
 * It trusts nothing in the tree beyond what config.h promises.
 */
#include <stdarg.h>
#include <argil/string.h>

#include "model.h"
#include "text.h"

/* ---- memory ------------------------------------------------------------- */

struct init_chunk {
	struct init_chunk *next;
	size_t size;                /* bytes after the header */
	size_t used;
};

#define CHUNK_HDR   ((sizeof(struct init_chunk) + 15) & ~(size_t)15)
/* Smallest chunk requested from the allocator (tests make it small so
 * that every allocation point is reached). */
#ifndef INIT_CHUNK_MIN
#define INIT_CHUNK_MIN 4096
#endif

static void *m_alloc(struct init_model *m, size_t size)
{
	struct init_chunk *c = m->chunks;

	size = (size + 15) & ~(size_t)15;
	if (!size)
		size = 16;
	if (!c || c->size - c->used < size) {
		size_t body = size > INIT_CHUNK_MIN ? size : INIT_CHUNK_MIN;
		if (body > SIZE_MAX - CHUNK_HDR)
			return NULL;
		c = m->mem.alloc(m->mem.ctx, CHUNK_HDR + body);
		if (!c)
			return NULL;
		c->size = body;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	void *p = (char *)c + CHUNK_HDR + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

void init_model_free(struct init_model *m)
{
	struct init_chunk *c = m->chunks;

	while (c) {
		struct init_chunk *next = c->next;
		m->mem.free(m->mem.ctx, c, CHUNK_HDR + c->size);
		c = next;
	}
	m->chunks = NULL;
	m->children = NULL;
	m->n_children = 0;
	m->errors = NULL;
	m->n_errors = 0;
}

/* ---- the builder -------------------------------------------------------- */

enum stage {
	STAGE_FRESH,        /* the settings of the new <start> node */
	STAGE_PREV,         /* a copy of the previous settings */
	STAGE_NONE,         /* no child */
};

struct slot {
	const struct cfg_node *node;
	const char *name;               /* NULL: the node is ignored */
	struct init_child *fresh;       /* NULL: the node is rejected */
	const struct init_child *prev;  /* same-named child of the model in effect */
	struct init_child *kept;        /* copy of prev once needed */
	enum stage stage;
};

struct builder {
	struct init_model *m;
	const struct init_model *prev;
	struct init_budget budget;
	bool oom;
	struct init_error **err_tail;
	int origin;                     /* slot errors go to, -1: top level */
	struct slot *slots;
	unsigned n_slots;
	/* top-level nodes, at most one each */
	const struct cfg_node *parent_provides, *default_route, *deflt, *report, *heartbeat;
};

static void *b_alloc(struct builder *b, size_t size)
{
	void *p = m_alloc(b->m, size);
	if (!p)
		b->oom = true;
	return p;
}

/* n elements of 'size' bytes, with an overflow check */
static void *b_array(struct builder *b, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n) {
		b->oom = true;
		return NULL;
	}
	return b_alloc(b, n * size);
}

static const char *b_strndup(struct builder *b, const char *s, size_t len)
{
	char *p = b_alloc(b, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static const char *b_strdup(struct builder *b, const char *s)
{
	return s ? b_strndup(b, s, strlen(s)) : NULL;
}

/* Record an error at (line, col), attributed to b->origin. */
static void err_at(struct builder *b, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap, ap2;
	struct text t;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	text_init(&t, NULL, 0);
	text_vfmt(&t, fmt, ap);
	va_end(ap);
	char *msg = b_alloc(b, t.len + 1);
	struct init_error *e = b_alloc(b, sizeof(*e));
	if (msg && e) {
		text_init(&t, msg, t.len + 1);
		text_vfmt(&t, fmt, ap2);
		e->line = line;
		e->col = col;
		e->origin = b->origin;
		e->scope = b->origin < 0 ? INIT_ERR_CONFIG : INIT_ERR_CHILD;
		e->child = b->origin < 0 ? NULL : b->slots[b->origin].name;
		e->msg = msg;
		*b->err_tail = e;
		b->err_tail = &e->next;
		b->m->n_errors++;
	}
	va_end(ap2);
}

#define err(b, n, ...) err_at((b), (n)->line, (n)->col, __VA_ARGS__)

/* ---- node checks -------------------------------------------------------- */

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
static bool check_attrs(struct builder *b, const struct cfg_node *n, const char *const *allowed)
{
	bool ok = true;

	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		bool known = false;
		for (unsigned i = 0; allowed && allowed[i]; i++)
			if (!strcmp(a->name, allowed[i]))
				known = true;
		if (!known) {
			err(b, n, "unknown attribute '%s' in <%s>", a->name, n->type);
			ok = false;
		}
	}
	return ok;
}

/* n has neither sub-nodes nor text. */
static bool check_leaf(struct builder *b, const struct cfg_node *n)
{
	bool ok = true;

	for (const struct cfg_node *c = n->child; c; c = c->next) {
		err(b, c, "unexpected node <%s> in <%s>", c->type, n->type);
		ok = false;
	}
	if (has_text(n)) {
		err(b, n, "unexpected text in <%s>", n->type);
		ok = false;
	}
	return ok;
}

static bool check_no_text(struct builder *b, const struct cfg_node *n)
{
	if (!has_text(n))
		return true;
	err(b, n, "unexpected text in <%s>", n->type);
	return false;
}

/* A name of a child or service: not empty, no label separator in it. */
static bool valid_name(const char *s)
{
	return s[0] != '\0' && !str_contains(s, LABEL_SEP);
}

/* The value of a required name attribute, or NULL with an error. */
static const char *required_name(struct builder *b, const struct cfg_node *n)
{
	const char *v = cfg_attr(n, "name");

	if (!v) {
		err(b, n, "missing attribute 'name' in <%s>", n->type);
		return NULL;
	}
	if (!valid_name(v)) {
		err(b, n, "bad name \"%s\" in <%s>: empty or contains \" -> \"", v, n->type);
		return NULL;
	}
	return v;
}

static bool get_bool(struct builder *b, const struct cfg_node *n, const char *attr, bool def, bool *out)
{
	if (cfg_attr_bool(n, attr, def, out) >= 0)
		return true;
	err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected yes or no)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

static bool get_u64(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out)
{
	if (cfg_attr_u64(n, attr, def, out) >= 0)
		return true;
	err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected a number)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

static bool get_size(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out)
{
	if (cfg_attr_size(n, attr, def, out) >= 0)
		return true;
	err(b, n, "bad value \"%s\" of attribute '%s' in <%s> (expected a size such as 4096, 64K or 2M)",
	    cfg_attr(n, attr), attr, n->type);
	return false;
}

/* A decimal integer with an optional leading '-'. */
static bool parse_int(const char *s, long long *out)
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

/* ---- routes ------------------------------------------------------------- */

static const char *const filter_attrs[] = { "name", "label", "label_prefix", "label_suffix", "label_last", NULL };
static const char *const parent_target_attrs[] = { "label", "label_prefix", "label_last", NULL };
static const char *const child_target_attrs[] = { "name", "label", "label_prefix", "label_last", NULL };

static bool copy_filter(struct builder *b, const struct cfg_node *n, struct init_label_filter *f)
{
	f->label = b_strdup(b, cfg_attr(n, "label"));
	f->label_prefix = b_strdup(b, cfg_attr(n, "label_prefix"));
	f->label_suffix = b_strdup(b, cfg_attr(n, "label_suffix"));
	f->label_last = b_strdup(b, cfg_attr(n, "label_last"));
	return !b->oom;
}

static bool parse_target(struct builder *b, const struct cfg_node *n, struct init_target *t)
{
	bool ok = true;

	t->line = n->line;
	t->col = n->col;
	if (cfg_is(n, "parent")) {
		t->kind = INIT_TARGET_PARENT;
		ok &= check_attrs(b, n, parent_target_attrs);
	} else if (cfg_is(n, "child")) {
		t->kind = INIT_TARGET_CHILD;
		ok &= check_attrs(b, n, child_target_attrs);
		const char *name = required_name(b, n);
		if (name)
			t->child = b_strdup(b, name);
		else
			ok = false;
	} else if (cfg_is(n, "any-child")) {
		t->kind = INIT_TARGET_ANY_CHILD;
		ok &= check_attrs(b, n, parent_target_attrs);
	} else {
		err(b, n, "unknown route target <%s> (expected <parent>, <child> or <any-child>)", n->type);
		return false;
	}
	ok &= check_leaf(b, n);
	if (cfg_has_attr(n, "label") && (cfg_has_attr(n, "label_prefix") || cfg_has_attr(n, "label_last"))) {
		err(b, n, "attribute 'label' in <%s> excludes 'label_prefix' and 'label_last'", n->type);
		ok = false;
	}
	t->label = b_strdup(b, cfg_attr(n, "label"));
	t->label_prefix = b_strdup(b, cfg_attr(n, "label_prefix"));
	t->label_last = b_strdup(b, cfg_attr(n, "label_last"));
	return ok && !b->oom;
}

static bool parse_rule(struct builder *b, const struct cfg_node *n, struct init_rule *r)
{
	bool ok = true;

	r->line = n->line;
	r->col = n->col;
	if (cfg_is(n, "service")) {
		ok &= check_attrs(b, n, filter_attrs);
		const char *name = required_name(b, n);
		if (name)
			r->service = b_strdup(b, name);
		else
			ok = false;
		copy_filter(b, n, &r->match);
	} else if (cfg_is(n, "any-service")) {
		ok &= check_attrs(b, n, NULL);
	} else {
		err(b, n, "unknown node <%s> in a route (expected <service> or <any-service>)", n->type);
		return false;
	}
	ok &= check_no_text(b, n);
	r->n_targets = cfg_child_count(n, NULL);
	if (!r->n_targets) {
		err(b, n, "<%s> without a target (<parent>, <child> or <any-child>)", n->type);
		return false;
	}
	r->targets = b_array(b, r->n_targets, sizeof(*r->targets));
	if (!r->targets)
		return false;
	unsigned i = 0;
	for (const struct cfg_node *t = n->child; t; t = t->next)
		ok &= parse_target(b, t, &r->targets[i++]);
	return ok && !b->oom;
}

/* <route> or <default-route> */
static bool parse_route(struct builder *b, const struct cfg_node *n, struct init_route *route)
{
	bool ok = check_attrs(b, n, NULL) & check_no_text(b, n);

	route->n_rules = cfg_child_count(n, NULL);
	route->rules = b_array(b, route->n_rules, sizeof(*route->rules));
	if (!route->rules)
		return false;
	unsigned i = 0;
	for (const struct cfg_node *r = n->child; r; r = r->next)
		ok &= parse_rule(b, r, &route->rules[i++]);
	return ok && !b->oom;
}

/* ---- top level ---------------------------------------------------------- */

static const char *const config_attrs[] = { "version", "prio_levels", "verbose", NULL };
static const char *const default_attrs[] = { "ram", "caps", NULL };
static const char *const report_attrs[] = { "requested", "provided", "child_ram", "child_caps",
                                            "init_ram", "init_caps", "errors", "delay_ms", NULL };
static const char *const heartbeat_attrs[] = { "rate_ms", NULL };
static const char *const name_attrs[] = { "name", NULL };

static void parse_config_attrs(struct builder *b, const struct cfg_node *n)
{
	struct init_model *m = b->m;
	uint64_t levels;

	check_attrs(b, n, config_attrs);
	m->version = b_strdup(b, cfg_attr(n, "version") ? cfg_attr(n, "version") : "");
	get_bool(b, n, "verbose", false, &m->verbose);
	m->prio_levels = 1;
	if (get_u64(b, n, "prio_levels", 1, &levels)) {
		if (levels < 1 || levels > 256 || (levels & (levels - 1)))
			err(b, n, "bad value \"%s\" of attribute 'prio_levels' in <config> (expected a power of two, 1 to 256)",
			    cfg_attr(n, "prio_levels"));
		else
			m->prio_levels = (unsigned)levels;
	}
}

static void parse_parent_provides(struct builder *b, const struct cfg_node *n)
{
	struct init_model *m = b->m;

	check_attrs(b, n, NULL);
	check_no_text(b, n);
	m->parent_provides = b_array(b, cfg_child_count(n, NULL), sizeof(*m->parent_provides));
	if (!m->parent_provides)
		return;
	for (const struct cfg_node *s = n->child; s; s = s->next) {
		if (!cfg_is(s, "service")) {
			err(b, s, "unknown node <%s> in <parent-provides> (expected <service>)", s->type);
			continue;
		}
		check_attrs(b, s, name_attrs);
		check_leaf(b, s);
		const char *name = required_name(b, s);
		if (!name)
			continue;
		if (init_model_parent_provides(m, name)) {
			err(b, s, "service '%s' is listed twice in <parent-provides>", name);
			continue;
		}
		const char *copy = b_strdup(b, name);
		if (!copy)
			return;     /* out of memory: stored entries stay valid */
		m->parent_provides[m->n_parent_provides++] = copy;
	}
}

static void parse_default(struct builder *b, const struct cfg_node *n)
{
	check_attrs(b, n, default_attrs);
	check_leaf(b, n);
	get_size(b, n, "ram", 0, &b->m->default_ram);
	get_u64(b, n, "caps", 0, &b->m->default_caps);
}

static void parse_report(struct builder *b, const struct cfg_node *n)
{
	struct init_report_config *r = &b->m->report;

	check_attrs(b, n, report_attrs);
	check_leaf(b, n);
	r->enabled = true;
	get_bool(b, n, "requested", false, &r->requested);
	get_bool(b, n, "provided", false, &r->provided);
	get_bool(b, n, "child_ram", false, &r->child_ram);
	get_bool(b, n, "child_caps", false, &r->child_caps);
	get_bool(b, n, "init_ram", false, &r->init_ram);
	get_bool(b, n, "init_caps", false, &r->init_caps);
	get_bool(b, n, "errors", true, &r->errors);
	get_u64(b, n, "delay_ms", 100, &r->delay_ms);
}

static void parse_heartbeat(struct builder *b, const struct cfg_node *n)
{
	uint64_t rate;

	check_attrs(b, n, heartbeat_attrs);
	check_leaf(b, n);
	if (!cfg_has_attr(n, "rate_ms")) {
		err(b, n, "missing attribute 'rate_ms' in <heartbeat>");
		return;
	}
	if (!get_u64(b, n, "rate_ms", 0, &rate))
		return;
	if (rate == 0)
		err(b, n, "attribute 'rate_ms' in <heartbeat> must not be 0");
	else
		b->m->heartbeat_rate_ms = rate;
}

/* Step 1: find the top-level nodes and parse all but <start> and <service>. */
static void parse_top_level(struct builder *b, const struct cfg_node *root)
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
	check_no_text(b, root);
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
				err(b, n, "more than one <%s> node (the first is at line %u)", n->type, (*slot)->line);
			else
				*slot = n;
			known = true;
		}
		if (!known)
			err(b, n, "unknown node <%s> in <config>", n->type);
	}
	/* the defaults first: <start> nodes depend on them */
	if (b->deflt)
		parse_default(b, b->deflt);
	if (b->parent_provides)
		parse_parent_provides(b, b->parent_provides);
	if (b->default_route) {
		b->m->has_default_route = true;
		parse_route(b, b->default_route, &b->m->default_route);
	}
	if (b->report)
		parse_report(b, b->report);
	if (b->heartbeat)
		parse_heartbeat(b, b->heartbeat);
}

/* ---- <start> nodes ------------------------------------------------------ */

static const char *const start_attrs[] = { "name", "ram", "caps", "priority", "version", "ld", "restart", NULL };
static const char *const child_heartbeat_attrs[] = { "restart_after", NULL };

static void parse_binary(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	*ok &= check_attrs(b, n, name_attrs);
	*ok &= check_leaf(b, n);
	const char *name = cfg_attr(n, "name");
	if (!name) {
		err(b, n, "missing attribute 'name' in <binary>");
		*ok = false;
	} else if (!name[0]) {
		err(b, n, "empty binary name in <binary>");
		*ok = false;
	} else {
		c->binary = b_strdup(b, name);
	}
}

static void parse_embedded_config(struct builder *b, const struct cfg_node *n, struct init_child *c)
{
	char probe[1];
	size_t len = cfg_print(n, probe, 0);
	char *text = b_alloc(b, len + 1);

	if (!text)
		return;
	cfg_print(n, text, len + 1);
	c->config = text;
	c->config_len = len;
}

static void parse_provides(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	*ok &= check_attrs(b, n, NULL);
	*ok &= check_no_text(b, n);
	c->provides = b_array(b, cfg_child_count(n, NULL), sizeof(*c->provides));
	if (!c->provides)
		return;
	for (const struct cfg_node *s = n->child; s; s = s->next) {
		if (!cfg_is(s, "service")) {
			err(b, s, "unknown node <%s> in <provides> (expected <service>)", s->type);
			*ok = false;
			continue;
		}
		*ok &= check_attrs(b, s, name_attrs);
		*ok &= check_leaf(b, s);
		const char *name = required_name(b, s);
		if (!name) {
			*ok = false;
			continue;
		}
		if (init_child_provides(c, name)) {
			err(b, s, "service '%s' is listed twice in <provides>", name);
			*ok = false;
			continue;
		}
		const char *copy = b_strdup(b, name);
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

	*ok &= check_attrs(b, n, child_heartbeat_attrs);
	*ok &= check_leaf(b, n);
	c->heartbeat = true;
	if (!get_u64(b, n, "restart_after", 0, &after)) {
		*ok = false;
	} else if (cfg_has_attr(n, "restart_after") && (after == 0 || after > 1000000)) {
		err(b, n, "attribute 'restart_after' in <heartbeat> must be 1 to 1000000");
		*ok = false;
	} else {
		c->heartbeat_restart_after = (unsigned)after;
	}
}

static void parse_start_attrs(struct builder *b, const struct cfg_node *n, struct init_child *c, bool *ok)
{
	struct init_model *m = b->m;
	bool ld;

	*ok &= check_attrs(b, n, start_attrs);
	*ok &= check_no_text(b, n);

	if (!get_size(b, n, "ram", m->default_ram, &c->ram)) {
		*ok = false;
	} else if (!cfg_has_attr(n, "ram") && !m->default_ram) {
		err(b, n, "missing attribute 'ram' in <start> (and no <default ram=...>)");
		*ok = false;
	} else if (!c->ram) {
		err(b, n, "attribute 'ram' in <start> must not be 0");
		*ok = false;
	}
	if (!get_u64(b, n, "caps", m->default_caps, &c->caps)) {
		*ok = false;
	} else if (!cfg_has_attr(n, "caps") && !m->default_caps) {
		err(b, n, "missing attribute 'caps' in <start> (and no <default caps=...>)");
		*ok = false;
	} else if (!c->caps) {
		err(b, n, "attribute 'caps' in <start> must not be 0");
		*ok = false;
	}

	const char *prio = cfg_attr(n, "priority");
	long long p = 0;
	if (prio && (!parse_int(prio, &p) || p > 0 || p <= -(long long)m->prio_levels)) {
		err(b, n, "bad value \"%s\" of attribute 'priority' in <start> (expected 0 to -%u)",
		    prio, m->prio_levels - 1);
		*ok = false;
	} else {
		c->priority = (int)p;
	}

	const char *version = cfg_attr(n, "version");
	c->version = b_strdup(b, version ? version : "");

	if (!get_bool(b, n, "ld", false, &ld)) {
		*ok = false;
	} else if (ld) {
		err(b, n, "ld=\"yes\" in <start>: dynamically linked binaries are not supported");
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
		err(b, n, "bad value \"%s\" of attribute 'restart' in <start> (expected never, on_exit, on_fault or always)",
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
	struct init_child *c = b_alloc(b, sizeof(*c));
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
				err(b, sub, "unknown node <resource> in <start> (give quota as ram=... caps=... of <start>)");
			else
				err(b, sub, "unknown node <%s> in <start>", sub->type);
			ok = false;
			continue;
		}
		if (seen[k]) {
			err(b, sub, "more than one <%s> node in <start>", sub->type);
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
			ok &= parse_route(b, sub, &c->route);
			break;
		case 4: parse_child_heartbeat(b, sub, c, &ok); break;
		}
	}
	if (!seen[0]) {
		err(b, n, "missing <binary name=...> in <start name=\"%s\">", s->name);
		ok = false;
	}
	return ok && !b->oom ? c : NULL;
}

/* Step 2: the name of every <start> node, then each node's contents. */
static void parse_starts(struct builder *b, const struct cfg_node *root)
{
	unsigned i = 0;

	b->slots = b_array(b, b->n_slots, sizeof(*b->slots));
	if (!b->slots)
		return;
	for (const struct cfg_node *n = cfg_child(root, "start"); n; n = cfg_next(n, "start")) {
		struct slot *s = &b->slots[i];
		s->node = n;
		s->stage = STAGE_NONE;
		b->origin = (int)i++;
		const char *name = required_name(b, n);
		if (!name)
			continue;
		for (unsigned j = 0; j + 1 < i; j++) {
			if (b->slots[j].name && !strcmp(b->slots[j].name, name)) {
				err(b, n, "duplicate child name \"%s\" (first <start> at line %u)", name, b->slots[j].node->line);
				name = NULL;
				break;
			}
		}
		if (!name)
			continue;
		s->name = b_strdup(b, name);
		s->prev = b->prev ? init_model_child(b->prev, name) : NULL;
		s->fresh = parse_start(b, s);
		s->stage = s->fresh ? STAGE_FRESH : s->prev ? STAGE_PREV : STAGE_NONE;
		if (b->oom)
			return;
	}
	b->origin = -1;
}

/* ---- copying previous settings ------------------------------------------ */

static void copy_filter_from(struct builder *b, struct init_label_filter *d, const struct init_label_filter *s)
{
	d->label = b_strdup(b, s->label);
	d->label_prefix = b_strdup(b, s->label_prefix);
	d->label_suffix = b_strdup(b, s->label_suffix);
	d->label_last = b_strdup(b, s->label_last);
}

static void copy_target(struct builder *b, struct init_target *d, const struct init_target *s)
{
	*d = *s;
	d->child = b_strdup(b, s->child);
	d->label = b_strdup(b, s->label);
	d->label_prefix = b_strdup(b, s->label_prefix);
	d->label_last = b_strdup(b, s->label_last);
}

static void copy_route(struct builder *b, struct init_route *d, const struct init_route *s)
{
	d->n_rules = s->n_rules;
	d->rules = b_array(b, s->n_rules, sizeof(*d->rules));
	for (unsigned i = 0; d->rules && i < s->n_rules; i++) {
		struct init_rule *r = &d->rules[i];
		const struct init_rule *sr = &s->rules[i];
		*r = *sr;
		r->service = b_strdup(b, sr->service);
		copy_filter_from(b, &r->match, &sr->match);
		r->targets = b_array(b, sr->n_targets, sizeof(*r->targets));
		for (unsigned k = 0; r->targets && k < sr->n_targets; k++)
			copy_target(b, &r->targets[k], &sr->targets[k]);
	}
}

/* A copy of a child of the previous model, flagged as carried over. */
static struct init_child *copy_child(struct builder *b, const struct init_child *s, const struct cfg_node *n)
{
	struct init_child *c = b_alloc(b, sizeof(*c));

	if (!c)
		return NULL;
	*c = *s;
	c->name = b_strdup(b, s->name);
	c->binary = b_strdup(b, s->binary);
	c->version = b_strdup(b, s->version);
	c->config = s->config ? b_strndup(b, s->config, s->config_len) : NULL;
	c->provides = b_array(b, s->n_provides, sizeof(*c->provides));
	for (unsigned i = 0; c->provides && i < s->n_provides; i++) {
		c->provides[i] = s->provides[i];
		c->provides[i].name = b_strdup(b, s->provides[i].name);
	}
	copy_route(b, &c->route, &s->route);
	c->line = n->line;
	c->col = n->col;
	c->carried = true;
	return b->oom ? NULL : c;
}

/* ---- step 3: conflicts between children --------------------------------- */

static struct init_child *candidate(const struct builder *b, unsigned i)
{
	const struct slot *s = &b->slots[i];
	return s->stage == STAGE_FRESH ? s->fresh : s->stage == STAGE_PREV ? s->kept : NULL;
}

/* The candidate of that name; *named tells whether a <start> node has it. */
static struct init_child *candidate_named(const struct builder *b, const char *name, bool *named)
{
	*named = false;
	for (unsigned i = 0; i < b->n_slots; i++) {
		if (b->slots[i].name && !strcmp(b->slots[i].name, name)) {
			*named = true;
			return candidate(b, i);
		}
	}
	return NULL;
}

/* Checks the targets of a route: of candidate c, or the default route
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
					err_at(b, line, col, "%sroute of child '%s' targets the child itself", pfx, c->name);
					ok = false;
				} else if (!srv && named) {
					err_at(b, line, col, "%sroute target child '%s' is not started (its <start> node is rejected)",
					       pfx, t->child);
					ok = false;
				} else if (!srv) {
					err_at(b, line, col, "%sroute target child '%s' does not exist", pfx, t->child);
					ok = false;
				} else if (r->service && !init_child_provides(srv, r->service)) {
					err_at(b, line, col, "%sroute target child '%s' does not provide '%s'", pfx, t->child,
					       r->service);
					ok = false;
				}
			} else if (t->kind == INIT_TARGET_PARENT && r->service &&
			           !init_model_parent_provides(b->m, r->service)) {
				err_at(b, line, col, "%sroute target <parent> does not provide '%s' (not in <parent-provides>)",
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
	const struct init_child *c = candidate(b, i);
	const char *pfx = s->stage == STAGE_PREV ? "previous settings: " : "";
	bool ok = true;

	b->origin = (int)i;
	for (unsigned k = 0; k < c->n_provides; k++) {
		const struct init_provide *p = &c->provides[k];
		for (unsigned j = 0; j < i; j++) {
			const struct init_child *o = candidate(b, j);
			if (o && init_child_provides(o, p->name)) {
				err_at(b, *pfx ? s->node->line : p->line, *pfx ? s->node->col : p->col,
				       "%sservice '%s' is already provided by child '%s'", pfx, p->name, o->name);
				ok = false;
				break;
			}
		}
	}
	ok &= check_route_targets(b, &c->route, c, s->node, pfx);

	uint64_t ram = 0, caps = 0;
	bool ram_over = false, caps_over = false;
	for (unsigned j = 0; j < i; j++) {
		const struct init_child *o = candidate(b, j);
		if (!o)
			continue;
		ram_over |= o->ram > UINT64_MAX - ram;
		ram += ram_over ? 0 : o->ram;
		caps_over |= o->caps > UINT64_MAX - caps;
		caps += caps_over ? 0 : o->caps;
	}
	if (ram_over || ram > b->budget.ram || c->ram > b->budget.ram - ram) {
		err(b, s->node, "%sRAM quota of child '%s' (%llu bytes) exceeds what init has left (%llu of %llu bytes)",
		    pfx, c->name, (unsigned long long)c->ram,
		    (unsigned long long)(ram_over || ram > b->budget.ram ? 0 : b->budget.ram - ram),
		    (unsigned long long)b->budget.ram);
		ok = false;
	}
	if (caps_over || caps > b->budget.caps || c->caps > b->budget.caps - caps) {
		err(b, s->node, "%scap quota of child '%s' (%llu) exceeds what init has left (%llu of %llu)",
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
static void settle_conflicts(struct builder *b)
{
	bool changed = true;

	while (changed && copy_kept(b)) {
		changed = false;
		for (unsigned i = 0; i < b->n_slots && !changed; i++) {
			struct slot *s = &b->slots[i];
			if (!candidate(b, i) || check_candidate(b, i))
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

static void check_default_route(struct builder *b)
{
	check_route_targets(b, &b->m->default_route, NULL, NULL, "");
}

static const char *const policy_attrs[] = { "label", "label_prefix", "label_suffix", "label_last", NULL };
static const char *const policy_target_attrs[] = { "name", "label", NULL };

static bool parse_policy(struct builder *b, const struct cfg_node *n, const struct init_service *svc,
                         struct init_policy *p)
{
	bool ok = check_attrs(b, n, p->is_default ? NULL : policy_attrs) & check_no_text(b, n);

	p->line = n->line;
	p->col = n->col;
	copy_filter(b, n, &p->match);
	const struct cfg_node *t = n->child;
	if (!t || t->next || !cfg_is(t, "child")) {
		err(b, n, "<%s> needs exactly one target, a <child name=...>", n->type);
		return false;
	}
	ok &= check_attrs(b, t, policy_target_attrs) & check_leaf(b, t);
	const char *name = required_name(b, t);
	if (!name)
		return false;
	const struct init_child *srv = init_model_child(b->m, name);
	if (!srv) {
		err(b, t, "policy target child '%s' does not exist", name);
		return false;
	}
	if (!init_child_provides(srv, svc->name)) {
		err(b, t, "policy target child '%s' does not provide '%s'", name, svc->name);
		return false;
	}
	p->target.kind = INIT_TARGET_CHILD;
	p->target.child = b_strdup(b, name);
	p->target.label = b_strdup(b, cfg_attr(t, "label"));
	p->target.line = t->line;
	p->target.col = t->col;
	return ok;
}

static void parse_services(struct builder *b, const struct cfg_node *root)
{
	struct init_model *m = b->m;

	m->services = b_array(b, cfg_child_count(root, "service"), sizeof(*m->services));
	if (!m->services)
		return;
	for (const struct cfg_node *n = cfg_child(root, "service"); n; n = cfg_next(n, "service")) {
		check_attrs(b, n, name_attrs);
		check_no_text(b, n);
		const char *name = required_name(b, n);
		if (!name)
			continue;
		if (init_model_service(m, name)) {
			err(b, n, "init's service '%s' is declared twice", name);
			continue;
		}
		struct init_service *svc = &m->services[m->n_services];
		svc->name = b_strdup(b, name);
		if (!svc->name)
			return;
		svc->line = n->line;
		svc->col = n->col;
		svc->policies = b_array(b, cfg_child_count(n, NULL), sizeof(*svc->policies));
		if (!svc->policies)
			return;
		const struct cfg_node *deflt = NULL;
		for (const struct cfg_node *p = n->child; p; p = p->next) {
			if (cfg_is(p, "default-policy")) {
				if (deflt)
					err(b, p, "more than one <default-policy> in <service name=\"%s\">", name);
				deflt = p;
			} else if (cfg_is(p, "policy")) {
				struct init_policy *pol = &svc->policies[svc->n_policies];
				if (parse_policy(b, p, svc, pol))
					svc->n_policies++;
			} else {
				err(b, p, "unknown node <%s> in <service> (expected <policy> or <default-policy>)", p->type);
			}
		}
		if (deflt) {
			struct init_policy *pol = &svc->policies[svc->n_policies];
			pol->is_default = true;
			if (parse_policy(b, deflt, svc, pol))
				svc->n_policies++;
		}
		if (!svc->n_policies && !deflt)
			err(b, n, "<service name=\"%s\"> without a <policy> or <default-policy>", name);
		m->n_services++;
	}
}

/* ---- the build ---------------------------------------------------------- */

static void collect_children(struct builder *b)
{
	struct init_model *m = b->m;

	m->children = b_array(b, b->n_slots, sizeof(*m->children));
	if (!m->children)
		return;
	for (unsigned i = 0; i < b->n_slots; i++) {
		struct init_child *c = candidate(b, i);
		if (!c)
			continue;
		c->index = m->n_children;
		m->children[m->n_children++] = c;
		m->ram_assigned += c->ram;      /* fits the budget: checked above */
		m->caps_assigned += c->caps;
	}
}

static void assign_outcomes(struct builder *b)
{
	struct init_model *m = b->m;

	for (struct init_error *e = m->errors; e; e = e->next)
		if (e->scope == INIT_ERR_CONFIG)
			m->rejected = true;
	for (struct init_error *e = m->errors; e; e = e->next) {
		const struct slot *s = e->origin >= 0 ? &b->slots[e->origin] : NULL;
		if (m->rejected || !s)
			e->outcome = INIT_OUTCOME_CONFIG_IGNORED;
		else if (!s->name)
			e->outcome = INIT_OUTCOME_NODE_IGNORED;
		else if (s->stage == STAGE_PREV)
			e->outcome = INIT_OUTCOME_KEPT;
		else if (s->stage == STAGE_NONE && s->prev)
			e->outcome = INIT_OUTCOME_STOPPED;
		else if (s->stage == STAGE_NONE)
			e->outcome = INIT_OUTCOME_NOT_STARTED;
		else
			e->outcome = INIT_OUTCOME_NODE_IGNORED;   /* a duplicate of a valid child */
	}
}

static void begin(struct init_model *m, const struct init_mem *mem)
{
	memset(m, 0, sizeof(*m));
	m->mem = *mem;
	m->version = "";
	m->prio_levels = 1;
}

static enum init_status finish_oom(struct init_model *m)
{
	struct init_mem mem = m->mem;

	init_model_free(m);
	memset(m, 0, sizeof(*m));
	m->mem = mem;
	m->version = "";
	return INIT_NO_MEMORY;
}

enum init_status init_model_build(struct init_model *m, const struct cfg_node *config,
                                  const struct init_model *prev, struct init_budget budget,
                                  const struct init_mem *mem)
{
	struct builder b = { .m = m, .prev = prev, .budget = budget, .origin = -1 };

	begin(m, mem);
	b.err_tail = &m->errors;
	if (!config) {
		err_at(&b, 1, 1, "empty config");
	} else if (!cfg_is(config, "config")) {
		err(&b, config, "the top-level node is <%s>, not <config>", config->type);
	} else {
		/* each step relies on the previous one having all its memory */
		parse_top_level(&b, config);
		if (!b.oom)
			parse_starts(&b, config);
		if (!b.oom)
			settle_conflicts(&b);
		if (!b.oom)
			collect_children(&b);
		if (!b.oom)
			check_default_route(&b);
		if (!b.oom)
			parse_services(&b, config);
	}
	if (b.oom)
		return finish_oom(m);
	assign_outcomes(&b);
	return INIT_OK;
}

enum init_status init_model_build_text(struct init_model *m, const char *text, size_t len,
                                       const struct init_model *prev, struct init_budget budget,
                                       const struct init_mem *mem)
{
	size_t arena_size = cfg_arena_size(len);
	void *arena = mem->alloc(mem->ctx, arena_size);
	struct cfg_error perr = { 0, 0, NULL };
	enum init_status st;

	if (!arena) {
		begin(m, mem);
		return INIT_NO_MEMORY;
	}
	const struct cfg_node *root = cfg_parse(text, len, arena, arena_size, &perr);
	if (root) {
		st = init_model_build(m, root, prev, budget, mem);
	} else {
		struct builder b = { .m = m, .origin = -1 };
		begin(m, mem);
		b.err_tail = &m->errors;
		err_at(&b, perr.line, perr.col, "syntax error: %s", perr.msg ? perr.msg : "unknown");
		assign_outcomes(&b);
		st = b.oom ? finish_oom(m) : INIT_OK;
	}
	mem->free(mem->ctx, arena, arena_size);
	return st;
}

/* ---- queries ------------------------------------------------------------ */

struct init_child *init_model_child(const struct init_model *m, const char *name)
{
	for (unsigned i = 0; i < m->n_children; i++)
		if (!strcmp(m->children[i]->name, name))
			return m->children[i];
	return NULL;
}

bool init_child_provides(const struct init_child *c, const char *service)
{
	for (unsigned i = 0; i < c->n_provides; i++)
		if (!strcmp(c->provides[i].name, service))
			return true;
	return false;
}

struct init_child *init_model_provider(const struct init_model *m, const char *service)
{
	for (unsigned i = 0; i < m->n_children; i++)
		if (init_child_provides(m->children[i], service))
			return m->children[i];
	return NULL;
}

bool init_model_parent_provides(const struct init_model *m, const char *service)
{
	for (unsigned i = 0; i < m->n_parent_provides; i++)
		if (!strcmp(m->parent_provides[i], service))
			return true;
	return false;
}

const struct init_service *init_model_service(const struct init_model *m, const char *name)
{
	for (unsigned i = 0; i < m->n_services; i++)
		if (!strcmp(m->services[i].name, name))
			return &m->services[i];
	return NULL;
}

static bool filter_equal(const struct init_label_filter *a, const struct init_label_filter *b)
{
	return str_eq(a->label, b->label) && str_eq(a->label_prefix, b->label_prefix) &&
	       str_eq(a->label_suffix, b->label_suffix) && str_eq(a->label_last, b->label_last);
}

static bool target_equal(const struct init_target *a, const struct init_target *b)
{
	return a->kind == b->kind && str_eq(a->child, b->child) && str_eq(a->label, b->label) &&
	       str_eq(a->label_prefix, b->label_prefix) && str_eq(a->label_last, b->label_last);
}

bool init_route_equal(const struct init_route *a, const struct init_route *b)
{
	if (a->n_rules != b->n_rules)
		return false;
	for (unsigned i = 0; i < a->n_rules; i++) {
		const struct init_rule *ra = &a->rules[i], *rb = &b->rules[i];
		if (!str_eq(ra->service, rb->service) || !filter_equal(&ra->match, &rb->match) ||
		    ra->n_targets != rb->n_targets)
			return false;
		for (unsigned k = 0; k < ra->n_targets; k++)
			if (!target_equal(&ra->targets[k], &rb->targets[k]))
				return false;
	}
	return true;
}

const char *init_outcome_text(enum init_outcome o)
{
	switch (o) {
	case INIT_OUTCOME_CONFIG_IGNORED: return "the new config is ignored";
	case INIT_OUTCOME_NOT_STARTED: return "the child is not started";
	case INIT_OUTCOME_KEPT: return "the child keeps its previous settings";
	case INIT_OUTCOME_STOPPED: return "the child is stopped";
	case INIT_OUTCOME_NODE_IGNORED: return "the <start> node is ignored";
	}
	return "?";
}

size_t init_error_format(const struct init_error *e, char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	text_fmt(&t, "line %u, col %u: %s (%s)", e->line, e->col, e->msg, init_outcome_text(e->outcome));
	return t.len;
}

unsigned init_child_priority(const struct init_model *m, const struct init_child *c, unsigned base)
{
	unsigned step = (base + 1) / m->prio_levels;
	unsigned down = (unsigned)(-c->priority) * step;

	return down > base ? 0 : base - down;
}
