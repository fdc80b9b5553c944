/*
 * PCI configuration space for ACPICA (PCI_Config OperationRegions, e.g.
 * the PIIX3 PIRQ route registers behind the pc's link devices).
 *
 * Until the platform driver's session (PLATFORM_PCI_CONFIG_READ/WRITE,
 * docs/devices.md) is on this branch, the acpi component reaches
 * configuration space itself through configuration mechanism #1 (ports
 * 0xcf8..0xcff through an IO_PORT session), which works only while no
 * platform driver holds those ports. Segment 0 only.
 */
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/parent.h>
#include "osl.h"
#include "text.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

static cptr_t session, ports;
static word_t session_id;

bool pci_init(void)
{
	rpc_status_t st = parent_session(COMPONENT_PARENT, "IO_PORT", "acpi pci",
					 "base=0xcf8, size=8", 8192, 4, 0, &session, &session_id);

	if (st == RPC_OK)
		st = io_port_cap(session, &ports);
	if (st != RPC_OK) {
		acpi_log("error: PCI configuration ports 0xcf8..0xcff: %s", rpc_status_name(st));
		return false;
	}
	/* the reset control register (0xcf9) is among them: the FADT's reset
	 * register on PIIX and ICH */
	osl_port_range_add(CONFIG_ADDRESS, 8, ports, "PCI configuration");
	return true;
}

static bool select(unsigned segment, unsigned bdf, unsigned offset, unsigned width)
{
	if (!ports || segment != 0 || bdf > 0xffff || offset > 0xff ||
	    (width != 1 && width != 2 && width != 4) || offset % width)
		return false;
	return ioport_out32(ports, CONFIG_ADDRESS, 0x80000000u | bdf << 8 | (offset & 0xfc)) == 0;
}

bool pci_config_read(unsigned segment, unsigned bdf, unsigned offset, unsigned width,
		     uint32_t *value)
{
	word_t v = 0;
	unsigned port = CONFIG_DATA + (offset & 3);
	int e;

	if (!select(segment, bdf, offset, width))
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

	if (!select(segment, bdf, offset, width))
		return false;
	return (width == 1 ? ioport_out8(ports, port, value) :
		width == 2 ? ioport_out16(ports, port, value) : ioport_out32(ports, port, value)) == 0;
}
