/*
 * The platform driver's model of what it reads (platform.h), without any
 * session or device access, so that the host tests (tests/host/platform.c)
 * run it as it is: a <device> node of the devices report, a <policy> node
 * of the config, and which devices a policy names.
 */
#include <argil/string.h>
#include <pci_class.h>
#include "platform.h"

/* ---- the devices report ---- */

static bool u64_attr(const struct cfg_node *n, const char *name, uint64_t max, uint64_t *v)
{
	return cfg_attr_u64(n, name, 0, v) == 1 && *v <= max;
}

static bool irq_attrs(const struct cfg_node *n, struct irq_line *l)
{
	uint64_t gsi;

	if (!u64_attr(n, "gsi", 255, &gsi))
		return false;
	l->gsi = (unsigned)gsi;
	l->level = cfg_attr_is(n, "trigger", "level");
	l->low = cfg_attr_is(n, "polarity", "low");
	if (!l->level && !cfg_attr_is(n, "trigger", "edge"))
		return false;
	if (!l->low && !cfg_attr_is(n, "polarity", "high"))
		return false;
	l->present = true;
	return true;
}

static bool range_attrs(const struct cfg_node *n, const char *addr, struct range *r)
{
	uint64_t base, size;

	if (!u64_attr(n, addr, ~0ull, &base) || cfg_attr_u64(n, "size", 0, &size) != 1 || !size ||
	    base + size < base)
		return false;
	r->base = base;
	r->size = size;
	return true;
}

/* A BAR decodes a naturally aligned power of two. */
static bool bar_sane(const struct range *r)
{
	return !(r->size & (r->size - 1)) && !(r->base & (r->size - 1));
}

bool device_parse(const struct cfg_node *n, struct pdev *d, const char **why)
{
	const char *name = cfg_attr(n, "name");
	uint64_t v, bus, dev, fn;

	memset(d, 0, sizeof(*d));
	if (!name || strlen(name) >= NAME_LEN)
		return *why = "name missing or too long", false;
	memcpy(d->name, name, strlen(name) + 1);
	if (cfg_attr_is(n, "type", "pci")) {
		d->pci = true;
		if (!u64_attr(n, "bus", 255, &bus) || !u64_attr(n, "device", 31, &dev) ||
		    !u64_attr(n, "function", 7, &fn))
			return *why = "bus, device, function", false;
		d->bdf = (unsigned)(bus << 8 | dev << 3 | fn);
		if (!u64_attr(n, "vendor", 0xffff, &v))
			return *why = "vendor", false;
		d->vendor = (uint16_t)v;
		if (!u64_attr(n, "product", 0xffff, &v))
			return *why = "product", false;
		d->product = (uint16_t)v;
		if (!u64_attr(n, "class", 0xffffff, &v))
			return *why = "class", false;
		d->class = (uint32_t)v;
	} else if (!cfg_attr_is(n, "type", "isa") && !cfg_attr_is(n, "type", "boot")) {
		return *why = "type must be pci, isa or boot", false;
	}
	unsigned nmem = 0, nio = 0, nirq = 0;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (d->pci && cfg_is(c, "bar")) {
			uint64_t idx;
			if (!u64_attr(c, "index", MAX_BARS - 1, &idx))
				return *why = "bar index", false;
			struct range *r = &d->bar[idx];
			if (r->type != R_NONE || !range_attrs(c, "address", r))
				return *why = "bar", false;
			if (cfg_attr_is(c, "type", "mem32"))
				r->type = R_MEM32;
			else if (cfg_attr_is(c, "type", "mem64"))
				r->type = R_MEM64;
			else if (cfg_attr_is(c, "type", "io"))
				r->type = R_IO;
			else
				return *why = "bar type", false;
			if (!bar_sane(r))
				return *why = "bar not a naturally aligned power of two", false;
			r->prefetchable = cfg_attr_is(c, "prefetchable", "yes");
		} else if (d->pci && cfg_is(c, "irq")) {
			if (cfg_attr_is(c, "type", "legacy") && cfg_has_attr(c, "gsi") &&
			    !irq_attrs(c, &d->legacy))
				return *why = "irq", false;
		} else if (d->pci && cfg_is(c, "msi")) {
			if (!u64_attr(c, "vectors", 32, &v) || !v)
				return *why = "msi vectors", false;
			d->msi_vectors = (unsigned)v;
		} else if (d->pci && cfg_is(c, "msix")) {
			uint64_t tb, pb, to;
			if (!u64_attr(c, "vectors", 2048, &v) || !v ||
			    !u64_attr(c, "table_bar", MAX_BARS - 1, &tb) ||
			    !u64_attr(c, "table_offset", 0xfffffff8, &to) ||
			    !u64_attr(c, "pba_bar", MAX_BARS - 1, &pb))
				return *why = "msix", false;
			d->msix_vectors = (unsigned)v;
			d->msix_table_bar = (unsigned)tb;
			d->msix_pba_bar = (unsigned)pb;
			d->msix_table_offset = to;
		} else if (!d->pci && cfg_is(c, "io")) {
			if (nio >= MAX_ISA || !range_attrs(c, "base", &d->io[nio]) ||
			    d->io[nio].base + d->io[nio].size > 0x10000)
				return *why = "io", false;
			d->io[nio++].type = R_IO;
		} else if (!d->pci && cfg_is(c, "mem")) {
			if (nmem >= MAX_ISA || !range_attrs(c, "base", &d->bar[nmem]))
				return *why = "mem", false;
			d->bar[nmem++].type = R_MEM32;
		} else if (!d->pci && cfg_is(c, "irq")) {
			if (nirq >= MAX_ISA || !irq_attrs(c, &d->isa_irq[nirq]))
				return *why = "irq", false;
			nirq++;
		}
	}
	/* an MSI-X table must lie in a memory BAR of the device */
	if (d->msix_vectors) {
		struct range *t = &d->bar[d->msix_table_bar];
		if (t->type != R_MEM32 && t->type != R_MEM64)
			d->msix_vectors = 0;
		else if (d->msix_table_offset + 16ull * d->msix_vectors > t->size)
			d->msix_vectors = 0;
	}
	return true;
}

/* ---- policies ---- */

static const char *const policy_attrs[] = {
	"label", "label_prefix", "label_suffix", "label_last", "pci_config", 0
};

static bool known(const struct cfg_attr *a, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(a->name, *names))
			return true;
	return false;
}

const char *policy_problem(const struct cfg_node *p, const struct cfg_node **where)
{
	const char *why = 0;
	const struct cfg_node *at = p;
	bool b;

	for (const struct cfg_attr *a = p->attrs; a && !why; a = a->next)
		if (!known(a, policy_attrs))
			why = "unknown attribute in <policy>";
	if (!why && cfg_attr_bool(p, "pci_config", false, &b) < 0)
		why = "pci_config must be yes or no";
	for (const struct cfg_node *c = p->child; c && !why; c = c->next) {
		at = c;
		if (cfg_is(c, "device")) {
			for (const struct cfg_attr *a = c->attrs; a && !why; a = a->next)
				if (strcmp(a->name, "name"))
					why = "unknown attribute in <device>";
			if (!why && !cfg_attr(c, "name"))
				why = "<device> needs name";
		} else if (cfg_is(c, "pci")) {
			static const char *const pci_attrs[] = { "class", "vendor", "product", 0 };
			uint64_t v;
			for (const struct cfg_attr *a = c->attrs; a && !why; a = a->next)
				if (!known(a, pci_attrs))
					why = "unknown attribute in <pci>";
			if (!why && !cfg_attr(c, "class") && !cfg_attr(c, "vendor"))
				why = "<pci> needs class or vendor";
			if (!why && (cfg_attr_u64(c, "vendor", 0, &v) < 0 || v > 0xffff))
				why = "vendor must be a number up to 0xffff";
			if (!why && (cfg_attr_u64(c, "product", 0, &v) < 0 || v > 0xffff))
				why = "product must be a number up to 0xffff";
			if (!why && cfg_attr(c, "product") && !cfg_attr(c, "vendor"))
				why = "<pci product> needs vendor";
			if (!why && cfg_attr(c, "class") && !pci_class_parse(cfg_attr(c, "class"), 0, 0))
				why = "unknown class";
		} else {
			why = "unknown node in <policy> (device, pci)";
		}
	}
	if (where)
		*where = at;
	return why;
}

bool policy_permits(const struct cfg_node *policy, const struct pdev *d)
{
	uint64_t v;
	uint32_t value, mask;

	if (!policy)
		return false;
	for (const struct cfg_node *c = policy->child; c; c = c->next) {
		if (cfg_is(c, "device") && cfg_attr_is(c, "name", d->name))
			return true;
		if (!cfg_is(c, "pci") || !d->pci)
			continue;
		const char *cls = cfg_attr(c, "class");
		if (cls) {
			if (pci_class_parse(cls, &value, &mask) && (d->class & mask) == value)
				return true;
			continue;
		}
		if (cfg_attr_u64(c, "vendor", 0, &v) != 1 || v != d->vendor)
			continue;
		if (cfg_attr_u64(c, "product", 0, &v) == 1 && v != d->product)
			continue;
		return true;
	}
	return false;
}

