/*
 * The platform driver (docs/devices.md): owns PCI configuration space
 * and serves Platform sessions (platform_session.h) to the components its
 * config names by label. One thread: the main entrypoint serves the
 * sessions, the config and report ROMs and the interrupts.
 *
 * Trusts its parent (which routes and pays its sessions) and core. The
 * config ROM is re-read whenever it changes; a session's policy is looked
 * up in the config in effect at every request, so a policy that goes away
 * takes the session's rights with it. Clients are trusted for nothing:
 * every word of a request is checked before it is used.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <pci_class.h>
#include <rom_server.h>
#include <timer_session.h>
#include <arch/syscall.h>
#include "pci.h"
#include "platform.h"

bool verbose;

static struct component_env *env;
static struct config_rom config;
static struct timer_connection timer;
static bool have_timer;

/* ---- policies ---- */

/* A policy platform understands (policy_problem, model.c); with say, the
 * first problem is logged with its line and column. */
static bool policy_valid(const struct cfg_node *p, bool say)
{
	const struct cfg_node *at = p;
	const char *why = policy_problem(p, &at);

	if (why && say)
		log("error: config:%u:%u: %s (the policy is ignored)", at->line, at->col, why);
	return !why;
}

const struct cfg_node *policy_of(const char *label)
{
	if (!config.node)
		return 0;
	for (const struct cfg_node *p = cfg_child(config.node, "policy"); p;
	     p = cfg_next(p, "policy"))
		if (policy_valid(p, false) && policy_matches(p, label))
			return p;
	return 0;
}

bool policy_pci_config(const struct cfg_node *policy)
{
	bool b = false;

	return policy && cfg_attr_bool(policy, "pci_config", false, &b) > 0 && b;
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	if (!config.node) {
		if (config.err.msg)
			log("error: config:%u:%u: %s (no policies in effect)", config.err.line,
			    config.err.col, config.err.msg);
		return;
	}
	const struct cfg_node *n = config.node;
	if (!cfg_is(n, "config")) {
		log("error: config:%u:%u: expected <config>", n->line, n->col);
		return;
	}
	bool v = false;
	if (cfg_attr_bool(n, "verbose", false, &v) < 0)
		log("error: config:%u:%u: verbose must be yes or no", n->line, n->col);
	verbose = v;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (cfg_is(c, "policy"))
			policy_valid(c, true);
		else
			log("error: config:%u:%u: unknown node (policy) ignored", c->line, c->col);
	}
	devices_version++;   /* what a session sees may have changed */
	sessions_changed();
}

/* ---- sessions ---- */

static struct session_server server;

struct session *sessions_first(void)
{
	return (struct session *)server.sessions;
}

struct session *sessions_next(struct session *s)
{
	return (struct session *)s->ss.next;
}

void sessions_changed(void)
{
	for (struct session *s = sessions_first(); s; s = sessions_next(s)) {
		const struct cfg_node *p = policy_of(s->ss.label);
		for (int i = 0; i < MAX_HELD; i++) {
			struct pdev *d = s->held[i];
			if (d && !policy_permits(p, d)) {
				log("%s taken from \"%s\": its policy no longer names it", d->name,
				    s->ss.label);
				device_release(d);
			}
		}
		if (s->devices_sigh && s->devices_version != devices_version)
			sys_signal(s->devices_sigh);
	}
}

void platform_delay_ms(unsigned ms)
{
	if (have_timer) {
		sleep_us(&timer, (uint64_t)ms * 1000);
		return;
	}
	/* no Timer routed: wait a bounded number of config-space reads
	 * (each a trip through the kernel, several microseconds) */
	for (unsigned long i = 0; i < (unsigned long)ms * 200; i++)
		(void)pci_rd(0, PCI_VENDOR, 2);
}

static rpc_status_t do_devices(struct platform_devices_call *c)
{
	struct session *s = c->obj;
	const struct cfg_node *p = policy_of(s->ss.label);
	size_t len = devices_print(p, 0, 0);
	word_t pages = PAGES(len + 1), at;
	rpc_status_t st;

	if (s->devices_ds) {
		pd_free_ram(COMPONENT_PD, s->devices_ds);
		cap_slot_free(s->devices_ds);
		budget_give(&s->ss.budget, DS_COST(s->devices_pages), 1);
		s->devices_ds = 0;
	}
	if (!budget_take(&s->ss.budget, DS_COST(pages), 1))
		return RPC_E_NO_RAM_QUOTA;
	st = pd_alloc_ram(COMPONENT_PD, pages * 4096, &s->devices_ds);
	if (st == RPC_OK) {
		st = pd_attach(COMPONENT_PD, s->devices_ds, 0, 0, 0, ATTACH_WRITE, &at);
		if (st == RPC_OK) {
			devices_print(p, (char *)at, pages * 4096);
			pd_detach(COMPONENT_PD, at);
		} else {
			pd_free_ram(COMPONENT_PD, s->devices_ds);
			cap_slot_free(s->devices_ds);
		}
	}
	if (st != RPC_OK) {
		s->devices_ds = 0;
		budget_give(&s->ss.budget, DS_COST(pages), 1);
		return st == RPC_E_NO_RAM_QUOTA ? st : RPC_E_UNAVAILABLE;
	}
	s->devices_pages = pages;
	s->devices_version = devices_version;
	c->out.ds = s->devices_ds;
	c->out.size = len;
	c->out.version = devices_version;
	return RPC_OK;
}

static rpc_status_t do_devices_sigh(struct platform_devices_sigh_call *c)
{
	struct session *s = c->obj;
	rpc_status_t st = rpc_take_sigh(c->in.ntfn, &s->devices_sigh, true);

	if (st == RPC_OK && s->devices_sigh && s->devices_version != devices_version)
		sys_signal(s->devices_sigh);
	return st;
}

static rpc_status_t do_acquire(struct platform_acquire_call *c)
{
	struct session *s = c->obj;
	struct pdev *d = device_by_name(c->in.name);
	rpc_status_t st;

	if (!d || !policy_permits(policy_of(s->ss.label), d))
		return RPC_E_DENIED;
	st = device_acquire(s, d);
	if (st == RPC_OK)
		c->out.handle = device_handle(s, d);
	return st;
}

static rpc_status_t do_release(struct platform_release_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);

	if (!d)
		return RPC_E_INVALID_ARGUMENT;
	device_release(d);
	dev_closes_flush();   /* the client's call: no parent waits for us */
	return RPC_OK;
}

static rpc_status_t do_io_mem(struct platform_io_mem_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);
	rpc_status_t st;

	if (!d || c->in.flags & ~(word_t)PLATFORM_WC || c->in.index >= MAX_BARS)
		return RPC_E_INVALID_ARGUMENT;
	st = device_iomem(d, c->in.index, c->in.flags & PLATFORM_WC);
	if (st != RPC_OK)
		return st;
	c->out.ds = d->iomem_ds[c->in.index];
	c->out.size = d->bar[c->in.index].size;
	c->out.offset = d->bar[c->in.index].base & 0xfff;
	return RPC_OK;
}

static rpc_status_t do_io_port(struct platform_io_port_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);
	struct range *r = 0;
	rpc_status_t st;

	if (!d)
		return RPC_E_INVALID_ARGUMENT;
	st = device_ioport(d, c->in.index, &r);
	if (st != RPC_OK)
		return st;
	c->out.port = d->ioport_cap[c->in.index];
	c->out.base = r->base;
	c->out.size = r->size;
	return RPC_OK;
}

static rpc_status_t do_irq(struct platform_irq_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);

	if (!d)
		return RPC_E_INVALID_ARGUMENT;
	rpc_status_t st = irq_open(d, c->in.index, c->in.ntfn, &c->out.kind);
	if (st == RPC_OK)
		platform_report();
	return st;
}

static rpc_status_t do_irq_ack(struct platform_irq_ack_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);

	if (!d)
		return RPC_E_INVALID_ARGUMENT;
	return irq_ack_vector(d, c->in.index);
}

static rpc_status_t do_dma_alloc(struct platform_dma_alloc_call *c)
{
	uint64_t addr = 0;
	rpc_status_t st = dma_alloc(c->obj, c->in.size, c->in.flags, &c->out.ds, &addr);

	c->out.addr = addr;
	return st;
}

static rpc_status_t do_dma_free(struct platform_dma_free_call *c)
{
	return dma_free(c->obj, c->in.addr);
}

static rpc_status_t do_config_read(struct platform_config_read_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);
	uint32_t v = 0;
	rpc_status_t st;

	if (!d || c->in.offset > 0xffff || c->in.width > 4)
		return RPC_E_INVALID_ARGUMENT;
	st = device_config_read(d, (unsigned)c->in.offset, (unsigned)c->in.width, &v);
	c->out.value = v;
	return st;
}

static rpc_status_t do_config_write(struct platform_config_write_call *c)
{
	struct pdev *d = held_device(c->obj, c->in.handle);

	if (!d || c->in.offset > 0xffff || c->in.width > 4 || c->in.value > 0xffffffffu)
		return RPC_E_INVALID_ARGUMENT;
	return device_config_write(d, (unsigned)c->in.offset, (unsigned)c->in.width,
				   (uint32_t)c->in.value);
}

static rpc_status_t do_pci_config_read(struct platform_pci_config_read_call *c)
{
	struct session *s = c->obj;
	uint32_t v;
	rpc_status_t st;

	if (!policy_pci_config(policy_of(s->ss.label)))
		return RPC_E_DENIED;
	if (c->in.bdf > 0xffff || c->in.offset > 0xffff || c->in.width > 4)
		return RPC_E_INVALID_ARGUMENT;
	st = pci_read((unsigned)c->in.bdf, (unsigned)c->in.offset, (unsigned)c->in.width, &v);
	c->out.value = v;
	return st;
}

static rpc_status_t do_pci_config_write(struct platform_pci_config_write_call *c)
{
	struct session *s = c->obj;

	if (!policy_pci_config(policy_of(s->ss.label)))
		return RPC_E_DENIED;
	if (c->in.bdf > 0xffff || c->in.offset > 0xffff || c->in.width > 4 ||
	    c->in.value > 0xffffffffu)
		return RPC_E_INVALID_ARGUMENT;
	return pci_write((unsigned)c->in.bdf, (unsigned)c->in.offset, (unsigned)c->in.width,
			 (uint32_t)c->in.value);
}

static rpc_status_t do_hotplug_sigh(struct platform_hotplug_sigh_call *c)
{
	struct session *s = c->obj;

	if (!policy_pci_config(policy_of(s->ss.label)))
		return RPC_E_DENIED;
	return rpc_take_sigh(c->in.ntfn, &s->hotplug_sigh, true);
}

void hotplug_notify_sessions(void)
{
	for (struct session *s = sessions_first(); s; s = sessions_next(s))
		if (s->hotplug_sigh)
			sys_signal(s->hotplug_sigh);
}

RPC_SERVER(platform, PLATFORM_RPC)

static const struct platform_server ops = {
	.platform_devices = do_devices,
	.platform_devices_sigh = do_devices_sigh,
	.platform_acquire = do_acquire,
	.platform_release = do_release,
	.platform_io_mem = do_io_mem,
	.platform_io_port = do_io_port,
	.platform_irq = do_irq,
	.platform_irq_ack = do_irq_ack,
	.platform_dma_alloc = do_dma_alloc,
	.platform_dma_free = do_dma_free,
	.platform_config_read = do_config_read,
	.platform_config_write = do_config_write,
	.platform_pci_config_read = do_pci_config_read,
	.platform_pci_config_write = do_pci_config_write,
	.platform_hotplug_sigh = do_hotplug_sigh,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	/* a client's request: the parent is not waiting for us, and no
	 * device may be handed out while an old session of it is open */
	dev_closes_flush();
	platform_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

/* What a session costs platform before its first buffer: its record (on
 * the heap) and its device list's dataspace slot. */
#define SESSION_BASE_COST 2048ul

static rpc_status_t create(struct session_server *srv, struct server_session *ss,
			   const char *args)
{
	struct session *s = (struct session *)ss;
	rpc_status_t st;

	(void)srv;
	(void)args;
	if (!policy_of(ss->label)) {
		log("session for \"%s\" denied: no policy matches", ss->label);
		return RPC_E_DENIED;
	}
	s->base_cost = SESSION_BASE_COST + iommu_domain_cost();
	if (!budget_take(&ss->budget, s->base_cost, 2))
		return RPC_E_NO_RAM_QUOTA;
	st = iommu_domain_create(s);
	if (st != RPC_OK) {
		budget_give(&ss->budget, s->base_cost, 2);
		return st;
	}
	if (verbose) {
		struct pd_quota q;
		pd_quota(COMPONENT_PD, &q);
		log("session %lu for \"%s\" (platform: %lu of %lu bytes, %lu of %lu caps used)",
		    ss->id, ss->label, q.ram_used, q.ram_quota, q.cap_used, q.cap_quota);
	}
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	struct session *s = (struct session *)ss;

	(void)srv;
	/* devices first: no bus master may still write into a buffer */
	for (int i = 0; i < MAX_HELD; i++)
		if (s->held[i])
			device_release(s->held[i]);
	dma_free_all(s);
	iommu_domain_destroy(s);
	if (s->devices_ds) {
		pd_free_ram(COMPONENT_PD, s->devices_ds);
		cap_slot_free(s->devices_ds);
	}
	if (s->devices_sigh)
		cap_slot_free(s->devices_sigh);
	if (s->hotplug_sigh)
		cap_slot_free(s->hotplug_sigh);
	if (verbose)
		log("closed session %lu for \"%s\"", ss->id, ss->label);
}

static struct session_server server = {
	.service = PLATFORM_SERVICE,
	.size = sizeof(struct session),
	.ram = PLATFORM_SESSION_RAM,
	.caps = PLATFORM_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	st = pci_init();
	if (st != RPC_OK) {
		log("error: no PCI configuration ports 0xcf8..0xcff: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK) {
		log("error: no config ROM: %s", rpc_status_name(st));
		component_exit(1);
	}
	config_changed(0);
	have_timer = timer_connect(&timer, "flr") == RPC_OK;
	irq_init(&env->ep);
	hotplug_init(&env->ep);
	st = dev_closes_init(&env->ep);
	if (st != RPC_OK) {
		log("error: no signal for deferred closes: %s", rpc_status_name(st));
		component_exit(1);
	}
	dma_init();
	devices_init(&env->ep);
	if (!iommu_present())
		dmar_from_tables(&env->ep);
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
	if (!pci_has_ecam())
		log("PCI configuration: mechanism #1 (ports 0xcf8..0xcff)");
	if (!iommu_present())
		log("no IOMMU (none named by an acpi report): DMA unprotected");
}
