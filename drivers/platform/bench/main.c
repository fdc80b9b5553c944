/*
 * platform_bench: figures of the platform driver under -icount shift=0
 * (bench/README.md), on the harness of run/platform_test (platform with
 * pci_decode's devices report; on q35 with intel-iommu the VT-d domain):
 *
 *   dma_alloc_free  PLATFORM_DMA_ALLOC of 4 KiB and PLATFORM_DMA_FREE of it
 *                   (with the IOMMU: the mapping and the IOTLB invalidation)
 *   irq_to_driver   edu's interrupt-raise register written to the driver
 *                   thread running after its wait on the MSI's notification
 *                   (core's IRQ signals the notification platform gave it)
 *
 * Each the median of RUNS runs, busy instructions (elapsed minus halted).
 */
#include <argil/busy.h>
#include <argil/kernel.h>
#include "platform_test.h"

#define RUNS 101

static uint64_t median(uint64_t *v, const char *name)
{
	bench_sort(v, RUNS);
	log("platform_bench: %s: median %lu min %lu max %lu (%d runs)", name, v[RUNS / 2], v[0],
	    v[RUNS - 1], RUNS);
	return v[RUNS / 2];
}

static uint64_t runs[RUNS];

TEST(BENCH_0001, "dma_alloc_free")
{
	struct tb_own o;
	cptr_t ds;
	word_t addr;
	struct busy_clock c;

	open_platform(&o, "drv_edu", 4 * PLATFORM_DMA_COST(4096));
	for (int i = -10; i < RUNS; i++) {
		busy_start(&c);
		CHECK_OK(platform_dma_alloc(o.cap, 4096, 0, &ds, &addr));
		CHECK_OK(platform_dma_free(o.cap, addr));
		uint64_t t = busy_instructions(&c, 0);
		cap_slot_free(ds);
		if (i >= 0)
			runs[i] = t;
	}
	bench_line("dma_alloc_free", median(runs, "dma_alloc_free"), "instructions");
	CHECK_OK(tb_close(&o));
}

TEST(BENCH_0002, "irq_to_driver")
{
	struct tb_own o;
	struct bar_map m;
	word_t h, kind;
	struct busy_clock c;

	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	CHECK_EQ(kind, PLATFORM_IRQ_MSI);
	for (int i = -10; i < RUNS; i++) {
		busy_start(&c);
		wr32(&m, 0x60, 1);
		wait_bit(1);
		uint64_t t = busy_instructions(&c, 0);
		wr32(&m, 0x64, 1);
		CHECK_OK(platform_irq_ack(o.cap, h, 0));
		if (i >= 0)
			runs[i] = t;
	}
	bench_line("irq_to_driver", median(runs, "irq_to_driver"), "instructions");
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("platform_bench", setup);
}
