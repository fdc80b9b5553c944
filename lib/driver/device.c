/*
 * Devices through the Platform session (driver.h): acquire and release,
 * register blocks and port ranges, configuration space, interrupts.
 * Trusts the platform driver (it hands out exactly the device's
 * resources); checks sizes it is given against the dataspaces.
 */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <argil/config.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <driver.h>

/* Whether platform can give the device's interrupt: MSI, MSI-X, a legacy
 * pin routed to a GSI (the acpi report may come after the first devices
 * report), or no pin at all. */
static bool irq_known(const struct cfg_node *d)
{
	const struct cfg_node *i;

	if (cfg_child(d, "msi") || cfg_child(d, "msix"))
		return true;
	for (i = cfg_child(d, "irq"); i; i = cfg_next(i, "irq"))
		if (cfg_has_attr(i, "gsi"))
			return true;
	return !cfg_child(d, "irq");
}

/* What a search looks for: a device named want, or of class cls (24-bit
 * class code), or with one of n ids; with routed only once its interrupt
 * is known. */
struct match {
	const struct drv_id *ids;
	unsigned n;
	const char *want;
	uint64_t cls;
	bool routed;
};

static bool matches(const struct match *m, const struct cfg_node *d)
{
	uint64_t vendor, product, cls;

	if (m->routed && !irq_known(d))
		return false;
	if (m->cls)
		return cfg_attr_u64(d, "class", 0, &cls) > 0 && cls == m->cls;
	if (cfg_attr_u64(d, "vendor", 0, &vendor) <= 0 || cfg_attr_u64(d, "product", 0, &product) <= 0)
		return false;
	for (unsigned i = 0; i < m->n; i++)
		if (m->ids[i].vendor == vendor && m->ids[i].product == product)
			return true;
	return false;
}

/* The devices of the report that match m, at most max, their names into
 * names (max entries of size bytes); *found how many. RPC_E_NOT_FOUND
 * when none does. */
static rpc_status_t find_some(struct platform_connection *p, const struct match *m, char *names,
			      size_t size, unsigned max, unsigned *found)
{
	word_t len, version, dsize, at;
	cptr_t ds;
	size_t asize;
	void *arena = 0;
	struct cfg_node *root;
	unsigned n = 0;
	rpc_status_t st;

	st = platform_devices(p->session, &ds, &len, &version);
	if (st != RPC_OK)
		return st;
	st = ds_info(ds, &dsize, 0, 0);
	if (st == RPC_OK && len > dsize)
		st = RPC_E_INVALID_ARGUMENT;
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, 0, &at);
	if (st != RPC_OK) {
		cap_slot_free(ds);
		return st;
	}
	asize = cfg_arena_size(len);
	arena = malloc(asize);
	root = arena ? cfg_parse((const char *)at, len, arena, asize, 0) : 0;
	if (!arena)
		st = RPC_E_OUT_OF_MEMORY;
	for (struct cfg_node *d = cfg_child(root, "device"); d && st == RPC_OK && n < max;
	     d = cfg_next(d, "device")) {
		const char *nm = cfg_attr(d, "name");
		if (m->want) {
			if (nm && !strcmp(nm, m->want))
				n++;
			continue;
		}
		if (!nm || !matches(m, d))
			continue;
		if (strlen(nm) >= size) {
			st = RPC_E_INVALID_ARGUMENT;
			break;
		}
		memcpy(names + n * size, nm, strlen(nm) + 1);
		n++;
	}
	if (st == RPC_OK && !n)
		st = RPC_E_NOT_FOUND;
	if (found)
		*found = n;
	free(arena);
	pd_detach(COMPONENT_PD, at);
	cap_slot_free(ds);
	return st;
}

/* The first device of the report that matches m, its name into name. */
static rpc_status_t find(struct platform_connection *p, const struct match *m, char *name,
			 size_t size)
{
	return find_some(p, m, name, size, 1, 0);
}

rpc_status_t drv_device_find(struct platform_connection *p, const struct drv_id *ids, unsigned n,
			     char *name, size_t size)
{
	const struct match m = { .ids = ids, .n = n };

	return find(p, &m, name, size);
}

rpc_status_t drv_device_find_all(struct platform_connection *p, const struct drv_id *ids,
				 unsigned n, char names[][PLATFORM_NAME_MAX], unsigned max,
				 unsigned *found)
{
	const struct match m = { .ids = ids, .n = n };

	*found = 0;
	return find_some(p, &m, names[0], PLATFORM_NAME_MAX, max, found);
}

static void devices_changed(void *arg)
{
	*(bool *)arg = true;
}

/* Waits on the component's entrypoint, dispatching what comes meanwhile:
 * the parent's heartbeats above all, which a driver waiting for its
 * device (pci_decode's walk, platform's policy from driver_manager may
 * take seconds on a loaded machine) must answer, or init restarts it. */
static rpc_status_t find_wait(struct platform_connection *p, const struct match *m, char *name,
			      size_t size)
{
	struct entrypoint *ep = &component_env()->ep;
	struct signal_handler h;
	volatile bool changed = false;
	rpc_status_t st;

	h.bit = -1;
	st = signal_handler_init(ep, &h, devices_changed, (void *)&changed);
	if (st != RPC_OK)
		return st;
	st = platform_devices_sigh(p->session, h.cap);
	/* registered first, then looked: a change in between is signalled */
	bool said = false;
	while (st == RPC_OK && (st = find(p, m, name, size)) == RPC_E_NOT_FOUND) {
		if (!said && m->cls)
			log("no device of class 0x%06lx for me yet: waiting until platform offers one",
			    (unsigned long)m->cls);
		else if (!said)
			log("no device for me yet (%s): waiting until platform offers one",
			    m->want ? m->want : "by ID");
		said = true;
		while (!changed)
			ep_dispatch_one(ep);
		changed = false;
		st = RPC_OK;
	}
	platform_devices_sigh(p->session, 0);
	signal_handler_fini(ep, &h);
	return st;
}

rpc_status_t drv_device_find_wait(struct platform_connection *p, const struct drv_id *ids,
				  unsigned n, char *name, size_t size)
{
	const struct match m = { .ids = ids, .n = n };

	return find_wait(p, &m, name, size);
}

rpc_status_t drv_device_find_routed_wait(struct platform_connection *p, const struct drv_id *ids,
					 unsigned n, char *name, size_t size)
{
	const struct match m = { .ids = ids, .n = n, .routed = true };

	return find_wait(p, &m, name, size);
}

rpc_status_t drv_device_find_class_wait(struct platform_connection *p, uint32_t cls, char *name,
					size_t size)
{
	const struct match m = { .cls = cls ? cls : ~0ull };

	return find_wait(p, &m, name, size);
}

rpc_status_t drv_device_wait_named(struct platform_connection *p, const char *name)
{
	const struct match m = { .want = name };

	return find_wait(p, &m, 0, 0);
}

rpc_status_t drv_device_acquire(struct drv_device *d, struct platform_connection *p,
				const char *name)
{
	memset(d, 0, sizeof(*d));
	if (!p || !name || strlen(name) >= sizeof(d->name))
		return RPC_E_INVALID_ARGUMENT;
	d->plat = p;
	memcpy(d->name, name, strlen(name) + 1);
	return platform_acquire(p->session, name, &d->handle);
}

void drv_device_release(struct drv_device *d)
{
	if (d->plat)
		platform_release(d->plat->session, d->handle);
	memset(d, 0, sizeof(*d));
}

rpc_status_t drv_mmio_map(struct drv_device *d, unsigned bar, unsigned flags, struct drv_mmio *m)
{
	word_t size, offset, dsize, at;
	rpc_status_t st;

	memset(m, 0, sizeof(*m));
	st = platform_io_mem(d->plat->session, d->handle, bar, flags, &m->ds, &size, &offset);
	if (st != RPC_OK)
		return st;
	st = ds_info(m->ds, &dsize, 0, 0);
	if (st == RPC_OK && (offset > dsize || size > dsize - offset))
		st = RPC_E_INVALID_ARGUMENT;
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, m->ds, 0, 0, 0, ATTACH_WRITE, &at);
	if (st != RPC_OK) {
		cap_slot_free(m->ds);
		memset(m, 0, sizeof(*m));
		return st;
	}
	m->attached = at;
	m->size = size;
	m->io = reg_io_mmio((volatile uint8_t *)(at + offset));
	return RPC_OK;
}

void drv_mmio_unmap(struct drv_mmio *m)
{
	if (m->attached)
		pd_detach(COMPONENT_PD, m->attached);
	cap_slot_free(m->ds);
	memset(m, 0, sizeof(*m));
}

rpc_status_t drv_ports_get(struct drv_device *d, unsigned index, struct drv_ports *p)
{
	cptr_t cap;
	rpc_status_t st;

	memset(p, 0, sizeof(*p));
	st = platform_io_port(d->plat->session, d->handle, index, &cap, &p->base, &p->size);
	if (st != RPC_OK)
		return st;
	if (p->base > 0xffff || !p->size || p->size > 0x10000 - p->base) {
		cap_slot_free(cap);
		memset(p, 0, sizeof(*p));
		return RPC_E_INVALID_ARGUMENT;
	}
	p->io = reg_io_port(cap, (uint16_t)p->base);
	return RPC_OK;
}

void drv_ports_put(struct drv_ports *p)
{
	cap_slot_free(p->io.port_cap);
	memset(p, 0, sizeof(*p));
}

uint32_t drv_config_read(struct drv_device *d, unsigned offset, unsigned width)
{
	word_t v;

	if (platform_config_read(d->plat->session, d->handle, offset, width, &v) != RPC_OK)
		return width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	return (uint32_t)v;
}

rpc_status_t drv_config_write(struct drv_device *d, unsigned offset, unsigned width, uint32_t value)
{
	return platform_config_write(d->plat->session, d->handle, offset, width, value);
}

/* ---- interrupts ---- */

rpc_status_t drv_irq_open(struct drv_irq *irq, struct drv_device *d, unsigned index, cptr_t sigh)
{
	rpc_status_t st;

	memset(irq, 0, sizeof(*irq));
	irq->dev = d;
	irq->index = index;
	if (!sigh) {
		irq->ntfn = cap_slot_alloc();
		if (!irq->ntfn)
			return RPC_E_OUT_OF_SLOTS;
		st = pd_alloc_ntfn(COMPONENT_PD, irq->ntfn, &irq->ntfn_handle);
		if (st != RPC_OK) {
			slot_free(&component_slots, irq->ntfn);
			irq->ntfn = 0;
			return st;
		}
		sigh = irq->ntfn;
	}
	st = platform_irq(d->plat->session, d->handle, index, sigh, &irq->kind);
	if (st != RPC_OK)
		drv_irq_close(irq);
	return st;
}

void drv_irq_wait(struct drv_irq *irq)
{
	if (irq->ntfn)
		sys_wait(irq->ntfn);
}

rpc_status_t drv_irq_ack(struct drv_irq *irq)
{
	return platform_irq_ack(irq->dev->plat->session, irq->dev->handle, irq->index);
}

void drv_irq_close(struct drv_irq *irq)
{
	if (irq->ntfn) {
		pd_free_obj(COMPONENT_PD, irq->ntfn_handle);
		cap_slot_free(irq->ntfn);
	}
	irq->ntfn = 0;
}
