/*
 * The Block_driver side (block_session.h): not yet wired; the block
 * multiplexer's session library is being written on branch blk.
 */
#include <argil/log.h>
#include "main.h"

void ahci_main_after_irq(void) {}

void ahci_blkdrv_start(struct ahci_hba *h, struct entrypoint *ep)
{
	(void)h;
	(void)ep;
	log("error: no Block_driver support yet: boot with <config selftest=\"yes\">");
}
