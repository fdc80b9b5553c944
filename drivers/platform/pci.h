/*
 * PCI configuration space as the platform driver reaches it: mechanism #1
 * (ports 0xcf8..0xcff, always) and ECAM (memory-mapped, from the acpi
 * report's <ecam>, mapped a bus at a time as buses are used).
 */
#ifndef PLATFORM_PCI_H
#define PLATFORM_PCI_H

#include <argil/rpc.h>
#include <stdbool.h>
#include <stdint.h>

/* Take ports 0xcf8..0xcff from the parent. */
rpc_status_t pci_init(void);
/* Use ECAM at base for segment 0, buses first..last (replacing an earlier
 * one); base 0: mechanism #1 only. */
void pci_set_ecam(uint64_t base, unsigned first, unsigned last);
bool pci_has_ecam(void);
/* Highest offset + 1 of configuration space (256 or 4096). */
unsigned pci_cfg_limit(void);
/* Checked access: bdf < 0x10000, width 1, 2 or 4, offset aligned to it and
 * below pci_cfg_limit(); RPC_E_INVALID_ARGUMENT else. Reads of absent
 * functions give all ones. */
rpc_status_t pci_read(unsigned bdf, unsigned offset, unsigned width, uint32_t *value);
rpc_status_t pci_write(unsigned bdf, unsigned offset, unsigned width, uint32_t value);
/* Unchecked shorthands for the driver's own use (valid arguments). */
uint32_t pci_rd(unsigned bdf, unsigned offset, unsigned width);
void pci_wr(unsigned bdf, unsigned offset, unsigned width, uint32_t value);

/* Configuration header offsets and bits platform uses. */
#define PCI_VENDOR 0x00
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_ROM_BAR0 0x30      /* type 0 */
#define PCI_ROM_BAR1 0x38      /* type 1 (bridges) */
#define PCI_CAP_PTR 0x34
#define PCI_INT_LINE 0x3c
#define PCI_CMD_IO 0x1u
#define PCI_CMD_MEM 0x2u
#define PCI_CMD_MASTER 0x4u
#define PCI_CMD_INTX_DISABLE 0x400u
#define PCI_STATUS_CAPS 0x10u
#define PCI_CAP_MSI 0x05
#define PCI_CAP_PCIE 0x10
#define PCI_CAP_MSIX 0x11

#endif
