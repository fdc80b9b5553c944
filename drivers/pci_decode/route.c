/*
 * Interrupts of the devices found: what the acpi report says about PCI
 * routing (_PRT), ISA overrides (MADT) and the HPET, the routing of each
 * function's pin (swizzled across bridges without a _PRT entry), and the
 * fixed ISA devices. Trusts the acpi report for nothing but its values:
 * malformed nodes are skipped and counted.
 */
#include "pci_walk.h"
#include <argil/string.h>

static void bad(struct acpi_info *info, const struct cfg_node *n, const char *msg)
{
	if (!info->bad++) {
		info->bad_line = n->line;
		info->bad_col = n->col;
		info->bad_msg = msg;
	}
}

/* trigger/polarity: absent means the given default; false if malformed */
static bool flag(const struct cfg_node *n, const char *name, const char *yes, const char *no,
		 bool def, bool *out)
{
	const char *v = cfg_attr(n, name);

	*out = def;
	if (!v)
		return true;
	if (!strcmp(v, yes))
		*out = true;
	else if (!strcmp(v, no))
		*out = false;
	else
		return false;
	return true;
}

static bool read_route(struct acpi_info *info, const struct cfg_node *n)
{
	uint64_t bus, dev, gsi;
	const char *pin = cfg_attr(n, "pin");
	struct acpi_route r;

	if (cfg_attr_u64(n, "bus", 0, &bus) != 1 || bus > 255 ||
	    cfg_attr_u64(n, "device", 0, &dev) != 1 || dev > 31 ||
	    cfg_attr_u64(n, "gsi", 0, &gsi) != 1 || gsi > 0xffffffffu ||
	    !pin || pin[0] < 'A' || pin[0] > 'D' || pin[1])
		return false;
	r.bus = (uint8_t)bus;
	r.dev = (uint8_t)dev;
	r.pin = (uint8_t)(pin[0] - 'A' + 1);
	r.gsi = (uint32_t)gsi;
	if (!flag(n, "trigger", "level", "edge", true, &r.level) ||
	    !flag(n, "polarity", "low", "high", true, &r.active_low))
		return false;
	if (info->nroutes == info->max_routes)
		return false;
	info->routes[info->nroutes++] = r;
	return true;
}

static bool read_override(struct acpi_info *info, const struct cfg_node *n)
{
	uint64_t irq, gsi;
	struct acpi_override o;

	if (cfg_attr_u64(n, "irq", 0, &irq) != 1 || irq > 15 ||
	    cfg_attr_u64(n, "gsi", 0, &gsi) != 1 || gsi > 0xffffffffu)
		return false;
	o.irq = (uint8_t)irq;
	o.gsi = (uint32_t)gsi;
	if (!flag(n, "trigger", "level", "edge", false, &o.level) ||
	    !flag(n, "polarity", "low", "high", false, &o.active_low))
		return false;
	if (info->noverrides == sizeof(info->overrides) / sizeof(info->overrides[0]))
		return false;
	info->overrides[info->noverrides++] = o;
	return true;
}

void acpi_info_read(struct acpi_info *info, const struct cfg_node *acpi)
{
	info->nroutes = 0;
	info->noverrides = 0;
	info->hpet_base = 0;
	info->bad = 0;
	info->bad_msg = 0;
	if (!acpi)
		return;
	if (!cfg_is(acpi, "acpi")) {
		bad(info, acpi, "expected <acpi>");
		return;
	}
	for (const struct cfg_node *n = cfg_child(acpi, 0); n; n = cfg_next(n, 0)) {
		if (cfg_is(n, "routing")) {
			if (!read_route(info, n))
				bad(info, n, info->nroutes == info->max_routes ?
					"too many <routing> nodes" : "bad <routing>");
		} else if (cfg_is(n, "override")) {
			if (!read_override(info, n))
				bad(info, n, "bad <override>");
		} else if (cfg_is(n, "hpet")) {
			uint64_t base;
			if (cfg_attr_u64(n, "base", 0, &base) != 1 || !base || (base & 0x3ff))
				bad(info, n, "bad <hpet base>");
			else
				info->hpet_base = base;
		}
	}
}

static const struct acpi_route *find_route(const struct acpi_info *acpi, unsigned bus,
					   unsigned dev, unsigned pin)
{
	for (unsigned i = 0; i < acpi->nroutes; i++) {
		const struct acpi_route *r = &acpi->routes[i];
		if (r->bus == bus && r->dev == dev && r->pin == pin)
			return r;
	}
	return 0;
}

void pci_route_irqs(struct pci_walk *walk, const struct acpi_info *acpi)
{
	for (unsigned i = 0; i < walk->n; i++) {
		struct pci_func *f = &walk->funcs[i];
		const struct pci_func *at = f;
		unsigned pin = f->pin, hops = 0;

		f->irq = (struct pci_irq_route){ 0 };
		if (!pin)
			continue;
		/* upstream indices always point back in the walk: the chain ends */
		for (;;) {
			const struct acpi_route *r = find_route(acpi, at->bus, at->dev, pin);
			if (r) {
				f->irq = (struct pci_irq_route){ true, r->gsi, r->level, r->active_low };
				break;
			}
			if (at->upstream < 0 || (unsigned)at->upstream >= walk->n || ++hops > 255)
				break;
			pin = (pin - 1 + at->dev) % 4 + 1;
			at = &walk->funcs[at->upstream];
		}
	}
}

struct pci_irq_route isa_irq_route(const struct acpi_info *acpi, unsigned irq)
{
	for (unsigned i = 0; i < acpi->noverrides; i++)
		if (acpi->overrides[i].irq == irq)
			return (struct pci_irq_route){ true, acpi->overrides[i].gsi,
						       acpi->overrides[i].level,
						       acpi->overrides[i].active_low };
	return (struct pci_irq_route){ true, irq, false, false };
}

const struct isa_serial isa_serials[3] = {
	{ "serial1", 0x2f8, 3, ISA_COM2 },
	{ "serial2", 0x3e8, 4, ISA_COM3 },
	{ "serial3", 0x2e8, 3, ISA_COM4 },
};

unsigned boot_framebuffer(struct isa_device *out, unsigned n, uint64_t base, uint64_t size)
{
	if (!size)
		return n;
	out[n] = (struct isa_device){ .name = "framebuffer", .type = "boot", .mem_base = base,
				      .mem_size = size };
	return n + 1;
}

unsigned isa_devices(struct isa_device *out, unsigned present, uint64_t hpet_base)
{
	unsigned n = 0;

	if (present & ISA_PS2)
		out[n++] = (struct isa_device){ "ps2", 0, { 0x60, 0x64 }, { 1, 1 }, 2, { 1, 12 }, 2, 0, 0 };
	out[n++] = (struct isa_device){ "pit", 0, { 0x40 }, { 4 }, 1, { 0 }, 1, 0, 0 };
	out[n++] = (struct isa_device){ "rtc", 0, { 0x70 }, { 2 }, 1, { 8 }, 1, 0, 0 };
	for (unsigned i = 0; i < 3; i++)
		if (present & isa_serials[i].bit)
			out[n++] = (struct isa_device){ isa_serials[i].name, 0, { isa_serials[i].base },
							{ 8 }, 1, { isa_serials[i].irq }, 1, 0, 0 };
	if (hpet_base)
		out[n++] = (struct isa_device){ "hpet", 0, { 0 }, { 0 }, 0, { 0 }, 0, hpet_base, 0x400 };
	return n;
}
