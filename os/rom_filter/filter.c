/*
 * rom_filter's engine (see filter.h). Templates (<node>, <if>, <then>,
 * <else>) nest at most RF_TEMPLATE_DEPTH deep (rf_check), which bounds the
 * recursion here on the main stack; an <inline> tree is copied with a small
 * frame per level, at most CFG_MAX_DEPTH.
 */
#include <argil/string.h>
#include "filter.h"

#define RF_TEMPLATE_DEPTH 64

static bool fail(struct cfg_error *err, const struct cfg_node *n, const char *msg)
{
	err->line = n->line;
	err->col = n->col;
	err->msg = msg;
	return false;
}

/* Whether n has the attribute and it is not empty. */
static bool nonempty(const struct cfg_node *n, const char *attr)
{
	const char *v = cfg_attr(n, attr);
	return v && *v;
}

static const struct cfg_node *find_input(const struct cfg_node *config, const char *name)
{
	for (const struct cfg_node *i = cfg_child(config, "input"); i; i = cfg_next(i, "input"))
		if (cfg_attr_is(i, "name", name))
			return i;
	return NULL;
}

static bool check_input(const struct cfg_node *config, const struct cfg_node *in, struct cfg_error *err)
{
	if (!nonempty(in, "name"))
		return fail(err, in, "input needs a name");
	if (find_input(config, cfg_attr(in, "name")) != in)
		return fail(err, in, "input name used twice");
	if (!nonempty(in, "rom"))
		return fail(err, in, "input needs a rom");
	if (!nonempty(in, "node"))
		return fail(err, in, "input needs a node type");
	/* a chain of <node> with at most one <attribute> at its end */
	const struct cfg_node *level = in;
	for (;;) {
		const struct cfg_node *c = level->child;
		if (!c) {
			if (level->text)
				return fail(err, level, "input path holds text");
			return true;
		}
		if (c->next)
			return fail(err, c->next, "input path branches");
		if (cfg_is(c, "attribute")) {
			if (!nonempty(c, "name"))
				return fail(err, c, "attribute needs a name");
			if (c->child || c->text)
				return fail(err, c, "attribute has content");
			return true;
		}
		if (!cfg_is(c, "node"))
			return fail(err, c, "unknown node in input path");
		if (!nonempty(c, "type"))
			return fail(err, c, "node needs a type");
		level = c;
	}
}

static bool check_content(const struct cfg_node *config, const struct cfg_node *parent, struct cfg_error *err,
			  unsigned depth);

static bool check_input_ref(const struct cfg_node *config, const struct cfg_node *n, struct cfg_error *err)
{
	const char *in = cfg_attr(n, "input");
	if (!in)
		return fail(err, n, "input attribute missing");
	if (!find_input(config, in))
		return fail(err, n, "undeclared input");
	return true;
}

static bool check_if(const struct cfg_node *config, const struct cfg_node *n, struct cfg_error *err,
		     unsigned depth)
{
	unsigned thens = 0, elses = 0;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (cfg_is(c, "has_value")) {
			if (!check_input_ref(config, c, err))
				return false;
			if (!cfg_has_attr(c, "value"))
				return fail(err, c, "has_value needs a value");
		} else if (cfg_is(c, "has_input")) {
			if (!check_input_ref(config, c, err))
				return false;
		} else if (cfg_is(c, "then") || cfg_is(c, "else")) {
			unsigned *count = cfg_is(c, "then") ? &thens : &elses;
			if (++*count > 1)
				return fail(err, c, "then or else given twice");
			if (!check_content(config, c, err, depth + 1))
				return false;
		} else {
			return fail(err, c, "unknown node in if");
		}
	}
	if (n->text)
		return fail(err, n, "if holds text");
	return true;
}

static bool check_content(const struct cfg_node *config, const struct cfg_node *parent, struct cfg_error *err,
			  unsigned depth)
{
	if (depth > RF_TEMPLATE_DEPTH)
		return fail(err, parent, "template nested too deep");
	if (parent->text)
		return fail(err, parent, "text in a template node");
	for (const struct cfg_node *c = parent->child; c; c = c->next) {
		if (cfg_is(c, "attribute")) {
			if (!nonempty(c, "name"))
				return fail(err, c, "attribute needs a name");
			bool v = cfg_has_attr(c, "value"), i = cfg_has_attr(c, "input");
			if (v == i)
				return fail(err, c, "attribute needs either value or input");
			if (i && !check_input_ref(config, c, err))
				return false;
		} else if (cfg_is(c, "node")) {
			if (!nonempty(c, "type"))
				return fail(err, c, "node needs a type");
			if (!check_content(config, c, err, depth + 1))
				return false;
		} else if (cfg_is(c, "inline")) {
			if (c->text)
				return fail(err, c, "inline holds text, not nodes");
		} else if (cfg_is(c, "if")) {
			if (!check_if(config, c, err, depth + 1))
				return false;
		} else {
			return fail(err, c, "unknown template node");
		}
	}
	return true;
}

bool rf_check(const struct cfg_node *config, struct cfg_error *err)
{
	const struct cfg_node *out = NULL;
	if (config->text)
		return fail(err, config, "config holds text");
	for (const struct cfg_node *c = config->child; c; c = c->next) {
		if (cfg_is(c, "input")) {
			if (!check_input(config, c, err))
				return false;
		} else if (cfg_is(c, "output")) {
			if (out)
				return fail(err, c, "second output");
			out = c;
			if (!nonempty(c, "node"))
				return fail(err, c, "output needs a node type");
			if (!check_content(config, c, err, 1))
				return false;
		} else {
			return fail(err, c, "unknown node in config");
		}
	}
	if (!out)
		return fail(err, config, "no output");
	return true;
}

/* ---- evaluation ---- */

struct eval {
	const struct cfg_node *config;
	rf_rom_fn rom;
	void *ctx;
	struct cfg_writer *w;
};

/* Resolve an input: *defined tells whether its path exists; the result is
 * the attribute value or NULL. */
static const char *input_value(struct eval *e, const char *name, bool *defined)
{
	*defined = false;
	const struct cfg_node *in = find_input(e->config, name);
	if (!in)
		return NULL;
	const struct cfg_node *at = e->rom(e->ctx, cfg_attr(in, "rom"));
	if (!at || strcmp(at->type, cfg_attr(in, "node")) != 0)
		return NULL;
	for (const struct cfg_node *step = in->child; step; step = step->child) {
		if (cfg_is(step, "attribute")) {
			const char *v = cfg_attr(at, cfg_attr(step, "name"));
			*defined = v != NULL;
			return v;
		}
		const char *want = cfg_attr(step, "name");
		const struct cfg_node *c = cfg_child(at, cfg_attr(step, "type"));
		while (c && want && !cfg_attr_is(c, "name", want))
			c = cfg_next(c, cfg_attr(step, "type"));
		if (!c)
			return NULL;
		at = c;
	}
	*defined = true;
	return NULL;
}

static bool conditions_hold(struct eval *e, const struct cfg_node *n)
{
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		bool defined;
		const char *v;
		if (cfg_is(c, "has_value")) {
			v = input_value(e, cfg_attr(c, "input"), &defined);
			if (!v || strcmp(v, cfg_attr(c, "value")) != 0)
				return false;
		} else if (cfg_is(c, "has_input")) {
			input_value(e, cfg_attr(c, "input"), &defined);
			if (!defined)
				return false;
		}
	}
	return true;
}

/* The writer wants a node's attributes before its sub-nodes: content is
 * walked twice, once for attributes and once for nodes. */
static void emit_content(struct eval *e, const struct cfg_node *parent, bool attrs)
{
	for (const struct cfg_node *c = parent->child; c; c = c->next) {
		if (cfg_is(c, "attribute")) {
			if (!attrs)
				continue;
			const char *v = cfg_attr(c, "value");
			bool defined = true;
			if (!v)
				v = input_value(e, cfg_attr(c, "input"), &defined);
			if (v)
				cfg_node_attr(e->w, cfg_attr(c, "name"), v);
		} else if (cfg_is(c, "if")) {
			const struct cfg_node *branch = cfg_child(c, conditions_hold(e, c) ? "then" : "else");
			if (branch)
				emit_content(e, branch, attrs);
		} else if (attrs) {
			continue;
		} else if (cfg_is(c, "node")) {
			cfg_node_begin(e->w, cfg_attr(c, "type"));
			emit_content(e, c, true);
			emit_content(e, c, false);
			cfg_node_end(e->w);
		} else if (cfg_is(c, "inline")) {
			for (const struct cfg_node *i = c->child; i; i = i->next)
				cfg_node_copy(e->w, i);
		}
	}
}

bool rf_eval(const struct cfg_node *config, rf_rom_fn rom, void *ctx, struct cfg_writer *w)
{
	struct eval e = { config, rom, ctx, w };
	const struct cfg_node *out = cfg_child(config, "output");
	cfg_node_begin(w, cfg_attr(out, "node"));
	emit_content(&e, out, true);
	emit_content(&e, out, false);
	cfg_node_end(w);
	return cfg_writer_ok(w);
}

void rf_for_each_rom(const struct cfg_node *config, void (*fn)(void *ctx, const char *rom), void *ctx)
{
	for (const struct cfg_node *i = cfg_child(config, "input"); i; i = cfg_next(i, "input"))
		fn(ctx, cfg_attr(i, "rom"));
}
