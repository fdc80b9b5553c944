/*
 * PCI interrupt routing for the acpi report: _PRT of every host bridge
 * and PCI-to-PCI bridge in the namespace (acpi_get_irq_routing_table),
 * one <routing> line per entry (device slot and pin INTA..INTD). An entry
 * names either a GSI directly (level, active low, as ACPI defines it) or
 * a link device, whose current resources (_CRS) give the interrupt with
 * its trigger and polarity. The bus of a bridge's _PRT: _BBN for a host
 * bridge, the secondary bus number of a PCI bridge's configuration space.
 * \_PIC(1) has chosen the APIC routing before (main.c).
 */
#include <acpi/acpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "osl.h"
#include "text.h"
#include "tables.h"

struct link {
	char path[64];
	bool ok;
	unsigned gsi;
	bool level, low;
	unsigned index;           /* the entry's source_index: which interrupt */
	unsigned seen;            /* interrupts seen while walking */
	struct link *next;
};

static struct link *links;

static bool eval_integer(acpi_handle h, const char *name, u64 *out)
{
	union acpi_object obj;
	struct acpi_buffer buf = { sizeof(obj), &obj };

	if (ACPI_FAILURE(acpi_evaluate_object_typed(h, (acpi_string)name, 0, &buf,
						    ACPI_TYPE_INTEGER)))
		return false;
	*out = obj.integer.value;
	return true;
}

static acpi_status link_resource(struct acpi_resource *r, void *arg)
{
	struct link *l = arg;
	unsigned count = 0, irq = 0;
	u8 trigger = 0, polarity = 0;

	if (r->type == ACPI_RESOURCE_TYPE_IRQ) {
		count = r->data.irq.interrupt_count;
		if (l->index >= l->seen && l->index < l->seen + count)
			irq = r->data.irq.interrupts[l->index - l->seen];
		trigger = r->data.irq.triggering;
		polarity = r->data.irq.polarity;
	} else if (r->type == ACPI_RESOURCE_TYPE_EXTENDED_IRQ) {
		count = r->data.extended_irq.interrupt_count;
		if (l->index >= l->seen && l->index < l->seen + count)
			irq = r->data.extended_irq.interrupts[l->index - l->seen];
		trigger = r->data.extended_irq.triggering;
		polarity = r->data.extended_irq.polarity;
	} else {
		return AE_OK;
	}
	if (!l->ok && l->index >= l->seen && l->index < l->seen + count && irq) {
		l->ok = true;
		l->gsi = irq;
		l->level = trigger == ACPI_LEVEL_SENSITIVE;
		l->low = polarity == ACPI_ACTIVE_LOW;
	}
	l->seen += count;
	return AE_OK;
}

static struct link *link_of(const char *path, unsigned index)
{
	struct link *l;
	acpi_handle h;
	acpi_status st;

	for (l = links; l; l = l->next)
		if (!strcmp(l->path, path) && l->index == index)
			return l;
	l = calloc(1, sizeof(*l));
	if (!l)
		return 0;
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->index = index;
	l->next = links;
	links = l;
	st = acpi_get_handle(0, (acpi_string)path, &h);
	if (ACPI_SUCCESS(st))
		st = acpi_walk_resources(h, METHOD_NAME__CRS, link_resource, l);
	if (ACPI_FAILURE(st))
		acpi_log("error: link device %s: _CRS: %s", path, acpi_format_exception(st));
	else if (!l->ok)
		acpi_log("error: link device %s has no interrupt %u (disabled)", path, index);
	return l;
}

/* The bus number below a device: a host bridge's _BBN (0 without), a PCI
 * bridge's secondary bus. */
static bool bus_below(acpi_handle dev, unsigned depth, unsigned *bus)
{
	struct acpi_device_info *info;
	acpi_handle parent;
	u64 v;
	bool root;

	if (depth > 16 || ACPI_FAILURE(acpi_get_object_info(dev, &info)))
		return false;
	root = info->flags & ACPI_PCI_ROOT_BRIDGE;
	ACPI_FREE(info);
	if (root) {
		*bus = eval_integer(dev, "_BBN", &v) ? (unsigned)v & 0xff : 0;
		return true;
	}
	if (!eval_integer(dev, "_ADR", &v) || ACPI_FAILURE(acpi_get_parent(dev, &parent)))
		return false;
	unsigned parent_bus, bdf;
	uint32_t header, secondary;
	if (!bus_below(parent, depth + 1, &parent_bus))
		return false;
	bdf = parent_bus << 8 | ((v >> 16) & 0x1f) << 3 | (v & 7);
	if (!pci_config_read(0, bdf, 0x0e, 1, &header) || (header & 0x7f) != 1 ||
	    !pci_config_read(0, bdf, 0x19, 1, &secondary))
		return false;
	*bus = secondary;
	return true;
}

struct walk {
	struct text *t;
	int lines;
	bool failed;
};

static acpi_status bridge(acpi_handle dev, u32 level, void *arg, void **ret)
{
	struct walk *w = arg;
	struct acpi_buffer buf = { ACPI_ALLOCATE_BUFFER, 0 };
	struct acpi_buffer name = { ACPI_ALLOCATE_BUFFER, 0 };
	acpi_handle prt;
	unsigned bus;
	acpi_status st;

	(void)level;
	(void)ret;
	if (ACPI_FAILURE(acpi_get_handle(dev, "_PRT", &prt)))
		return AE_OK;
	acpi_get_name(dev, ACPI_FULL_PATHNAME, &name);
	if (!bus_below(dev, 0, &bus)) {
		acpi_log("error: %s has a _PRT but is no host bridge or PCI bridge with a bus",
		    name.pointer ? (char *)name.pointer : "?");
		w->failed = true;
		goto out;
	}
	st = acpi_get_irq_routing_table(dev, &buf);
	if (ACPI_FAILURE(st)) {
		acpi_log("error: %s._PRT: %s", name.pointer ? (char *)name.pointer : "?",
		    acpi_format_exception(st));
		w->failed = true;
		goto out;
	}
	for (u8 *p = buf.pointer; p && p < (u8 *)buf.pointer + buf.length;) {
		struct acpi_pci_routing_table *e = (void *)p;
		unsigned gsi;
		bool lvl = true, low = true;
		if (!e->length)
			break;
		p += e->length;
		if (e->source[0]) {
			struct link *l = link_of(e->source, e->source_index);
			if (!l || !l->ok) {
				w->failed = true;
				continue;
			}
			gsi = l->gsi;
			lvl = l->level;
			low = l->low;
		} else {
			gsi = e->source_index;
		}
		text_add(w->t, "  <routing bus=\"%u\" device=\"%u\" pin=\"%c\" gsi=\"%u\" "
			 "trigger=\"%s\" polarity=\"%s\"/>\n", bus, (unsigned)(e->address >> 16) & 0x1f,
			 'A' + (e->pin & 3), gsi, lvl ? "level" : "edge", low ? "low" : "high");
		w->lines++;
	}
out:
	ACPI_FREE(buf.pointer);
	ACPI_FREE(name.pointer);
	return AE_OK;
}

int routing_report(struct text *t)
{
	struct walk w = { t, 0, false };

	acpi_walk_namespace(ACPI_TYPE_DEVICE, ACPI_ROOT_OBJECT, ACPI_UINT32_MAX, bridge, 0, &w, 0);
	return w.failed ? -1 : w.lines;
}
