/*
 * platform_test_driver: a driver that leaves its device in use. It
 * acquires the device its config names, maps register BAR 0, allocates a
 * DMA buffer, opens the interrupt, starts the device (edu: a DMA transfer
 * into the buffer, interrupt on completion) and then, by its config,
 * exits without releasing anything (mode="exit") or faults (mode="crash").
 * run/platform_test checks that platform cleans up after it.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <platform_session.h>

static struct platform_connection plat;

static void fail(const char *what, rpc_status_t st)
{
	log("driver: %s: %s", what, rpc_status_name(st));
	component_exit(2);
}

void component_construct(struct component_env *env)
{
	struct config_rom cfg;
	word_t handle, size, offset, at, kind, addr;
	cptr_t ds, buf, ntfn;
	word_t ntfn_handle;
	rpc_status_t st;

	(void)env;
	if ((st = config_rom_open(&cfg, "config", 0, 0, 0)) != RPC_OK || !cfg.node)
		fail("config", st);
	const char *dev = cfg_attr(cfg.node, "device");
	bool crash = cfg_attr_is(cfg.node, "mode", "crash");
	if (!dev)
		fail("config: no device", RPC_E_INVALID_ARGUMENT);
	if ((st = platform_connect(&plat, "", PLATFORM_SESSION_RAM + PLATFORM_DMA_COST(8192))))
		fail("session", st);
	if ((st = platform_acquire(plat.session, dev, &handle)))
		fail("acquire", st);
	if ((st = platform_io_mem(plat.session, handle, 0, 0, &ds, &size, &offset)))
		fail("io_mem", st);
	if ((st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, ATTACH_WRITE, &at)))
		fail("attach", st);
	volatile uint32_t *regs = (volatile uint32_t *)(at + offset);
	if ((st = platform_dma_alloc(plat.session, 8192, 0, &buf, &addr)))
		fail("dma", st);
	ntfn = cap_slot_alloc();
	if ((st = pd_alloc_ntfn(COMPONENT_PD, ntfn, &ntfn_handle)))
		fail("ntfn", st);
	if ((st = platform_irq(plat.session, handle, 0, ntfn, &kind)))
		fail("irq", st);
	/* edu: the liveness register, then a transfer device -> RAM that
	 * raises the interrupt when done */
	regs[1] = 0x12345678;
	if (regs[1] != ~0x12345678u)
		fail("edu liveness", RPC_E_UNAVAILABLE);
	*(volatile uint64_t *)((volatile uint8_t *)regs + 0x80) = 0x40000;
	*(volatile uint64_t *)((volatile uint8_t *)regs + 0x88) = addr;
	*(volatile uint64_t *)((volatile uint8_t *)regs + 0x90) = 2048;
	*(volatile uint64_t *)((volatile uint8_t *)regs + 0x98) = 1 | 2 | 4;
	log("driver: %s in use (DMA buffer, interrupt kind %lu, transfer started): %s", dev, kind,
	    crash ? "crashing" : "exiting");
	if (crash) {
		int *volatile nowhere = (int *)8;
		*nowhere = 1;
	}
	component_exit(0);
}
