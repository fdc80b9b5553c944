/*
 * The static tables into the acpi report (docs/devices.md): MCFG (ECAM),
 * MADT (IOAPICs, interrupt source overrides, and with the FADT the SCI),
 * DMAR (remapping units, reserved memory), HPET, the FADT's reset
 * register, and the sleep states' SLP_TYP values (\_Sx packages). Every
 * table comes through ACPICA's table manager (checksums checked there);
 * every subtable length is checked against its table before it is read.
 */
#include <acpi/acpi.h>
#include <stdio.h>
#include <string.h>
#include "osl.h"
#include "text.h"
#include "tables.h"

/* ISA IRQ -> GSI with its flags, from the MADT */
#define MAX_OVERRIDES 16
static struct acpi_madt_interrupt_override overrides[MAX_OVERRIDES];
static unsigned noverrides;

static const char *trigger_of(u16 flags, const char *conforming)
{
	switch (flags & ACPI_MADT_TRIGGER_MASK) {
	case ACPI_MADT_TRIGGER_EDGE: return "edge";
	case ACPI_MADT_TRIGGER_LEVEL: return "level";
	default: return conforming;
	}
}

static const char *polarity_of(u16 flags, const char *conforming)
{
	switch (flags & ACPI_MADT_POLARITY_MASK) {
	case ACPI_MADT_POLARITY_ACTIVE_HIGH: return "high";
	case ACPI_MADT_POLARITY_ACTIVE_LOW: return "low";
	default: return conforming;
	}
}

/* Walk the subtables of a table: fn for each (type, length checked). */
static void each_subtable(struct acpi_table_header *h, u32 first, u32 len_size,
			  void (*fn)(void *sub, unsigned type, unsigned len, void *arg), void *arg)
{
	u8 *p = (u8 *)h;

	for (u32 off = first; off + 2 * len_size <= h->length;) {
		unsigned type = len_size == 1 ? p[off] : *(u16 *)(p + off);
		unsigned len = len_size == 1 ? p[off + 1] : *(u16 *)(p + off + 2);
		if (len < 2 * len_size || off + len > h->length) {
			acpi_log("error: %.4s: subtable at offset %u has a bad length %u", h->signature,
			    off, len);
			return;
		}
		fn(p + off, type, len, arg);
		off += len;
	}
}

static void madt_entry(void *sub, unsigned type, unsigned len, void *arg)
{
	struct text *t = arg;

	if (type == ACPI_MADT_TYPE_IO_APIC && len >= sizeof(struct acpi_madt_io_apic)) {
		struct acpi_madt_io_apic *a = sub;
		if (t)
			text_add(t, "  <ioapic id=\"%u\" base=\"0x%x\" gsi_base=\"%u\"/>\n", a->id,
				 a->address, a->global_irq_base);
	}
	if (type == ACPI_MADT_TYPE_INTERRUPT_OVERRIDE &&
	    len >= sizeof(struct acpi_madt_interrupt_override)) {
		struct acpi_madt_interrupt_override *o = sub;
		if (t)
			text_add(t, "  <override irq=\"%u\" gsi=\"%u\" trigger=\"%s\" polarity=\"%s\"/>\n",
				 o->source_irq, o->global_irq, trigger_of(o->inti_flags, "edge"),
				 polarity_of(o->inti_flags, "high"));
		else if (noverrides < MAX_OVERRIDES)
			overrides[noverrides++] = *o;
	}
}

void tables_sci(struct sci_info *s)
{
	struct acpi_table_header *madt;

	/* ACPI: the SCI is a shareable, level, active-low interrupt unless
	 * an override says otherwise */
	s->gsi = acpi_gbl_FADT.sci_interrupt;
	s->level = true;
	s->low = true;
	noverrides = 0;
	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_MADT, 1, &madt))) {
		each_subtable(madt, sizeof(struct acpi_table_madt), 1, madt_entry, 0);
		acpi_put_table(madt);
	}
	for (unsigned i = 0; i < noverrides; i++) {
		if (overrides[i].source_irq != acpi_gbl_FADT.sci_interrupt)
			continue;
		s->gsi = overrides[i].global_irq;
		s->level = !strcmp(trigger_of(overrides[i].inti_flags, "level"), "level");
		s->low = !strcmp(polarity_of(overrides[i].inti_flags, "low"), "low");
	}
}

void tables_report_head(struct text *t, const struct sci_info *sci)
{
	struct acpi_table_header *h;

	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_MCFG, 1, &h))) {
		struct acpi_mcfg_allocation *a = (void *)((u8 *)h + sizeof(struct acpi_table_mcfg));
		for (; (u8 *)(a + 1) <= (u8 *)h + h->length; a++) {
			if (a->end_bus_number < a->start_bus_number) {
				acpi_log("error: MCFG: buses %u..%u", a->start_bus_number,
				    a->end_bus_number);
				continue;
			}
			/* the address is that of bus 0; the range decoded starts at
			 * the first bus */
			text_add(t, "  <ecam base=\"0x%lx\" size=\"0x%lx\" segment=\"%u\" bus_first=\"%u\" "
				 "bus_last=\"%u\"/>\n",
				 (unsigned long)(a->address + ((u64)a->start_bus_number << 20)),
				 (unsigned long)(a->end_bus_number - a->start_bus_number + 1) << 20,
				 a->pci_segment, a->start_bus_number, a->end_bus_number);
		}
		acpi_put_table(h);
	}
	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_MADT, 1, &h))) {
		each_subtable(h, sizeof(struct acpi_table_madt), 1, madt_entry, t);
		acpi_put_table(h);
	} else {
		acpi_log("error: no MADT");
	}
	text_add(t, "  <sci gsi=\"%u\" trigger=\"%s\" polarity=\"%s\"/>\n", sci->gsi,
		 sci->level ? "level" : "edge", sci->low ? "low" : "high");
}

/* The device a DMAR device scope names: its start bus and the path of
 * (device, function) pairs through bridges (secondary bus numbers read
 * from configuration space). */
static void dmar_scope_device(const struct acpi_dmar_device_scope *s, unsigned segment,
			      char *out, size_t size)
{
	const struct acpi_dmar_pci_path *path = (const void *)(s + 1);
	unsigned n = (s->length - sizeof(*s)) / sizeof(*path), bus = s->bus;

	snprintf(out, size, "none");
	for (unsigned i = 0; i < n; i++) {
		if (i > 0) {
			uint32_t secondary;
			unsigned bdf = bus << 8 | path[i - 1].device << 3 | path[i - 1].function;
			if (!pci_config_read(segment, bdf, 0x19, 1, &secondary))
				return;
			bus = secondary;
		}
		snprintf(out, size, "%02x:%02x.%x", bus, path[i].device, path[i].function);
	}
}

static void dmar_entry(void *sub, unsigned type, unsigned len, void *arg)
{
	struct text *t = arg;

	if (type == ACPI_DMAR_TYPE_HARDWARE_UNIT && len >= sizeof(struct acpi_dmar_hardware_unit)) {
		struct acpi_dmar_hardware_unit *u = sub;
		text_add(t, "  <dmar base=\"0x%lx\" segment=\"%u\" include_all=\"%s\"/>\n",
			 (unsigned long)u->address, u->segment,
			 (u->flags & ACPI_DMAR_INCLUDE_ALL) ? "yes" : "no");
	}
	if (type == ACPI_DMAR_TYPE_RESERVED_MEMORY &&
	    len >= sizeof(struct acpi_dmar_reserved_memory)) {
		struct acpi_dmar_reserved_memory *r = sub;
		u8 *p = (u8 *)sub;
		if (r->end_address < r->base_address) {
			acpi_log("error: DMAR: reserved memory 0x%lx..0x%lx", (unsigned long)r->base_address,
			    (unsigned long)r->end_address);
			return;
		}
		for (unsigned off = sizeof(*r); off + sizeof(struct acpi_dmar_device_scope) <= len;) {
			struct acpi_dmar_device_scope *s = (void *)(p + off);
			char dev[16];
			if (s->length < sizeof(*s) || off + s->length > len)
				break;
			dmar_scope_device(s, r->segment, dev, sizeof(dev));
			text_add(t, "  <reserved base=\"0x%lx\" size=\"0x%lx\" device=\"%s\"/>\n",
				 (unsigned long)r->base_address,
				 (unsigned long)(r->end_address - r->base_address + 1), dev);
			off += s->length;
		}
	}
}

static const char *space_name(u8 id)
{
	switch (id) {
	case ACPI_ADR_SPACE_SYSTEM_IO: return "io";
	case ACPI_ADR_SPACE_SYSTEM_MEMORY: return "memory";
	case ACPI_ADR_SPACE_PCI_CONFIG: return "pci";
	default: return "other";
	}
}

void tables_report_tail(struct text *t)
{
	struct acpi_table_header *h;

	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_DMAR, 1, &h))) {
		each_subtable(h, sizeof(struct acpi_table_dmar), 2, dmar_entry, t);
		acpi_put_table(h);
	}
	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_HPET, 1, &h))) {
		struct acpi_table_hpet *hpet = (void *)h;
		if (h->length >= sizeof(*hpet))
			text_add(t, "  <hpet base=\"0x%lx\"/>\n", (unsigned long)hpet->address.address);
		acpi_put_table(h);
	}
	if (acpi_gbl_FADT.flags & ACPI_FADT_RESET_REGISTER)
		text_add(t, "  <reset space=\"%s\" address=\"0x%lx\" value=\"0x%02x\"/>\n",
			 space_name(acpi_gbl_FADT.reset_register.space_id),
			 (unsigned long)acpi_gbl_FADT.reset_register.address,
			 acpi_gbl_FADT.reset_value);
	for (u8 state = 0; state <= ACPI_S_STATE_COUNT - 1; state++) {
		u8 a, b;
		if (ACPI_SUCCESS(acpi_get_sleep_type_data(state, &a, &b)))
			text_add(t, "  <sleep state=\"%u\" typ_a=\"0x%x\" typ_b=\"0x%x\"/>\n", state,
				 a, b);
	}
}
