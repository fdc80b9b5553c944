/* A RAM dataspace of the component's own, attached writable (argil/ram_buf.h). */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/ram_buf.h>
#include <argil/slot.h>
#include <argil/string.h>

rpc_status_t ram_buf_alloc(struct ram_buf *b, size_t size)
{
	word_t at;
	rpc_status_t st;

	memset(b, 0, sizeof(*b));
	st = pd_alloc_ram(COMPONENT_PD, size, &b->ds);
	if (st != RPC_OK) {
		b->ds = 0;
		return st;
	}
	st = pd_attach(COMPONENT_PD, b->ds, 0, 0, 0, ATTACH_WRITE, &at);
	if (st != RPC_OK) {
		ram_buf_free(b);
		return st;
	}
	b->va = (void *)at;
	b->size = size;
	return RPC_OK;
}

void ram_buf_free(struct ram_buf *b)
{
	if (b->va)
		pd_detach(COMPONENT_PD, (word_t)b->va);
	if (b->ds) {
		pd_free_ram(COMPONENT_PD, b->ds);
		cap_slot_free(b->ds);
	}
	memset(b, 0, sizeof(*b));
}
