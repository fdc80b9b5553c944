/*
 * pci_decode's portable part: the walk over PCI configuration space, the
 * routing of legacy interrupts, the fixed ISA devices and the `devices`
 * report (docs/devices.md). No system calls: configuration space is
 * reached through struct pci_access, which the component backs with its
 * Platform session (PLATFORM_PCI_CONFIG_READ/WRITE) and the host tests
 * with a model of config space (tests/host/pci_decode.c).
 *
 * The walk assigns nothing: bus numbers, BARs and the command register are
 * what the firmware set up. It changes config space only while sizing a
 * BAR (all-ones written and the old value restored, with memory and I/O
 * decoding off meanwhile) and restores the command register afterwards.
 * Whatever a device reads back is treated as untrusted numbers: a loop in
 * the bridge chain, a capability list that cycles or points outside the
 * header, or a BAR of an impossible size is skipped and counted.
 */
#ifndef PCI_WALK_H
#define PCI_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <argil/config.h>

/* bus << 8 | device << 3 | function, as PLATFORM_PCI_CONFIG_READ takes it */
#define PCI_BDF(bus, dev, fn) ((uint16_t)(((bus) << 8) | ((dev) << 3) | (fn)))

/* Config access: 0 on success, any other value is an error (the walk
 * stops with pci_walk.error set). width is 1, 2 or 4; off < 256. */
struct pci_access {
	void *ctx;
	int (*read)(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t *val);
	int (*write)(void *ctx, uint16_t bdf, unsigned off, unsigned width, uint32_t val);
};

/* Standard header registers and bits (PCI Local Bus 3.0, 6.1/6.2) */
enum {
	PCI_VENDOR = 0x00, PCI_DEVICE = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
	PCI_REVISION = 0x08, PCI_HEADER_TYPE = 0x0e, PCI_BAR0 = 0x10,
	PCI_SUBSYS_VENDOR = 0x2c, PCI_SUBSYS = 0x2e, PCI_CAP_PTR = 0x34,
	PCI_INT_PIN = 0x3d,
	PCI_BRIDGE_PRIMARY = 0x18, PCI_BRIDGE_SECONDARY = 0x19, PCI_BRIDGE_SUBORDINATE = 0x1a,

	PCI_COMMAND_IO = 0x1, PCI_COMMAND_MEM = 0x2,
	PCI_STATUS_CAPS = 0x10,
	PCI_HEADER_MULTI = 0x80, PCI_HEADER_LAYOUT = 0x7f,
	PCI_HEADER_NORMAL = 0, PCI_HEADER_BRIDGE = 1,

	PCI_CAP_MSI = 0x05, PCI_CAP_MSIX = 0x11,
	PCI_MSI_CTRL = 2,          /* bits 3:1 multiple message capable, 7 64-bit */
	PCI_MSIX_CTRL = 2,         /* bits 10:0 table size - 1 */
	PCI_MSIX_TABLE = 4, PCI_MSIX_PBA = 8,   /* bits 2:0 BIR, the rest offset */
};

enum pci_bar_type { PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
	uint8_t index;
	uint8_t type;             /* enum pci_bar_type */
	bool prefetchable;
	uint64_t address, size;
};

struct pci_irq_route {
	bool routed;
	uint32_t gsi;
	bool level, active_low;
};

struct pci_func {
	uint8_t bus, dev, fn;
	uint16_t vendor, product, subsystem_vendor, subsystem;
	uint32_t class_code;      /* class << 16 | subclass << 8 | prog-if */
	uint8_t revision;
	uint8_t layout;           /* PCI_HEADER_NORMAL, PCI_HEADER_BRIDGE, other */
	bool bridge;
	uint8_t secondary, subordinate;
	int upstream;             /* index of the bridge whose secondary bus this is on; -1 */
	unsigned nbars;
	struct pci_bar bars[6];
	uint8_t pin;              /* 0 none, 1..4 INTA..INTD */
	struct pci_irq_route irq;
	bool msi, msi64;
	unsigned msi_vectors;
	bool msix;
	unsigned msix_vectors;
	uint8_t msix_table_bar, msix_pba_bar;
	uint32_t msix_table_offset, msix_pba_offset;
};

struct pci_walk {
	struct pci_func *funcs;   /* the caller's array */
	unsigned max, n;
	unsigned skipped;         /* functions beyond max, loops, bad capability lists */
	const char *error;        /* set when config access failed: the walk stopped */
	uint16_t error_bdf;
};

/* Walk from bus 0 through every bridge whose secondary bus the firmware
 * set (recursively; each bus once). Returns 0, or -1 on a config access
 * error (walk->error). Routes no interrupts (pci_route_irqs). */
int pci_walk_all(struct pci_walk *walk, const struct pci_access *acc);
/* The same, taking the BARs of prev's functions whose IDs and BAR
 * registers are unchanged instead of sizing them again: a re-walk leaves
 * devices that drivers use undisturbed. walk and prev are distinct. */
int pci_walk_again(struct pci_walk *walk, const struct pci_access *acc,
		   const struct pci_walk *prev);

/* ---- what the acpi report says (ROM "acpi") ---- */

struct acpi_route {
	uint8_t bus, dev, pin;    /* pin 1..4 */
	uint32_t gsi;
	bool level, active_low;
};

struct acpi_override {
	uint8_t irq;
	uint32_t gsi;
	bool level, active_low;
};

struct acpi_info {
	struct acpi_route *routes;     /* the caller's array */
	unsigned max_routes, nroutes;
	struct acpi_override overrides[16];
	unsigned noverrides;
	uint64_t hpet_base;            /* 0: none */
	unsigned bad;                  /* nodes skipped as malformed */
	unsigned bad_line, bad_col;    /* the first of them */
	const char *bad_msg;
};

/* Read <routing>, <override> and <hpet> of an <acpi> report (other nodes
 * are the business of other readers). NULL node: nothing known. Nodes
 * with a missing or bad value are skipped and counted in info->bad. */
void acpi_info_read(struct acpi_info *info, const struct cfg_node *acpi);

/* Route every function's interrupt pin: its own slot's _PRT entry, else
 * the pin swizzled to its upstream bridge's slot ((pin - 1 + device) mod 4),
 * up to bus 0. A pin no _PRT entry routes stays unrouted. */
void pci_route_irqs(struct pci_walk *walk, const struct acpi_info *acpi);

/* ISA IRQ -> GSI through the MADT overrides (identity, edge, active high
 * without one). */
struct pci_irq_route isa_irq_route(const struct acpi_info *acpi, unsigned irq);

/* ---- the fixed ISA devices ---- */

struct isa_device {
	const char *name;
	const char *type;              /* NULL: "isa"; "boot": the boot framebuffer */
	uint16_t io_base[2], io_size[2];
	unsigned nio;
	uint8_t irqs[2];
	unsigned nirqs;
	uint64_t mem_base, mem_size;   /* mem_size 0: none */
};

/* present bits for the probed devices */
enum { ISA_PS2 = 1, ISA_COM2 = 2, ISA_COM3 = 4, ISA_COM4 = 8 };

/* The legacy serial ports other than COM1 (the kernel's console), the
 * scratch register each is probed through. */
struct isa_serial { const char *name; uint16_t base; uint8_t irq; unsigned bit; };
extern const struct isa_serial isa_serials[3];
#define ISA_SCRATCH_REG 7

/* Fill out[] (at least 7 entries) with the ISA devices: ps2 when
 * ISA_PS2 is set, pit and rtc always, serial1..3 as present says, hpet
 * when hpet_base is not 0. Returns the count. */
unsigned isa_devices(struct isa_device *out, unsigned present, uint64_t hpet_base);
/* The boot loader's framebuffer (platform_info's <framebuffer address
 * size>) as the device "framebuffer" of type "boot" with one <mem>, so
 * that platform can hand it to one driver (fb_boot) and driver_manager
 * can choose; out[n] is written, n + 1 returned (n when size is 0). */
unsigned boot_framebuffer(struct isa_device *out, unsigned n, uint64_t base, uint64_t size);

/* ---- the devices report ---- */

const char *pci_bar_type_name(unsigned type);
/* Write <devices> ... </devices>: one <device> per function (in walk
 * order) and per ISA device. */
void devices_report_write(struct cfg_writer *w, const struct pci_walk *walk,
			  const struct isa_device *isa, unsigned nisa,
			  const struct acpi_info *acpi);

#endif
