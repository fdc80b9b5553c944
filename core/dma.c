/*
 * The DMA session: where RAM dataspaces are in physical memory, for the
 * platform driver that programs devices (and IOMMUs) with it. Nothing else
 * tells a RAM dataspace's physical address (DS_INFO does not), so routing
 * this service is what decides who learns it. Trusts nothing of the
 * request: the capability must be a RAM dataspace, the offset in it.
 */
#include "core.h"
#include <argil/io.h>

rpc_status_t dma_session_create(struct pd *payer, word_t ram, word_t caps, struct session **out)
{
	return session_new(sizeof(struct session), payer, ram, caps, K_DMA, "", out);
}

static rpc_status_t do_phys(struct dma_phys_call *c)
{
	struct ds *d = 0;
	word_t page = c->in.offset / PAGE, first = 0;

	if (c->in.ds->cap_kind == RPC_CAP_UNWRAPPED)
		d = (struct ds *)obj_lookup(c->in.ds->cap_badge, K_DS);
	if (!d || d->type != DS_T_RAM)
		return RPC_E_INVALID_CAP;
	if (c->in.offset % PAGE || page >= d->pages)
		return RPC_E_INVALID_ARGUMENT;
	/* the chunk holding the page, then the chunks physically after it */
	word_t i = 0;
	while (page >= first + (1ul << d->chunks[i].k)) {
		first += 1ul << d->chunks[i].k;
		i++;
	}
	const struct ds_chunk *ch = &d->chunks[i];
	word_t end = ch->blk->paddr + (PAGE << ch->k);
	c->out.phys = ch->blk->paddr + (page - first) * PAGE;
	for (i++; i < d->nchunks && d->chunks[i].blk->paddr == end; i++)
		end += PAGE << d->chunks[i].k;
	c->out.contiguous = end - c->out.phys;
	return RPC_OK;
}

RPC_SERVER(dma, DMA_RPC)

static const struct dma_server dma_ops = { .dma_phys = do_phys };

rpc_status_t dma_serve(struct session *s, struct request *q)
{
	dma_dispatch(&dma_ops, s, q->msg, q->reply, RPC_E_ILLEGAL_OPERATION);
	return q->reply->label;
}
