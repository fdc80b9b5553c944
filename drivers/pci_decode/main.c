/*
 * pci_decode (docs/devices.md): walks PCI configuration space through its
 * Platform session (raw config ops, policy pci_config="yes"), adds the
 * fixed ISA devices, and publishes the `devices` report (Report session
 * "devices"). Re-walks when the acpi report (ROM "acpi") or its own
 * config changes; the config is the hook for hot-plug: a writer that
 * changes it (e.g. `rewalk="N"` counting up) asks for a new walk.
 *
 *   <config log="no" rewalk="0"/>
 *
 * log="yes": every report is also written to the LOG, one line per line
 * (run/pci_test compares it with QEMU's view).
 *
 * Until its Platform session can be had (platform's policy for it may
 * come later, from driver_manager), it asks again every 100 ms on a
 * Timer session.
 *
 * Trusts the platform driver to give config space as it is, and the acpi
 * report and platform_info for nothing but values (pci_walk.h). The ISA
 * probes (PS/2 status port, the serial ports' scratch registers) use
 * IO_PORT sessions at the parent that are closed right after, on the
 * first walk only: a re-walk keeps what was found, so drivers that hold
 * those ports are not disturbed.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <platform_session.h>
#include <report_session.h>
#include <timer_session.h>
#include "pci_walk.h"

#define MAX_FUNCS 256
#define MAX_ROUTES 2048

static struct component_env *env;
static struct platform_connection platform;
static struct config_rom config, acpi_rom, platform_info;
static bool have_acpi_rom, have_platform_info, log_report;
static struct reporter reporter;
static bool reporting;

static struct pci_func funcs[2][MAX_FUNCS];
static struct pci_walk walks[2];
static unsigned current;          /* walks[current] is the last good walk */
static bool walked;
static struct acpi_route routes[MAX_ROUTES];
static struct acpi_info acpi = { .routes = routes, .max_routes = MAX_ROUTES };
static unsigned isa_present;
static char *text;
static size_t text_size = 16384;
static unsigned walks_done;

/* ---- config access through the Platform session ---- */

static rpc_status_t last_error;

static int cfg_read(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t *val)
{
	word_t v;
	(void)ctx;
	last_error = platform_pci_config_read(platform.session, bdf, off, width, &v);
	*val = (uint32_t)v;
	return last_error != RPC_OK;
}

static int cfg_write(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t val)
{
	(void)ctx;
	last_error = platform_pci_config_write(platform.session, bdf, off, width, val);
	return last_error != RPC_OK;
}

static const struct pci_access access = { 0, cfg_read, cfg_write };

/* ---- ISA probes ---- */

static bool port_open(const char *label, unsigned base, unsigned size, cptr_t *session,
		      word_t *id, cptr_t *port)
{
	char args[64];
	snprintf(args, sizeof(args), "base=0x%x, size=%u", base, size);
	if (parent_session(COMPONENT_PARENT, "IO_PORT", label, args, 8192, 4, 0, session, id) !=
	    RPC_OK)
		return false;
	if (io_port_cap(*session, port) != RPC_OK) {
		parent_close(COMPONENT_PARENT, *id);
		cap_slot_free(*session);
		return false;
	}
	return true;
}

static void port_close(cptr_t session, word_t id, cptr_t port)
{
	cap_slot_free(port);
	parent_close(COMPONENT_PARENT, id);
	cap_slot_free(session);
}

/* The i8042 status register reads all ones where there is no controller. */
static bool probe_ps2(void)
{
	cptr_t s, port;
	word_t id, v = 0xff;

	if (!port_open("ps2", 0x64, 1, &s, &id, &port)) {
		log("ps2: no IO_PORT session for 0x64: not probed, left out");
		return false;
	}
	ioport_in8(port, 0x64, &v);
	port_close(s, id, port);
	return (v & 0xff) != 0xff;
}

/* A 16550's scratch register keeps what is written; an empty port does not. */
static bool probe_serial(const struct isa_serial *p)
{
	cptr_t s, port;
	word_t id, a = 0, b = 0, old = 0;
	unsigned reg = p->base + ISA_SCRATCH_REG;

	if (!port_open(p->name, reg, 1, &s, &id, &port)) {
		log("%s: no IO_PORT session for 0x%x: not probed, left out", p->name, reg);
		return false;
	}
	ioport_in8(port, reg, &old);
	ioport_out8(port, reg, 0x5a);
	ioport_in8(port, reg, &a);
	ioport_out8(port, reg, 0xa5);
	ioport_in8(port, reg, &b);
	ioport_out8(port, reg, old & 0xff);
	port_close(s, id, port);
	return (a & 0xff) == 0x5a && (b & 0xff) == 0xa5;
}

static void probe_isa(void)
{
	isa_present = probe_ps2() ? ISA_PS2 : 0;
	for (unsigned i = 0; i < 3; i++)
		if (probe_serial(&isa_serials[i]))
			isa_present |= isa_serials[i].bit;
}

/* ---- ROMs ---- */

static void read_acpi(void)
{
	const struct cfg_node *n = 0;

	if (have_acpi_rom) {
		if (config_rom_update(&acpi_rom))
			n = acpi_rom.node;
		else if (acpi_rom.err.msg)
			log("error: acpi:%u:%u: %s: no interrupt routing", acpi_rom.err.line,
			    acpi_rom.err.col, acpi_rom.err.msg);
	}
	acpi_info_read(&acpi, n);
	if (acpi.bad)
		log("error: acpi:%u:%u: %s (%u nodes skipped)", acpi.bad_line, acpi.bad_col,
		    acpi.bad_msg, acpi.bad);
}

/* The HPET from platform_info when the acpi report names none. */
static uint64_t hpet_base(void)
{
	uint64_t base = 0;

	if (acpi.hpet_base || !have_platform_info || !platform_info.node)
		return acpi.hpet_base;
	const struct cfg_node *h = cfg_child(platform_info.node, "hpet");
	if (h && (cfg_attr_u64(h, "base", 0, &base) != 1 || (base & 0x3ff))) {
		log("error: platform_info:%u:%u: bad <hpet base>", h->line, h->col);
		base = 0;
	}
	return base;
}

/* The boot framebuffer from platform_info (size 0: none or a bad one). */
static void framebuffer(uint64_t *base, uint64_t *size)
{
	*base = *size = 0;
	if (!have_platform_info || !platform_info.node)
		return;
	const struct cfg_node *f = cfg_child(platform_info.node, "framebuffer");
	if (f && (cfg_attr_u64(f, "address", 0, base) != 1 || cfg_attr_u64(f, "size", 0, size) != 1 ||
		  (*base & 0xfff) || !*size || *base + *size < *base)) {
		log("error: platform_info:%u:%u: bad <framebuffer address size>", f->line, f->col);
		*base = *size = 0;
	}
}

/* ---- the report ---- */

static void log_lines(const char *s)
{
	char line[400];

	while (*s) {
		size_t n = 0;
		while (s[n] && s[n] != '\n')
			n++;
		size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		memcpy(line, s, k);
		line[k] = 0;
		log("devices: %s", line);
		s += n + (s[n] ? 1 : 0);
	}
}

static void publish(const struct pci_walk *w)
{
	struct isa_device isa[9];
	uint64_t fb_base, fb_size;
	unsigned nisa = isa_devices(isa, isa_present, hpet_base());

	framebuffer(&fb_base, &fb_size);
	nisa = boot_framebuffer(isa, nisa, fb_base, (fb_size + 0xfff) & ~0xfffull);
	struct cfg_writer wr;
	rpc_status_t st;

	for (;;) {
		if (!text && !(text = malloc(text_size))) {
			log("error: no heap for a report of %lu bytes", (unsigned long)text_size);
			return;
		}
		cfg_writer_init(&wr, text, text_size);
		devices_report_write(&wr, w, isa, nisa, &acpi);
		if (cfg_writer_ok(&wr))
			break;
		if (wr.invalid) {
			log("error: the devices report is malformed (a bug)");
			return;
		}
		free(text);
		text = 0;
		text_size *= 2;
	}
	if (reporting && reporter.size < wr.len) {
		reporter_close(&reporter);
		reporting = false;
	}
	if (!reporting) {
		if ((st = reporter_open(&reporter, "devices", text_size)) != RPC_OK) {
			log("error: Report session 'devices': %s", rpc_status_name(st));
			return;
		}
		reporting = true;
	}
	if ((st = reporter_submit(&reporter, text, wr.len)) != RPC_OK)
		log("error: devices report not submitted: %s", rpc_status_name(st));
	if (log_report)
		log_lines(text);
}

static void walk(void)
{
	unsigned next = walked ? 1 - current : current;
	struct pci_walk *w = &walks[next];

	*w = (struct pci_walk){ .funcs = funcs[next], .max = MAX_FUNCS };
	if (pci_walk_again(w, &access, walked ? &walks[current] : 0)) {
		log("error: %s at %02x:%02x.%x: %s; the report stays as it was", w->error,
		    w->error_bdf >> 8, (w->error_bdf >> 3) & 31, w->error_bdf & 7,
		    rpc_status_name(last_error));
		return;
	}
	current = next;
	walked = true;
	pci_route_irqs(w, &acpi);
	unsigned unrouted = 0;
	for (unsigned i = 0; i < w->n; i++)
		unrouted += w->funcs[i].pin && !w->funcs[i].irq.routed;
	walks_done++;
	log("walk %u: %u PCI functions%s, %u ISA devices, %u interrupt pins unrouted%s",
	    walks_done, w->n, w->skipped ? " (some skipped: see the errors)" : "",
	    isa_devices((struct isa_device[8]){ 0 }, isa_present, hpet_base()), unrouted,
	    acpi.nroutes ? "" : " (no _PRT routing known yet)");
	if (w->skipped)
		log("error: %u functions, buses or capability lists skipped (no room, loops, "
		    "bad lists or BARs)", w->skipped);
	publish(w);
}

static bool read_config(void)
{
	const struct cfg_node *n = config.node;

	log_report = false;
	if (!n)
		return !config.err.msg;
	if (!cfg_is(n, "config")) {
		log("error: config:%u:%u: expected <config>", n->line, n->col);
		return false;
	}
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		if (strcmp(a->name, "log") && strcmp(a->name, "rewalk")) {
			log("error: config:%u:%u: unknown attribute '%s'", n->line, n->col, a->name);
			return false;
		}
	if (cfg_attr_bool(n, "log", false, &log_report) < 0) {
		log("error: config:%u:%u: log must be yes or no", n->line, n->col);
		return false;
	}
	return true;
}

static void on_acpi(void *arg)
{
	(void)arg;
	read_acpi();
	if (platform.session)
		walk();
}

static void on_config(void *arg)
{
	(void)arg;
	if (!config_rom_update(&config) && config.err.msg)
		log("error: config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
	if (read_config() && platform.session)
		walk();
}

/* ---- the Platform session, asked for again until it can be had ---- */

#define RETRY_US 100000

static struct timer_connection timer;
static struct signal_handler retry_sigh, hotplug_sigh;

/* platform says a hot-plug slot's card came or went: walk again */
static void on_hotplug(void *arg)
{
	(void)arg;
	log("hot-plug: a slot changed: walking again");
	walk();
}

static void first_walk(void)
{
	rpc_status_t st;

	probe_isa();
	/* before the walk: a slot that changes after it is walked again */
	if ((st = signal_handler_init(&env->ep, &hotplug_sigh, on_hotplug, 0)) != RPC_OK ||
	    (st = platform_hotplug_sigh(platform.session, hotplug_sigh.cap)) != RPC_OK)
		log("no hot-plug signals from platform (%s): slots are not watched",
		    rpc_status_name(st));
	walk();
}

static void on_retry(void *arg)
{
	(void)arg;
	if (platform.session || platform_connect(&platform, "", 0) != RPC_OK)
		return;
	timer_stop(timer.session);
	log("Platform session opened");
	first_walk();
}

static void connect_platform(struct component_env *e)
{
	rpc_status_t st = platform_connect(&platform, "", 0), t;

	if (st == RPC_OK) {
		first_walk();
		return;
	}
	if ((t = timer_connect(&timer, "retry")) != RPC_OK ||
	    (t = signal_handler_init(&e->ep, &retry_sigh, on_retry, 0)) != RPC_OK ||
	    (t = timer_connection_sigh(&timer, retry_sigh.cap)) != RPC_OK ||
	    (t = timer_trigger_periodic(timer.session, RETRY_US)) != RPC_OK) {
		log("error: Platform session: %s, and no Timer to ask again (%s)",
		    rpc_status_name(st), rpc_status_name(t));
		component_exit(2);
	}
	log("no Platform session yet (%s): asking again every %u ms", rpc_status_name(st),
	    RETRY_US / 1000);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	if ((st = config_rom_open(&config, "config", &env->ep, on_config, 0)) == RPC_OK)
		config_rom_update(&config);
	else
		log("no config ROM (%s): defaults", rpc_status_name(st));
	if (config.err.msg)
		log("error: config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
	if (!read_config())
		component_exit(1);
	have_platform_info = config_rom_open(&platform_info, "platform_info", 0, 0, 0) == RPC_OK;
	if (have_platform_info)
		config_rom_update(&platform_info);
	st = config_rom_open(&acpi_rom, "acpi", &env->ep, on_acpi, 0);
	have_acpi_rom = st == RPC_OK;
	if (!have_acpi_rom)
		log("no acpi ROM (%s): legacy interrupts stay unrouted", rpc_status_name(st));
	read_acpi();
	connect_platform(env);
}
