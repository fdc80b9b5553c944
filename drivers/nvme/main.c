/*
 * nvme: the NVMe driver (README.md). Acquires the controller through its
 * Platform session, brings it up (nvme.c) and serves each active
 * namespace to the block multiplexer as disk nvme0n<nsid>.
 *
 * Config: <config stream="1M"/>: the bytes of each namespace's stream
 * (a DMA buffer). <config selftest="yes" hash_bytes="2M"/> runs the
 * self-test (selftest.c) instead of serving.
 *
 * Trusts its parent, core and the platform driver; the device as
 * described in nvme.h.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include "nvme.h"
#include "selftest.h"
#include "serve.h"
#include <block_session.h>

#define PLATFORM_RAM (64 * 1024)

/* NVMe controllers: PCI class 0x010802 (mass storage, non-volatile
 * memory, NVM Express); the platform policy (manifest: class NVME)
 * decides which of them this session sees. */
#define NVME_CLASS 0x010802u

static struct component_env *env;
static struct platform_connection plat;
static struct timer_connection timer;
static struct drv_device dev;
static struct nvme ctrl;
static struct signal_handler irq_sig;

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s%s%s", what, rpc_status_name(st), ctrl.error ? ": " : "",
	    ctrl.error ? ctrl.error : "");
	component_exit(1);
}

/* A Platform session, the controller acquired and brought up (its I/O
 * interrupt to sigh; 0: the kit's notification); the first time also
 * logged. Fails the component on an error. */
static void bring_up(cptr_t sigh, char *name, size_t size)
{
	static bool said;
	rpc_status_t st;

	st = platform_connect(&plat, "", PLATFORM_RAM);
	if (st != RPC_OK)
		fail("no Platform session", st);
	st = drv_device_find_class_wait(&plat, NVME_CLASS, name, size);
	if (st != RPC_OK)
		fail("no NVMe controller", st);
	st = drv_device_acquire(&dev, &plat, name);
	if (st != RPC_OK)
		fail("cannot acquire the controller", st);
	st = nvme_init(&ctrl, &dev, &timer, sigh);
	if (st != RPC_OK)
		fail("controller bring-up", st);
	if (said)
		return;
	said = true;
	log("nvme0 (%s): %s, serial %s, firmware %s, NVMe %u.%u, %u namespaces, "
	    "queue of %u, %s, max transfer %u KiB%s%s",
	    name, ctrl.model, ctrl.serial, ctrl.firmware,
	    (unsigned)FIELD_GET(NVME_VS, MJR, ctrl.version),
	    (unsigned)FIELD_GET(NVME_VS, MNR, ctrl.version), ctrl.nns, ctrl.io.depth,
	    ctrl.irq.kind == PLATFORM_IRQ_MSIX ? "MSI-X" :
	    ctrl.irq.kind == PLATFORM_IRQ_MSI ? "MSI" : "legacy interrupt",
	    ctrl.max_transfer / 1024, ctrl.oncs & NVME_ONCS_DSM ? ", trim" : "",
	    ctrl.vwc ? ", volatile write cache" : "");
	for (unsigned i = 0; i < ctrl.nns; i++)
		log("nvme0n%u: %lu blocks of %u bytes", ctrl.ns[i].nsid,
		    (unsigned long)ctrl.ns[i].blocks, ctrl.ns[i].block_size);
}

/* Everything bring_up took, given back. */
static void take_down(void)
{
	nvme_fini(&ctrl);
	drv_device_release(&dev);
	platform_disconnect(&plat);
}

void component_construct(struct component_env *e)
{
	struct config_rom cfg;
	char name[PLATFORM_NAME_MAX];
	bool selftest = false;
	uint64_t hash_bytes = 2u << 20, stream = 1u << 20;
	rpc_status_t st;

	env = e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr_bool(cfg.node, "selftest", false, &selftest) < 0)
			log("error: config: selftest must be yes or no");
		if (cfg.node && cfg_attr_size(cfg.node, "hash_bytes", hash_bytes, &hash_bytes) < 0)
			log("error: config: hash_bytes must be a size");
		if (cfg.node && (cfg_attr_size(cfg.node, "stream", stream, &stream) < 0 ||
				 stream < 64 * 1024 || stream > BLOCK_STREAM_MAX)) {
			log("error: config: stream must be a size of 64K..16M");
			stream = 1u << 20;
		}
		config_rom_close(&cfg, 0);
	}
	st = timer_connect(&timer, "");
	if (st != RPC_OK)
		fail("no Timer session", st);
	if (selftest) {
		bring_up(0, name, sizeof(name));
		nvme_selftest(&ctrl, "nvme0", hash_bytes);
		nvme_shutdown(&ctrl);
		return;
	}
	/* The Block_driver sessions must be opened before the Platform
	 * session whose DMA buffers hold their streams: a parent closes a
	 * dead driver's sessions in the order they were opened, and the
	 * multiplexer must lose a stream before platform frees its memory.
	 * The namespaces are known only from the controller: ask it through
	 * a first Platform session, give that back, open the disks, then
	 * bring the controller up again through the session that serves. */
	bring_up(0, name, sizeof(name));
	st = nvme_serve_open(&ctrl, "nvme0");
	if (st != RPC_OK)
		fail("no Block_driver session", st);
	take_down();
	st = signal_handler_init(&env->ep, &irq_sig, nvme_serve_irq, &ctrl);
	if (st != RPC_OK)
		fail("no signal handler", st);
	bring_up(irq_sig.cap, name, sizeof(name));
	st = nvme_serve_start(&ctrl, &env->ep, stream);
	if (st != RPC_OK)
		fail("no namespace served", st);
}
