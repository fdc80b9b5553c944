/*
 * The OS services layer of ACPICA on Argil (the acpi_os_* functions of
 * <acpi/acpiosxf.h>), threading model in osl.h.
 *
 * Memory: physical memory (the tables, AML SystemMemory regions) is
 * mapped through IO_MEM sessions at core, one session per physical page,
 * opened on first use and kept (core hands a range to one session only, and
 * ACPICA maps the same pages again and again). A mapping of several pages
 * attaches each page's dataspace at consecutive addresses of a window of
 * our own address space.
 *
 * Ports: osl_ports.c.
 *
 * Trusts: the tables (the firmware's) for what they say; nothing else.
 */
#include <acpi/acpi.h>
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <timer_session.h>
#include "osl.h"
#include "text.h"

#define PAGE 4096ul

static struct timer_connection timer;
static struct entrypoint *main_ep;
static uint64_t rsdp_phys;

/* ---- memory ---- */

/* a physical page with its IO_MEM session and dataspace */
struct phys_page {
	uint64_t phys;
	struct parent_conn session;
	cptr_t ds;
	struct phys_page *next;
};

/* A slot of the mapping window: a run of virtual pages (and a guard page
 * after it), reused after ACPICA unmaps it, so that AML regions mapped
 * and unmapped at every access do not use up the window (or core's page
 * tables for it). */
struct mapping {
	word_t virt;            /* page-aligned start */
	word_t pages;           /* the slot's size */
	word_t used;            /* pages attached now; 0: free */
	uint64_t phys;          /* the physical page attached at virt */
	struct mapping *next;
};

#define MAP_WINDOW 0x0000700000000000ull  /* our mappings, far above "anywhere" */
#define MAP_WINDOW_END 0x00007c0000000000ull
#define SLOT_TAKEN ~0ull                   /* phys of a slot never to be used */

static struct phys_page *pages;
static struct mapping *mappings;
static word_t map_next = MAP_WINDOW;

static struct phys_page *page_session(uint64_t phys)
{
	struct phys_page *p;
	char args[64];
	rpc_status_t st;

	for (p = pages; p; p = p->next)
		if (p->phys == phys)
			return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return 0;
	p->phys = phys;
	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", (unsigned long)phys);
	st = parent_conn_open(&p->session, "IO_MEM", "acpi", args, DEV_SESSION_RAM,
			      DEV_SESSION_CAPS);
	if (st == RPC_OK)
		st = io_mem_dataspace(p->session.cap, &p->ds, 0, 0);
	if (st != RPC_OK) {
		acpi_log("error: no IO_MEM session for 0x%lx: %s", (unsigned long)phys,
			 rpc_status_name(st));
		parent_conn_close(&p->session);
		free(p);
		return 0;
	}
	p->next = pages;
	pages = p;
	return p;
}

/* A free slot of at least n pages, or a new one from the window. */
static struct mapping *slot_for(word_t n)
{
	struct mapping *m;

	for (m = mappings; m; m = m->next)
		if (!m->used && m->pages >= n)
			return m;
	if (map_next + (n + 1) * PAGE > MAP_WINDOW_END) {
		acpi_log("error: the mapping window is full");
		return 0;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return 0;
	m->virt = map_next;
	m->pages = n;
	map_next += (n + 1) * PAGE;   /* a guard page between slots */
	m->next = mappings;
	mappings = m;
	return m;
}

void *acpi_os_map_memory(acpi_physical_address where, acpi_size length)
{
	uint64_t first = where & ~(PAGE - 1);
	uint64_t end = (where + length + PAGE - 1) & ~(PAGE - 1);
	word_t n = (end - first) / PAGE, i;
	rpc_status_t st = RPC_OK;
	struct mapping *m;

	if (!length || end < first)
		return 0;
	for (;;) {
		m = slot_for(n);
		if (!m)
			return 0;
		for (i = 0; i < n; i++) {
			struct phys_page *p = page_session(first + i * PAGE);
			word_t at = m->virt + i * PAGE;
			if (!p)
				break;
			st = pd_attach(COMPONENT_PD, p->ds, at, PAGE, 0, ATTACH_FIXED | ATTACH_WRITE, &at);
			if (st != RPC_OK)
				break;
		}
		if (i == n)
			break;
		for (word_t j = 0; j < i; j++)
			pd_detach(COMPONENT_PD, m->virt + j * PAGE);
		if (st != RPC_E_EXISTS) {
			if (st != RPC_OK)
				acpi_log("error: attaching 0x%lx: %s", (unsigned long)(first + i * PAGE),
					 rpc_status_name(st));
			return 0;
		}
		/* something else of ours sits there: never use this slot */
		m->used = m->pages;
		m->phys = SLOT_TAKEN;
	}
	m->used = n;
	m->phys = first;
	return (void *)(m->virt + (where - first));
}

void acpi_os_unmap_memory(void *where, acpi_size length)
{
	word_t virt = (word_t)where & ~(PAGE - 1);

	(void)length;
	for (struct mapping *m = mappings; m; m = m->next) {
		if (m->virt != virt || !m->used || m->phys == SLOT_TAKEN)
			continue;
		for (word_t i = 0; i < m->used; i++)
			pd_detach(COMPONENT_PD, m->virt + i * PAGE);
		m->used = 0;
		return;
	}
	acpi_log("error: ACPICA unmaps %p, which is not mapped", where);
}

/* A mapping in place that covers [phys, phys + bytes), NULL if none. */
static void *mapped(uint64_t phys, unsigned bytes)
{
	for (struct mapping *m = mappings; m; m = m->next)
		if (m->used && m->phys != SLOT_TAKEN && phys >= m->phys &&
		    phys + bytes <= m->phys + m->used * PAGE)
			return (void *)(m->virt + (phys - m->phys));
	return 0;
}

acpi_status acpi_os_get_physical_address(void *logical, acpi_physical_address *physical)
{
	(void)logical;
	(void)physical;
	return AE_NOT_IMPLEMENTED;   /* ACPICA's debugger only */
}

acpi_status acpi_os_read_memory(acpi_physical_address address, u64 *value, u32 width)
{
	void *in_place = mapped(address, width / 8);
	void *p = in_place ? in_place : acpi_os_map_memory(address, width / 8);

	if (!p)
		return AE_NO_MEMORY;
	switch (width) {
	case 8: *value = *(volatile u8 *)p; break;
	case 16: *value = *(volatile u16 *)p; break;
	case 32: *value = *(volatile u32 *)p; break;
	case 64: *value = *(volatile u64 *)p; break;
	default:
		if (!in_place)
			acpi_os_unmap_memory(p, width / 8);
		return AE_BAD_PARAMETER;
	}
	if (!in_place)
		acpi_os_unmap_memory(p, width / 8);
	return AE_OK;
}

acpi_status acpi_os_write_memory(acpi_physical_address address, u64 value, u32 width)
{
	void *in_place = mapped(address, width / 8);
	void *p = in_place ? in_place : acpi_os_map_memory(address, width / 8);

	if (!p)
		return AE_NO_MEMORY;
	switch (width) {
	case 8: *(volatile u8 *)p = (u8)value; break;
	case 16: *(volatile u16 *)p = (u16)value; break;
	case 32: *(volatile u32 *)p = (u32)value; break;
	case 64: *(volatile u64 *)p = value; break;
	default:
		if (!in_place)
			acpi_os_unmap_memory(p, width / 8);
		return AE_BAD_PARAMETER;
	}
	if (!in_place)
		acpi_os_unmap_memory(p, width / 8);
	return AE_OK;
}

void *acpi_os_allocate(acpi_size size)
{
	return malloc(size);
}

void acpi_os_free(void *memory)
{
	free(memory);
}

/* ---- PCI configuration space ---- */

acpi_status acpi_os_read_pci_configuration(struct acpi_pci_id *id, u32 reg, u64 *value,
					   u32 width)
{
	uint32_t v;
	unsigned bdf = (unsigned)id->bus << 8 | (unsigned)id->device << 3 | id->function;

	if (width == 64) {
		uint32_t hi;
		if (!pci_config_read(id->segment, bdf, reg, 4, &v) ||
		    !pci_config_read(id->segment, bdf, reg + 4, 4, &hi))
			return AE_ERROR;
		*value = (u64)hi << 32 | v;
		return AE_OK;
	}
	if (!pci_config_read(id->segment, bdf, reg, width / 8, &v))
		return AE_ERROR;
	*value = v;
	return AE_OK;
}

acpi_status acpi_os_write_pci_configuration(struct acpi_pci_id *id, u32 reg, u64 value,
					    u32 width)
{
	unsigned bdf = (unsigned)id->bus << 8 | (unsigned)id->device << 3 | id->function;

	if (width == 64)
		return pci_config_write(id->segment, bdf, reg, 4, (uint32_t)value) &&
		       pci_config_write(id->segment, bdf, reg + 4, 4, (uint32_t)(value >> 32)) ?
		       AE_OK : AE_ERROR;
	return pci_config_write(id->segment, bdf, reg, width / 8, (uint32_t)value) ? AE_OK :
										  AE_ERROR;
}

/* ---- the SCI ---- */

struct sci {
	u32 gsi;
	acpi_osd_handler handler;
	void *context;
	cptr_t session;
	word_t id;
	struct signal_handler sig;
};

static struct sci sci;
static char sci_args[96];

void osl_set_sci_mode(bool level, bool low)
{
	snprintf(sci_args, sizeof(sci_args), "trigger=%s, polarity=%s", level ? "level" : "edge",
		 low ? "low" : "high");
}

static void on_sci(void *arg)
{
	(void)arg;
	if (sci.handler)
		sci.handler(sci.context);
	irq_ack(sci.session);
	osl_run_deferred();
}

acpi_status acpi_os_install_interrupt_handler(u32 gsi, acpi_osd_handler handler, void *context)
{
	char args[128];
	rpc_status_t st;

	if (sci.handler)
		return AE_ALREADY_EXISTS;
	snprintf(args, sizeof(args), "irq=%u, %s", gsi,
		 sci_args[0] ? sci_args : "trigger=level, polarity=low");
	st = parent_session(COMPONENT_PARENT, "IRQ", "acpi", args, DEV_SESSION_RAM,
			    DEV_SESSION_CAPS, 0, &sci.session, &sci.id);
	if (st == RPC_OK)
		st = signal_handler_init(main_ep, &sci.sig, on_sci, 0);
	if (st == RPC_OK)
		st = irq_sigh(sci.session, sci.sig.cap);
	if (st != RPC_OK) {
		acpi_log("error: SCI (GSI %u, %s): %s", gsi, args, rpc_status_name(st));
		return AE_ERROR;
	}
	sci.gsi = gsi;
	sci.handler = handler;
	sci.context = context;
	return AE_OK;
}

acpi_status acpi_os_remove_interrupt_handler(u32 gsi, acpi_osd_handler handler)
{
	if (!sci.handler || sci.gsi != gsi || sci.handler != handler)
		return AE_NOT_EXIST;
	sci.handler = 0;   /* the IRQ session stays: ACPICA installs it once */
	return AE_OK;
}

/* ---- threads, locks, semaphores (single-threaded, osl.h) ---- */

struct deferred {
	acpi_osd_exec_callback fn;
	void *context;
	struct deferred *next;
};

static struct deferred *deferred_first, **deferred_last = &deferred_first;

acpi_status acpi_os_execute(acpi_execute_type type, acpi_osd_exec_callback fn, void *context)
{
	struct deferred *d = malloc(sizeof(*d));

	(void)type;
	if (!d)
		return AE_NO_MEMORY;
	d->fn = fn;
	d->context = context;
	d->next = 0;
	*deferred_last = d;
	deferred_last = &d->next;
	return AE_OK;
}

void osl_run_deferred(void)
{
	while (deferred_first) {
		struct deferred *d = deferred_first;
		deferred_first = d->next;
		if (!deferred_first)
			deferred_last = &deferred_first;
		d->fn(d->context);
		free(d);
	}
}

void acpi_os_wait_events_complete(void)
{
	osl_run_deferred();
}

acpi_thread_id acpi_os_get_thread_id(void)
{
	return 1;   /* the one thread ACPICA runs on (0 means "none" to ACPICA) */
}

acpi_status acpi_os_create_lock(acpi_spinlock *out)
{
	*out = (acpi_spinlock)1;   /* nothing to lock against */
	return AE_OK;
}

void acpi_os_delete_lock(acpi_spinlock lock)
{
	(void)lock;
}

acpi_cpu_flags acpi_os_acquire_lock(acpi_spinlock lock)
{
	(void)lock;
	return 0;
}

void acpi_os_release_lock(acpi_spinlock lock, acpi_cpu_flags flags)
{
	(void)lock;
	(void)flags;
}

struct semaphore {
	u32 units, max;
};

acpi_status acpi_os_create_semaphore(u32 max, u32 initial, acpi_semaphore *out)
{
	struct semaphore *s = malloc(sizeof(*s));

	if (!s)
		return AE_NO_MEMORY;
	s->units = initial;
	s->max = max;
	*out = s;
	return AE_OK;
}

acpi_status acpi_os_delete_semaphore(acpi_semaphore handle)
{
	free(handle);
	return AE_OK;
}

acpi_status acpi_os_wait_semaphore(acpi_semaphore handle, u32 units, u16 timeout)
{
	struct semaphore *s = handle;

	if (!s)
		return AE_BAD_PARAMETER;
	if (s->units >= units) {
		s->units -= units;
		return AE_OK;
	}
	/* single-threaded: nobody could signal it while we waited */
	if (timeout == ACPI_WAIT_FOREVER)
		acpi_log("error: ACPICA waits forever on a semaphore nobody can signal");
	return AE_TIME;
}

acpi_status acpi_os_signal_semaphore(acpi_semaphore handle, u32 units)
{
	struct semaphore *s = handle;

	if (!s)
		return AE_BAD_PARAMETER;
	if (s->units + units > s->max)
		return AE_LIMIT;
	s->units += units;
	return AE_OK;
}

/* The FACS global lock (acargil.h): bit 0 pending, bit 1 owned. */
int acpi_argil_acquire_global_lock(void *facs)
{
	volatile u32 *lock = &((struct acpi_table_facs *)facs)->global_lock;
	u32 old, new;

	do {
		old = *lock;
		new = (old & ~3u) | 2u | ((old & 2u) ? 1u : 0u);
	} while (!__atomic_compare_exchange_n(lock, &old, new, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return !(old & 2u);
}

int acpi_argil_release_global_lock(void *facs)
{
	volatile u32 *lock = &((struct acpi_table_facs *)facs)->global_lock;
	u32 old, new;

	do {
		old = *lock;
		new = old & ~3u;
	} while (!__atomic_compare_exchange_n(lock, &old, new, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return (int)(old & 1u);
}

/* ---- time ---- */

void acpi_os_sleep(u64 ms)
{
	sleep_us(&timer, ms * 1000);
}

void acpi_os_stall(u32 us)
{
	sleep_us(&timer, us);
}

u64 acpi_os_get_timer(void)
{
	return elapsed_us(&timer) * 10;   /* 100 ns units */
}

/* ---- output ---- */

static char line[512];
static size_t line_len;

void acpi_os_vprintf(const char *fmt, va_list args)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, args);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (int i = 0; i < n; i++) {
		if (buf[i] == '\n' || line_len == sizeof(line) - 1) {
			line[line_len] = 0;
			acpi_log("%s", line);
			line_len = 0;
			if (buf[i] == '\n')
				continue;
		}
		line[line_len++] = buf[i];
	}
}

void ACPI_INTERNAL_VAR_XFACE acpi_os_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	acpi_os_vprintf(fmt, ap);
	va_end(ap);
}

/* ---- the rest ---- */

acpi_status acpi_os_initialize(void)
{
	return AE_OK;
}

acpi_status acpi_os_terminate(void)
{
	return AE_OK;
}

acpi_physical_address acpi_os_get_root_pointer(void)
{
	return rsdp_phys;
}

acpi_status acpi_os_predefined_override(const struct acpi_predefined_names *init,
					acpi_string *new_value)
{
	(void)init;
	*new_value = 0;
	return AE_OK;
}

acpi_status acpi_os_table_override(struct acpi_table_header *existing,
				   struct acpi_table_header **new_table)
{
	(void)existing;
	*new_table = 0;
	return AE_OK;
}

acpi_status acpi_os_physical_table_override(struct acpi_table_header *existing,
					    acpi_physical_address *address, u32 *length)
{
	(void)existing;
	*address = 0;
	*length = 0;
	return AE_OK;
}

acpi_status acpi_os_signal(u32 function, void *info)
{
	if (function == ACPI_SIGNAL_FATAL) {
		struct acpi_signal_fatal_info *f = info;
		acpi_log("error: AML Fatal: type 0x%x code 0x%x argument 0x%x", f->type, f->code,
		    f->argument);
	}
	return AE_OK;
}

acpi_status acpi_os_enter_sleep(u8 state, u32 reg_a, u32 reg_b)
{
	(void)state;
	(void)reg_a;
	(void)reg_b;
	return AE_OK;   /* go on: ACPICA writes the sleep registers */
}

bool osl_init(struct entrypoint *ep, uint64_t rsdp)
{
	rpc_status_t st = timer_connect(&timer, "acpi");

	if (st != RPC_OK) {
		acpi_log("error: Timer session: %s", rpc_status_name(st));
		return false;
	}
	main_ep = ep;
	rsdp_phys = rsdp;
	return true;
}
