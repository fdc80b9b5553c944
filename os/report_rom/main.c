/*
 * report_rom: reports become ROMs (os/report_rom/README.md). Clients
 * publish documents through Report sessions (argil/report.h); other
 * clients read them through ROM sessions (argil/rom_server.h) that the
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
#include <argil/report.h>
#include <argil/rom_server.h>
#include <argil/root.h>
#include <argil/slot.h>
#include <argil/string.h>

struct report {
	struct rpc_object obj;
	struct session_budget budget;
	word_t id;
	char label[SESSION_LABEL_MAX];
	cptr_t buf_ds, snap_ds;
	char *buf, *snap;
	word_t size;             /* of the buffer (and the snapshot) */
	word_t len;              /* of the last submission */
	word_t version;          /* 0: nothing submitted yet */
	word_t pages;
	struct report *next;
};

struct rom {
	struct rom_session rs;
	char report[SESSION_LABEL_MAX];   /* "" when no policy applies any more */
	bool has_policy;
	struct rom *next;
};

static struct component_env *env;
static struct config_rom config;
static bool config_ok, verbose;
static struct rpc_object report_root, rom_root;
static struct report *reports;
static struct rom *roms;
static word_t next_id = 1, versions;

/* ---- content ---- */

/* The newest submission of any Report session labelled `label`. */
static struct report *current(const char *label)
{
	struct report *best = 0;

	for (struct report *r = reports; r; r = r->next)
		if (r->version && !strcmp(r->label, label) && (!best || r->version > best->version))
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
	for (struct rom *r = roms; r; r = r->next)
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
	for (struct rom *r = roms; r; r = r->next) {
		const char *rep = policy_report(r->rs.label);
		bool has = rep != 0;
		if (has == r->has_policy && (!has || !strcmp(rep, r->report)))
			continue;
		r->has_policy = has;
		snprintf(r->report, sizeof(r->report), "%s", has ? rep : "");
		if (verbose)
			log("ROM \"%s\" now shows %s%s%s", r->rs.label, has ? "report \"" : "nothing",
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

static void report_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct report *r = o->data;
	word_t len = rpc_word(req, 0);

	switch (req->label) {
	case REPORT_DATASPACE:
		rep->cap = r->buf_ds;
		rpc_put(rep, r->size);
		return;
	case REPORT_SUBMIT:
		if (req->len < 1 || len > r->size) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		memcpy(r->snap, r->buf, len);
		r->len = len;
		r->version = ++versions;
		if (verbose)
			log("report \"%s\": version %lu, %lu bytes", r->label, r->version, len);
		report_changed(r->label);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
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
	ep_dissolve(&env->ep, &r->obj);
	free_ds(&r->buf_ds, &r->buf);
	free_ds(&r->snap_ds, &r->snap);
	free(r);
}

static rpc_status_t report_create(const char *label, const char *args, word_t ram, word_t caps,
				  struct report **out)
{
	uint64_t size;
	word_t pages;
	int has = args_u64(args, "buffer_size", 0, &size);
	struct report *r;
	rpc_status_t st;

	if (has < 0 || (has && (size == 0 || PAGES(size) > REPORT_MAX_PAGES)))
		return RPC_E_INVALID_ARGUMENT;
	if (ram < REPORT_SESSION_RAM(1))
		return RPC_E_NO_RAM_QUOTA;
	if (caps < REPORT_SESSION_CAPS)
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
	r = calloc(1, sizeof(*r));
	if (!r)
		return RPC_E_NO_RAM_QUOTA;
	r->budget.ram = ram;
	r->budget.caps = caps;
	budget_take(&r->budget, REPORT_SESSION_RAM(pages * 4096), REPORT_SESSION_CAPS);
	snprintf(r->label, sizeof(r->label), "%s", label);
	r->pages = pages;
	r->size = pages * 4096;
	st = alloc_ds(pages, &r->buf_ds, &r->buf);
	if (st == RPC_OK)
		st = alloc_ds(pages, &r->snap_ds, &r->snap);
	if (st == RPC_OK && ep_manage(&env->ep, &r->obj, report_rpc, r) != RPC_OK)
		st = RPC_E_NO_RAM_QUOTA;
	else if (st == RPC_OK && !ep_cap(&env->ep, &r->obj))
		st = RPC_E_UNAVAILABLE;
	if (st != RPC_OK) {
		report_free(r);
		return st;
	}
	r->id = next_id++;
	r->next = reports;
	reports = r;
	*out = r;
	if (verbose)
		log("report session %lu \"%s\": %lu bytes", r->id, r->label, r->size);
	return RPC_OK;
}

/* ---- ROM sessions ---- */

static rpc_status_t rom_create(const char *label, word_t ram, word_t caps, struct rom **out)
{
	const char *rep = policy_report(label);
	struct rom *r;
	rpc_status_t st;

	if (!rep) {
		if (verbose)
			log("ROM \"%s\": no policy", label);
		return RPC_E_DENIED;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return RPC_E_NO_RAM_QUOTA;
	snprintf(r->report, sizeof(r->report), "%s", rep);
	r->has_policy = true;
	st = rom_session_init(&r->rs, &env->ep, label, ram, caps, rom_content, r);
	if (st != RPC_OK) {
		free(r);
		return st;
	}
	r->rs.id = next_id++;
	r->next = roms;
	roms = r;
	*out = r;
	if (verbose)
		log("ROM session %lu \"%s\" shows report \"%s\"", r->rs.id, label, rep);
	return RPC_OK;
}

/* ---- the roots ---- */

static void root_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	char label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	word_t pos = 2, id = rpc_word(req, 0);
	bool is_report = o == &report_root;

	switch (req->label) {
	case ROOT_SESSION:
		if (req->len < 2 || rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
		    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		if (is_report) {
			struct report *r;
			rep->label = report_create(label, args, rpc_word(req, 0), rpc_word(req, 1), &r);
			if (rep->label == RPC_OK) {
				rep->cap = r->obj.cap;
				rpc_put(rep, r->id);
			}
		} else {
			struct rom *r;
			rep->label = rom_create(label, rpc_word(req, 0), rpc_word(req, 1), &r);
			if (rep->label == RPC_OK) {
				rep->cap = r->rs.obj.cap;
				rpc_put(rep, r->rs.id);
			}
		}
		return;
	case ROOT_UPGRADE:
	case ROOT_CLOSE:
		if (is_report) {
			for (struct report **l = &reports; *l; l = &(*l)->next) {
				struct report *r = *l;
				if (r->id != id)
					continue;
				if (req->label == ROOT_UPGRADE) {
					budget_upgrade(&r->budget, req);
					return;
				}
				*l = r->next;
				if (verbose)
					log("report session %lu \"%s\" closed", r->id, r->label);
				char lab[SESSION_LABEL_MAX];
				memcpy(lab, r->label, sizeof(lab));
				bool had = r->version != 0;
				report_free(r);
				if (had)
					report_changed(lab);
				return;
			}
		} else {
			for (struct rom **l = &roms; *l; l = &(*l)->next) {
				struct rom *r = *l;
				if (r->rs.id != id)
					continue;
				if (req->label == ROOT_UPGRADE) {
					budget_upgrade(&r->rs.budget, req);
					return;
				}
				*l = r->next;
				rom_session_fini(&r->rs, &env->ep);
				free(r);
				return;
			}
		}
		rep->label = RPC_E_NOT_FOUND;
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static rpc_status_t announce(struct rpc_object *root, const char *service)
{
	rpc_status_t st = ep_manage(&env->ep, root, root_rpc, 0);

	if (st != RPC_OK)
		return st;
	if (!ep_cap(&env->ep, root))
		return RPC_E_OUT_OF_SLOTS;
	return parent_announce(COMPONENT_PARENT, service, root->cap);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK)
		log("no config ROM (%s): every ROM request is denied", rpc_status_name(st));
	else
		apply_config();
	st = announce(&report_root, REPORT_SERVICE);
	if (st == RPC_OK)
		st = announce(&rom_root, "ROM");
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
