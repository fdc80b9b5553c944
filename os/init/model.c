/*
 * init's configuration model: its memory, the build, and queries (see
 * model.h for the rules on errors and README.md for the format).
 *
 * The build runs in steps, one file each:
 *   1. parse.c: the <config> node's attributes and the top-level nodes other
 *      than <start> and <service> (any error there rejects the whole config);
 *   2. start.c: each <start> node on its own: its name, duplicates, and
 *      everything inside it (an error rejects that node only);
 *   3. settle.c: the conflicts between children (services provided twice,
 *      route targets, quota), settled in document order until none is left;
 *   4. settle.c, parse.c: the default route's targets and init's own
 *      <service> policies against the children that remain (errors reject
 *      the whole config).
 * check.c holds the node checks the steps share. Nothing trusts the tree
 * beyond what config.h promises.
 */
#include <stdarg.h>
#include <argil/string.h>

#include "build.h"
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

/* ---- builder helpers ---------------------------------------------------- */

void *mb_alloc(struct builder *b, size_t size)
{
	void *p = m_alloc(b->m, size);
	if (!p)
		b->oom = true;
	return p;
}

/* n elements of 'size' bytes, with an overflow check */
void *mb_array(struct builder *b, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n) {
		b->oom = true;
		return NULL;
	}
	return mb_alloc(b, n * size);
}

const char *mb_strndup(struct builder *b, const char *s, size_t len)
{
	char *p = mb_alloc(b, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

const char *mb_strdup(struct builder *b, const char *s)
{
	return s ? mb_strndup(b, s, strlen(s)) : NULL;
}

/* Record an error at (line, col), attributed to b->origin. */
void mb_err_at(struct builder *b, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap, ap2;
	struct text t;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	text_init(&t, NULL, 0);
	text_vfmt(&t, fmt, ap);
	va_end(ap);
	char *msg = mb_alloc(b, t.len + 1);
	struct init_error *e = mb_alloc(b, sizeof(*e));
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

/* ---- the build ---------------------------------------------------------- */

static void collect_children(struct builder *b)
{
	struct init_model *m = b->m;

	m->children = mb_array(b, b->n_slots, sizeof(*m->children));
	if (!m->children)
		return;
	for (unsigned i = 0; i < b->n_slots; i++) {
		struct init_child *c = mb_candidate(b, i);
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
		mb_err_at(&b, 1, 1, "empty config");
	} else if (!cfg_is(config, "config")) {
		mb_err(&b, config, "the top-level node is <%s>, not <config>", config->type);
	} else {
		/* each step relies on the previous one having all its memory */
		mb_parse_top_level(&b, config);
		if (!b.oom)
			mb_parse_starts(&b, config);
		if (!b.oom)
			mb_settle_conflicts(&b);
		if (!b.oom)
			collect_children(&b);
		if (!b.oom)
			mb_check_default_route(&b);
		if (!b.oom)
			mb_parse_services(&b, config);
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
		mb_err_at(&b, perr.line, perr.col, "syntax error: %s", perr.msg ? perr.msg : "unknown");
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

size_t init_error_format(const struct init_error *e, const char *origin, char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	text_fmt(&t, "config '%s' line %u col %u: %s (%s)", origin, e->line, e->col, e->msg,
	         init_outcome_text(e->outcome));
	return t.len;
}

unsigned init_child_priority(const struct init_model *m, const struct init_child *c, unsigned top,
			     unsigned floor, unsigned *child_floor)
{
	unsigned size = floor <= top ? top - floor + 1 : 1;
	unsigned step = size / m->prio_levels ? size / m->prio_levels : 1;
	unsigned down = (unsigned)(-c->priority) * step, ctop;

	if (floor > top)
		floor = top;
	ctop = down > top - floor ? floor : top - down;
	if (child_floor)
		*child_floor = ctop - floor + 1 > step ? ctop - step + 1 : floor;
	return ctop;
}
