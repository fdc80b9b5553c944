/*
 * The OS services layer of ACPICA on Argil (osl.c, pci.c): what the
 * component sets up before ACPICA runs and asks of the layer besides the
 * acpi_os_* functions ACPICA calls.
 *
 * Threads: ACPICA runs single-threaded here, on the component's main
 * entrypoint thread. Locks are no-ops, a semaphore is a counter (a wait
 * that would block can never be satisfied and fails with AE_TIME),
 * acpi_os_execute queues its work, which runs right after the interrupt
 * handler that queued it returns, or in acpi_os_wait_events_complete.
 */
#ifndef ACPI_OSL_H
#define ACPI_OSL_H

#include <argil/entrypoint.h>
#include <argil/abi.h>
#include <stdbool.h>
#include <stdint.h>

/* Set up the layer: the Timer session for stall, sleep and the timer, the
 * entrypoint for the SCI's signal, the RSDP's physical address (from the
 * platform_info ROM). */
bool osl_init(struct entrypoint *ep, uint64_t rsdp);

/* Port ranges ACPICA may touch: the FADT's blocks (osl_allow_fadt_ports,
 * once the tables are loaded) and what AML OperationRegions declare
 * (checked at each access). Opens the IO_PORT sessions. */
void osl_allow_fadt_ports(void);

/* A port range whose kernel port cap the component has already (pci.c's
 * configuration ports, which hold the reset control register 0xcf9). */
void osl_port_range_add(unsigned first, unsigned len, cptr_t cap, const char *what);

/* The SCI's trigger and polarity (from the MADT), before ACPICA installs
 * its handler (default: level, active low, as ACPI defines the SCI). */
void osl_set_sci_mode(bool level, bool low);

/* Run the work acpi_os_execute queued (a GPE's AML method, a notify). */
void osl_run_deferred(void);

/* PCI configuration space (pci.c): bdf = bus << 8 | device << 3 | function */
bool pci_config_read(unsigned segment, unsigned bdf, unsigned offset, unsigned width,
		     uint32_t *value);
bool pci_config_write(unsigned segment, unsigned bdf, unsigned offset, unsigned width,
		      uint32_t value);
bool pci_init(void);

/* What a session at core costs us (IO_MEM page, IO_PORT range). */
#define DEV_SESSION_RAM 8192
#define DEV_SESSION_CAPS 4

#endif
