/*
 * The Uplink streams as DMA buffers (uplink_dma.h). Trusts the Platform
 * session for the buffers it hands out.
 */
#include <argil/log.h>
#include <uplink_dma.h>

rpc_status_t uplink_dma_streams(struct platform_connection *p, size_t up_size, size_t down_size,
				struct dma_buf stream[NIC_STREAMS], struct uplink_args *a)
{
	size_t sizes[NIC_STREAMS] = { [NIC_UP] = up_size, [NIC_DOWN] = down_size };
	rpc_status_t st = RPC_OK;

	for (int i = 0; i < NIC_STREAMS && st == RPC_OK; i++) {
		st = dma_buf_alloc(p, sizes[i], 0, &stream[i]);
		if (st != RPC_OK)
			break;
		a->ds[i] = stream[i].ds;
		a->mem[i] = stream[i].virt;
		a->size[i] = stream[i].size;
		a->dev[i] = stream[i].dev;
	}
	return st;
}

void uplink_dma_link(struct uplink_connection *c, const char *dev, bool *known, bool now)
{
	if (now == *known)
		return;
	*known = now;
	log("%s: link %s", dev, now ? "up" : "down");
	uplink_set_link(c, now);
}
