/*
 * ahci: the AHCI driver (QEMU's ich9-ahci on q35 and any HBA with class
 * 0x010601) through the Platform session: ABAR uncached, the MSI
 * interrupt, DMA buffers from the driver's quota (device addresses are
 * IOVAs under the IOMMU). Every implemented port with an ATA disk is
 * started and identified (hba.c, port.c); each disk is then served to the
 * block multiplexer through a Block_driver session (blkdrv.c), or, with
 * <config selftest="yes"/>, exercised by the driver's own self-test
 * (selftest.c) instead.
 *
 * Trusts its parent, core, the platform driver and the HBA; the
 * multiplexer's requests are checked (blkdrv.c).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include "main.h"

#define PLATFORM_RAM (64 * 1024)
#define AHCI_CLASS 0x010601u

static struct platform_connection plat;
static struct timer_connection timer, watchdog;
static struct ahci_hba hba;
static struct signal_handler irq_sig, tick_sig;
static struct component_env *env;

struct ahci_hba *ahci_main_hba(void) { return &hba; }

static void on_irq(void *arg)
{
	(void)arg;
	ahci_hba_irq(&hba);
	ahci_main_after_irq();
}

static void on_tick(void *arg)
{
	(void)arg;
	ahci_hba_tick(&hba);
	ahci_main_after_irq();
}

/* For the self-test: dispatch interrupts until done() holds. */
void ahci_main_run_until(bool (*done)(void *), void *arg)
{
	while (!done(arg)) {
		ep_wait_signal(&env->ep, &irq_sig);
		ahci_hba_irq(&hba);
	}
}

struct platform_connection *ahci_main_platform(void) { return &plat; }

static void fail(const char *what)
{
	log("error: %s", what);
	component_exit(1);
}

/* A Platform session, the controller found and taken over, its ports
 * started; name: the controller's. */
static void up(char *name, size_t size)
{
	rpc_status_t st = platform_connect(&plat, "", PLATFORM_RAM);
	if (st != RPC_OK)
		fail("no Platform session");
	st = drv_device_find_class_wait(&plat, AHCI_CLASS, name, size);
	if (st != RPC_OK)
		fail("no AHCI controller");
	const char *why = ahci_hba_init(&hba, &plat, &timer, name, irq_sig.cap);
	if (why)
		fail(why);
}

void component_construct(struct component_env *e)
{
	struct config_rom cfg;
	char name[PLATFORM_NAME_MAX];
	bool selftest = false;
	rpc_status_t st;

	env = e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr_bool(cfg.node, "selftest", false, &selftest) < 0)
			fail("config: selftest must be yes or no");
		if (selftest)
			ahci_selftest_config(cfg.node);
		else if (cfg.node)
			ahci_blkdrv_config(cfg.node);
		config_rom_close(&cfg, 0);
	}
	if (timer_connect(&timer, "sleep") != RPC_OK || timer_connect(&watchdog, "watchdog") != RPC_OK)
		fail("no Timer session");
	if (signal_handler_init(&env->ep, &irq_sig, on_irq, 0) != RPC_OK ||
	    signal_handler_init(&env->ep, &tick_sig, on_tick, 0) != RPC_OK)
		fail("no signal handlers");
	if (!selftest) {
		/* Which ports have disks, first: their Block_driver sessions
		 * must be opened before the Platform session that will hold
		 * their streams (a dead driver's sessions are closed in the
		 * order they were opened, and the multiplexer must let go of a
		 * stream before platform frees it). So the controller is
		 * probed, released with its session, and taken anew. */
		hba.quiet = true;
		up(name, sizeof(name));
		bool any = false, ready[AHCI_PORTS_MAX];
		for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
			ready[i] = hba.port[i].state == PORT_READY;
			any |= ready[i];
		}
		ahci_hba_fini(&hba);
		platform_disconnect(&plat);
		for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
			if (!ready[i])
				continue;
			st = ahci_blkdrv_open(i);
			if (st != RPC_OK)
				log("error: sata%u: no Block_driver session: %s", i, rpc_status_name(st));
		}
		if (!any)
			log("no disks: nothing to serve");
	}
	up(name, sizeof(name));
	unsigned disks = 0;
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++)
		disks += hba.port[i].state == PORT_READY;
	log("%s: %u disk%s, interrupt %s", name, disks, disks == 1 ? "" : "s",
	    hba.irq.kind == PLATFORM_IRQ_MSI    ? "MSI"
	    : hba.irq.kind == PLATFORM_IRQ_MSIX ? "MSI-X"
						: "legacy line");
	if (timer_connection_sigh(&watchdog, tick_sig.cap) != RPC_OK ||
	    timer_trigger_periodic(watchdog.session, 1000000) != RPC_OK)
		fail("cannot arm the watchdog");
	if (selftest) {
		ahci_selftest(&hba);
		return;
	}
	ahci_blkdrv_start(&hba, &env->ep);
}
