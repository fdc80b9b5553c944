/*
 * driver_manager (docs/devices.md): reads the devices report (ROM
 * "devices") and the manifests of the drivers its config names (the
 * <manifest driver=...> of ROM "manifests", which bundles many, else ROM
 * "<driver>.manifest"), and writes three reports: "drivers.config",
 * the config of the drivers subsystem (a nested init: one <start> per
 * driver that has a device), "platform.config", the platform driver's
 * policies (its static ones and one per driver), and "driver_manager",
 * its own state (drivers, their state and restart counts, unclaimed
 * devices). It watches the drivers init's state report (ROM
 * "drivers_state") and restarts a driver that exited or faulted after a
 * back-off (dm.h says how); init restarts one that missed its heartbeats.
 *
 *   <config subsystem="drivers" heartbeat_ms="500" backoff_ms="20"
 *           backoff_max_ms="1000" stable_ms="5000" verbose="no">
 *     <driver name="ps2"/> <driver name="virtio_rng"/> <bundle/>
 *     <parent-provides> <service name="ROM"/> ... </parent-provides>
 *     <platform> <policy label="pci_decode" pci_config="yes"/> ... </platform>
 *   </config>
 *
 * <bundle/> stands for every manifest of ROM "manifests" that no <driver>
 * names (in bundle order, at its place: the first driver in order whose
 * manifest names a device gets it). ROM "restart" (optional): <restart>
 * <driver name count/> </restart>, a driver whose count rises is
 * restarted at once (dm_request).
 *
 * The config is read at start. Trusts the ROMs for nothing but their
 * content: a manifest that does not parse or check is logged and its
 * driver left out.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>
#include <timer_session.h>
#include "dm.h"

#define MAX_DRIVERS 64

struct out {
	const char *label;
	struct reporter r;
	bool open;
	char *buf;
	size_t size;
};

static struct config_rom config, devices_rom, state_rom, restart_rom;
static bool restart_rom_read;
static struct config_rom manifest_roms[MAX_DRIVERS];
static struct dm_driver drivers[MAX_DRIVERS];
static unsigned ndrivers;
static struct dm_settings settings;
static bool verbose;
static unsigned config_version;
static unsigned unclaimed;
static struct timer_connection timer;
static struct signal_handler backoff_sigh;
static struct out out_drivers = { .label = "drivers.config" },
		  out_platform = { .label = "platform.config" },
		  out_report = { .label = "driver_manager" };

static const struct cfg_node *devices(void) { return devices_rom.node; }

static uint64_t now_ms(void) { return elapsed_us(&timer) / 1000; }

/* Write with fn into o's buffer (growing it) and submit it as report. */
static void publish(struct out *o, void (*fn)(struct cfg_writer *))
{
	struct cfg_writer w;
	rpc_status_t st;

	for (;;) {
		if (!o->buf) {
			o->size = o->size ? o->size : 8192;
			if (!(o->buf = malloc(o->size))) {
				log("error: no heap for report '%s' of %lu bytes", o->label,
				    (unsigned long)o->size);
				return;
			}
		}
		cfg_writer_init(&w, o->buf, o->size);
		fn(&w);
		if (cfg_writer_ok(&w))
			break;
		if (w.invalid) {
			log("error: report '%s' malformed (a copied node is bad)", o->label);
			return;
		}
		free(o->buf);
		o->buf = 0;
		o->size *= 2;
	}
	if (o->open && o->r.size < w.len) {
		reporter_close(&o->r);
		o->open = false;
	}
	if (!o->open) {
		if ((st = reporter_open(&o->r, o->label, o->size)) != RPC_OK) {
			log("error: Report session '%s': %s", o->label, rpc_status_name(st));
			return;
		}
		o->open = true;
	}
	if ((st = reporter_submit(&o->r, o->buf, w.len)) != RPC_OK)
		log("error: report '%s' not submitted: %s", o->label, rpc_status_name(st));
	if (verbose)
		log("%s:\n%s", o->label, o->buf);
}

static void write_drivers(struct cfg_writer *w)
{
	dm_write_drivers_config(w, drivers, ndrivers, &settings, config_version);
}

static void write_platform(struct cfg_writer *w)
{
	dm_write_platform_config(w, drivers, ndrivers, &settings);
}

static void write_report(struct cfg_writer *w)
{
	dm_write_report(w, drivers, ndrivers, devices());
}

static void publish_configs(void)
{
	config_version++;
	publish(&out_platform, write_platform);
	publish(&out_drivers, write_drivers);
	publish(&out_report, write_report);
}

/* ---- restarts ---- */

static void schedule(uint64_t next)
{
	if (!next)
		return;
	uint64_t now = now_ms();
	uint64_t us = next > now ? (next - now) * 1000 : TIMER_MIN_PERIOD_US;
	timer_trigger_once(timer.session, us < TIMER_MIN_PERIOD_US ? TIMER_MIN_PERIOD_US : us);
}

static void restart_due(void)
{
	uint64_t next;
	bool waiting[MAX_DRIVERS];

	for (unsigned i = 0; i < ndrivers; i++)
		waiting[i] = drivers[i].phase == DM_WAITING;
	if (dm_due(drivers, ndrivers, now_ms(), &next)) {
		for (unsigned i = 0; i < ndrivers; i++)
			if (waiting[i] && drivers[i].phase == DM_STARTING)
				log("driver '%s' restarted (%u restarts)", drivers[i].m.driver,
				    drivers[i].restarts);
		publish_configs();
	}
	schedule(next);
}

static void on_timer(void *arg)
{
	(void)arg;
	restart_due();
}

static void on_state(void *arg)
{
	(void)arg;
	if (!config_rom_update(&state_rom))
		return;
	bool down = dm_observe(drivers, ndrivers, state_rom.node, config_version, now_ms(),
			       &settings);
	bool changed = false;
	bool deferred[MAX_DRIVERS];
	for (unsigned i = 0; i < ndrivers; i++)
		deferred[i] = drivers[i].phase == DM_DEFERRED;
	if (dm_undefer(drivers, ndrivers, state_rom.node, config_version)) {
		for (unsigned i = 0; i < ndrivers; i++)
			if (deferred[i] && drivers[i].phase == DM_STARTING)
				log("driver '%s': the %s fallback is gone: started", drivers[i].m.driver,
				    drivers[i].m.kind);
		publish_configs();
	}
	for (unsigned i = 0; i < ndrivers; i++) {
		struct dm_driver *d = &drivers[i];
		switch (d->event) {
		case DM_EV_UP:
			log("driver '%s' running (%u devices)", d->m.driver, d->ndevices);
			changed = true;
			break;
		case DM_EV_DOWN:
			if (!strcmp(d->state, "exited"))
				log("driver '%s' exited with value %lu: restart in %lu ms", d->m.driver,
				    (unsigned long)d->exit_value, (unsigned long)d->event_delay_ms);
			else
				log("driver '%s' %s: restart in %lu ms", d->m.driver, d->state,
				    (unsigned long)d->event_delay_ms);
			changed = true;
			break;
		case DM_EV_HEARTBEAT_RESTART:
			log("driver '%s' restarted by init after missed heartbeats (%u restarts)",
			    d->m.driver, d->restarts);
			changed = true;
			break;
		case DM_EV_NONE:
		case DM_EV_REQUEST:   /* dm_request's, logged in on_restart */
			break;
		}
	}
	if (down)
		restart_due();
	else if (changed)
		publish(&out_report, write_report);
}

/* Restart requests (ROM "restart", optional; dm_request): a user (or a
 * test) restarts a driver at once. */
static void on_restart(void *arg)
{
	struct dm_error err;
	unsigned n;

	(void)arg;
	bool changed = config_rom_update(&restart_rom);
	bool first = !restart_rom_read;
	restart_rom_read = true;
	if (!changed || !restart_rom.node)
		return;
	if (!dm_request(drivers, ndrivers, restart_rom.node, first, &n, &err)) {
		log("error: restart:%u:%u: %s: request ignored", err.line, err.col, err.msg);
		return;
	}
	for (unsigned i = 0; i < ndrivers; i++)
		if (drivers[i].event == DM_EV_REQUEST)
			log("driver '%s' restarted on request (%u restarts)", drivers[i].m.driver,
			    drivers[i].restarts);
	if (n)
		publish_configs();
}

/* ---- devices ---- */

static void on_devices(void *arg)
{
	(void)arg;
	if (!config_rom_update(&devices_rom) && devices_rom.err.msg) {
		log("error: devices:%u:%u: %s", devices_rom.err.line, devices_rom.err.col,
		    devices_rom.err.msg);
		return;
	}
	const struct cfg_node *d = devices();
	if (d && !cfg_is(d, "devices")) {
		log("error: devices:%u:%u: expected <devices>", d->line, d->col);
		return;
	}
	unsigned before[MAX_DRIVERS];
	for (unsigned i = 0; i < ndrivers; i++)
		before[i] = drivers[i].phase == DM_IDLE;
	unclaimed = dm_assign(drivers, ndrivers, d);
	for (unsigned i = 0; i < ndrivers; i++) {
		if (!drivers[i].valid)
			continue;
		if (before[i] && drivers[i].phase == DM_DEFERRED)
			log("driver '%s' needed for %u devices: starts once the %s fallback is gone",
			    drivers[i].m.driver, drivers[i].ndevices, drivers[i].m.kind);
		else if (before[i] && drivers[i].phase != DM_IDLE)
			log("driver '%s' needed for %u devices: started", drivers[i].m.driver,
			    drivers[i].ndevices);
		else if (!before[i] && drivers[i].phase == DM_IDLE)
			log("driver '%s' no longer needed: stopped", drivers[i].m.driver);
	}
	for (const struct cfg_node *x = cfg_child(d, "device"); x; x = cfg_next(x, "device")) {
		const struct dm_driver *o = dm_owner(drivers, ndrivers, x);
		if (o && o->m.fallback_for && !o->ndevices && cfg_attr(x, "name"))
			log("device %s: left to a %s driver, not to the fallback '%s'",
			    cfg_attr(x, "name"), o->m.fallback_for, o->m.driver);
		if (!o && cfg_attr(x, "name"))
			log("device %s (%s %s) has no driver", cfg_attr(x, "name"),
			    cfg_attr(x, "type") ? cfg_attr(x, "type") : "?",
			    cfg_attr(x, "class") ? cfg_attr(x, "class") : "");
	}
	publish_configs();
}

/* ---- config ---- */

static bool bad(const struct cfg_node *n, const char *what)
{
	log("error: config:%u:%u: %s", n->line, n->col, what);
	return false;
}

static bool read_settings(const struct cfg_node *c)
{
	static const char *const attrs[] = { "subsystem", "heartbeat_ms", "backoff_ms",
					     "backoff_max_ms", "stable_ms", "verbose", 0 };

	if (!cfg_is(c, "config"))
		return bad(c, "expected <config>");
	for (const struct cfg_attr *a = c->attrs; a; a = a->next) {
		bool ok = false;
		for (unsigned i = 0; attrs[i]; i++)
			ok |= !strcmp(a->name, attrs[i]);
		if (!ok)
			return bad(c, "unknown attribute");
	}
	settings.subsystem = cfg_attr(c, "subsystem") ? cfg_attr(c, "subsystem") : "drivers";
	if (!settings.subsystem[0] || strlen(settings.subsystem) > 40)
		return bad(c, "subsystem must be a name of 1 to 40 characters");
	if (cfg_attr_u64(c, "heartbeat_ms", 500, &settings.heartbeat_ms) < 0 ||
	    cfg_attr_u64(c, "backoff_ms", 20, &settings.backoff_ms) < 0 ||
	    cfg_attr_u64(c, "backoff_max_ms", 1000, &settings.backoff_max_ms) < 0 ||
	    cfg_attr_u64(c, "stable_ms", 5000, &settings.stable_ms) < 0 ||
	    !settings.backoff_ms || settings.backoff_max_ms < settings.backoff_ms ||
	    settings.backoff_max_ms > 3600000)
		return bad(c, "heartbeat_ms, backoff_ms (> 0), backoff_max_ms (>= backoff_ms, "
			      "up to an hour), stable_ms must be numbers");
	if (cfg_attr_bool(c, "verbose", false, &verbose) < 0)
		return bad(c, "verbose must be yes or no");
	for (const struct cfg_node *n = c->child; n; n = n->next)
		if (!cfg_is(n, "driver") && !cfg_is(n, "bundle") && !cfg_is(n, "parent-provides") &&
		    !cfg_is(n, "platform"))
			return bad(n, "unknown node (driver, bundle, parent-provides, platform)");
	settings.parent_provides = cfg_child(c, "parent-provides");
	settings.platform = cfg_child(c, "platform");
	if (!settings.parent_provides)
		return bad(c, "<parent-provides> of the drivers subsystem is missing");
	return true;
}

/* The optional ROM "manifests": <manifests> <manifest driver=...> ...
 * </manifests>, many drivers' manifests in one boot module (the kernel
 * takes 16); NULL without it. */
static const struct cfg_node *manifests_bundle(void)
{
	static struct config_rom r;

	if (config_rom_open(&r, "manifests", 0, 0, 0) != RPC_OK)
		return 0;   /* not routed or not there: ROMs per driver only */
	if (!config_rom_update(&r)) {
		log("error: manifests:%u:%u: %s: the bundle is left out", r.err.line, r.err.col,
		    r.err.msg ? r.err.msg : "empty");
		return 0;
	}
	if (!cfg_is(r.node, "manifests")) {
		log("error: manifests:%u:%u: expected <manifests>: the bundle is left out",
		    r.node->line, r.node->col);
		return 0;
	}
	for (const struct cfg_node *m = r.node->child; m; m = m->next)
		if (!cfg_is(m, "manifest"))
			log("error: manifests:%u:%u: unknown node (manifest) ignored", m->line,
			    m->col);
	return r.node;
}

static bool known(const char *d)
{
	for (unsigned i = 0; i < ndrivers; i++)
		if (drivers[i].m.driver && !strcmp(drivers[i].m.driver, d))
			return true;
	return false;
}

/* Is driver d named by a <driver> of the config? */
static bool named(const struct cfg_node *c, const char *d)
{
	for (const struct cfg_node *n = cfg_child(c, "driver"); n; n = cfg_next(n, "driver"))
		if (cfg_attr_is(n, "name", d))
			return true;
	return false;
}

/* Driver d from the bundle's <manifest driver=d> (m), else from ROM
 * "d.manifest". */
static void add_driver(const struct cfg_node *at, const char *d, const struct cfg_node *m)
{
	char name[128];
	struct dm_error err;
	rpc_status_t st;

	if (ndrivers == MAX_DRIVERS) {
		bad(at, "more than 64 drivers: the rest is left out");
		return;
	}
	struct config_rom *r = &manifest_roms[ndrivers];
	struct dm_driver *x = &drivers[ndrivers++];
	x->state = "idle";
	x->m.driver = d;
	snprintf(name, sizeof(name), m ? "manifests" : "%s.manifest", d);
	if (!m && (st = config_rom_open(r, name, 0, 0, 0)) != RPC_OK) {
		log("error: driver '%s': no ROM '%s' (%s) and no <manifest driver=\"%s\"> in "
		    "ROM 'manifests': left out", d, name, rpc_status_name(st), d);
		return;
	}
	if (!m && !config_rom_update(r)) {
		log("error: %s:%u:%u: %s: driver left out", name, r->err.line, r->err.col,
		    r->err.msg ? r->err.msg : "empty");
		return;
	}
	if (!m)
		m = r->node;
	if (!dm_manifest_read(&x->m, m, &err)) {
		log("error: %s:%u:%u: %s: driver left out", name, err.line, err.col, err.msg);
		x->m.driver = d;
		return;
	}
	if (strcmp(x->m.driver, d)) {
		log("error: %s: driver=\"%s\" is not '%s': driver left out", name, x->m.driver, d);
		x->m.driver = d;
		return;
	}
	x->valid = true;
}

/* The config's <driver>s in order; <bundle/> stands for every manifest of
 * ROM "manifests" that no <driver> of the config names, in bundle order. */
static void read_manifests(const struct cfg_node *c)
{
	const struct cfg_node *bundle = manifests_bundle();

	for (const struct cfg_node *n = c->child; n; n = n->next) {
		if (cfg_is(n, "bundle")) {
			if (!bundle) {
				bad(n, "<bundle/> but no ROM 'manifests'");
				continue;
			}
			for (const struct cfg_node *m = cfg_child(bundle, "manifest"); m;
			     m = cfg_next(m, "manifest")) {
				const char *d = cfg_attr(m, "driver");
				if (!d || !d[0] || strlen(d) > 100) {
					log("error: manifests:%u:%u: <manifest> needs driver= (up to 100 "
					    "characters): left out", m->line, m->col);
					continue;
				}
				if (!named(c, d) && !known(d))
					add_driver(n, d, m);
			}
			continue;
		}
		if (!cfg_is(n, "driver"))
			continue;
		const char *d = cfg_attr(n, "name");
		const struct cfg_node *m = 0;
		if (!d || !d[0] || strlen(d) > 100) {
			bad(n, "<driver> needs a name (up to 100 characters)");
			continue;
		}
		if (known(d)) {
			bad(n, "driver named twice: left out");
			continue;
		}
		/* the bundle's <manifest driver=d> first, else ROM "d.manifest" */
		for (m = bundle ? cfg_child(bundle, "manifest") : 0; m; m = cfg_next(m, "manifest"))
			if (cfg_attr_is(m, "driver", d))
				break;
		add_driver(n, d, m);
	}
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if ((st = config_rom_open(&config, "config", 0, 0, 0)) != RPC_OK ||
	    !config_rom_update(&config)) {
		if (config.err.msg)
			log("error: config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		else
			log("error: no config (%s)", rpc_status_name(st));
		component_exit(1);
	}
	if (!read_settings(config.node))
		component_exit(1);
	read_manifests(config.node);
	if ((st = timer_connect(&timer, "backoff")) != RPC_OK ||
	    (st = signal_handler_init(&env->ep, &backoff_sigh, on_timer, 0)) != RPC_OK ||
	    (st = timer_connection_sigh(&timer, backoff_sigh.cap)) != RPC_OK) {
		log("error: Timer session: %s", rpc_status_name(st));
		component_exit(2);
	}
	unsigned valid = 0;
	for (unsigned i = 0; i < ndrivers; i++)
		valid += drivers[i].valid;
	log("%u drivers known (%u manifests left out)", valid, ndrivers - valid);
	/* platform's static policies at once: pci_decode waits for them */
	publish_configs();
	if ((st = config_rom_open(&devices_rom, "devices", &env->ep, on_devices, 0)) != RPC_OK ||
	    (st = config_rom_open(&state_rom, "drivers_state", &env->ep, on_state, 0)) != RPC_OK) {
		log("error: ROM session: %s", rpc_status_name(st));
		component_exit(2);
	}
	on_devices(0);
	on_state(0);
	/* restart requests: optional (not routed: none) */
	if (config_rom_open(&restart_rom, "restart", &env->ep, on_restart, 0) == RPC_OK)
		on_restart(0);
}
