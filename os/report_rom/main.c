/*
 * report_rom: reports become ROMs (os/report_rom/README.md). Clients
 * publish documents through Report sessions (report_session.h); other
 * clients read them through ROM sessions (rom_server.h) that the
 * config's policies map to reports:
 *
 *   <config verbose="no">
 *     <policy label="rom_filter -> keyboard" report="test -> keyboard"/>
 *     <policy label_prefix="viewer" label_last="state" report="init -> state"/>
 *   </config>
 *
 * The first policy whose label conditions hold for a ROM session's label
 * names the report (by its Report session's label) that the session
 * shows. Every submission is a new version; ROM sessions showing that
 * report are signalled. A report lasts as long as a Report session with
 * its label: each is paid by its session, and when the last one closes,
 * the ROM is empty again.
 *
 * Trusts its parent and core. Clients are trusted for nothing: report
 * buffers are copied into a private snapshot at submission, each ROM
 * client gets its own copy, every byte is paid from the session's
 * donation, signal capabilities must be notifications.
 */
#include <argil/args.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <report_session.h>
#include <rom_server.h>
#include <argil/root.h>
#include <argil/slot.h>
#include <argil/string.h>

struct report {
	struct server_session ss;        /* label, donation, id, RPC object */
	cptr_t buf_ds, snap_ds;
	char *buf, *snap;
	word_t size;             /* of the buffer (and the snapshot) */
	word_t len;              /* of the last submission */
	word_t version;          /* 0: nothing submitted yet */
	word_t pages;
};

struct rom {
	struct rom_session rs;
	char report[SESSION_LABEL_MAX];   /* "" when no policy applies any more */
	bool has_policy;
};

static struct component_env *env;
static struct config_rom config;
static bool config_ok, verbose;
static struct session_server report_srv, rom_srv;
static word_t versions;

#define EACH_REPORT(r) \
	for (struct report *r = (struct report *)report_srv.sessions; r; \
	     r = (struct report *)r->ss.next)
#define EACH_ROM(r) \
	for (struct rom *r = (struct rom *)rom_srv.sessions; r; r = (struct rom *)r->rs.ss.next)

/* ---- content ---- */

/* The newest submission of any Report session labelled `label`. */
static struct report *current(const char *label)
{
	struct report *best = 0;

	EACH_REPORT(r)
		if (r->version && !strcmp(r->ss.label, label) && (!best || r->version > best->version))
			best = r;
	return best;
}

static void rom_content(struct rom_session *s, struct rom_content *c)
{
	struct rom *rom = s->data;
	struct report *r = rom->has_policy ? current(rom->report) : 0;

	if (r) {
		c->data = r->snap;
		c->len = r->len;
		c->version = r->version;
	}
}

static void report_changed(const char *label)
{
	EACH_ROM(r)
		if (r->has_policy && !strcmp(r->report, label))
			rom_session_changed(&r->rs);
}

/* ---- policies ---- */

/* The report a ROM session labelled `label` shows; NULL: no policy. */
static const char *policy_report(const char *label)
{
	if (!config_ok)
		return 0;
	for (const struct cfg_node *p = cfg_child(config.node, "policy"); p;
	     p = cfg_next(p, "policy"))
		if (policy_matches(p, label))
			return cfg_attr(p, "report");
	return 0;
}

static bool check_config(const struct cfg_node *n)
{
	static const char *policy_attrs[] = { "label", "label_prefix", "label_suffix",
					      "label_last", "report", 0 };

	if (!cfg_is(n, "config")) {
		log("config:%u:%u: expected <config>", n->line, n->col);
		return false;
	}
	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		if (strcmp(a->name, "verbose")) {
			log("config:%u:%u: unknown attribute '%s'", n->line, n->col, a->name);
			return false;
		}
	}
	if (cfg_attr_bool(n, "verbose", false, 0) < 0) {
		log("config:%u:%u: verbose must be yes or no", n->line, n->col);
		return false;
	}
	if (n->text) {
		log("config:%u:%u: text in <config>", n->line, n->col);
		return false;
	}
	for (const struct cfg_node *p = n->child; p; p = p->next) {
		if (!cfg_is(p, "policy")) {
			log("config:%u:%u: unknown node <%s>", p->line, p->col, p->type);
			return false;
		}
		for (const struct cfg_attr *a = p->attrs; a; a = a->next) {
			int known = 0;
			for (int i = 0; policy_attrs[i]; i++)
				known |= !strcmp(a->name, policy_attrs[i]);
			if (!known) {
				log("config:%u:%u: unknown attribute '%s' in <policy>", p->line,
				    p->col, a->name);
				return false;
			}
		}
		if (!cfg_attr(p, "report") || !*cfg_attr(p, "report")) {
			log("config:%u:%u: <policy> needs report=", p->line, p->col);
			return false;
		}
		if (p->child || p->text) {
			log("config:%u:%u: <policy> has content", p->line, p->col);
			return false;
		}
	}
	return true;
}

static void apply_config(void)
{
	config_ok = false;
	if (!config.node) {
		if (config.err.msg)
			log("config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		else
			log("no config: every ROM request is denied");
	} else {
		config_ok = check_config(config.node);
	}
	if (!config_ok) {
		/* sessions keep what they show; new ROM sessions are denied */
		return;
	}
	cfg_attr_bool(config.node, "verbose", false, &verbose);
	EACH_ROM(r) {
		const char *rep = policy_report(r->rs.ss.label);
		bool has = rep != 0;
		if (has == r->has_policy && (!has || !strcmp(rep, r->report)))
			continue;
		r->has_policy = has;
		snprintf(r->report, sizeof(r->report), "%s", has ? rep : "");
		if (verbose)
			log("ROM \"%s\" now shows %s%s%s", r->rs.ss.label, has ? "report \"" : "nothing",
			    has ? rep : "", has ? "\"" : "");
		rom_session_changed(&r->rs);
	}
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	apply_config();
}

/* ---- Report sessions ---- */

static rpc_status_t do_dataspace(struct report_dataspace_call *c)
{
	struct report *r = c->obj;

	c->out.ds = r->buf_ds;
	c->out.size = r->size;
	return RPC_OK;
}

static rpc_status_t do_submit(struct report_submit_call *c)
{
	struct report *r = c->obj;
	word_t len = c->in.len;

	if (len > r->size)
		return RPC_E_INVALID_ARGUMENT;
	memcpy(r->snap, r->buf, len);
	r->len = len;
	r->version = ++versions;
	if (verbose)
		log("report \"%s\": version %lu, %lu bytes", r->ss.label, r->version, len);
	report_changed(r->ss.label);
	return RPC_OK;
}

RPC_SERVER(report, REPORT_RPC)

static const struct report_server report_ops = {
	.report_dataspace = do_dataspace,
	.report_submit = do_submit,
};

static void report_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	report_dispatch(&report_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static void free_ds(cptr_t *ds, char **addr)
{
	if (*addr)
		pd_detach(COMPONENT_PD, (word_t)*addr);
	if (*ds) {
		pd_free_ram(COMPONENT_PD, *ds);
		cap_slot_free(*ds);
	}
	*addr = 0;
	*ds = 0;
}

static rpc_status_t alloc_ds(word_t pages, cptr_t *ds, char **addr)
{
	word_t a;
	rpc_status_t st = pd_alloc_ram(COMPONENT_PD, pages * 4096, ds);

	if (st != RPC_OK) {
		*ds = 0;
		return st;
	}
	st = pd_attach(COMPONENT_PD, *ds, 0, 0, 0, ATTACH_WRITE, &a);
	if (st != RPC_OK) {
		free_ds(ds, addr);
		return st;
	}
	*addr = (char *)a;
	return RPC_OK;
}

static void report_free(struct report *r)
{
	free_ds(&r->buf_ds, &r->buf);
	free_ds(&r->snap_ds, &r->snap);
}

static rpc_status_t report_create(struct session_server *srv, struct server_session *ss,
				  const char *args)
{
	struct report *r = (struct report *)ss;
	word_t ram = ss->budget.ram, pages;
	uint64_t size;
	int has = args_u64(args, "buffer_size", 0, &size);
	rpc_status_t st;

	(void)srv;
	if (has < 0 || (has && (size == 0 || PAGES(size) > REPORT_MAX_PAGES)))
		return RPC_E_INVALID_ARGUMENT;
	if (ram < REPORT_SESSION_RAM(1))
		return RPC_E_NO_RAM_QUOTA;
	if (ss->budget.caps < REPORT_SESSION_CAPS)
		return RPC_E_NO_CAP_QUOTA;
	if (has) {
		pages = PAGES(size);
		if (REPORT_SESSION_RAM(pages * 4096) > ram)
			return RPC_E_NO_RAM_QUOTA;
	} else {
		/* the largest buffer the donation pays */
		pages = ((ram - REPORT_SESSION_BASE) / 2 - DS_BASE_COST) / DS_PAGE_COST + 1;
		while (pages > 1 && REPORT_SESSION_RAM(pages * 4096) > ram)
			pages--;
		if (pages > REPORT_MAX_PAGES)
			pages = REPORT_MAX_PAGES;
	}
	budget_take(&ss->budget, REPORT_SESSION_RAM(pages * 4096), REPORT_SESSION_CAPS);
	r->pages = pages;
	r->size = pages * 4096;
	st = alloc_ds(pages, &r->buf_ds, &r->buf);
	if (st == RPC_OK)
		st = alloc_ds(pages, &r->snap_ds, &r->snap);
	if (st != RPC_OK) {
		report_free(r);
		return st;
	}
	if (verbose)
		log("report session %lu \"%s\": %lu bytes", ss->id, ss->label, r->size);
	return RPC_OK;
}

static void report_destroy(struct session_server *srv, struct server_session *ss)
{
	struct report *r = (struct report *)ss;

	(void)srv;
	if (verbose)
		log("report session %lu \"%s\" closed", ss->id, ss->label);
	report_free(r);
	if (r->version)
		report_changed(ss->label);
}

/* ---- ROM sessions ---- */

static rpc_status_t rom_create(struct session_server *srv, struct server_session *ss,
			       const char *args)
{
	struct rom *r = (struct rom *)ss;
	const char *rep = policy_report(ss->label);
	rpc_status_t st;

	(void)srv;
	(void)args;
	if (!rep) {
		if (verbose)
			log("ROM \"%s\": no policy", ss->label);
		return RPC_E_DENIED;
	}
	snprintf(r->report, sizeof(r->report), "%s", rep);
	r->has_policy = true;
	st = rom_session_setup(&r->rs, rom_content, r);
	if (st != RPC_OK)
		return st;
	if (verbose)
		log("ROM session %lu \"%s\" shows report \"%s\"", ss->id, ss->label, rep);
	return RPC_OK;
}

static void rom_destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	rom_session_release((struct rom_session *)ss);
}

static struct session_server report_srv = {
	.service = REPORT_SERVICE,
	.size = sizeof(struct report),
	.create = report_create,
	.destroy = report_destroy,
	.rpc = report_rpc,
};

static struct session_server rom_srv = {
	.service = "ROM",
	.size = sizeof(struct rom),
	.create = rom_create,
	.destroy = rom_destroy,
	.rpc = rom_session_rpc,
};

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	report_srv.ep = rom_srv.ep = &env->ep;
	st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK)
		log("no config ROM (%s): every ROM request is denied", rpc_status_name(st));
	else
		apply_config();
	st = session_server_announce(&report_srv);
	if (st == RPC_OK)
		st = session_server_announce(&rom_srv);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
