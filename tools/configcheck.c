/*
 * argil-config: checks config files with Argil's own code, not a second
 * implementation: the parser of base/src/config_parse.c and, for an init config,
 * the model build of init itself (os/init/model.h: check.c, parse.c,
 * start.c, settle.c), so that it reports what init would reject. Built by
 * `make configcheck` into build/host/argil-config; tools/config-check
 * builds and runs it.
 *
 *     argil-config [--print] [--syntax | --init] [--ram SIZE] [--caps N] FILE...
 *                                                 (FILE "-" is standard input)
 *
 * Every error gets one line on standard error,
 *     FILE:LINE:COL: error: MESSAGE
 * (a file that cannot be read: FILE: error: cannot read: REASON).
 *
 * A file whose top-level node is <config> with a <start>, <parent-provides>,
 * <default-route> or <default> node in it is an init config (--init: every
 * file is, --syntax: none is); init's model build then checks it as init
 * does at start: unknown nodes and attributes, duplicate names, route
 * targets that do not exist or do not provide the service, services not in
 * <parent-provides>, services provided twice, and, with --ram and --caps,
 * quota beyond what init has for its children (the "Y" of init's log line
 * "config: N children, X of Y bytes RAM and ... caps assigned"; without
 * the option that quota is not limited). The message ends with init's
 * consequence, e.g. "(the child is not started)". The embedded <config>
 * of a <start> whose binary is "init" is checked the same way, as a nested
 * init, with the quota of that <start> less init's reserve as its budget
 * (an upper bound: the nested init's own binary takes some of it too).
 *
 * --print writes the canonical form of every file that parses to standard
 * output. Exit status: 0 if every file is good, 1 if one has an error, 2 if
 * one cannot be read or the command line is wrong.
 */
#include <argil/config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct options {
	bool print;
	enum { DETECT, SYNTAX, INIT } mode;
	struct init_budget budget;      /* for the top-level init */
};

/* Reads all of f into a fresh buffer; 0 or an errno value. */
static int read_all(FILE *f, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(buf);
				return e;
			}
			break;
		}
	}
	*data = buf;
	*len = n;
	return 0;
}

/* An init config: <config> with a node only init's config has. */
static bool looks_like_init(const struct cfg_node *root)
{
	return cfg_is(root, "config") &&
	       (cfg_child(root, "start") || cfg_child(root, "parent-provides") ||
	        cfg_child(root, "default-route") || cfg_child(root, "default"));
}

static uint64_t less(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/*
 * Checks an init config with init's model build and reports its errors,
 * prefixed with 'who' (a nested init's name) unless NULL; then the
 * embedded configs of the children that are inits themselves. Returns the
 * number of errors, -1 when out of memory.
 */
static int check_init(const char *file, const char *who, const struct cfg_node *root,
                      struct init_budget budget, FILE *err)
{
	struct init_model m;
	int errors = 0;

	if (init_model_build(&m, root, NULL, budget, &init_malloc_mem) != INIT_OK)
		return -1;
	for (const struct init_error *e = m.errors; e; e = e->next, errors++)
		fprintf(err, "%s:%u:%u: error: %s%s%s%s (%s)\n", file, e->line, e->col, who ? "init '" : "",
		        who ? who : "", who ? "': " : "", e->msg, init_outcome_text(e->outcome));
	for (const struct cfg_node *n = cfg_child(root, "start"); n && !m.rejected; n = cfg_next(n, "start")) {
		const char *name = cfg_attr(n, "name");
		const struct init_child *c = name ? init_model_child(&m, name) : NULL;
		const struct cfg_node *sub = cfg_child(n, "config");
		/* only the node that stands (not an ignored duplicate of its name) */
		if (!c || c->line != n->line || c->col != n->col || strcmp(c->binary, "init") || !sub ||
		    !looks_like_init(sub))
			continue;
		/* the nested init keeps its reserve (<config reserve_ram>, as main.c reads it) */
		uint64_t reserve;
		if (cfg_attr_size(sub, "reserve_ram", INIT_RESERVE_RAM, &reserve) < 0 || reserve < INIT_RESERVE_RAM_MIN)
			reserve = INIT_RESERVE_RAM;
		struct init_budget nested = { less(c->ram, reserve), less(c->caps, INIT_RESERVE_CAPS) };
		int more = check_init(file, name, sub, nested, err);
		if (more < 0) {
			errors = -1;
			break;
		}
		errors += more;
	}
	init_model_free(&m);
	return errors;
}

/* Checks one file: 0 good, 1 has an error, 2 cannot be read. */
static int check_file(const char *name, const struct options *o, FILE *out, FILE *err)
{
	bool is_stdin = !strcmp(name, "-");
	FILE *f = is_stdin ? stdin : fopen(name, "rb");
	char *data = NULL;
	size_t len = 0;
	int e = f ? read_all(f, &data, &len) : errno;

	if (f && !is_stdin)
		fclose(f);
	if (e) {
		fprintf(err, "%s: error: cannot read: %s\n", name, strerror(e));
		return 2;
	}
	size_t arena_size = cfg_arena_size(len);
	void *arena = arena_size == SIZE_MAX ? NULL : malloc(arena_size);
	if (!arena) {
		fprintf(err, "%s: error: cannot read: %s\n", name, strerror(ENOMEM));
		free(data);
		return 2;
	}
	struct cfg_error perr;
	struct cfg_node *root = cfg_parse(data, len, arena, arena_size, &perr);
	int status = 0;
	if (!root) {
		fprintf(err, "%s:%u:%u: error: %s\n", name, perr.line, perr.col, perr.msg);
		status = 1;
	} else if (o->mode == INIT || (o->mode == DETECT && looks_like_init(root))) {
		int errors = check_init(name, NULL, root, o->budget, err);
		if (errors < 0) {
			fprintf(err, "%s: error: cannot check: %s\n", name, strerror(ENOMEM));
			status = 2;
		} else if (errors > 0) {
			status = 1;
		}
	}
	if (root && o->print) {
		size_t need = cfg_print(root, NULL, 0);
		char *text = malloc(need + 1);
		if (!text) {
			fprintf(err, "%s: error: cannot print: %s\n", name, strerror(ENOMEM));
			status = 2;
		} else {
			cfg_print(root, text, need + 1);
			fwrite(text, 1, need, out);
			free(text);
		}
	}
	free(arena);
	free(data);
	return status;
}

static int usage(FILE *err)
{
	fprintf(err, "usage: argil-config [--print] [--syntax | --init] [--ram SIZE] [--caps N] FILE...\n"
	             "  (FILE - is standard input; SIZE such as 4096, 64K, 16M)\n");
	return 2;
}

/* A size or count option's value with the config format's own syntax. */
static bool option_value(const char *opt, const char *text, bool size, uint64_t *v, FILE *err)
{
	char buf[64];
	struct cfg_error perr;

	/* <x v="TEXT"/>: parsed as an attribute, so "16M" means what it means in a config */
	if (!text || strlen(text) > 32 || strchr(text, '"') || strchr(text, '&') || strchr(text, '<')) {
		fprintf(err, "argil-config: bad value of %s\n", opt);
		return false;
	}
	int n = snprintf(buf, sizeof(buf), "<x v=\"%s\"/>", text);
	size_t arena_size = cfg_arena_size((size_t)n);
	void *arena = malloc(arena_size);
	struct cfg_node *x = arena ? cfg_parse(buf, (size_t)n, arena, arena_size, &perr) : NULL;
	bool ok = x && (size ? cfg_attr_size(x, "v", 0, v) : cfg_attr_u64(x, "v", 0, v)) >= 0;
	free(arena);
	if (!ok) {
		fprintf(err, "argil-config: bad value \"%s\" of %s (expected %s)\n", text, opt,
		        size ? "a size such as 4096, 64K or 16M" : "a number");
		return false;
	}
	return true;
}

int configcheck_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct options o = { false, DETECT, { UINT64_MAX, UINT64_MAX } };
	int n_files = 0, status = 0;
	bool options = true;

	/* options anywhere before "--"; the files keep their order */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options || a[0] != '-' || !a[1]) {
			argv[1 + n_files++] = argv[i];
		} else if (!strcmp(a, "--")) {
			options = false;
		} else if (!strcmp(a, "--print")) {
			o.print = true;
		} else if (!strcmp(a, "--syntax")) {
			o.mode = SYNTAX;
		} else if (!strcmp(a, "--init")) {
			o.mode = INIT;
		} else if (!strcmp(a, "--ram") || !strcmp(a, "--caps")) {
			bool ram = !strcmp(a, "--ram");
			if (!option_value(a, i + 1 < argc ? argv[i + 1] : NULL, ram,
			                  ram ? &o.budget.ram : &o.budget.caps, err))
				return usage(err);
			i++;
		} else {
			return usage(err);
		}
	}
	if (!n_files)
		return usage(err);
	for (int i = 1; i <= n_files; i++) {
		int s = check_file(argv[i], &o, out, err);
		if (s > status)
			status = s;
	}
	return status;
}

#ifndef CONFIGCHECK_NO_MAIN
int main(int argc, char **argv)
{
	return configcheck_main(argc, argv, stdout, stderr);
}
#endif
