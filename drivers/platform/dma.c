/*
 * DMA buffers (platform.h): RAM from platform's PD (the session's
 * donation arrived there with the session), physically contiguous, paid
 * from the session's budget; mapped into the session's IOMMU domain at a
 * device address of its own (first fit from DMA_IOVA_BASE), or, without
 * an IOMMU, handed out with their physical address.
 */
#include <argil/component.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "platform.h"

#define DMA_IOVA_BASE 0x100000ull      /* device addresses from 1 MiB ... */
#define DMA_IOVA_END 0x100000000ull    /* ... below 4 GiB */
#define DMA_MAX (16ul << 20)           /* one buffer at most */

static struct parent_conn dma_service;   /* core's DMA service (DMA_PHYS) */

void dma_init(void)
{
	rpc_status_t st = parent_conn_open(&dma_service, "DMA", "platform", "", 8192, 4);

	if (st != RPC_OK)
		log("no DMA service (%s): no DMA buffers, no IOMMU", rpc_status_name(st));
}

bool dma_available(void)
{
	return dma_service.cap != 0;
}

rpc_status_t dma_phys_of(cptr_t ds, word_t size, uint64_t *phys)
{
	word_t p = 0, contiguous = 0;
	rpc_status_t st;

	if (!dma_service.cap)
		return RPC_E_UNAVAILABLE;
	st = dma_phys(dma_service.cap, ds, 0, &p, &contiguous);
	if (st == RPC_OK && (!p || contiguous < size))
		st = RPC_E_UNAVAILABLE;   /* not contiguous: useless for a device */
	*phys = p;
	return st;
}

/* Contiguous RAM in platform's PD (the size a power of two pages). */
static rpc_status_t alloc_ram(word_t size, word_t flags, cptr_t *ds)
{
	return pd_alloc_ram_flags(COMPONENT_PD, size, RAM_CONTIGUOUS |
				  ((flags & PLATFORM_DMA_BELOW_4G) ? RAM_BELOW_4G : 0), ds);
}

/* First fit in the session's device-address space (bufs sorted by addr). */
static uint64_t iova_find(struct session *s, word_t size, struct dma_buf ***at)
{
	uint64_t a = DMA_IOVA_BASE;
	struct dma_buf **pp = &s->bufs;

	for (;;) {
		uint64_t r = iommu_reserved_end(a, size);   /* RMRRs are 1:1 */
		if (r) {
			a = (r + 4095) & ~4095ull;
			continue;
		}
		if (!*pp || (*pp)->addr >= a + size)
			break;
		if ((*pp)->addr + (*pp)->size > a)
			a = (*pp)->addr + (*pp)->size;
		pp = &(*pp)->next;
	}
	*at = pp;
	return a + size <= DMA_IOVA_END ? a : 0;
}

rpc_status_t dma_alloc(struct session *s, word_t size, word_t flags, cptr_t *ds, uint64_t *addr)
{
	rpc_status_t st;

	if (!size || size > DMA_MAX || (flags & ~(word_t)PLATFORM_DMA_BELOW_4G))
		return RPC_E_INVALID_ARGUMENT;
	word_t pages = PAGES(size);
	/* contiguous RAM is one buddy block: a power of two of pages, all of
	 * it charged (docs/devices.md, "DMA memory") */
	word_t alloc_pages = 1;
	while (alloc_pages < pages)
		alloc_pages <<= 1;
	/* (IOMMU tables are charged as they are made, iommu_map) */
	word_t cost = DS_COST(alloc_pages) + sizeof(struct dma_buf) + 64;
	if (s->ss.budget.ram - s->ss.budget.ram_used < cost)
		return RPC_E_NO_RAM_QUOTA;
	if (!budget_take(&s->ss.budget, cost, 1))
		return RPC_E_NO_CAP_QUOTA;
	struct dma_buf *b = calloc(1, sizeof(*b));
	if (!b) {
		budget_give(&s->ss.budget, cost, 1);
		return RPC_E_NO_RAM_QUOTA;
	}
	b->size = pages * 4096;
	b->cost = cost;
	st = alloc_ram(alloc_pages * 4096, flags, &b->ds);
	if (st == RPC_OK)
		st = dma_phys_of(b->ds, alloc_pages * 4096, &b->phys);
	if (st == RPC_OK && !s->dom && (flags & PLATFORM_DMA_BELOW_4G) &&
	    b->phys + b->size > DMA_IOVA_END)
		st = RPC_E_UNAVAILABLE;
	struct dma_buf **at = 0;
	if (st == RPC_OK) {
		if (s->dom) {
			b->addr = iova_find(s, b->size, &at);
			if (!b->addr)
				st = RPC_E_UNAVAILABLE;
			else
				st = iommu_map(s, b->addr, b->phys, b->size);
		} else {
			b->addr = b->phys;
			for (at = &s->bufs; *at && (*at)->addr < b->addr; at = &(*at)->next)
				;
		}
	}
	if (st != RPC_OK) {
		if (b->ds) {
			pd_free_ram(COMPONENT_PD, b->ds);
			cap_slot_free(b->ds);
		}
		free(b);
		budget_give(&s->ss.budget, cost, 1);
		if (st != RPC_E_NO_RAM_QUOTA)
			log("error: DMA buffer of %lu bytes for \"%s\": %s", size, s->ss.label,
			    rpc_status_name(st));
		return st == RPC_E_NO_RAM_QUOTA ? st : RPC_E_UNAVAILABLE;
	}
	b->next = *at;
	*at = b;
	*ds = b->ds;
	*addr = b->addr;
	return RPC_OK;
}

static void buf_free(struct session *s, struct dma_buf *b)
{
	if (s->dom)
		iommu_unmap(s, b->addr, b->size);
	pd_free_ram(COMPONENT_PD, b->ds);
	cap_slot_free(b->ds);
	budget_give(&s->ss.budget, b->cost, 1);
	free(b);
}

rpc_status_t dma_free(struct session *s, uint64_t addr)
{
	for (struct dma_buf **pp = &s->bufs; *pp; pp = &(*pp)->next)
		if ((*pp)->addr == addr) {
			struct dma_buf *b = *pp;
			*pp = b->next;
			buf_free(s, b);
			return RPC_OK;
		}
	return RPC_E_INVALID_ARGUMENT;
}

void dma_free_all(struct session *s)
{
	while (s->bufs) {
		struct dma_buf *b = s->bufs;
		s->bufs = b->next;
		buf_free(s, b);
	}
}
