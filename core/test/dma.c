/*
 * DMA memory: PD_ALLOC_RAM with RAM_CONTIGUOUS and RAM_BELOW_4G, and the
 * DMA session's DMA_PHYS, the only way to learn where RAM is. Where a
 * dataspace says it is gets checked against core's own view: while the
 * dataspace lives, IO_MEM at that address is NOT_FOUND (memory in use);
 * once it is freed, DENIED (free RAM).
 */
#include "test.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PG 4096ul
#define DMA_RAM (8 * KB)
#define DMA_CAPS 4
#define GIB4 (1ul << 32)

static cptr_t dma_session(word_t *id)
{
	return session("DMA", "dma", "", DMA_RAM, DMA_CAPS, id);
}

/* IO_MEM for the page at pa: the status (the session closed again). */
static rpc_status_t iomem_status(word_t pa)
{
	char args[64];
	word_t id;
	cptr_t s;
	rpc_status_t st;

	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", pa);
	st = try_session("IO_MEM", "probe", args, DMA_RAM, DMA_CAPS, 0, &s, &id);
	if (st == RPC_OK)
		close_session(id, s);
	return st;
}

TEST(DMA_0001, "RAM_CONTIGUOUS: one block (size rounded up to a power of two); DMA_PHYS of every page follows the first")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1;
	word_t id, size, flags, phys, p0, cont, p, c;
	cptr_t dma = dma_session(&id), ds;

	CHECK_OK(pd_alloc_ram_flags(tenv->pd, 5 * PG - 100, RAM_CONTIGUOUS, &ds));
	CHECK_OK(ds_info(ds, &size, &flags, &phys));
	CHECK_EQ(size, 8 * PG);
	CHECK(flags & DS_RAM);
	CHECK(flags & DS_CONTIGUOUS);
	CHECK_EQ(phys, 0);
	q1 = quota_of(tenv->pd);
	CHECK(q1.ram_used >= q0.ram_used + 8 * PG);   /* all of the block is charged */
	CHECK_OK(dma_phys(dma, ds, 0, &p0, &cont));
	CHECK_EQ(cont, 8 * PG);
	CHECK_EQ(p0 % (8 * PG), 0);                    /* a buddy block is aligned to its size */
	for (word_t i = 0; i < 8; i++) {
		CHECK_OK(dma_phys(dma, ds, i * PG, &p, &c));
		CHECK_EQ(p, p0 + i * PG);
		CHECK_EQ(c, (8 - i) * PG);
	}
	CHECK_ST(iomem_status(p0), RPC_E_NOT_FOUND);        /* ours, in use */
	CHECK_ST(iomem_status(p0 + 7 * PG), RPC_E_NOT_FOUND);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_ST(iomem_status(p0), RPC_E_DENIED);           /* free RAM again */
	CHECK_ST(iomem_status(p0 + 7 * PG), RPC_E_DENIED);
	close_session(id, dma);
}

TEST(DMA_0002, "without RAM_CONTIGUOUS: DMA_PHYS gives each page and the contiguous run from it")
{
	word_t id, p0, cont, p, c, flags;
	cptr_t dma = dma_session(&id), ds;

	/* 6 MiB: a 4 MiB and a 2 MiB block */
	CHECK_OK(pd_alloc_ram(tenv->pd, 6 * MB, &ds));
	CHECK_OK(ds_info(ds, 0, &flags, 0));
	CHECK(!(flags & DS_CONTIGUOUS));
	CHECK_OK(dma_phys(dma, ds, 0, &p0, &cont));
	CHECK(cont >= 4 * MB && cont <= 6 * MB);
	CHECK_EQ(p0 % (4 * MB), 0);
	CHECK_OK(dma_phys(dma, ds, 4 * MB - PG, &p, &c));
	CHECK_EQ(p, p0 + 4 * MB - PG);
	CHECK_EQ(c, cont - (4 * MB - PG));
	CHECK_OK(dma_phys(dma, ds, 4 * MB, &p, &c));
	CHECK_EQ(c, 2 * MB);
	CHECK_EQ(p % (2 * MB), 0);
	CHECK(p + 2 * MB <= p0 || p >= p0 + 4 * MB);   /* the blocks do not overlap */
	CHECK_ST(iomem_status(p), RPC_E_NOT_FOUND);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_ST(iomem_status(p), RPC_E_DENIED);
	close_session(id, dma);
}

TEST(DMA_0003, "RAM_BELOW_4G: every page below 4 GiB, contiguous or not")
{
	word_t id, p, c;
	cptr_t dma = dma_session(&id), ds;

	CHECK_OK(pd_alloc_ram_flags(tenv->pd, 6 * MB + 3 * PG, RAM_BELOW_4G, &ds));
	for (word_t off = 0; off < 6 * MB + 3 * PG; off += PG) {
		CHECK_OK(dma_phys(dma, ds, off, &p, &c));
		CHECK(p + PG <= GIB4);
	}
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_OK(pd_alloc_ram_flags(tenv->pd, 4 * MB, RAM_BELOW_4G | RAM_CONTIGUOUS, &ds));
	CHECK_OK(dma_phys(dma, ds, 0, &p, &c));
	CHECK_EQ(c, 4 * MB);
	CHECK(p + 4 * MB <= GIB4);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	close_session(id, dma);
}

TEST(DMA_0004, "DMA_PHYS: ROM, I/O memory, a PD, no cap are INVALID_CAP; a bad offset INVALID_ARGUMENT")
{
	word_t id, idr, idm, p, c, rsize;
	cptr_t dma = dma_session(&id), ds, rom, rds, iom, ids;

	rom = session("ROM", "platform_info", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, &idr);
	CHECK_OK(rom_dataspace(rom, &rds, &rsize));
	CHECK_ST(dma_phys(dma, rds, 0, &p, &c), RPC_E_INVALID_CAP);
	cap_slot_free(rds);
	close_session(idr, rom);
	iom = session("IO_MEM", "hpet", "base=0xfed00000, size=0x1000", DMA_RAM, DMA_CAPS, &idm);
	CHECK_OK(io_mem_dataspace(iom, &ids, 0, 0));
	CHECK_ST(dma_phys(dma, ids, 0, &p, &c), RPC_E_INVALID_CAP);
	cap_slot_free(ids);
	close_session(idm, iom);
	CHECK_ST(dma_phys(dma, tenv->pd, 0, &p, &c), RPC_E_INVALID_CAP);
	CHECK_ST(dma_phys(dma, 0, 0, &p, &c), RPC_E_INVALID_CAP);
	CHECK_ST(dma_phys(dma, dma, 0, &p, &c), RPC_E_INVALID_CAP);
	CHECK_OK(pd_alloc_ram(tenv->pd, 2 * PG, &ds));
	CHECK_ST(dma_phys(dma, ds, 100, &p, &c), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(dma_phys(dma, ds, 2 * PG, &p, &c), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(dma_phys(dma, ds, ~0ul & ~(PG - 1), &p, &c), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(dma_phys(dma, ds, PG, &p, &c));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	CHECK_ST(dma_phys(dma, ds, 0, &p, &c), RPC_E_INVALID_CAP);   /* freed */
	cap_slot_free(ds);
	close_session(id, dma);
}

TEST(DMA_0005, "PD_ALLOC_RAM flags: unknown INVALID_ARGUMENT; the rounded contiguous size counts against the quota")
{
	cptr_t ds, pd;
	word_t id;

	CHECK_ST(pd_alloc_ram_flags(tenv->pd, PG, 4, &ds), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_alloc_ram_flags(tenv->pd, PG, 1ul << 63, &ds), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_alloc_ram_flags(tenv->pd, 0, RAM_CONTIGUOUS, &ds), RPC_E_INVALID_ARGUMENT);
	/* a PD with room for 48 pages: 33 fit, but not as one block (64) */
	pd = session("PD", "dmaq", "cnode_bits=6", 200 * KB, 10, &id);
	struct pd_quota q = quota_of(pd);
	CHECK(q.ram_quota - q.ram_used < 48 * PG);
	CHECK_OK(pd_transfer(tenv->pd, pd, 48 * PG - (q.ram_quota - q.ram_used), 0));
	q = quota_of(pd);
	CHECK_EQ(q.ram_quota - q.ram_used, 48 * PG);
	CHECK_ST(pd_alloc_ram_flags(pd, 33 * PG, RAM_CONTIGUOUS, &ds), RPC_E_NO_RAM_QUOTA);
	CHECK_OK(pd_alloc_ram_flags(pd, 33 * PG, RAM_BELOW_4G, &ds));
	CHECK_OK(pd_free_ram(pd, ds));
	cap_slot_free(ds);
	CHECK_OK(pd_alloc_ram_flags(pd, 32 * PG, RAM_CONTIGUOUS, &ds));
	CHECK_OK(pd_free_ram(pd, ds));
	cap_slot_free(ds);
	close_session(id, pd);
}

TEST(DMA_0006, "a contiguous block below 4 GiB that no free memory holds is UNAVAILABLE, and nothing is lost")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1;
	word_t avail = q0.ram_quota - q0.ram_used, size = 1;
	cptr_t ds;

	/* the largest power of two we could pay (at most 4 GiB), below 4 GiB
	 * in one aligned block: on every machine we boot, such a block
	 * holds memory below 1 MiB (never handed out) or firmware ranges
	 * and PCI holes, so it is never free RAM */
	while (size * 2 <= avail && size < GIB4)
		size *= 2;
	CHECK(size >= 16 * MB);
	CHECK_ST(pd_alloc_ram_flags(tenv->pd, size, RAM_CONTIGUOUS | RAM_BELOW_4G, &ds),
		 RPC_E_UNAVAILABLE);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_used, q0.ram_used);
	CHECK_EQ(q1.cap_used, q0.cap_used);
}
