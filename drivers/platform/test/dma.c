/*
 * platform_test, second half (main.c has the first): DMA through edu's
 * engine, quota, stray DMA and the IOMMU, reserved regions; drivers that
 * exit or crash with their device in use; policy changes and garbage.
 */
#include <argil/kernel.h>
#include "platform_test.h"

/* ---- DMA ---- */

/* edu's DMA engine: count bytes between device address ram and its own
 * buffer at 0x40000, to RAM (to_ram) or from it; completion by MSI. */
/* QEMU 7.2's edu refuses (with a hardware error that stops QEMU) a
 * transfer that ends exactly at the end of its 4 KiB buffer: transfers are
 * EDU_LEN bytes. */
#define EDU_LEN 2048

static void edu_dma(struct tb_own *o, word_t h, struct bar_map *m, word_t ram, bool to_ram)
{
	wr64(m, 0x80, to_ram ? 0x40000 : ram);
	wr64(m, 0x88, to_ram ? ram : 0x40000);
	wr64(m, 0x90, EDU_LEN);
	wr64(m, 0x98, 1 | (to_ram ? 2 : 0) | 4);
	wait_bit(1);
	CHECK_EQ(rd64(m, 0x98) & 1, 0);
	CHECK(rd32(m, 0x24) & 0x100);
	wr32(m, 0x64, 0x100);
	CHECK_OK(platform_irq_ack(o->cap, h, 0));
}

/* A round trip through edu: A -> edu -> B; B must equal A. */
static void edu_roundtrip(struct tb_own *o, word_t h, struct bar_map *m, uint8_t seed)
{
	struct dma a, b;

	CHECK_OK(dma_get(o, 4096, &a));
	CHECK_OK(dma_get(o, 4096, &b));
	CHECK(a.addr != b.addr);
	for (int i = 0; i < 4096; i++)
		a.va[i] = (uint8_t)(seed + i * 7);
	edu_dma(o, h, m, a.addr, false);
	edu_dma(o, h, m, b.addr, true);
	for (int i = 0; i < EDU_LEN; i++)
		CHECK_EQ(b.va[i], (uint8_t)(seed + i * 7));
	for (int i = EDU_LEN; i < 4096; i++)
		CHECK_EQ(b.va[i], 0);
	dma_put(o, &a);
	dma_put(o, &b);
}

TEST(PLAT_0030, "DMA: a buffer round trip through edu's DMA engine")
{
	struct tb_own o;
	struct bar_map m;
	word_t h, kind;

	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	edu_roundtrip(&o, h, &m, 3);
	edu_roundtrip(&o, h, &m, 77);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TEST(PLAT_0031, "DMA: quota exhausted is NO_RAM_QUOTA; bad sizes, flags, addresses")
{
	struct tb_own o;
	struct dma d[32];
	cptr_t ds;
	word_t addr;
	int n = 0;

	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	rpc_status_t st;
	while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
		n++;
	CHECK_ST(st, RPC_E_NO_RAM_QUOTA);
	CHECK(n >= 2);
	int before = n;
	CHECK_OK(tb_upgrade(&o, 2 * PLATFORM_DMA_COST(4096), 0));
	while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
		n++;
	CHECK(n >= before + 2);
	/* the capabilities run out too: NO_CAP_QUOTA */
	if (st != RPC_E_NO_CAP_QUOTA) {
		CHECK_ST(st, RPC_E_NO_RAM_QUOTA);
		CHECK_OK(tb_upgrade(&o, 32 * PLATFORM_DMA_COST(4096), 0));
		while (n < 32 && (st = dma_get(&o, 4096, &d[n])) == RPC_OK)
			n++;
		CHECK_ST(st, RPC_E_NO_CAP_QUOTA);
	}
	CHECK_ST(platform_dma_alloc(o.cap, 0, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, ~0ul, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, 1ul << 40, 0, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_alloc(o.cap, 4096, 2, &ds, &addr), RPC_E_INVALID_ARGUMENT);
	/* an address past every buffer of the session (where they lie is
	 * the allocator's: d[0]'s plus a fixed distance may be another's) */
	uint64_t past = 0;
	for (int i = 0; i < n; i++)
		past = d[i].addr > past ? d[i].addr : past;
	CHECK_ST(platform_dma_free(o.cap, past + 4096 * 64), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_free(o.cap, d[0].addr + 1), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_dma_free(o.cap, 0), RPC_E_INVALID_ARGUMENT);
	for (int i = 0; i < n; i++)
		dma_put(&o, &d[i]);
	CHECK_ST(platform_dma_free(o.cap, d[0].addr), RPC_E_INVALID_ARGUMENT);
	/* all of it is back: the same number fits again */
	int again = 0;
	while (again < 32 && dma_get(&o, 4096, &d[again]) == RPC_OK)
		again++;
	CHECK_EQ(again, n);
	CHECK_OK(tb_close(&o));   /* buffers go with the session */
}

TEST(PLAT_0040, "stray DMA: edu writes outside its session's buffers")
{
	struct tb_own att, vic;
	struct bar_map m;
	struct dma a, v0, v1;
	word_t h, kind;
	char want[64];

	open_platform(&att, "drv_edu", PLATFORM_DMA_COST(4096));
	open_platform(&vic, "drv_edu2", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(att.cap, edu, &h));
	map_bar(&att, h, 0, &m);
	CHECK_OK(platform_irq(att.cap, h, 0, bits[1], &kind));
	CHECK_OK(dma_get(&att, 4096, &a));
	CHECK_OK(dma_get(&vic, 4096, &v0));
	CHECK_OK(dma_get(&vic, 4096, &v1));
	for (int i = 0; i < 4096; i++) {
		a.va[i] = 0xa5;
		v1.va[i] = 0x5a;
	}
	/* the attacker's buffer into edu, then edu's buffer to the victim's
	 * device address (the physical address without an IOMMU) */
	edu_dma(&att, h, &m, a.addr, false);
	CHECK(v1.addr < a.addr || v1.addr >= a.addr + 4096);
	edu_dma(&att, h, &m, v1.addr, true);
	unsigned changed = 0;
	for (int i = 0; i < 4096; i++)
		changed += v1.va[i] != 0x5a;
	if (iommu) {
		CHECK_EQ(changed, 0);
		/* the fault interrupt may reach platform after edu's own */
		snprintf(want, sizeof(want), "<fault device=\"%s\" address=\"0x%lx\"", edu,
			 v1.addr);
		await_report(want);
		CHECK(strstr(report_buf, "iommu=\"yes\""));
		log("stray DMA to 0x%lx blocked by the IOMMU, fault reported", v1.addr);
	} else {
		fetch_rom("test -> platform", report_buf, sizeof(report_buf));
		CHECK_EQ(changed, EDU_LEN);
		CHECK(strstr(report_buf, "iommu=\"no\""));
		CHECK(strstr(report_buf, "dma=\"unprotected\""));
		log("no IOMMU: the stray DMA to 0x%lx landed (unprotected, as reported)", v1.addr);
	}
	for (int i = 0; i < 4096; i++)
		CHECK_EQ(a.va[i], 0xa5);
	dma_put(&att, &a);
	dma_put(&vic, &v0);
	dma_put(&vic, &v1);
	unmap_bar(&m);
	CHECK_OK(tb_close(&vic));
	CHECK_OK(tb_close(&att));
}

TEST(PLAT_0041, "a reserved region (RMRR) of a device is mapped 1:1 in its holder's domain")
{
	struct tb_own o, raw;
	struct bar_map m;
	struct dma a;
	word_t h, kind, phys = 0, contiguous = 0, at;
	cptr_t dma, page;
	word_t dma_id;
	char want[96];

	if (!iommu) {
		fetch_rom("test -> platform", report_buf, sizeof(report_buf));
		CHECK(strstr(report_buf, "iommu=\"no\""));
		log("no IOMMU: a reserved region needs no mapping");
		return;
	}
	/* a page of ours whose physical address we learn from core */
	CHECK_OK(parent_session(tb_env->parent, "DMA", "test", "", 8192, 4, 0, &dma, &dma_id));
	CHECK_OK(pd_alloc_ram_flags(tb_env->pd, 4096, RAM_CONTIGUOUS, &page));
	CHECK_OK(dma_phys(dma, page, 0, &phys, &contiguous));
	CHECK_OK(pd_attach(tb_env->pd, page, 0, 0, 0, ATTACH_WRITE, &at));
	volatile uint8_t *p = (volatile uint8_t *)at;
	for (int i = 0; i < 4096; i++)
		p[i] = 0x11;
	reserved_base = phys;
	reserved_size = 4096;
	open_platform(&raw, "raw", 0);
	publish_acpi(&raw);
	CHECK_OK(tb_close(&raw));
	snprintf(want, sizeof(want), "<reserved base=\"0x%lx\" size=\"0x1000\" device=\"%s\"/>",
		 phys, edu);
	await_report(want);
	open_platform(&o, "drv_edu", PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	CHECK_OK(dma_get(&o, 4096, &a));
	CHECK(a.addr + 4096 <= phys || a.addr >= phys + 4096);   /* not over the region */
	for (int i = 0; i < 4096; i++)
		a.va[i] = 0x77;
	edu_dma(&o, h, &m, a.addr, false);
	edu_dma(&o, h, &m, phys, true);           /* to the region, 1:1 */
	for (int i = 0; i < EDU_LEN; i++)
		CHECK_EQ(p[i], 0x77);
	CHECK_EQ(p[EDU_LEN], 0x11);
	log("reserved region 0x%lx of %s: DMA through its 1:1 mapping arrived", phys, edu);
	dma_put(&o, &a);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
	CHECK_OK(pd_detach(tb_env->pd, at));
	/* the region stays known to platform; the page stays ours */
	parent_close(tb_env->parent, dma_id);
	cap_slot_free(dma);
}

/* ---- drivers that exit or crash with the device in use ---- */

static word_t edu_bdf(void)
{
	unsigned b = 0, d = 0, f = 0;
	for (int i = 0; i < 2; i++)
		b = b * 16 + (unsigned)(edu[i] <= '9' ? edu[i] - '0' : edu[i] - 'a' + 10);
	for (int i = 3; i < 5; i++)
		d = d * 16 + (unsigned)(edu[i] <= '9' ? edu[i] - '0' : edu[i] - 'a' + 10);
	f = (unsigned)(edu[6] - '0');
	return PLATFORM_BDF(b, d, f);
}

static void driver_leaves(const char *mode)
{
	struct tb_child *drv;
	struct tb_own raw, o;
	struct bar_map m;
	char cfg[96], want[64];
	word_t h, kind;

	snprintf(cfg, sizeof(cfg), "<config device=\"%s\" mode=\"%s\"/>", edu, mode);
	CHECK_OK(tb_start(&drv, "driver", "platform_test_driver", 2 * MB, 256, PRIO, cfg));
	if (!strcmp(mode, "crash")) {
		while (!tb_faulted(drv, 0) && !drv->exited)
			tb_wait();
		CHECK(tb_faulted(drv, 0));
	} else {
		CHECK_EQ(tb_wait_exit(drv), 0);
	}
	fetch_rom("test -> platform", report_buf, sizeof(report_buf));
	snprintf(want, sizeof(want), "name=\"%s\" holder=\"driver\"", edu);
	CHECK(strstr(report_buf, want));
	tb_destroy(drv);
	/* the device is clean: no bus mastering, decoding or MSI */
	open_platform(&raw, "raw", 0);
	word_t bdf = edu_bdf();
	CHECK_EQ(raw_read(&raw, bdf, 4, 2) & 7, 0);
	unsigned p = raw_read(&raw, bdf, 0x34, 1) & 0xfc;
	while (p && raw_read(&raw, bdf, p, 1) != 0x05)
		p = raw_read(&raw, bdf, p + 1, 1) & 0xfc;
	CHECK(p);
	CHECK_EQ(raw_read(&raw, bdf, p + 2, 2) & 1, 0);
	CHECK_OK(tb_close(&raw));
	fetch_rom("test -> platform", report_buf, sizeof(report_buf));
	CHECK(!strstr(report_buf, want));
	/* and the next driver gets it working */
	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	/* edu has no reset: a transfer the old driver started may still run
	 * (its writes go nowhere with bus mastering off); wait for it */
	for (unsigned long i = 0; rd64(&m, 0x98) & 1; i++)
		CHECK(i < 1000000000ul);
	wr32(&m, 0x64, ~0u);                  /* what the old driver left pending */
	while (poll_bit(1))
		;
	edu_roundtrip(&o, h, &m, 11);
	edu_irq_rounds(&o, h, &m, 1);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

TEST(PLAT_0050, "a driver that exits with the device in use: released, the next one gets it clean")
{
	driver_leaves("exit");
}

TEST(PLAT_0051, "a driver that crashes with the device in use: released, the next one gets it clean")
{
	driver_leaves("crash");
}

/* ---- policy changes and garbage ---- */

TEST(PLAT_0060, "a policy that no longer names a device takes it away")
{
	struct tb_own o;
	word_t h, v;

	char text[4096];
	word_t version;

	open_platform(&o, "drv_edu", 0);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(platform_devices_sigh(o.cap, bits[5]));
	devices_text(&o, text, sizeof(text), &version);
	while (poll_bit(5))
		;
	make_config(false);
	tb_set_config(platform, platform_config);
	tb_wait_config_seen(platform);
	wait_bit(5);                          /* the device list changed */
	devices_text(&o, text, sizeof(text), &version);
	CHECK_EQ(count_of(text, "<device "), 0);
	CHECK_ST(platform_config_read(o.cap, h, 0, 4, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(platform_acquire(o.cap, edu, &h), RPC_E_DENIED);
	make_config(true);
	tb_set_config(platform, platform_config);
	tb_wait_config_seen(platform);
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	CHECK_OK(tb_close(&o));
}

TEST(PLAT_0070, "garbage calls on every operation: errors, and platform survives")
{
	struct tb_own o;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0, err = 0;
	word_t h;

	open_platform(&o, "drv_edu", 4 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	for (int round = 0; round < 3000; round++) {
		struct rpc_msg m;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		rpc_init(&m, x % 17);
		unsigned words = (x >> 8) % 6;
		for (unsigned i = 0; i < words; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			word_t w = (x & 3) == 0 ? h : (x & 3) == 1 ? x >> 56 : x;
			rpc_put(&m, w);
		}
		if ((x >> 20) % 4 == 0)
			m.cap = bits[10];
		rpc_status_t st = rpc_call(o.cap, &m);
		if (st == RPC_OK)
			ok++;
		else
			err++;
		if (m.cap_kind == RPC_CAP_PLACED)
			cap_slot_free(m.cap);
	}
	log("garbage: %u calls answered OK, %u with an error", ok, err);
	CHECK(err > 0);
	/* still serving, the device still works */
	struct tb_own raw;
	open_platform(&raw, "raw", 0);
	CHECK_EQ(raw_read(&raw, 0, 0, 2), 0x8086);
	CHECK_OK(tb_close(&raw));
	CHECK_OK(tb_close(&o));
	open_platform(&o, "drv_edu", 2 * PLATFORM_DMA_COST(4096));
	CHECK_OK(platform_acquire(o.cap, edu, &h));
	struct bar_map m;
	word_t kind;
	map_bar(&o, h, 0, &m);
	CHECK_OK(platform_irq(o.cap, h, 0, bits[1], &kind));
	while (poll_bit(1))
		;
	wr32(&m, 0x64, ~0u);
	edu_roundtrip(&o, h, &m, 5);
	unmap_bar(&m);
	CHECK_OK(tb_close(&o));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("platform_test", setup);
}
