/*
 * DMA buffers from the Platform session and pools over them (driver.h).
 * The device address comes from the platform driver (an IOVA in our IOMMU
 * domain, or the physical address without an IOMMU); the buffer's size
 * is checked against its dataspace.
 */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <driver.h>

rpc_status_t dma_buf_alloc(struct platform_connection *p, size_t size, unsigned flags,
			   struct dma_buf *b)
{
	word_t dsize, at, dev;
	rpc_status_t st;

	memset(b, 0, sizeof(*b));
	if (!size)
		return RPC_E_INVALID_ARGUMENT;
	size = (size + 4095) & ~(size_t)4095;
	st = platform_upgrade(p, PLATFORM_DMA_COST(size), 1);
	if (st != RPC_OK)
		return st;
	st = platform_dma_alloc(p->session, size, flags, &b->ds, &dev);
	if (st != RPC_OK) {
		b->ds = 0;
		return st;
	}
	b->dev = dev;
	st = ds_info(b->ds, &dsize, 0, 0);
	if (st == RPC_OK && dsize < size)
		st = RPC_E_INVALID_ARGUMENT;
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, b->ds, 0, 0, 0, ATTACH_WRITE, &at);
	if (st != RPC_OK) {
		dma_buf_free(p, b);
		return st;
	}
	b->virt = (uint8_t *)at;
	b->size = size;
	memset(b->virt, 0, size);
	return RPC_OK;
}

void dma_buf_free(struct platform_connection *p, struct dma_buf *b)
{
	if (b->virt)
		pd_detach(COMPONENT_PD, (word_t)b->virt);
	if (b->ds) {
		platform_dma_free(p->session, b->dev);
		cap_slot_free(b->ds);
	}
	memset(b, 0, sizeof(*b));
}

rpc_status_t dma_pool_init(struct dma_pool *pool, struct platform_connection *p, size_t size,
			   uint32_t block, unsigned flags)
{
	rpc_status_t st;

	memset(pool, 0, sizeof(*pool));
	size = (size + 4095) & ~(size_t)4095;
	if (!block_alloc_init(&pool->blocks, size, block))
		return RPC_E_INVALID_ARGUMENT;
	st = dma_buf_alloc(p, size, flags, &pool->buf);
	if (st != RPC_OK)
		return st;
	pool->plat = p;
	return RPC_OK;
}

void dma_pool_fini(struct dma_pool *pool)
{
	if (pool->plat)
		dma_buf_free(pool->plat, &pool->buf);
	memset(pool, 0, sizeof(*pool));
}

void *dma_pool_alloc(struct dma_pool *pool, size_t size, uint64_t *dev)
{
	long off = block_alloc_get(&pool->blocks, size);

	if (off < 0)
		return 0;
	if (dev)
		*dev = pool->buf.dev + (uint64_t)off;
	return pool->buf.virt + off;
}

bool dma_pool_free(struct dma_pool *pool, void *virt)
{
	uint8_t *v = virt;

	if (v < pool->buf.virt || v >= pool->buf.virt + pool->buf.size)
		return false;
	return block_alloc_put(&pool->blocks, (size_t)(v - pool->buf.virt));
}
