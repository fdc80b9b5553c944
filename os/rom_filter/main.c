/*
 * rom_filter: derives a document from its config's template and the
 * current content of input ROMs (filter.h), re-evaluates it whenever the
 * config or an input changes, and provides the result as a ROM to any
 * client and, if configured, as a report (os/rom_filter/README.md):
 *
 *   <config verbose="no" buffer="16K" input_ram="16K" report="derived">
 *     <input name=".." rom=".." node=".."> ... </input>
 *     <output node=".."> ... </output>
 *   </config>
 *
 * Trusts its parent and core. Input ROMs are trusted for nothing: they
 * are parsed strictly, and one that is absent, empty or malformed is an
 * undefined input. A config that does not check keeps the last good one
 * in effect. ROM clients get their own copy of the output, paid from
 * their donation.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/printf.h>
#include <report_session.h>
#include <rom_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "filter.h"

#define MAX_INPUTS 32
#define NAME_MAX 64

struct input {
	char name[NAME_MAX];
	struct attached_rom rom;     /* session 0: could not be had */
	char *arena;
	size_t arena_size;
	const struct cfg_node *node;
	bool wanted;                 /* named by the template in effect */
};

static struct component_env *env;
static struct config_rom config;
static struct signal_handler input_sig;
static struct input inputs[MAX_INPUTS];
static struct session_server server;

/* the template in effect: a private copy of the last good config */
static char *tmpl_text, *tmpl_arena;
static size_t tmpl_arena_size;
static const struct cfg_node *tmpl;

/* settings of the template in effect */
static bool verbose;
static uint64_t buffer_size = 16 * 1024, input_ram = 16 * 1024;
static char report_label[SESSION_LABEL_MAX];

/* the output */
static char *out, *cur;        /* evaluation buffer, current content */
static word_t cur_len, cur_version;
static struct reporter reporter;
static bool reporting;

/* ---- inputs ---- */

static struct input *input_named(const char *name)
{
	for (int i = 0; i < MAX_INPUTS; i++)
		if (inputs[i].name[0] && !strcmp(inputs[i].name, name))
			return &inputs[i];
	return 0;
}

static void input_parse(struct input *in)
{
	struct cfg_error err;
	bool oom;

	in->node = 0;
	if (!in->rom.session || !in->rom.data)
		return;
	in->node = config_parse_heap(in->rom.data, in->rom.size, &in->arena, &in->arena_size,
				     &err, &oom);
	if (!in->node && verbose)
		log("input ROM \"%s\": %s%s", in->name, oom ? "out of heap" : "malformed: ",
		    oom ? "" : err.msg);
}

static void input_close(struct input *in)
{
	if (in->rom.session)
		attached_rom_close(&in->rom);
	free(in->arena);
	memset(in, 0, sizeof(*in));
}

static void input_open(struct input *in)
{
	rpc_status_t st;

	memset(&in->rom, 0, sizeof(in->rom));
	st = parent_session(COMPONENT_PARENT, "ROM", in->name, "", input_ram, ROM_SESSION_CAPS, 0,
			    &in->rom.session, &in->rom.id);
	if (st != RPC_OK) {
		log("input ROM \"%s\": %s (the input stays undefined)", in->name,
		    rpc_status_name(st));
		in->rom.session = 0;
		return;
	}
	st = rom_sigh(in->rom.session, input_sig.cap);
	if (st == RPC_OK)
		st = attached_rom_update(&in->rom);
	if (st != RPC_OK) {
		log("input ROM \"%s\": %s", in->name, rpc_status_name(st));
		attached_rom_close(&in->rom);
		return;
	}
	input_parse(in);
}

static void want_input(void *ctx, const char *name)
{
	struct input *in = input_named(name);

	(void)ctx;
	if (in) {
		in->wanted = true;
		return;
	}
	for (int i = 0; i < MAX_INPUTS; i++) {
		if (inputs[i].name[0])
			continue;
		if (strlen(name) >= NAME_MAX) {
			log("input ROM name too long: %s", name);
			return;
		}
		snprintf(inputs[i].name, NAME_MAX, "%s", name);
		inputs[i].wanted = true;
		input_open(&inputs[i]);
		return;
	}
	log("more than %d input ROMs: \"%s\" stays undefined", MAX_INPUTS, name);
}

/* Open the inputs the template names, close the others. */
static void sync_inputs(void)
{
	for (int i = 0; i < MAX_INPUTS; i++)
		inputs[i].wanted = false;
	rf_for_each_rom(tmpl, want_input, 0);
	for (int i = 0; i < MAX_INPUTS; i++)
		if (inputs[i].name[0] && !inputs[i].wanted)
			input_close(&inputs[i]);
}

static const struct cfg_node *rom_of(void *ctx, const char *name)
{
	struct input *in = input_named(name);

	(void)ctx;
	return in ? in->node : 0;
}

/* ---- output ---- */

static void publish(void)
{
	for (struct server_session *s = server.sessions; s; s = s->next)
		rom_session_changed((struct rom_session *)s);
	if (reporting) {
		rpc_status_t st = reporter_submit(&reporter, cur, cur_len);
		if (st != RPC_OK)
			log("report \"%s\": %s", report_label, rpc_status_name(st));
	}
}

static void evaluate(void)
{
	struct cfg_writer w;

	if (!tmpl)
		return;
	cfg_writer_init(&w, out, buffer_size);
	if (!rf_eval(tmpl, rom_of, 0, &w)) {
		log("output does not fit in %lu bytes (or is invalid): keeping the last one",
		    (word_t)buffer_size);
		return;
	}
	if (w.len == cur_len && cur && !memcmp(out, cur, w.len))
		return;   /* no change, no new version */
	char *t = cur;
	cur = out;
	out = t;
	cur_len = w.len;
	cur_version++;
	if (verbose)
		log("output version %lu, %lu bytes", cur_version, cur_len);
	publish();
}

static void inputs_changed(void *arg)
{
	(void)arg;
	for (int i = 0; i < MAX_INPUTS; i++) {
		struct input *in = &inputs[i];
		if (!in->name[0] || !in->rom.session)
			continue;
		if (attached_rom_update(&in->rom) != RPC_OK)
			log("input ROM \"%s\": update failed", in->name);
		input_parse(in);
	}
	evaluate();
}

/* ---- config ---- */

static bool settings(const struct cfg_node *n, uint64_t *buf, uint64_t *ram, bool *verb,
		     const char **report)
{
	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		if (strcmp(a->name, "verbose") && strcmp(a->name, "buffer") &&
		    strcmp(a->name, "input_ram") && strcmp(a->name, "report")) {
			log("config:%u:%u: unknown attribute '%s'", n->line, n->col, a->name);
			return false;
		}
	}
	if (cfg_attr_bool(n, "verbose", false, verb) < 0 ||
	    cfg_attr_size(n, "buffer", 16 * 1024, buf) < 0 || *buf < 64 || *buf > 16 * 1024 * 1024 ||
	    cfg_attr_size(n, "input_ram", 16 * 1024, ram) < 0 || *ram < ROM_SESSION_RAM) {
		log("config:%u:%u: verbose must be yes or no, buffer 64 bytes to 16M, input_ram at least %u",
		    n->line, n->col, ROM_SESSION_RAM);
		return false;
	}
	*report = cfg_attr(n, "report");
	if (*report && (!**report || strlen(*report) >= SESSION_LABEL_MAX)) {
		log("config:%u:%u: report must be a label", n->line, n->col);
		return false;
	}
	return true;
}

static void apply_config(void)
{
	const struct cfg_node *n = config.node;
	struct cfg_error err;
	uint64_t buf, ram;
	bool verb, oom;
	const char *report;

	if (!n) {
		if (config.err.msg)
			log("config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		else
			log("no config");
		return;
	}
	if (!cfg_is(n, "config")) {
		log("config:%u:%u: expected <config>", n->line, n->col);
		return;
	}
	if (!settings(n, &buf, &ram, &verb, &report))
		return;
	if (!rf_check(n, &err)) {
		log("config:%u:%u: %s", err.line, err.col, err.msg);
		return;
	}
	/* good: it becomes the template in effect, from a private copy */
	char *text = malloc(config.rom.size + 1);
	char *o1 = malloc(buf), *o2 = malloc(buf);
	if (!text || !o1 || !o2) {
		free(text);
		free(o1);
		free(o2);
		log("out of heap for the new config: keeping the old one");
		return;
	}
	memcpy(text, config.rom.data, config.rom.size);
	char *arena = 0;
	size_t arena_size = 0;
	const struct cfg_node *t = config_parse_heap(text, config.rom.size, &arena, &arena_size,
						     &err, &oom);
	if (!t) {
		free(text);
		free(o1);
		free(o2);
		free(arena);
		log("out of heap for the new config: keeping the old one");
		return;
	}
	free(tmpl_text);
	free(tmpl_arena);
	tmpl_text = text;
	tmpl_arena = arena;
	tmpl_arena_size = arena_size;
	tmpl = t;
	verbose = verb;
	input_ram = ram;
	/* the current content moves to the new buffers (if it fits) */
	if (cur && cur_len <= buf)
		memcpy(o2, cur, cur_len);
	else
		cur_len = 0;
	free(out);
	free(cur);
	out = o1;
	cur = o2;
	buffer_size = buf;

	if (reporting && (!report || strcmp(report, report_label) || reporter.size < buf)) {
		reporter_close(&reporter);
		reporting = false;
	}
	bool fresh = false;
	if (report && !reporting) {
		snprintf(report_label, sizeof(report_label), "%s", report);
		rpc_status_t st = reporter_open(&reporter, report_label, buf);
		if (st != RPC_OK)
			log("report \"%s\": %s", report_label, rpc_status_name(st));
		else
			reporting = fresh = true;
	}
	sync_inputs();
	if (verbose)
		log("config applied");
	word_t before = cur_version;
	evaluate();
	/* a new report session gets the current output even if it did not change */
	if (fresh && cur_version == before && cur_version && cur_len) {
		rpc_status_t st = reporter_submit(&reporter, cur, cur_len);
		if (st != RPC_OK)
			log("report \"%s\": %s", report_label, rpc_status_name(st));
	}
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	apply_config();
}

/* ---- ROM service ---- */

static void output_content(struct rom_session *s, struct rom_content *c)
{
	(void)s;
	c->data = cur;
	c->len = cur_len;
	c->version = cur_version;
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss,
			   const char *args)
{
	rpc_status_t st = rom_session_setup((struct rom_session *)ss, output_content, 0);

	(void)srv;
	(void)args;
	if (st == RPC_OK && verbose)
		log("ROM session %lu for \"%s\"", ss->id, ss->label);
	return st;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	rom_session_release((struct rom_session *)ss);
}

static struct session_server server = {
	.service = "ROM",
	.size = sizeof(struct rom_session),
	.create = create,
	.destroy = destroy,
	.rpc = rom_session_rpc,
};

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	st = signal_handler_init(&env->ep, &input_sig, inputs_changed, 0);
	if (st == RPC_OK)
		st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK) {
		log("error: no config ROM: %s", rpc_status_name(st));
		component_exit(1);
	}
	apply_config();
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
}
