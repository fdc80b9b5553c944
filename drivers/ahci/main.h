/*
 * The parts of the ahci component (main.c, selftest.c, blkdrv.c).
 */
#ifndef AHCI_MAIN_H
#define AHCI_MAIN_H

#include <argil/config.h>
#include <argil/entrypoint.h>
#include <block_connection.h>
#include "ahci.h"

struct platform_connection *ahci_main_platform(void);
/* Dispatch the controller's interrupts until done(arg) (self-test only). */
void ahci_main_run_until(bool (*done)(void *), void *arg);
/* After interrupts and watchdog ticks: the Block_driver side takes what
 * completed and what waits (blkdrv.c). */
void ahci_main_after_irq(void);

/* selftest.c */
void ahci_selftest_config(const struct cfg_node *cfg);
void ahci_selftest(struct ahci_hba *h);

/* blkdrv.c: one Block_driver session per disk: the config's stream and
 * slots; the session opened (before the Platform session that holds the
 * stream's memory), then started once the HBA is up again. */
void ahci_blkdrv_config(const struct cfg_node *cfg);
rpc_status_t ahci_blkdrv_open(unsigned port);
void ahci_blkdrv_start(struct ahci_hba *h, struct entrypoint *ep);

#endif
