/*
 * The `devices` report (docs/devices.md): one <device> per PCI function
 * found by the walk and per fixed ISA device, written with base's
 * cfg_writer (so it is always well formed).
 */
#include "pci_walk.h"

/* "0x" and at least 'digits' hex digits */
static const char *hex(char *buf, uint64_t v, unsigned digits)
{
	char tmp[16];
	unsigned n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v || n < digits);
	buf[0] = '0';
	buf[1] = 'x';
	for (unsigned i = 0; i < n; i++)
		buf[2 + i] = tmp[n - 1 - i];
	buf[2 + n] = 0;
	return buf;
}

static void attr_hex(struct cfg_writer *w, const char *name, uint64_t v, unsigned digits)
{
	char buf[20];
	cfg_node_attr(w, name, hex(buf, v, digits));
}

static void attr_bool(struct cfg_writer *w, const char *name, bool v)
{
	cfg_node_attr(w, name, v ? "yes" : "no");
}

const char *pci_bar_type_name(unsigned type)
{
	return type == PCI_BAR_IO ? "io" : type == PCI_BAR_MEM64 ? "mem64" : "mem32";
}

static void irq_attrs(struct cfg_writer *w, const struct pci_irq_route *r)
{
	cfg_node_attr_u64(w, "gsi", r->gsi);
	cfg_node_attr(w, "trigger", r->level ? "level" : "edge");
	cfg_node_attr(w, "polarity", r->active_low ? "low" : "high");
}

/* "bb:dd.f" */
static void pci_name(char *buf, const struct pci_func *f)
{
	static const char digits[] = "0123456789abcdef";
	buf[0] = digits[f->bus >> 4];
	buf[1] = digits[f->bus & 15];
	buf[2] = ':';
	buf[3] = digits[f->dev >> 4];
	buf[4] = digits[f->dev & 15];
	buf[5] = '.';
	buf[6] = digits[f->fn & 7];
	buf[7] = 0;
}

static void write_pci(struct cfg_writer *w, const struct pci_func *f)
{
	char name[8];

	pci_name(name, f);
	cfg_node_begin(w, "device");
	cfg_node_attr(w, "name", name);
	cfg_node_attr(w, "type", "pci");
	cfg_node_attr_u64(w, "bus", f->bus);
	cfg_node_attr_u64(w, "device", f->dev);
	cfg_node_attr_u64(w, "function", f->fn);
	attr_hex(w, "vendor", f->vendor, 4);
	attr_hex(w, "product", f->product, 4);
	attr_hex(w, "class", f->class_code, 6);
	attr_hex(w, "revision", f->revision, 2);
	attr_hex(w, "subsystem_vendor", f->subsystem_vendor, 4);
	attr_hex(w, "subsystem", f->subsystem, 4);
	attr_bool(w, "bridge", f->bridge);
	if (f->bridge) {
		cfg_node_attr_u64(w, "secondary", f->secondary);
		cfg_node_attr_u64(w, "subordinate", f->subordinate);
	}
	for (unsigned i = 0; i < f->nbars; i++) {
		const struct pci_bar *b = &f->bars[i];
		cfg_node_begin(w, "bar");
		cfg_node_attr_u64(w, "index", b->index);
		attr_hex(w, "address", b->address, 1);
		attr_hex(w, "size", b->size, 1);
		cfg_node_attr(w, "type", pci_bar_type_name(b->type));
		if (b->type != PCI_BAR_IO)
			attr_bool(w, "prefetchable", b->prefetchable);
		cfg_node_end(w);
	}
	if (f->pin) {
		const char pin[2] = { (char)('A' + f->pin - 1), 0 };
		cfg_node_begin(w, "irq");
		cfg_node_attr(w, "type", "legacy");
		cfg_node_attr(w, "pin", pin);
		if (f->irq.routed)
			irq_attrs(w, &f->irq);
		cfg_node_end(w);
	}
	if (f->msi) {
		cfg_node_begin(w, "msi");
		cfg_node_attr_u64(w, "vectors", f->msi_vectors);
		attr_bool(w, "address64", f->msi64);
		cfg_node_end(w);
	}
	if (f->msix) {
		cfg_node_begin(w, "msix");
		cfg_node_attr_u64(w, "vectors", f->msix_vectors);
		cfg_node_attr_u64(w, "table_bar", f->msix_table_bar);
		attr_hex(w, "table_offset", f->msix_table_offset, 1);
		cfg_node_attr_u64(w, "pba_bar", f->msix_pba_bar);
		attr_hex(w, "pba_offset", f->msix_pba_offset, 1);
		cfg_node_end(w);
	}
	cfg_node_end(w);
}

static void write_isa(struct cfg_writer *w, const struct isa_device *d,
		      const struct acpi_info *acpi)
{
	cfg_node_begin(w, "device");
	cfg_node_attr(w, "name", d->name);
	cfg_node_attr(w, "type", d->type ? d->type : "isa");
	for (unsigned i = 0; i < d->nio; i++) {
		cfg_node_begin(w, "io");
		attr_hex(w, "base", d->io_base[i], 1);
		attr_hex(w, "size", d->io_size[i], 1);
		cfg_node_end(w);
	}
	if (d->mem_size) {
		cfg_node_begin(w, "mem");
		attr_hex(w, "base", d->mem_base, 1);
		attr_hex(w, "size", d->mem_size, 1);
		cfg_node_end(w);
	}
	for (unsigned i = 0; i < d->nirqs; i++) {
		struct pci_irq_route r = isa_irq_route(acpi, d->irqs[i]);
		cfg_node_begin(w, "irq");
		cfg_node_attr(w, "type", "isa");
		cfg_node_attr_u64(w, "irq", d->irqs[i]);
		irq_attrs(w, &r);
		cfg_node_end(w);
	}
	cfg_node_end(w);
}

void devices_report_write(struct cfg_writer *w, const struct pci_walk *walk,
			  const struct isa_device *isa, unsigned nisa,
			  const struct acpi_info *acpi)
{
	cfg_node_begin(w, "devices");
	for (unsigned i = 0; i < walk->n; i++)
		write_pci(w, &walk->funcs[i]);
	for (unsigned i = 0; i < nisa; i++)
		write_isa(w, &isa[i], acpi);
	cfg_node_end(w);
}
