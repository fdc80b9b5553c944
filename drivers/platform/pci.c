/*
 * PCI configuration space (pci.h). Mechanism #1: write the address
 * (enable bit, bus, device, function, dword offset) to 0xcf8, then access
 * 0xcfc + (offset & 3) with the width. ECAM: 4 KiB per function at
 * base + (bus << 20 | dev << 15 | fn << 12), mapped one bus (1 MiB) at a
 * time through an IO_MEM session, at most ECAM_MAPPED buses at once (the
 * oldest is dropped). Anything ECAM cannot map falls back to mechanism #1
 * for the first 256 bytes.
 */
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include "pci.h"

#define CF8 0xcf8
#define CFC 0xcfc
#define ECAM_MAPPED 8
#define BUS_BYTES (1ul << 20)

static cptr_t ports;            /* kernel I/O port cap 0xcf8..0xcff */
static word_t ports_id;
static cptr_t ports_session;

struct ecam_bus {
	cptr_t session;
	word_t id;
	volatile uint8_t *va;       /* 1 MiB: the bus */
	int bus;                    /* -1: free */
	uint64_t used;              /* for dropping the oldest */
};

static struct {
	uint64_t base;
	unsigned first, last;
	struct ecam_bus map[ECAM_MAPPED];
	uint64_t clock;
	bool failed_logged;
} ecam;

static volatile uint8_t *ecam_bus(unsigned bus);

/* Mechanism #1's ports, opened at start and again whenever ECAM cannot
 * serve a bus. */
static rpc_status_t ports_get(void)
{
	rpc_status_t st;

	if (ports)
		return RPC_OK;
	st = parent_session(COMPONENT_PARENT, "IO_PORT", "pci", "base=0xcf8, size=8", 8192, 4, 0,
			    &ports_session, &ports_id);
	if (st != RPC_OK)
		return st;
	st = io_port_cap(ports_session, &ports);
	if (st != RPC_OK) {
		parent_close(COMPONENT_PARENT, ports_id);
		cap_slot_free(ports_session);
		ports_session = 0;
		ports = 0;
	}
	return st;
}

static bool ports_open(void)
{
	return ports_get() == RPC_OK;
}

/* Give the ports back once ECAM serves every bus: the chipset's reset
 * control register 0xcf9 (the FADT reset register of PIIX and ICH9) lies
 * in their range, and acpi needs it to reboot the machine. */
static void ports_close(void)
{
	if (!ports)
		return;
	cap_slot_free(ports);
	parent_close(COMPONENT_PARENT, ports_id);
	cap_slot_free(ports_session);
	ports = ports_session = 0;
}

rpc_status_t pci_init(void)
{
	for (int i = 0; i < ECAM_MAPPED; i++)
		ecam.map[i].bus = -1;
	return ports_get();
}

static void ecam_unmap(struct ecam_bus *m)
{
	if (m->bus < 0)
		return;
	pd_detach(COMPONENT_PD, (word_t)m->va);
	parent_close(COMPONENT_PARENT, m->id);
	cap_slot_free(m->session);
	m->bus = -1;
	m->va = 0;
}

void pci_set_ecam(uint64_t base, unsigned first, unsigned last)
{
	for (int i = 0; i < ECAM_MAPPED; i++)
		ecam_unmap(&ecam.map[i]);
	if (last > 255)
		last = 255;
	if (base % BUS_BYTES || first > last)
		base = 0;
	ecam.base = base;
	ecam.first = first;
	ecam.last = last;
	ecam.failed_logged = false;
	/* ECAM agrees with mechanism #1 on the first bus's host bridge: the
	 * ports go back to core */
	volatile uint8_t *b = ecam_bus(first);
	if (b && ports) {
		uint32_t viaports;
		ioport_out32(ports, CF8, 0x80000000u | first << 16);
		word_t v = 0;
		ioport_in32(ports, CFC, &v);
		viaports = (uint32_t)v;
		if (*(volatile uint32_t *)b == viaports && viaports != 0xffffffffu)
			ports_close();
	}
}

bool pci_has_ecam(void)
{
	return ecam.base != 0;
}

unsigned pci_cfg_limit(void)
{
	return ecam.base ? 4096 : 256;
}

/* The bus's mapping (made if needed), NULL if ECAM does not cover it or
 * the mapping failed. */
static volatile uint8_t *ecam_bus(unsigned bus)
{
	struct ecam_bus *m, *victim = 0;
	char args[64];
	cptr_t ds;
	word_t at;
	rpc_status_t st;

	if (!ecam.base || bus < ecam.first || bus > ecam.last)
		return 0;
	for (int i = 0; i < ECAM_MAPPED; i++) {
		m = &ecam.map[i];
		if (m->bus == (int)bus) {
			m->used = ++ecam.clock;
			return m->va;
		}
		if (!victim || (victim->bus >= 0 && (m->bus < 0 || m->used < victim->used)))
			victim = m;   /* the first free one, else the least recently used */
	}
	m = victim;
	ecam_unmap(m);
	snprintf(args, sizeof(args), "base=0x%lx, size=0x%lx",
		 (unsigned long)(ecam.base + ((uint64_t)(bus - ecam.first) << 20)), BUS_BYTES);
	st = parent_session(COMPONENT_PARENT, "IO_MEM", "ecam", args, 16384 + 256 * 64, 256 + 8,
			    0, &m->session, &m->id);
	if (st == RPC_OK) {
		st = io_mem_dataspace(m->session, &ds, 0, 0);
		if (st == RPC_OK) {
			st = pd_attach(COMPONENT_PD, ds, 0, BUS_BYTES, 0, ATTACH_WRITE, &at);
			cap_slot_free(ds);
		}
		if (st != RPC_OK) {
			parent_close(COMPONENT_PARENT, m->id);
			cap_slot_free(m->session);
		}
	}
	if (st != RPC_OK) {
		if (!ecam.failed_logged)
			log("warning: ECAM bus %u not mapped (%s): mechanism #1 only for it", bus,
			    rpc_status_name(st));
		ecam.failed_logged = true;
		return 0;
	}
	m->va = (volatile uint8_t *)at;
	m->bus = (int)bus;
	m->used = ++ecam.clock;
	return m->va;
}

static bool args_ok(unsigned bdf, unsigned offset, unsigned width)
{
	return bdf < 0x10000 && (width == 1 || width == 2 || width == 4) && offset % width == 0 &&
	       offset < pci_cfg_limit();
}

uint32_t pci_rd(unsigned bdf, unsigned offset, unsigned width)
{
	volatile uint8_t *bus = ecam_bus(bdf >> 8);
	word_t v = 0;

	if (bus) {
		volatile uint8_t *p = bus + ((word_t)(bdf & 0xff) << 12) + offset;
		switch (width) {
		case 1: return *p;
		case 2: return *(volatile uint16_t *)p;
		default: return *(volatile uint32_t *)p;
		}
	}
	if (offset >= 256 || !ports_open())
		return width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	ioport_out32(ports, CF8, 0x80000000u | bdf << 8 | (offset & 0xfc));
	switch (width) {
	case 1: ioport_in8(ports, CFC + (offset & 3), &v); break;
	case 2: ioport_in16(ports, CFC + (offset & 2), &v); break;
	default: ioport_in32(ports, CFC, &v); break;
	}
	return (uint32_t)v;
}

void pci_wr(unsigned bdf, unsigned offset, unsigned width, uint32_t value)
{
	volatile uint8_t *bus = ecam_bus(bdf >> 8);

	if (bus) {
		volatile uint8_t *p = bus + ((word_t)(bdf & 0xff) << 12) + offset;
		switch (width) {
		case 1: *p = (uint8_t)value; break;
		case 2: *(volatile uint16_t *)p = (uint16_t)value; break;
		default: *(volatile uint32_t *)p = value; break;
		}
		return;
	}
	if (offset >= 256 || !ports_open())
		return;
	ioport_out32(ports, CF8, 0x80000000u | bdf << 8 | (offset & 0xfc));
	switch (width) {
	case 1: ioport_out8(ports, CFC + (offset & 3), value & 0xff); break;
	case 2: ioport_out16(ports, CFC + (offset & 2), value & 0xffff); break;
	default: ioport_out32(ports, CFC, value); break;
	}
}

rpc_status_t pci_read(unsigned bdf, unsigned offset, unsigned width, uint32_t *value)
{
	if (!args_ok(bdf, offset, width))
		return RPC_E_INVALID_ARGUMENT;
	*value = pci_rd(bdf, offset, width);
	return RPC_OK;
}

rpc_status_t pci_write(unsigned bdf, unsigned offset, unsigned width, uint32_t value)
{
	if (!args_ok(bdf, offset, width) || (width < 4 && value >> (8 * width)))
		return RPC_E_INVALID_ARGUMENT;
	pci_wr(bdf, offset, width, value);
	return RPC_OK;
}
