/*
 * PCI configuration space for ACPICA (PCI_Config OperationRegions, e.g.
 * the PIIX3 PIRQ route registers behind the pc's link devices) and for
 * the report (bridges' secondary buses, DMAR device scopes).
 *
 * Through the platform driver's session (PLATFORM_PCI_CONFIG_READ/WRITE,
 * policy pci_config="yes", docs/devices.md), label "pci". A system without
 * a platform driver (no Platform service routed to acpi) is served by
 * configuration mechanism #1 here, ports 0xcf8..0xcff through an IO_PORT
 * session; those ports also hold the reset control register 0xcf9, the
 * FADT's reset register on PIIX and ICH, which acpi then writes itself.
 * Segment 0 only.
 */
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/parent.h>
#include <platform_session.h>
#include "osl.h"
#include "text.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

static struct platform_connection platform;
static bool have_platform;
static cptr_t session, ports;
static word_t session_id;

bool pci_init(void)
{
	rpc_status_t st = platform_connect(&platform, "pci", 0);

	if (st == RPC_OK) {
		have_platform = true;
		acpi_log("PCI configuration space through the platform driver");
		return true;
	}
	if (st != RPC_E_NOT_FOUND && st != RPC_E_DENIED)
		acpi_log("error: Platform session: %s", rpc_status_name(st));
	st = parent_session(COMPONENT_PARENT, "IO_PORT", "acpi pci", "base=0xcf8, size=8", 8192, 4,
			    0, &session, &session_id);
	if (st == RPC_OK)
		st = io_port_cap(session, &ports);
	if (st != RPC_OK) {
		acpi_log("error: no Platform session and no PCI configuration ports: %s",
			 rpc_status_name(st));
		return false;
	}
	acpi_log("PCI configuration space through ports 0xcf8..0xcff (no platform driver)");
	osl_port_range_add(CONFIG_ADDRESS, 8, ports, "PCI configuration");
	return true;
}

static bool valid(unsigned segment, unsigned bdf, unsigned offset, unsigned width)
{
	return segment == 0 && bdf <= 0xffff && offset <= 0xff &&
	       (width == 1 || width == 2 || width == 4) && offset % width == 0;
}

static bool select(unsigned bdf, unsigned offset)
{
	return ports && ioport_out32(ports, CONFIG_ADDRESS,
				     0x80000000u | bdf << 8 | (offset & 0xfc)) == 0;
}

bool pci_config_read(unsigned segment, unsigned bdf, unsigned offset, unsigned width,
		     uint32_t *value)
{
	word_t v = 0;
	unsigned port = CONFIG_DATA + (offset & 3);
	int e;

	if (!valid(segment, bdf, offset, width))
		return false;
	if (have_platform) {
		if (platform_pci_config_read(platform.session, bdf, offset, width, &v) != RPC_OK)
			return false;
		*value = (uint32_t)v;
		return true;
	}
	if (!select(bdf, offset))
		return false;
	e = width == 1 ? ioport_in8(ports, port, &v) :
	    width == 2 ? ioport_in16(ports, port, &v) : ioport_in32(ports, port, &v);
	*value = (uint32_t)v;
	return e == 0;
}

bool pci_config_write(unsigned segment, unsigned bdf, unsigned offset, unsigned width,
		      uint32_t value)
{
	unsigned port = CONFIG_DATA + (offset & 3);

	if (!valid(segment, bdf, offset, width))
		return false;
	if (have_platform)
		return platform_pci_config_write(platform.session, bdf, offset, width, value) ==
		       RPC_OK;
	if (!select(bdf, offset))
		return false;
	return (width == 1 ? ioport_out8(ports, port, value) :
		width == 2 ? ioport_out16(ports, port, value) : ioport_out32(ports, port, value)) == 0;
}
