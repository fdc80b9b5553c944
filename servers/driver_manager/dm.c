/*
 * driver_manager's logic (dm.h): manifests, device claims, the configs it
 * writes, the drivers init's state report and the restart back-off.
 * Trusts manifests, reports and configs for nothing: each is checked as
 * it is read.
 */
#include <argil/string.h>
#include <pci_class.h>
#include "dm.h"

static bool one_of(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

static bool attrs_ok(const struct cfg_node *n, const char *const *names, struct dm_error *err)
{
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		if (!one_of(a->name, names)) {
			*err = (struct dm_error){ n->line, n->col, "unknown attribute" };
			return false;
		}
	return true;
}

/* a label separator inside a name would make labels ambiguous */
static bool has_arrow(const char *s)
{
	for (; *s; s++)
		if (!strncmp(s, " -> ", 4))
			return true;
	return false;
}

static bool fail(struct dm_error *err, const struct cfg_node *n, const char *msg)
{
	*err = (struct dm_error){ n->line, n->col, msg };
	return false;
}

static bool hex16(const struct cfg_node *n, const char *name)
{
	uint64_t v;
	int r = cfg_attr_u64(n, name, 0, &v);
	return r == 0 || (r == 1 && v <= 0xffff);
}

static bool services_ok(const struct cfg_node *n, struct dm_error *err)
{
	static const char *const names[] = { 0 };
	static const char *const service_attrs[] = { "name", 0 };

	if (!attrs_ok(n, names, err))
		return false;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (!cfg_is(c, "service"))
			return fail(err, c, "expected <service name=..>");
		if (!attrs_ok(c, service_attrs, err))
			return false;
		if (!cfg_attr(c, "name") || !cfg_attr(c, "name")[0])
			return fail(err, c, "<service> needs a name");
	}
	return true;
}

bool dm_manifest_read(struct dm_manifest *m, const struct cfg_node *n, struct dm_error *err)
{
	static const char *const top[] = { "driver", "binary", "ram", "caps", "kind",
					   "fallback_for", 0 };
	static const char *const pci[] = { "class", "vendor", "product", 0 };
	static const char *const dev[] = { "name", 0 };
	static const char *const hb[] = { "restart_after", 0 };
	unsigned matches = 0;

	*m = (struct dm_manifest){ .node = n };
	if (!cfg_is(n, "manifest"))
		return fail(err, n, "expected <manifest>");
	if (!attrs_ok(n, top, err))
		return false;
	m->driver = cfg_attr(n, "driver");
	m->binary = cfg_attr(n, "binary") ? cfg_attr(n, "binary") : m->driver;
	if (!m->driver || !m->driver[0] || has_arrow(m->driver) || strlen(m->driver) > 100)
		return fail(err, n, "driver= must name the driver (no ' -> ')");
	if (!m->binary[0])
		return fail(err, n, "binary= must not be empty");
	if (cfg_attr_size(n, "ram", 0, &m->ram) != 1 || !m->ram)
		return fail(err, n, "ram= must be a size above 0");
	if (cfg_attr_u64(n, "caps", 0, &m->caps) != 1 || !m->caps)
		return fail(err, n, "caps= must be a number above 0");
	m->kind = cfg_attr(n, "kind");
	m->fallback_for = cfg_attr(n, "fallback_for");
	if ((m->kind && !m->kind[0]) || (m->fallback_for && !m->fallback_for[0]))
		return fail(err, n, "kind= and fallback_for= must not be empty");
	if (m->kind && m->fallback_for)
		return fail(err, n, "a driver is either of a kind or a fallback for one");
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (cfg_is(c, "pci")) {
			const char *cls = cfg_attr(c, "class");
			if (!attrs_ok(c, pci, err))
				return false;
			if (!cls && !cfg_attr(c, "vendor"))
				return fail(err, c, "<pci> needs class or vendor");
			if (cfg_attr(c, "product") && !cfg_attr(c, "vendor"))
				return fail(err, c, "<pci product> needs vendor");
			if (cls && !pci_class_parse(cls, 0, 0))
				return fail(err, c, "unknown class");
			if (!hex16(c, "vendor") || !hex16(c, "product"))
				return fail(err, c, "vendor and product are numbers up to 0xffff");
			matches++;
		} else if (cfg_is(c, "device")) {
			if (!attrs_ok(c, dev, err))
				return false;
			if (!cfg_attr(c, "name") || !cfg_attr(c, "name")[0])
				return fail(err, c, "<device> needs a name");
			matches++;
		} else if (cfg_is(c, "requires") || cfg_is(c, "provides")) {
			if (!services_ok(c, err))
				return false;
		} else if (cfg_is(c, "heartbeat")) {
			if (!attrs_ok(c, hb, err))
				return false;
			if (cfg_attr_u64(c, "restart_after", 0, &m->restart_after) != 1 ||
			    !m->restart_after)
				return fail(err, c, "restart_after must be a number above 0");
		} else if (!cfg_is(c, "config")) {
			return fail(err, c, "unknown node (pci, device, requires, provides, heartbeat, config)");
		}
	}
	if (!matches)
		return fail(err, n, "the manifest names no device (<pci> or <device>)");
	return true;
}

bool dm_match(const struct cfg_node *match, const struct cfg_node *device)
{
	uint64_t want, have;

	if (cfg_is(match, "device")) {
		const char *a = cfg_attr(match, "name"), *b = cfg_attr(device, "name");
		return a && b && !strcmp(a, b);
	}
	if (!cfg_is(match, "pci") || !cfg_attr_is(device, "type", "pci"))
		return false;
	const char *cls = cfg_attr(match, "class");
	if (cls) {
		uint32_t value, mask;
		if (!pci_class_parse(cls, &value, &mask) ||
		    cfg_attr_u64(device, "class", 0, &have) != 1 || (have & mask) != value)
			return false;
	}
	static const char *const ids[][2] = { { "vendor", "vendor" }, { "product", "product" } };
	for (unsigned i = 0; i < 2; i++)
		if (cfg_has_attr(match, ids[i][0]) &&
		    (cfg_attr_u64(match, ids[i][0], 0, &want) != 1 ||
		     cfg_attr_u64(device, ids[i][1], 0, &have) != 1 || want != have))
			return false;
	return true;
}

bool dm_claims(const struct dm_manifest *m, const struct cfg_node *device)
{
	for (const struct cfg_node *c = m->node->child; c; c = c->next)
		if ((cfg_is(c, "pci") || cfg_is(c, "device")) && dm_match(c, device))
			return true;
	return false;
}

const struct dm_driver *dm_owner(const struct dm_driver *d, unsigned n,
				 const struct cfg_node *device)
{
	for (unsigned i = 0; i < n; i++)
		if (d[i].valid && dm_claims(&d[i].m, device))
			return &d[i];
	return 0;
}

unsigned dm_assign(struct dm_driver *d, unsigned n, const struct cfg_node *devices)
{
	unsigned unclaimed = 0;

	for (unsigned i = 0; i < n; i++)
		d[i].ndevices = 0;
	for (const struct cfg_node *dev = cfg_child(devices, "device"); dev;
	     dev = cfg_next(dev, "device")) {
		struct dm_driver *o = (struct dm_driver *)dm_owner(d, n, dev);
		if (o)
			o->ndevices++;
		else
			unclaimed++;
	}
	/* a fallback yields to any driver of its kind with a device */
	bool stopped[64] = { false };
	for (unsigned i = 0; i < n; i++) {
		if (!d[i].valid || !d[i].m.fallback_for || !d[i].ndevices)
			continue;
		for (unsigned j = 0; j < n; j++)
			if (d[j].valid && d[j].ndevices && d[j].m.kind &&
			    !strcmp(d[j].m.kind, d[i].m.fallback_for)) {
				d[i].ndevices = 0;
				if (d[i].phase != DM_IDLE && i < 64)
					stopped[i] = true;
				break;
			}
	}
	for (unsigned i = 0; i < n; i++) {
		bool defer = false;
		for (unsigned j = 0; j < n && j < 64; j++)
			defer |= stopped[j] && d[i].m.kind && !strcmp(d[i].m.kind, d[j].m.fallback_for);
		if (d[i].ndevices && d[i].phase == DM_IDLE && defer) {
			d[i].phase = DM_DEFERRED;
			d[i].state = "deferred";
		} else if (d[i].ndevices && d[i].phase == DM_IDLE) {
			d[i].phase = DM_STARTING;
			d[i].state = "starting";
		} else if (!d[i].ndevices && d[i].phase != DM_IDLE) {
			d[i].phase = DM_IDLE;
			d[i].state = "idle";
			d[i].init_restarts = 0;
			d[i].in_a_row = 0;
		}
		if (!d[i].state)
			d[i].state = "idle";
	}
	return unclaimed;
}

unsigned dm_undefer(struct dm_driver *d, unsigned n, const struct cfg_node *state,
		    unsigned version)
{
	uint64_t v;
	unsigned started = 0;

	if (!cfg_is(state, "state") || cfg_attr_u64(state, "version", 0, &v) != 1 || v != version)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		bool gone = true;
		if (d[i].phase != DM_DEFERRED)
			continue;
		for (unsigned j = 0; j < n; j++) {
			if (!d[j].valid || !d[j].m.fallback_for || strcmp(d[j].m.fallback_for, d[i].m.kind))
				continue;
			for (const struct cfg_node *c = cfg_child(state, "child"); c;
			     c = cfg_next(c, "child"))
				if (cfg_attr_is(c, "name", d[j].m.driver))
					gone = false;
		}
		if (gone) {
			d[i].phase = DM_STARTING;
			d[i].state = "starting";
			started++;
		}
	}
	return started;
}

/* In the drivers init's config and platform's policies? */
static bool active(const struct dm_driver *x)
{
	return x->valid && x->phase != DM_IDLE && x->phase != DM_DEFERRED;
}

static void service(struct cfg_writer *w, const char *name)
{
	cfg_node_begin(w, "service");
	cfg_node_attr(w, "name", name);
	cfg_node_end(w);
}

/* Is service name listed in parent-provides, or required by an earlier
 * active driver than d[upto]? */
static bool listed(const struct dm_driver *d, unsigned upto, const struct dm_settings *s,
		   const char *name)
{
	for (const struct cfg_node *c = cfg_child(s->parent_provides, "service"); c;
	     c = cfg_next(c, "service"))
		if (cfg_attr_is(c, "name", name))
			return true;
	for (unsigned i = 0; i < upto; i++) {
		if (!active(&d[i]))
			continue;
		for (const struct cfg_node *c = cfg_child(cfg_child(d[i].m.node, "requires"), "service");
		     c; c = cfg_next(c, "service"))
			if (cfg_attr_is(c, "name", name))
				return true;
	}
	return false;
}

void dm_write_drivers_config(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
			     const struct dm_settings *s, unsigned version)
{
	cfg_node_begin(w, "config");
	cfg_node_attr_u64(w, "version", version);
	cfg_node_begin(w, "parent-provides");
	for (const struct cfg_node *c = cfg_child(s->parent_provides, "service"); c;
	     c = cfg_next(c, "service"))
		cfg_node_copy(w, c);
	for (unsigned i = 0; i < n; i++) {
		if (!active(&d[i]))
			continue;
		for (const struct cfg_node *c = cfg_child(cfg_child(d[i].m.node, "requires"), "service");
		     c; c = cfg_next(c, "service"))
			if (!listed(d, i, s, cfg_attr(c, "name")))
				service(w, cfg_attr(c, "name"));
	}
	cfg_node_end(w);
	cfg_node_begin(w, "default-route");
	cfg_node_begin(w, "any-service");
	cfg_node_begin(w, "parent");
	cfg_node_end(w);
	cfg_node_begin(w, "any-child");
	cfg_node_end(w);
	cfg_node_end(w);
	cfg_node_end(w);
	cfg_node_begin(w, "report");
	cfg_node_attr(w, "delay_ms", "20");
	cfg_node_end(w);
	if (s->heartbeat_ms) {
		cfg_node_begin(w, "heartbeat");
		cfg_node_attr_u64(w, "rate_ms", s->heartbeat_ms);
		cfg_node_end(w);
	}
	for (unsigned i = 0; i < n; i++) {
		const struct dm_manifest *m = &d[i].m;
		if (!active(&d[i]))
			continue;
		cfg_node_begin(w, "start");
		cfg_node_attr(w, "name", m->driver);
		cfg_node_attr_u64(w, "ram", m->ram);
		cfg_node_attr_u64(w, "caps", m->caps);
		cfg_node_attr_u64(w, "version", d[i].version);
		cfg_node_begin(w, "binary");
		cfg_node_attr(w, "name", m->binary);
		cfg_node_end(w);
		if (cfg_child(m->node, "config"))
			cfg_node_copy(w, cfg_child(m->node, "config"));
		if (cfg_child(m->node, "provides"))
			cfg_node_copy(w, cfg_child(m->node, "provides"));
		if (m->restart_after && s->heartbeat_ms) {
			cfg_node_begin(w, "heartbeat");
			cfg_node_attr_u64(w, "restart_after", m->restart_after);
			cfg_node_end(w);
		}
		cfg_node_end(w);
	}
	cfg_node_end(w);
}

void dm_write_platform_config(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
			      const struct dm_settings *s)
{
	char label[160];

	cfg_node_begin(w, "config");
	for (const struct cfg_node *c = cfg_child(s->platform, 0); c; c = cfg_next(c, 0))
		cfg_node_copy(w, c);
	for (unsigned i = 0; i < n; i++) {
		if (!active(&d[i]))
			continue;
		size_t a = strlen(s->subsystem), b = strlen(d[i].m.driver);
		if (a + 4 + b + 1 > sizeof(label))
			continue;   /* dm_manifest_read and the config keep names short */
		memcpy(label, s->subsystem, a);
		memcpy(label + a, " -> ", 4);
		memcpy(label + a + 4, d[i].m.driver, b + 1);
		cfg_node_begin(w, "policy");
		cfg_node_attr(w, "label", label);
		for (const struct cfg_node *c = d[i].m.node->child; c; c = c->next)
			if (cfg_is(c, "pci") || cfg_is(c, "device"))
				cfg_node_copy(w, c);
		cfg_node_end(w);
	}
	cfg_node_end(w);
}

uint64_t dm_backoff(const struct dm_settings *s, unsigned k)
{
	uint64_t v = s->backoff_ms;

	for (unsigned i = 1; i < k && v < s->backoff_max_ms; i++)
		v *= 2;
	return v < s->backoff_max_ms ? v : s->backoff_max_ms;
}

static const char *state_word(const char *s)
{
	static const char *const words[] = { "running", "exited", "faulted", "failed",
					     "incomplete", 0 };
	for (unsigned i = 0; words[i]; i++)
		if (s && !strcmp(s, words[i]))
			return words[i];
	return "unknown";
}

bool dm_observe(struct dm_driver *d, unsigned n, const struct cfg_node *state, unsigned version,
		uint64_t now_ms, const struct dm_settings *s)
{
	uint64_t v;
	bool down = false;

	for (unsigned i = 0; i < n; i++)
		d[i].event = DM_EV_NONE;
	if (!cfg_is(state, "state") || cfg_attr_u64(state, "version", 0, &v) != 1 || v != version)
		return false;
	for (unsigned i = 0; i < n; i++) {
		struct dm_driver *x = &d[i];
		const struct cfg_node *c;
		uint64_t r = 0;

		if (!active(x))
			continue;
		for (c = cfg_child(state, "child"); c; c = cfg_next(c, "child"))
			if (cfg_attr_is(c, "name", x->m.driver))
				break;
		if (!c)
			continue;
		if (cfg_attr_u64(c, "restarts", 0, &r) != 1)
			r = 0;
		if (r > x->init_restarts) {
			x->restarts += (unsigned)(r - x->init_restarts);
			x->event = DM_EV_HEARTBEAT_RESTART;
			x->up_since_ms = now_ms;
		}
		x->init_restarts = (unsigned)r;
		if (x->phase == DM_WAITING)
			continue;
		x->state = state_word(cfg_attr(c, "state"));
		if (!strcmp(x->state, "running")) {
			if (x->phase == DM_STARTING) {
				x->phase = DM_RUNNING;
				x->up_since_ms = now_ms;
				if (x->event == DM_EV_NONE)
					x->event = DM_EV_UP;
			}
		} else if (!strcmp(x->state, "exited") || !strcmp(x->state, "faulted") ||
			   !strcmp(x->state, "failed")) {
			if (x->phase == DM_RUNNING && now_ms - x->up_since_ms >= s->stable_ms)
				x->in_a_row = 0;
			x->in_a_row++;
			if (cfg_attr_u64(c, "exit", 0, &x->exit_value) != 1)
				x->exit_value = 0;
			x->event_delay_ms = dm_backoff(s, x->in_a_row);
			x->restart_at_ms = now_ms + x->event_delay_ms;
			x->phase = DM_WAITING;
			x->event = DM_EV_DOWN;
			down = true;
		}
	}
	return down;
}

unsigned dm_due(struct dm_driver *d, unsigned n, uint64_t now_ms, uint64_t *next_ms)
{
	unsigned due = 0;

	*next_ms = 0;
	for (unsigned i = 0; i < n; i++) {
		if (d[i].phase != DM_WAITING)
			continue;
		if (d[i].restart_at_ms <= now_ms) {
			d[i].version++;
			d[i].restarts++;
			d[i].phase = DM_STARTING;
			due++;
		} else if (!*next_ms || d[i].restart_at_ms < *next_ms) {
			*next_ms = d[i].restart_at_ms;
		}
	}
	return due;
}

bool dm_request(struct dm_driver *d, unsigned n, const struct cfg_node *req, bool first,
		unsigned *restarted, struct dm_error *err)
{
	static const char *const none[] = { 0 };
	static const char *const attrs[] = { "name", "count", 0 };
	uint64_t count;

	*restarted = 0;
	for (unsigned i = 0; i < n; i++)
		d[i].event = DM_EV_NONE;
	if (!cfg_is(req, "restart"))
		return fail(err, req, "expected <restart>");
	if (!attrs_ok(req, none, err))
		return false;
	for (const struct cfg_node *c = req->child; c; c = c->next) {
		if (!cfg_is(c, "driver"))
			return fail(err, c, "expected <driver name count/>");
		if (!attrs_ok(c, attrs, err))
			return false;
		if (!cfg_attr(c, "name") || cfg_attr_u64(c, "count", 0, &count) != 1)
			return fail(err, c, "<driver> needs a name and a count");
	}
	for (const struct cfg_node *c = req->child; c; c = c->next) {
		cfg_attr_u64(c, "count", 0, &count);
		for (unsigned i = 0; i < n; i++) {
			struct dm_driver *x = &d[i];
			if (!x->valid || !cfg_attr_is(c, "name", x->m.driver))
				continue;
			bool more = count > x->requested;
			x->requested = count;
			if (first || !more || !active(x))
				continue;
			x->version++;
			x->restarts++;
			x->phase = DM_STARTING;
			x->state = "starting";
			x->event = DM_EV_REQUEST;
			(*restarted)++;
		}
	}
	return true;
}

void dm_write_report(struct cfg_writer *w, const struct dm_driver *d, unsigned n,
		     const struct cfg_node *devices)
{
	static const char *const copied[] = { "class", "vendor", "product", 0 };

	cfg_node_begin(w, "driver_manager");
	for (unsigned i = 0; i < n; i++) {
		if (!d[i].valid)
			continue;
		cfg_node_begin(w, "driver");
		cfg_node_attr(w, "name", d[i].m.driver);
		cfg_node_attr(w, "state", d[i].phase == DM_WAITING ? "restarting" : d[i].state);
		cfg_node_attr_u64(w, "devices", d[i].ndevices);
		cfg_node_attr_u64(w, "restarts", d[i].restarts);
		cfg_node_end(w);
	}
	for (const struct cfg_node *dev = cfg_child(devices, "device"); dev;
	     dev = cfg_next(dev, "device")) {
		if (dm_owner(d, n, dev) || !cfg_attr(dev, "name"))
			continue;
		cfg_node_begin(w, "unclaimed");
		cfg_node_attr(w, "device", cfg_attr(dev, "name"));
		for (unsigned i = 0; copied[i]; i++)
			if (cfg_attr(dev, copied[i]))
				cfg_node_attr(w, copied[i], cfg_attr(dev, copied[i]));
		cfg_node_end(w);
	}
	cfg_node_end(w);
}
