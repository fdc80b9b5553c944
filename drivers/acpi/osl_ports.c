/*
 * ACPICA's port I/O on Argil (acpi_os_read_port, acpi_os_write_port; the
 * rest of the OS layer is osl.c): only the FADT's fixed-hardware blocks
 * (PM1a/b event and control, PM2 control, PM timer, GPE0/1, SMI command;
 * the reset register when it is written) and the ports of AML SystemIO
 * OperationRegions (ACPICA's own address-range list, after its check
 * against the legacy ports in hwvalid.c). Each range gets an IO_PORT
 * session on first use; in/out go through the kernel port cap.
 *
 * Trusts: the tables (the firmware's) for what they say; nothing else.
 */
#include <acpi/acpi.h>
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/parent.h>
#include <argil/slot.h>
#include <stdio.h>
#include <stdlib.h>
#include "osl.h"
#include "text.h"

/* ACPICA's list of the address ranges that AML OperationRegions declared
 * (utaddress.c; internal, so declared here): the number of regions of
 * space_id that overlap [address, address + length). */
u32 acpi_ut_check_address_range(acpi_adr_space_type space_id, acpi_physical_address address,
				u32 length, u8 warn);


struct port_range {
	unsigned first, last;
	const char *what;       /* the FADT block, or "AML" */
	struct parent_conn session;
	cptr_t cap;
	struct port_range *next;
};

static struct port_range *port_ranges;

void osl_port_range_add(unsigned first, unsigned len, cptr_t cap, const char *what)
{
	struct port_range *r = calloc(1, sizeof(*r));

	if (!r)
		return;
	r->first = first;
	r->last = first + len - 1;
	r->what = what;
	r->cap = cap;
	r->next = port_ranges;
	port_ranges = r;
}

static struct port_range *port_covering(unsigned port, unsigned bytes)
{
	for (struct port_range *r = port_ranges; r; r = r->next)
		if (port >= r->first && port + bytes - 1 <= r->last)
			return r;
	return 0;
}

static struct port_range *port_open(unsigned first, unsigned len, const char *what)
{
	struct port_range *r = calloc(1, sizeof(*r));
	char args[64];
	rpc_status_t st;

	if (!r)
		return 0;
	r->first = first;
	r->last = first + len - 1;
	r->what = what;
	snprintf(args, sizeof(args), "base=0x%x, size=%u", first, len);
	st = parent_conn_open(&r->session, "IO_PORT", "acpi", args, DEV_SESSION_RAM,
			      DEV_SESSION_CAPS);
	if (st == RPC_OK)
		st = io_port_cap(r->session.cap, &r->cap);
	if (st != RPC_OK) {
		acpi_log("error: ports 0x%x..0x%x (%s): %s", first, r->last, what, rpc_status_name(st));
		parent_conn_close(&r->session);
		free(r);
		return 0;
	}
	r->next = port_ranges;
	port_ranges = r;
	return r;
}

static void allow_gas(const struct acpi_generic_address *g, unsigned bytes, const char *what)
{
	if (g->space_id != ACPI_ADR_SPACE_SYSTEM_IO || !g->address || !bytes)
		return;
	if (g->address + bytes - 1 > 0xffff) {
		acpi_log("error: FADT %s at port 0x%lx beyond the port space", what,
		    (unsigned long)g->address);
		return;
	}
	if (!port_covering((unsigned)g->address, bytes))
		port_open((unsigned)g->address, bytes, what);
}

void osl_allow_fadt_ports(void)
{
	struct acpi_table_fadt *f = &acpi_gbl_FADT;

	allow_gas(&f->xpm1a_event_block, f->pm1_event_length, "PM1a event");
	allow_gas(&f->xpm1b_event_block, f->pm1_event_length, "PM1b event");
	allow_gas(&f->xpm1a_control_block, f->pm1_control_length, "PM1a control");
	allow_gas(&f->xpm1b_control_block, f->pm1_control_length, "PM1b control");
	allow_gas(&f->xpm2_control_block, f->pm2_control_length, "PM2 control");
	allow_gas(&f->xpm_timer_block, f->pm_timer_length, "PM timer");
	allow_gas(&f->xgpe0_block, f->gpe0_block_length, "GPE0");
	allow_gas(&f->xgpe1_block, f->gpe1_block_length, "GPE1");
	/* the reset register is opened when it is written (at a reboot): on
	 * PIIX and ICH it is 0xcf9, among the PCI configuration ports that the
	 * platform driver holds, if there is one */
	if (f->smi_command) {
		struct acpi_generic_address smi = { .space_id = ACPI_ADR_SPACE_SYSTEM_IO,
						    .address = f->smi_command };
		allow_gas(&smi, 1, "SMI command");
	}
}

/* The session that covers port..port+bytes-1, opened for an AML region
 * on first use; NULL: not declared (or core refused). */
static struct port_range *port_range_of(unsigned port, unsigned bytes)
{
	struct port_range *r = port_covering(port, bytes);

	if (r)
		return r;
	const struct acpi_generic_address *reset = &acpi_gbl_FADT.reset_register;
	if ((acpi_gbl_FADT.flags & ACPI_FADT_RESET_REGISTER) &&
	    reset->space_id == ACPI_ADR_SPACE_SYSTEM_IO && reset->address == port && bytes == 1)
		return port_open(port, 1, "reset");
	if (acpi_ut_check_address_range(ACPI_ADR_SPACE_SYSTEM_IO, port, bytes, FALSE))
		return port_open(port, bytes, "AML");
	acpi_log("error: ACPICA accesses ports 0x%x..0x%x, which no table declares", port,
	    port + bytes - 1);
	return 0;
}

acpi_status acpi_os_read_port(acpi_io_address address, u32 *value, u32 width)
{
	struct port_range *r = address <= 0xffff ? port_range_of((unsigned)address, width / 8) : 0;
	word_t v = 0;
	int e;

	if (!r)
		return AE_NOT_EXIST;
	switch (width) {
	case 8: e = ioport_in8(r->cap, address, &v); break;
	case 16: e = ioport_in16(r->cap, address, &v); break;
	case 32: e = ioport_in32(r->cap, address, &v); break;
	default: return AE_BAD_PARAMETER;
	}
	*value = (u32)v;
	return e ? AE_ERROR : AE_OK;
}

acpi_status acpi_os_write_port(acpi_io_address address, u32 value, u32 width)
{
	struct port_range *r = address <= 0xffff ? port_range_of((unsigned)address, width / 8) : 0;
	int e;

	if (!r)
		return AE_NOT_EXIST;
	switch (width) {
	case 8: e = ioport_out8(r->cap, address, value); break;
	case 16: e = ioport_out16(r->cap, address, value); break;
	case 32: e = ioport_out32(r->cap, address, value); break;
	default: return AE_BAD_PARAMETER;
	}
	return e ? AE_ERROR : AE_OK;
}
